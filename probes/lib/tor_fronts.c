/* tor_fronts.c: meek_lite and snowflake front-door checks (see tor_fronts.h). */
#include "tor_fronts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "easy_handle.h"
#include "engine_curl.h"
#include "fdbudget.h"
#include "tor_dns.h"
#include "tor_stun.h"
#include "url_split.h"

#define FRONT_BODY_KEEP 256
#define FRONT_BODY_MAX 65536
#define MAX_FRONTS 8
#define MAX_STUNS 16

enum door_kind { DOOR_MEEK, DOOR_SNOWFLAKE };

struct door;

struct front {
	struct door *d;
	char *name;                    /* the front as written: "host" or "host:port" */
	CURL *easy;
	struct curl_slist *headers, *resolve;
	char errbuf[CURL_ERROR_SIZE];
	int done, reached;
	long status;
	const char *code;
	char detail[200];
	struct buf body;
	size_t body_len;
};

struct door {
	enum door_kind kind;
	char *key;
	struct engine *eng;
	const struct targets *t;
	char url_host[HOST_MAX], url_path[512];
	int url_port;
	struct front fronts[MAX_FRONTS];
	size_t nfronts;
	char *stun_names[MAX_STUNS];
	struct tor_stun *stuns[MAX_STUNS];
	size_t nstuns;
	struct job **jobs;
	size_t njobs, refs;
	int started, judged;
	struct engine_timer *check;    /* judges from the loop, after every sharing job started */
	char bad[160];                 /* the line cannot be checked: why */
};

struct tor_doors {
	struct door **v;
	size_t n;
};

struct tor_doors *tor_doors_new(void)
{
	return xcalloc(1, sizeof(struct tor_doors));
}

void tor_doors_free(struct tor_doors *dd)
{
	if (dd)
		free(dd->v);
	free(dd);
}

const char *tor_curl_code(CURL *easy, CURLcode rc)
{
	long oserr = 0;
	curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &oserr);
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return "dns_error";
	case CURLE_COULDNT_CONNECT:
		return errno_is_local((int)oserr) ? "local_resource" : oserr == ECONNREFUSED ? "refused"
			: oserr == ETIMEDOUT ? "timeout" : "unreachable";
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return oserr == ECONNRESET ? "reset" : "tls_error";
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		return oserr == ECONNRESET || oserr == EPIPE || !oserr ? "reset" : "unreachable";
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return "eof";
	default:
		return "unreachable";
	}
}

CURL *tor_curl_new(struct engine *eng, const struct targets *t, const char *url, char *errbuf,
		   struct curl_slist **resolve)
{
	*resolve = t ? easy_resolve_list(t->resolve.v, t->resolve.n) : NULL;
	struct easy_opts o = { .url = url, .resolve = *resolve, .timeout_ms = engine_remaining_ms(eng),
			       .errbuf = errbuf };
	if (t && t->cafile) {
		/* Extra anchors: the file, and the system's roots beside it. */
		o.cafile = t->cafile;
		o.capath = "/etc/ssl/certs";
	}
	CURL *easy = easy_handle_new(&o);
	if (!easy)
		return NULL;
	curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
	/* From this machine, as Tor would go: never through an http_proxy from the environment. */
	curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
	return easy;
}

/* ---------------------------------------------------------------- the verdict */

static json_t *front_evidence(const struct front *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "front", results_str_safe(f->name, strlen(f->name)));
	json_object_set_new(o, "reached", json_boolean(f->reached));
	if (f->status)
		json_object_set_new(o, "http_status", json_integer(f->status));
	if (!f->reached && f->code)
		json_object_set_new(o, "code", json_string(f->code));
	if (f->detail[0])
		json_object_set_new(o, "detail", results_str_safe(f->detail, strlen(f->detail)));
	if (f->body.len) {
		size_t n = strcspn(f->body.data, "\r\n");
		json_object_set_new(o, "first_line", results_str_safe(f->body.data, n));
	}
	return o;
}

static void door_evidence(struct door *d, json_t *ev)
{
	json_t *fronts = json_array(), *stuns = json_array();
	for (size_t i = 0; i < d->nfronts; i++)
		json_array_append_new(fronts, front_evidence(&d->fronts[i]));
	for (size_t i = 0; i < d->nstuns; i++)
		if (d->stuns[i])
			json_array_append_new(stuns, tor_stun_evidence(d->stuns[i]));
	json_object_set_new(ev, "url_host", results_str_safe(d->url_host, strlen(d->url_host)));
	json_object_set_new(ev, "fronts", fronts);
	if (d->kind == DOOR_SNOWFLAKE)
		json_object_set_new(ev, "stun", stuns);
	else
		json_decref(stuns);
}

/* "a.example (refused), b.example (timeout)" for the fronts that failed. */
static void failed_fronts(const struct door *d, struct buf *out)
{
	int n = 0;
	for (size_t i = 0; i < d->nfronts; i++) {
		const struct front *f = &d->fronts[i];
		if (!f->reached)
			buf_printf(out, "%s%s (%s)", n++ ? ", " : "", f->name, f->code ? f->code : "no answer");
	}
}

static void finish_all(struct door *d, enum status st, const char *code, const char *summary)
{
	for (size_t i = 0; i < d->njobs; i++) {
		struct job *j = d->jobs[i];
		if (j->finished)
			continue;
		door_evidence(d, j->res->evidence);
		job_finish(j, st, code, "%s", summary);
	}
}

static const struct front *first_reached(const struct door *d)
{
	for (size_t i = 0; i < d->nfronts; i++)
		if (d->fronts[i].reached)
			return &d->fronts[i];
	return NULL;
}

static void judge_meek(struct door *d, struct buf *s)
{
	const struct front *ok = first_reached(d);
	if (ok) {
		buf_printf(s, "The meek front %s answered for %s (HTTP %ld)", ok->name, d->url_host, ok->status);
		finish_all(d, ST_PASS, "ok", s->data);
		return;
	}
	const struct front *f = &d->fronts[0];
	buf_printf(s, "The meek front %s could not be reached: %s", f->name, f->detail[0] ? f->detail : "no answer");
	finish_all(d, ST_FAIL, f->code ? f->code : "timeout", s->data);
}

static void judge_snowflake(struct door *d, struct buf *s)
{
	const struct front *ok = first_reached(d);
	size_t answered = 0;
	for (size_t i = 0; i < d->nstuns; i++)
		answered += d->stuns[i] && tor_stun_answered(d->stuns[i]);
	if (!ok) {
		buf_puts(s, "The snowflake broker could not be reached through any of its fronts: ");
		failed_fronts(d, s);
		finish_all(d, ST_FAIL, "broker_unreachable", s->data);
		return;
	}
	if (d->nstuns && !answered) {
		buf_printf(s, "The snowflake broker answered through %s, but none of the %zu STUN servers did "
			      "(UDP may be blocked), so snowflake cannot reach its volunteer proxies", ok->name, d->nstuns);
		finish_all(d, ST_FAIL, "stun_unreachable", s->data);
		return;
	}
	buf_printf(s, "The snowflake broker answered through %s", ok->name);
	if (d->nstuns)
		buf_printf(s, " and %zu of %zu STUN servers answered", answered, d->nstuns);
	finish_all(d, ST_PASS, "ok", s->data);
}

static void judge(struct door *d)
{
	if (d->judged)
		return;
	d->judged = 1;
	struct buf s;
	buf_init(&s);
	if (d->bad[0])
		finish_all(d, ST_ERROR, "bad_bridge_line", d->bad);
	else if (d->kind == DOOR_MEEK)
		judge_meek(d, &s);
	else
		judge_snowflake(d, &s);
	buf_free(&s);
}

static void maybe_judge(struct door *d)
{
	for (size_t i = 0; i < d->nfronts; i++)
		if (!d->fronts[i].done)
			return;
	for (size_t i = 0; i < d->nstuns; i++)
		if (!d->stuns[i] || !tor_stun_done(d->stuns[i]))
			return;
	judge(d);
}

/* ---------------------------------------------------------------- the checks */

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct front *f = arg;
	size_t len = size * n;
	if (f->body.len < FRONT_BODY_KEEP)
		buf_append(&f->body, p, len < FRONT_BODY_KEEP - f->body.len ? len : FRONT_BODY_KEEP - f->body.len);
	f->body_len += len;
	return f->body_len > FRONT_BODY_MAX ? 0 : len;   /* enough to know it answered */
}

static void front_done(void *arg, CURL *easy, CURLcode rc)
{
	struct front *f = arg;
	f->done = 1;
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &f->status);
	if (f->status > 0) {
		f->reached = 1;   /* any HTTP answer: the door is open (see README) */
	} else {
		f->code = tor_curl_code(easy, rc);
		snprintf(f->detail, sizeof f->detail, "%.199s", f->errbuf[0] ? f->errbuf : curl_easy_strerror(rc));
	}
	if (!f->d->judged)
		maybe_judge(f->d);
}

static void start_front(struct door *d, struct front *f, struct job *j)
{
	char url[HOST_MAX + 600], host[HOST_MAX + 16];
	snprintf(url, sizeof url, "https://%s%s", f->name, d->url_path);
	if (d->url_port == 443)
		snprintf(host, sizeof host, "Host: %s", d->url_host);
	else
		snprintf(host, sizeof host, "Host: %s:%d", d->url_host, d->url_port);
	f->easy = tor_curl_new(d->eng, d->t, url, f->errbuf, &f->resolve);
	f->headers = curl_slist_append(NULL, host);
	if (f->easy) {
		curl_easy_setopt(f->easy, CURLOPT_HTTPHEADER, f->headers);
		curl_easy_setopt(f->easy, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(f->easy, CURLOPT_WRITEDATA, f);
	}
	char contacted[HOST_MAX + 16];
	snprintf(contacted, sizeof contacted, "%s%s", f->name, strchr(f->name, ':') ? "" : ":443");
	job_contacted(j, contacted);
	if (!f->easy || engine_curl_add(d->eng, f->easy, front_done, f) < 0) {
		f->done = 1;
		f->code = "unreachable";
		snprintf(f->detail, sizeof f->detail, "cannot start the transfer");
	}
}

static void stun_done(void *arg, struct tor_stun *s)
{
	struct door *d = arg;
	(void)s;
	if (!d->judged)
		maybe_judge(d);
}

static void check_now(void *arg)
{
	struct door *d = arg;
	d->check = NULL;
	if (d->bad[0])
		judge(d);
	else
		maybe_judge(d);
}

static void door_start(struct job *j)
{
	struct door *d = j->state;
	if (d->started)
		return;
	d->started = 1;
	d->check = engine_timer(d->eng, 0, check_now, d);
	if (d->bad[0])
		return;
	for (size_t i = 0; i < d->nfronts; i++)
		start_front(d, &d->fronts[i], j);
	for (size_t i = 0; i < d->nstuns; i++)
		d->stuns[i] = tor_stun_start(d->eng, j, d->t, d->stun_names[i], stun_done, d);
}

static void door_expire(struct job *j)
{
	struct door *d = j->state;
	for (size_t i = 0; i < d->nfronts; i++) {
		struct front *f = &d->fronts[i];
		if (!f->done) {
			f->done = 1;
			f->code = "timeout";
			snprintf(f->detail, sizeof f->detail, "no answer before the deadline");
		}
	}
	for (size_t i = 0; i < d->nstuns; i++)
		if (d->stuns[i])
			tor_stun_give_up(d->stuns[i]);
	judge(d);
}

static void door_free(struct door *d)
{
	engine_timer_cancel(d->eng, d->check);
	for (size_t i = 0; i < d->nfronts; i++) {
		struct front *f = &d->fronts[i];
		if (f->easy) {
			engine_curl_remove(d->eng, f->easy);
			curl_easy_cleanup(f->easy);
		}
		curl_slist_free_all(f->headers);
		curl_slist_free_all(f->resolve);
		buf_free(&f->body);
		free(f->name);
	}
	for (size_t i = 0; i < d->nstuns; i++) {
		tor_stun_free(d->stuns[i]);
		free(d->stun_names[i]);
	}
	free(d->jobs);
	free(d->key);
	free(d);
}

static void door_cleanup(struct job *j)
{
	struct door *d = j->state;
	if (--d->refs == 0)
		door_free(d);
}

static const struct job_ops door_ops = { door_start, door_expire, door_cleanup };

/* ---------------------------------------------------------------- planning */

static void add_list(struct door *d, const char *list, int stun)
{
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",");
		if (n) {
			char *item = xstrndup(p, n);
			if (stun && d->nstuns < MAX_STUNS)
				d->stun_names[d->nstuns++] = item;
			else if (!stun && d->nfronts < MAX_FRONTS)
				d->fronts[d->nfronts++].name = item;
			else
				free(item);
		}
		p += n;
		if (*p == ',')
			p++;
	}
}

static struct door *door_new(struct engine *eng, const struct targets *t, const struct bridge *b, const char *key)
{
	struct door *d = xcalloc(1, sizeof *d);
	d->eng = eng;
	d->t = t;
	d->key = xstrdup(key);
	d->kind = !strcmp(b->transport, "snowflake") ? DOOR_SNOWFLAKE : DOOR_MEEK;
	const char *url = bridge_arg(b, "url");
	struct url_split u;
	if (!url || url_split_https(url, 0, &u) < 0 || strlen(u.path) >= sizeof d->url_path) {
		snprintf(d->bad, sizeof d->bad, "The bridge line has no usable url=https://... so its front door cannot be tested");
		return d;
	}
	snprintf(d->url_host, sizeof d->url_host, "%s", u.host);
	memcpy(d->url_path, u.path, strlen(u.path) + 1);   /* its length was checked above */
	d->url_port = u.port;
	const char *fronts = bridge_arg(b, d->kind == DOOR_SNOWFLAKE ? "fronts" : "front");
	if (!fronts && d->kind == DOOR_SNOWFLAKE)
		fronts = bridge_arg(b, "front");
	add_list(d, fronts, 0);
	if (!d->nfronts) {
		/* No fronting: the url's host is the door itself. */
		char self[HOST_MAX + 16];
		if (d->url_port == 443)
			snprintf(self, sizeof self, "%s", d->url_host);
		else
			snprintf(self, sizeof self, "%s:%d", d->url_host, d->url_port);
		d->fronts[d->nfronts++].name = xstrdup(self);
	}
	for (size_t i = 0; i < d->nfronts; i++)
		d->fronts[i].d = d;
	if (d->kind == DOOR_SNOWFLAKE)
		add_list(d, bridge_arg(b, "ice"), 1);
	return d;
}

void tor_fronts_plan(struct engine *eng, const struct targets *t, const struct bridge *b, const char *name,
		     struct tor_doors *dd)
{
	struct buf key;
	buf_init(&key);
	const char *f = bridge_arg(b, "fronts");
	buf_printf(&key, "%s|%s|%s|%s|%s", b->transport, bridge_arg(b, "url") ? bridge_arg(b, "url") : "",
		   f ? f : "", bridge_arg(b, "front") ? bridge_arg(b, "front") : "",
		   bridge_arg(b, "ice") ? bridge_arg(b, "ice") : "");
	struct door *d = NULL;
	for (size_t i = 0; i < dd->n && !d; i++)
		if (!strcmp(dd->v[i]->key, key.data))
			d = dd->v[i];
	if (!d) {
		d = door_new(eng, t, b, key.data);
		dd->v = xrealloc(dd->v, (dd->n + 1) * sizeof *dd->v);
		dd->v[dd->n++] = d;
	}
	buf_free(&key);
	struct job *j = engine_job(eng, "tor.bridge", b->line, name, &door_ops, d);
	d->jobs = xrealloc(d->jobs, (d->njobs + 1) * sizeof *d->jobs);
	d->jobs[d->njobs++] = j;
	d->refs++;
	result_ev_str(j->res, "transport", b->transport);
	if (b->fp[0])
		result_ev_str(j->res, "fingerprint", b->fp);
	if (d->njobs > 1)
		result_ev_bool(j->res, "shared_check", 1);
}
