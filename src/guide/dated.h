/* dated.h: facts that change on known dates (kb/dated.yaml): each an id with a list of
 * values, each value in force from a date until the next one's. The CA/B Forum certificate
 * lifetime limits are one; the probes and the guidance read the same file, so a date is
 * written once. Format: kb/README.md, "Dated facts". */
#ifndef TORREADY_DATED_H
#define TORREADY_DATED_H

#include <stddef.h>
#include <time.h>

#include "err.h"

#define DATED_MAX_FACTS 64
#define DATED_MAX_VALUES 32

struct dated_value {
	time_t from;       /* UTC midnight of the `from:` date */
	char from_text[11];
	long value;
};

struct dated_fact {
	char *id, *title, *unit, *applies_to, *source, *reviewed;
	struct dated_value v[DATED_MAX_VALUES];   /* from strictly increasing */
	size_t n;
};

struct dated {
	struct dated_fact *f;
	size_t n;
};

/* Reads and checks a dated-facts file; every problem is "file:line:col: message". */
int dated_load(struct dated *d, const char *path, struct err *e);
void dated_free(struct dated *d);
const struct dated_fact *dated_find(const struct dated *d, const char *id);
/* The value in force at t: 0 and *out set, or -1 when t is before the first `from:`. */
int dated_value_at(const struct dated_fact *f, time_t t, long *out);

/* kb/dated.yaml of this installation (paths_data), read once per process; NULL (with e set
 * the first time) when it is missing or broken. */
const struct dated *dated_default(struct err *e);

#endif
