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

#endif
