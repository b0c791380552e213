/* probe.h: what a probe family exports. Each family lives in one file here and is listed
 * once in registry.c (and described once in the catalog, src/results/codes.c); the engine knows
 * nothing about any particular probe. */
#ifndef TORREADY_PROBE_H
#define TORREADY_PROBE_H

#include "engine.h"
#include "err.h"
#include "targets.h"

struct probe {
	const char *id;        /* "tor.dirauth": the results' probe id; the rest of what is
				* known about it (family, title, codes) is in the catalog, codes.h */
	/* Turns the targets into jobs on eng (nothing runs yet). 0 / -1. */
	int (*plan)(struct engine *eng, const struct targets *t, struct err *e);
};

/* NULL-terminated, in the order results appear. */
extern const struct probe *const probe_registry[];

/* 1 when `only` (comma-separated ids or families; NULL or "" = all) selects the probe. */
int probe_selected(const char *only, const struct probe *p);
/* 0 when every word in `only` names a probe or family, else -1 with a message. */
int probe_check_only(const char *only, struct err *e);

#endif
