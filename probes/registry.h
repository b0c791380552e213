/* registry.h: the table of probes and choosing among them with --only (registry.c). */
#ifndef TORREADY_REGISTRY_H
#define TORREADY_REGISTRY_H

#include "err.h"
#include "probe.h"

/* NULL-terminated, in the order results appear. */
extern const struct probe *const probe_registry[];

/* 1 when `only` (comma-separated ids or families; NULL or "" = all) selects the probe. */
int probe_selected(const char *only, const struct probe *p);
/* 0 when every word in `only` names a probe or family, else -1 with a message. */
int probe_check_only(const char *only, struct err *e);

#endif
