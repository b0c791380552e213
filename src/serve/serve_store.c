/* serve_store.c: see serve_store.h. Statements are prepared per call: the store is written a
 * few times a minute, not thousands, and prepared-per-call keeps every path simple. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "results.h"
#include "serve_store.h"

#define SCHEMA_VERSION 1

struct serve_store {
	sqlite3 *db;
};

static const char schema_v1[] =
	"CREATE TABLE IF NOT EXISTS results ("
	"  id INTEGER PRIMARY KEY,"
	"  digest TEXT NOT NULL UNIQUE,"      /* SHA-256 of the submitted document, canonical form */
	"  machine TEXT NOT NULL,"            /* host.machine_id, else the digest */
	"  finished TEXT NOT NULL,"
	"  received TEXT NOT NULL,"
	"  level TEXT NOT NULL,"              /* verdict.level, or 'unknown' */
	"  doc TEXT NOT NULL);"               /* the redacted document */
	"CREATE INDEX IF NOT EXISTS results_machine ON results (machine, finished, id);"
	"CREATE TABLE IF NOT EXISTS self_checks ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL, family TEXT NOT NULL, version TEXT NOT NULL,"
	"  verdict TEXT NOT NULL, ja4 TEXT NOT NULL);";

static int fail(sqlite3 *db, char *errbuf, size_t errlen, const char *what)
{
	snprintf(errbuf, errlen, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
	return -1;
}

struct serve_store *serve_store_open(const char *path, char *errbuf, size_t errlen)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		fail(db, errbuf, errlen, "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	int version = -1;
	sqlite3_stmt *st = NULL;
	/* WAL: readers never block the writer; NORMAL sync is durable across a process crash
	 * (a power cut may lose the last commits, never corrupt the file). */
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			 " PRAGMA foreign_keys=ON;", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		goto bad;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto bad;
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (version > SCHEMA_VERSION) {
		snprintf(errbuf, errlen, "the store has schema version %d; this torready knows up to %d "
			 "(a newer torready made it)", version, SCHEMA_VERSION);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(db);
		return NULL;
	}
	if (version < 1 && (sqlite3_exec(db, schema_v1, NULL, NULL, NULL) != SQLITE_OK ||
			    sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL) != SQLITE_OK))
		goto bad;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto bad;
	struct serve_store *s = calloc(1, sizeof *s);
	if (!s)
		goto bad;
	s->db = db;
	return s;
bad:
	fail(db, errbuf, errlen, "cannot set up the store");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return NULL;
}

void serve_store_close(struct serve_store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	free(st);
}

int serve_store_put(struct serve_store *st, const char *digest, const char *machine,
		    const char *finished, const char *level, const char *doc, int *inserted,
		    char *errbuf, size_t errlen)
{
	char now[32];
	now_rfc3339(now);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db,
		"INSERT INTO results (digest, machine, finished, received, level, doc)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (digest) DO NOTHING", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(s, 1, digest, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, machine, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, finished, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, level, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, doc, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return fail(st->db, errbuf, errlen, "cannot store the results");
	*inserted = sqlite3_changes(st->db) > 0;
	return 0;
}

int serve_store_selfcheck(struct serve_store *st, const char *family, const char *version,
			  const char *verdict, const char *ja4)
{
	char now[32];
	now_rfc3339(now);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "INSERT INTO self_checks (at, family, version, verdict, ja4)"
				    " VALUES (?1, ?2, ?3, ?4, ?5)", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, family, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, version, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, verdict, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, ja4, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "torready serve: cannot record a self-check: %s\n", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

/* The latest row per machine: newest `finished`, ties broken by arrival. */
#define LATEST "SELECT level, doc FROM (SELECT level, doc, row_number() OVER" \
	" (PARTITION BY machine ORDER BY finished DESC, id DESC) AS rn FROM results) WHERE rn = 1"

/* A group of 1..min_group-1 is hidden (null); none at all says nothing about anyone. */
static json_t *count_or_null(long long n, int min_group)
{
	return n > 0 && n < min_group ? json_null() : json_integer(n);
}

json_t *serve_store_summary(struct serve_store *st, int min_group)
{
	json_t *levels = json_object(), *checks = json_object();
	long long machines = 0;
	/* Every level of verdict.md is always there (0 when no machine is at it). */
	static const char *const all_levels[] = { "intercepted", "offline", "tor_blocked",
						  "problems", "ready" };
	for (size_t i = 0; i < sizeof all_levels / sizeof *all_levels; i++)
		json_object_set_new(levels, all_levels[i], json_integer(0));
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT level, count(*) FROM (" LATEST ") GROUP BY level"
			       " ORDER BY level", -1, &s, NULL) == SQLITE_OK)
		while (sqlite3_step(s) == SQLITE_ROW) {
			long long n = sqlite3_column_int64(s, 1);
			machines += n;
			json_object_set_new(levels, (const char *)sqlite3_column_text(s, 0),
					    count_or_null(n, min_group));
		}
	sqlite3_finalize(s);
	static const char *const verdicts[] = { "clear", "intercepted", "unknown" };
	for (size_t i = 0; i < 3; i++)
		json_object_set_new(checks, verdicts[i], json_integer(0));
	if (sqlite3_prepare_v2(st->db, "SELECT verdict, count(*) FROM self_checks GROUP BY verdict",
			       -1, &s, NULL) == SQLITE_OK)
		while (sqlite3_step(s) == SQLITE_ROW)
			json_object_set_new(checks, (const char *)sqlite3_column_text(s, 0),
					    count_or_null(sqlite3_column_int64(s, 1), min_group));
	sqlite3_finalize(s);
	return json_pack("{s:o, s:o, s:o, s:i}", "machines", count_or_null(machines, min_group),
			 "levels", levels, "self_checks", checks, "min_group", min_group);
}

json_t *serve_store_selfchecks(struct serve_store *st, int limit)
{
	json_t *a = json_array();
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT at, family, version, verdict, ja4 FROM self_checks"
			       " ORDER BY id DESC LIMIT ?1", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_int(s, 1, limit);
		while (sqlite3_step(s) == SQLITE_ROW)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s}",
				"at", (const char *)sqlite3_column_text(s, 0),
				"family", (const char *)sqlite3_column_text(s, 1),
				"version", (const char *)sqlite3_column_text(s, 2),
				"verdict", (const char *)sqlite3_column_text(s, 3),
				"ja4", (const char *)sqlite3_column_text(s, 4)));
	}
	sqlite3_finalize(s);
	return a;
}

int serve_store_each_latest(struct serve_store *st, int (*fn)(void *arg, const char *doc),
			    void *arg)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, LATEST, -1, &s, NULL) != SQLITE_OK)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fn(arg, (const char *)sqlite3_column_text(s, 1)))
			break;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}
