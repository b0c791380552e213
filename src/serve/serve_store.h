/* serve_store.h: `serve`'s SQLite store: submitted results (one row per distinct document,
 * the latest per host.machine_id counted) and self-check visits (no address). WAL mode, a
 * versioned schema (PRAGMA user_version), a busy timeout and IMMEDIATE transactions, so
 * several writers (this process and, e.g., a second serve on the same file) wait rather than
 * fail. */
#ifndef TORREADY_SERVE_STORE_H
#define TORREADY_SERVE_STORE_H

#include <stddef.h>

#include <jansson.h>

struct serve_store;

struct serve_store *serve_store_open(const char *path, char *errbuf, size_t errlen);
void serve_store_close(struct serve_store *st);

/* Stores a (redacted) results document under its digest; *inserted is 0 when a document with
 * that digest was already there. -1 on a database error (message in errbuf). */
int serve_store_put(struct serve_store *st, const char *digest, const char *machine,
		    const char *finished, const char *level, const char *doc, int *inserted,
		    char *errbuf, size_t errlen);
int serve_store_selfcheck(struct serve_store *st, const char *family, const char *version,
			  const char *verdict, const char *ja4);

/* {"machines": N, "levels": {...}, "self_checks": {...}}; counts under min_group are null. */
json_t *serve_store_summary(struct serve_store *st, int min_group);
/* The latest self-check records, newest first. */
json_t *serve_store_selfchecks(struct serve_store *st, int limit);
/* Calls fn with each machine's latest document text; stops early when fn returns nonzero. */
int serve_store_each_latest(struct serve_store *st, int (*fn)(void *arg, const char *doc),
			    void *arg);

#endif
