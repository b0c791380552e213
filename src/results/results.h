/* results.h: the results model — what probes produce and what rendering reads — and its
 * JSON form (../shared/spec/results.md), written atomically and read back for `render`. */
#ifndef TORREADY_RESULTS_H
#define TORREADY_RESULTS_H

#include <jansson.h>
#include <stddef.h>

#include "err.h"

#define RESULTS_SCHEMA "torready-results/1"
/* Peer-supplied strings are stored as received but bounded (results.md). */
#define RESULT_SUMMARY_MAX 300
#define RESULT_STRING_MAX 1024

enum status { ST_PASS, ST_WARN, ST_FAIL, ST_ERROR, ST_SKIP, ST_COUNT };

const char *status_name(enum status s);
int status_parse(const char *s, enum status *out);   /* 0 or -1 */

struct result {
	char *probe;      /* "tor.dirauth" */
	char *target;     /* what was probed, as the user would name it */
	char *name;       /* a nickname ("moria1") or "" */
	enum status status;
	char *code;       /* stable snake_case; "ok" with pass */
	char *summary;    /* one line for people */
	long duration_ms;
	json_t *evidence; /* an object, owned */
	int done;         /* set once a verdict is recorded */
};

struct results {
	char *started, *finished;   /* RFC 3339 UTC */
	long duration_ms, deadline_ms;
	json_t *host;               /* object: os, tor, pt */
	char **contacted;           /* unique endpoints, in first-contact order */
	size_t ncontacted, capcontacted;
	size_t *contacted_slots;    /* open-addressing index into contacted (1-based; 0 empty) */
	size_t ncontacted_slots;    /* a power of two, at least twice ncontacted */
	struct result **items;
	size_t n, cap;
	int interrupted;   /* the signal that stopped the run (SIGINT, SIGTERM), 0: none */
	json_t *verdict;   /* the verdict (verdict.h) once known: read or computed; owned */
};

void results_init(struct results *rs);
void results_free(struct results *rs);

/* Adds a result slot (status error/"not_run" until set), returns it. */
struct result *results_add(struct results *rs, const char *probe, const char *target,
			   const char *name);
/* Records the verdict; summary is printf-style and bounded. Later calls overwrite. */
void result_set(struct result *r, enum status st, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Evidence helpers: strings are bounded and made valid UTF-8 (invalid bytes become '?'). */
void result_ev_str(struct result *r, const char *key, const char *val);
void result_ev_int(struct result *r, const char *key, long long val);
void result_ev_bool(struct result *r, const char *key, int val);
void result_ev_set(struct result *r, const char *key, json_t *val);   /* steals val */
/* A bounded, valid-UTF-8 JSON string from untrusted bytes. */
json_t *results_str_safe(const char *s, size_t len);

/* Records an endpoint ("host:port", IPv6 as "[addr]:port") once. */
void results_contacted(struct results *rs, const char *endpoint);

/* Counts by status (array of ST_COUNT). */
void results_count(const struct results *rs, size_t counts[ST_COUNT]);
/* The exit code the results call for: 1 if any fail, else 0. */
int results_exit_code(const struct results *rs);

/* Writes bytes to path atomically (shared by results and rendered pages): a new file is
 * 0644 less the umask, a replaced file keeps its mode, and an existing path that is not a
 * regular file (/dev/null) is written in place. */
int write_atomic(const char *path, const char *data, size_t len, struct err *e);
/* The same, but a new file is 0600 (results hold bridge lines and their secrets). */
int write_private(const char *path, const char *data, size_t len, struct err *e);
/* The same without fsync: for generated pages, many at a time. */
int write_atomic_page(const char *path, const char *data, size_t len, struct err *e);

/* Current UTC time as RFC 3339 ("2026-11-27T10:00:00Z"). */
void now_rfc3339(char out[32]);

#endif
