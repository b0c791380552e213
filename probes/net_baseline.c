/* net_baseline.c: probe net.baseline — TCP+TLS to a few well-known HTTPS hosts, so a run can
 * tell "this machine is offline" from "Tor is blocked". One result for the set: ok when any
 * control host answers, offline when none does. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "easy_handle.h"
#include "engine_curl.h"
#include "fdbudget.h"
#include "probe.h"

struct control {
	struct baseline_job *bj;
	CURL *easy;
	const char *name, *url;
	int reported;
	int sock_errno;          /* socket()'s errno when curl could not make one */
	char errbuf[CURL_ERROR_SIZE];
};

struct baseline_job {
	struct job *job;
	const struct targets *t;
	struct control *c;
	size_t n, pending, reached;
	size_t local;            /* controls that failed for lack of descriptors or memory */
	json_t *seen;
	struct curl_slist *resolve;
};

static void finish(struct baseline_job *bj)
{
	result_ev_set(bj->job->res, "controls", json_incref(bj->seen));
	if (!bj->reached && bj->local) {   /* our own limits, not a network that is down */
		job_local_failure(bj->job, "too many open files or no memory for the connections");
		return;
	}
	if (bj->reached)
		job_finish(bj->job, ST_PASS, "ok", "This machine can reach the internet (%zu of %zu control sites answered)",
			   bj->reached, bj->n);
	else
		job_finish(bj->job, ST_FAIL, "offline",
			   "This machine looks offline: none of %zu well-known sites could be reached", bj->n);
}

static void record(struct control *c, int ok, const char *detail)
{
	c->reported = 1;
	json_t *o = json_pack("{s:s, s:s, s:b}", "name", c->name, "url", c->url, "reached", ok);
	if (detail && *detail)
		json_object_set_new(o, "detail", results_str_safe(detail, strlen(detail)));
	json_array_append_new(c->bj->seen, o);
}

static void done(void *arg, CURL *easy, CURLcode rc)
{
	struct control *c = arg;
	struct baseline_job *bj = c->bj;
	long oserr = 0;
	c->bj->pending--;
	if (rc == CURLE_OK)
		bj->reached++;
	else if (errno_is_local(c->sock_errno) ||
		 (curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &oserr) == CURLE_OK && errno_is_local((int)oserr)))
		bj->local++;
	record(c, rc == CURLE_OK, rc == CURLE_OK ? "" : c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc));
	if (!bj->job->finished && (bj->reached || !bj->pending))
		finish(bj);   /* one answer is enough to know we are online */
}

static void start(struct job *j)
{
	struct baseline_job *bj = j->state;
	long ms = engine_remaining_ms(j->eng);
	for (size_t i = 0; i < bj->n; i++) {
		struct control *c = &bj->c[i];
		/* Reachability only: interception is judged by tls.intercept, not here. */
		struct easy_opts eo = { .url = c->url, .connect_only = 1, .no_verify = 1, .timeout_ms = ms,
					.errbuf = c->errbuf, .sock_errno = &c->sock_errno,
					.resolve = bj->resolve };
		c->easy = easy_handle_new(&eo);
		job_contacted(j, c->url);
		bj->pending++;
		if (!c->easy || engine_curl_add(j->eng, c->easy, done, c) < 0) {
			bj->pending--;
			bj->local++;
			record(c, 0, "cannot start the transfer");
		}
	}
	if (!bj->pending && !j->finished)
		finish(bj);
}

static void expire(struct job *j)
{
	struct baseline_job *bj = j->state;
	for (size_t i = 0; i < bj->n; i++)
		if (!bj->c[i].reported)
			record(&bj->c[i], 0, "no answer before the deadline");
	finish(bj);
}

static void cleanup(struct job *j)
{
	struct baseline_job *bj = j->state;
	for (size_t i = 0; i < bj->n; i++) {
		if (!bj->c[i].easy)
			continue;
		engine_curl_remove(j->eng, bj->c[i].easy);
		curl_easy_cleanup(bj->c[i].easy);
	}
	curl_slist_free_all(bj->resolve);
	json_decref(bj->seen);
	free(bj->c);
	free(bj);
}

static const struct job_ops ops = { start, expire, cleanup };

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	(void)e;
	if (!t->nbaselines)
		return 0;
	struct baseline_job *bj = xcalloc(1, sizeof *bj);
	bj->t = t;
	bj->n = t->nbaselines;
	bj->c = xcalloc(bj->n, sizeof *bj->c);
	bj->seen = json_array();
	struct buf names;
	buf_init(&names);
	for (size_t i = 0; i < bj->n; i++) {
		bj->c[i].bj = bj;
		bj->c[i].name = t->baselines[i].name;
		bj->c[i].url = t->baselines[i].url;
		buf_printf(&names, "%s%s", i ? ", " : "", t->baselines[i].name);
	}
	for (size_t i = 0; i < t->resolve.n; i++)
		bj->resolve = curl_slist_append(bj->resolve, t->resolve.v[i]);
	bj->job = engine_job(eng, "net.baseline", buf_cstr(&names), "control sites", &ops, bj);
	buf_free(&names);
	return 0;
}

const struct probe probe_net_baseline = {
	.id = "net.baseline",
	.plan = plan,
};
