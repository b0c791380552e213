/* tls_truststore.c: probe tls.truststore — which root certificates does this machine trust,
 * and were any added beyond the public (Mozilla) set? An added root lets whoever holds its
 * key impersonate every HTTPS site to this machine without a browser warning. Reads the
 * Debian layout (truststore.c) under --store-root, so tests never touch the real /etc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fdbudget.h"
#include "probe.h"
#include "truststore.h"

struct ts_job {
	char *root;   /* NULL: "/" */
};

static json_t *describe(const struct trust_entry *t, const char *note)
{
	char name[300], na[32], line[1000];
	certinfo_display_name(X509_get_subject_name(t->x), name, sizeof name);
	certinfo_not_after(t->x, na);
	snprintf(line, sizeof line, "%s \u2014 key sha256//%s \u2014 valid until %.10s \u2014 %s%s", name, t->pin, na,
		 t->file, note);
	return results_str_safe(line, strlen(line));
}

static const struct trust_entry *disabled_entry(const struct truststore *ts, const char *name)
{
	char rel[1024];
	snprintf(rel, sizeof rel, "%s/%s", TS_SHARE_DIR, name);
	for (size_t i = 0; i < ts->n; i++)
		if (ts->v[i].disabled && !strcmp(ts->v[i].file, rel))
			return &ts->v[i];
	return NULL;
}

static json_t *disabled_list(const struct truststore *ts)
{
	json_t *a = json_array();
	for (size_t i = 0; i < ts->ndisabled; i++) {
		const struct trust_entry *t = disabled_entry(ts, ts->disabled_names[i]);
		if (t) {
			json_array_append_new(a, describe(t, trust_entry_trusted(t)
				? " (switched off in ca-certificates.conf but still installed: run update-ca-certificates)"
				: " (switched off)"));
		} else {
			char line[600];
			snprintf(line, sizeof line, "%s (switched off; the file is gone)", ts->disabled_names[i]);
			json_array_append_new(a, results_str_safe(line, strlen(line)));
		}
	}
	return a;
}

static void verdict(struct job *j, const struct truststore *ts)
{
	size_t mozilla = 0, trusted = 0;
	json_t *added = json_array();
	char one_pin[CERTINFO_PIN_LEN + 20] = "";
	struct buf names;
	buf_init(&names);
	for (size_t i = 0; i < ts->n; i++) {
		const struct trust_entry *t = &ts->v[i];
		if (!trust_entry_trusted(t))
			continue;
		trusted++;
		if (t->in_mozilla) {
			mozilla++;
			continue;
		}
		json_array_append_new(added, describe(t, t->in_etc ? "" : " (not yet installed: update-ca-certificates will add it)"));
		char name[300];
		certinfo_display_name(X509_get_subject_name(t->x), name, sizeof name);
		buf_printf(&names, "%s\"%s\"", names.len ? ", " : "", name);
		snprintf(one_pin, sizeof one_pin, " (key sha256//%s)", t->pin);
	}
	result_ev_int(j->res, "roots_trusted", (long long)trusted);
	result_ev_int(j->res, "roots_from_mozilla", (long long)mozilla);
	if (json_array_size(added))
		result_ev_set(j->res, "roots_added", json_incref(added));
	if (ts->ndisabled)
		result_ev_set(j->res, "roots_disabled", disabled_list(ts));
	if (ts->unreadable)
		result_ev_int(j->res, "unreadable_files", (long long)ts->unreadable);
	size_t nadded = json_array_size(added);
	json_decref(added);
	if (nadded)
		job_finish(j, ST_WARN, "local_roots", "%zu root certificate%s added to this machine beyond the public set: "
			   "%s%s; whoever holds %s can read this machine's HTTPS traffic unnoticed",
			   nadded, nadded == 1 ? " was" : "s were", buf_cstr(&names), nadded == 1 ? one_pin : "",
			   nadded == 1 ? "its key" : "their keys");
	else
		job_finish(j, ST_PASS, "ok", "This machine trusts only the public root certificates it shipped with "
			   "(%zu from Mozilla's set%s)", mozilla, ts->ndisabled ? ", some switched off" : "");
	buf_free(&names);
}

static void start(struct job *j)
{
	struct ts_job *s = j->state;
#ifndef __linux__
	(void)s;
	job_finish(j, ST_SKIP, "unsupported", "Listing trusted roots is only done on Linux (Debian's layout) so far");
#else
	struct truststore ts;
	struct err e;
	if (truststore_load(&ts, s->root, &e) < 0) {
		job_finish(j, ST_ERROR, "unsupported", "Could not read the trust store: %s", e.msg);
		return;
	}
	result_ev_str(j->res, "store", ts.root);
	if (ts.read_errno) {
		/* A partial list would "pass" with whatever was read: 0 roots when nothing was. */
		result_ev_str(j->res, "unreadable_path", ts.read_error_path);
		result_ev_str(j->res, "detail", strerror(ts.read_errno));
		if (errno_is_local(ts.read_errno))
			job_local_failure(j, strerror(ts.read_errno));
		else
			job_finish(j, ST_ERROR, "unreadable", "Could not read the trust store (%s: %s), so which roots "
				   "this machine trusts is unknown", ts.read_error_path, strerror(ts.read_errno));
	} else if (!ts.found)
		job_finish(j, ST_SKIP, "unsupported", "No Debian-style trust store (/etc/ssl/certs, "
			   "/usr/share/ca-certificates) here; this system keeps its roots elsewhere");
	else
		verdict(j, &ts);
	truststore_free(&ts);
#endif
}

static void cleanup(struct job *j)
{
	struct ts_job *s = j->state;
	free(s->root);
	free(s);
}

static const struct job_ops ops = { start, NULL, cleanup };

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	(void)e;
	struct ts_job *s = xcalloc(1, sizeof *s);
	s->root = t->store_root ? xstrdup(t->store_root) : NULL;
	char target[4200];
	snprintf(target, sizeof target, "%s%s", t->store_root && strcmp(t->store_root, "/") ? t->store_root : "",
		 TS_ETC_DIR);
	engine_job(eng, "tls.truststore", target, "", &ops, s);
	return 0;
}

const struct probe probe_tls_truststore = {
	.id = "tls.truststore",
	.plan = plan,
};
