/* results_gather.h: the results documents `render` reads — files and directories of them —
 * with each machine counted once and, when asked, redacted before anything reads them. */
#ifndef TORREADY_RESULTS_GATHER_H
#define TORREADY_RESULTS_GATHER_H

#include <stddef.h>

#include "err.h"
#include "results.h"
#include "targets.h"

#define GATHER_FILES_MAX 200000   /* a directory cannot make render allocate without bound */

/* Reads every path (a file, or a directory: each *.json regular file directly inside it,
 * in name order), keeps one document per machine — the latest `finished` by
 * host.machine_id, else one per distinct content (the same file twice is one machine) —
 * redacts each (results_redact) when redact is set, and returns the kept sets in the order
 * first met. Problems name the file (and line:col for bad JSON). */
int results_gather(const struct strlist *paths, int redact, struct results **sets, size_t *nsets,
		   struct err *e);
void results_gather_free(struct results *sets, size_t nsets);

#endif
