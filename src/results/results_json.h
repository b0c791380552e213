/* results_json.h: results.json written and read back (results_json.c). */
#ifndef TORREADY_RESULTS_JSON_H
#define TORREADY_RESULTS_JSON_H

#include <jansson.h>

#include "err.h"
#include "results.h"

json_t *results_to_json(const struct results *rs);
/* Writes JSON to path atomically: temp file in the same directory, fsync, rename.
 * path "-" writes to stdout. */
int results_write(const struct results *rs, const char *path, struct err *e);
/* Reads a results document; problems name the file and line:col. */
int results_load(const char *path, struct results *rs, struct err *e);
int results_from_json(json_t *doc, const char *path, struct results *rs, struct err *e);

#endif
