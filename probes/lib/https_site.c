/* https_site.c: gathers a site's observations once and hands them to every https.* job
 * that waits for them. Fetches start lazily (only what the selected probes need), run
 * concurrently with every other site's, and stop when the last job using the site is done. */
#include "https_site.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "chainpath.h"
#include "truststore.h"

struct hsite_waiter {
	unsigned needs;
	void (*ready)(void *arg);
	void *arg;
	int fired, gone;
};

/* Every site of the run, hashed by https URL (each probe looks every site up: a list was
 * quadratic, 5,000 sites x 6 probes), and the one trust store they share (built at plan
 * time: reading the system bundle once, not once per handshake, and never inside the loop). */
static struct {
	struct hsite **bucket;
	size_t nbuckets, count;
	X509_STORE *store;
	/* Which kind of root a chain ends in (as tls.intercept tells it): read only when a
	 * certificate outlives the CA/B Forum limit, since reading the store takes a while. */
	struct truststore ts;
	STACK_OF(X509) *cafile;
	int ts_tried, ts_ok;
} reg;

/* 1 when the chain ends at a root of the public (Mozilla) set of the trust store. */
static int chain_is_public(const struct hsite *h, STACK_OF(X509) *chain)
{
	if (!reg.ts_tried) {
		struct err e;
		err_clear(&e);
		reg.ts_tried = 1;
		reg.ts_ok = truststore_load(&reg.ts, h->t->store_root, &e) == 0;
		if (h->t->cafile)
			reg.cafile = chainpath_load_pem(h->t->cafile);
	}
	struct chain_path p;
	chain_path_build(&p, chain, reg.ts_ok ? &reg.ts : NULL, reg.cafile);
	return !strcmp(p.root_class, "mozilla");
}

static size_t url_hash(const char *s)
{
	size_t h = 14695981039346656037u;   /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void reg_insert(struct hsite *h)
{
	if (reg.count >= reg.nbuckets) {   /* grow at load 1: chains stay short */
		size_t n = reg.nbuckets ? reg.nbuckets * 2 : 64;
		struct hsite **nb = xcalloc(n, sizeof *nb);
		for (size_t i = 0; i < reg.nbuckets; i++)
			for (struct hsite *x = reg.bucket[i], *next; x; x = next) {
				next = x->next;
				size_t k = url_hash(x->https_url) & (n - 1);
				x->next = nb[k];
				nb[k] = x;
			}
		free(reg.bucket);
		reg.bucket = nb;
		reg.nbuckets = n;
	}
	size_t k = url_hash(h->https_url) & (reg.nbuckets - 1);
	h->next = reg.bucket[k];
	reg.bucket[k] = h;
	reg.count++;
}

static void reg_remove(struct hsite *h)
{
	if (!reg.nbuckets)
		return;
	for (struct hsite **pp = &reg.bucket[url_hash(h->https_url) & (reg.nbuckets - 1)]; *pp; pp = &(*pp)->next)
		if (*pp == h) {
			*pp = h->next;
			reg.count--;
			break;
		}
	if (!reg.count) {
		free(reg.bucket);
		reg.bucket = NULL;
		reg.nbuckets = 0;
	}
}

int same_host(const char *a, const char *b)
{
	char ha[HOST_MAX], hb[HOST_MAX];
	int pa, pb, sa, sb;
	if (url_parts(a, ha, sizeof ha, &pa, &sa) < 0 || url_parts(b, hb, sizeof hb, &pb, &sb) < 0)
		return 0;
	return !strcasecmp(ha, hb);
}

static void check_waiters(struct hsite *h)
{
	/* Index loop: a ready callback finishes a job, it never adds waiters. */
	for (size_t i = 0; i < h->nw; i++) {
		struct hsite_waiter *w = &h->w[i];
		if (w->fired || w->gone || (h->done & w->needs) != w->needs)
			continue;
		w->fired = 1;
		w->ready(w->arg);
	}
}

static void mark_done(struct hsite *h, unsigned what)
{
	h->done |= what;
	check_waiters(h);
}

static long connect_budget(struct hsite *h)
{
	/* A silently dropped port 80 must not hold the HSTS and redirect verdicts until the
	 * deadline: give connecting half the time left, 1 to 5 s. */
	long ms = engine_remaining_ms(h->eng) / 2;
	return ms < 1000 ? 1000 : ms > 5000 ? 5000 : ms;
}

/* ---------------------------------------------------------------- redirect chains */

static void chain_hop(struct hsite *h, struct hchain *c, const char *url);
static void start_main(struct hsite *h);

static void hop_done(struct hsite *h, struct hchain *c, struct hfetch *f)
{
	int is_page = c == &h->page;
	if (hfetch_is_redirect(f)) {
		int https = !strncasecmp(f->location, "https:", 6);
		if (c->n > HSITE_MAX_HOPS)
			c->too_many = 1;
		else if (is_page && !https)
			c->left_https = 1;
		else {
			chain_hop(h, c, f->location);
			return;
		}
	}
	if (is_page) {
		h->page_final = f->rc == CURLE_OK && !hfetch_is_redirect(f) ? f : NULL;
		mark_done(h, HS_PAGE);
	} else {
		mark_done(h, HS_HTTP);
	}
}

static void http_hop_done(struct hfetch *f)
{
	struct hsite *h = f->arg;
	hop_done(h, &h->http, f);
}

static void page_hop_done(struct hfetch *f)
{
	struct hsite *h = f->arg;
	hop_done(h, &h->page, f);
}

static void chain_hop(struct hsite *h, struct hchain *c, const char *url)
{
	int is_page = c == &h->page;
	/* The redirect target is the site's own URL (the usual case): main is that request
	 * already — one connection fewer per site. */
	if (!is_page && (h->planned & HS_MAIN) && !strcmp(url, h->https_url)) {
		start_main(h);
		c->hop[c->n++] = &h->main;
		if (h->done & HS_MAIN)
			hop_done(h, c, &h->main);
		else
			c->on_main = 1;
		return;
	}
	struct hfetch_opts o = {
		.resolve = &h->t->resolve,
		.connect_timeout_ms = is_page ? 0 : connect_budget(h),
		.body_cap = is_page ? HSITE_BODY_MAX : 0,
	};
	if (!c->own[c->n])
		c->own[c->n] = xcalloc(1, sizeof *c->own[c->n]);
	struct hfetch *f = c->own[c->n];
	c->hop[c->n++] = f;
	hfetch_start(h->eng, f, url, &o, is_page ? page_hop_done : http_hop_done, h);
}

/* ---------------------------------------------------------------- main, page, TLS */

static void start_tls(struct hsite *h);

static void start_page(struct hsite *h)
{
	h->started |= HS_PAGE;
	if (!hfetch_is_redirect(&h->main)) {
		h->page_final = h->main.rc == CURLE_OK ? &h->main : NULL;
		mark_done(h, HS_PAGE);
	} else if (strncasecmp(h->main.location, "https:", 6)) {
		h->page.left_https = 1;
		mark_done(h, HS_PAGE);
	} else {
		chain_hop(h, &h->page, h->main.location);
	}
}

static void main_done(struct hfetch *f)
{
	struct hsite *h = f->arg;
	if (f->chain && sk_X509_num(f->chain) > 0) {
		cert_judge(reg.store, f->chain, h->host, time(NULL), &h->cert);
		if (h->cert.over_lifetime)
			cert_lifetime_rule(&h->cert, chain_is_public(h, f->chain));
		h->have_cert = 1;
	}
	h->done |= HS_MAIN;
	if (h->wanted & HS_PAGE)
		start_page(h);
	if (h->tls_deferred)
		start_tls(h);
	if (h->http.on_main) {
		h->http.on_main = 0;
		hop_done(h, &h->http, &h->main);
	}
	check_waiters(h);
}

static void tls_done(struct hfetch *f)
{
	struct hsite *h = f->arg;
	if (--h->tls_left == 0)
		mark_done(h, HS_TLS);
}

/* Main's handshake already answered for the version it negotiated. */
static int main_version(const struct hsite *h)
{
	static const char *const names[HS_NTLS] = { "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3" };
	if (!(h->done & HS_MAIN) || !h->main.chain)
		return -1;
	for (int i = 0; i < HS_NTLS; i++)
		if (!strcmp(h->main.tls_version, names[i]))
			return i;
	return -1;
}

static void start_tls(struct hsite *h)
{
	static const long versions[HS_NTLS] = {
		CURL_SSLVERSION_TLSv1_0 | CURL_SSLVERSION_MAX_TLSv1_0,
		CURL_SSLVERSION_TLSv1_1 | CURL_SSLVERSION_MAX_TLSv1_1,
		CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2,
		CURL_SSLVERSION_TLSv1_3 | CURL_SSLVERSION_MAX_TLSv1_3,
	};
	/* With main coming anyway, wait for it: its handshake answers for one version. */
	if ((h->planned & HS_MAIN) && !(h->done & HS_MAIN)) {
		start_main(h);
		h->tls_deferred = 1;
		return;
	}
	h->tls_deferred = 0;
	h->tls_from_main = main_version(h);
	h->tls_left = HS_NTLS;
	for (int i = 0; i < HS_NTLS; i++) {
		if (i == h->tls_from_main) {
			h->tls[i].url = xstrdup(h->https_url);
			h->tls[i].rc = CURLE_OK;
			h->tls[i].done = 1;
			snprintf(h->tls[i].tls_version, sizeof h->tls[i].tls_version, "%s", h->main.tls_version);
			h->tls_left--;
			continue;
		}
		struct hfetch_opts o = { .resolve = &h->t->resolve, .connect_only = 1,
					 .sslversion = versions[i], .fresh = 1 };
		hfetch_start(h->eng, &h->tls[i], h->https_url, &o, tls_done, h);
	}
	if (h->tls_left == 0)
		mark_done(h, HS_TLS);
}

static void start_main(struct hsite *h)
{
	if (h->started & HS_MAIN)
		return;
	h->started |= HS_MAIN;
	struct hfetch_opts o = { .resolve = &h->t->resolve, .body_cap = HSITE_BODY_MAX,
				 .fresh = 1, .capture_chain = 1 };
	hfetch_start(h->eng, &h->main, h->https_url, &o, main_done, h);
}

void hsite_want(struct hsite *h, unsigned needs, void (*ready)(void *arg), void *arg)
{
	if (needs & HS_PAGE)
		needs |= HS_MAIN;
	h->w = xrealloc(h->w, (h->nw + 1) * sizeof *h->w);
	h->w[h->nw++] = (struct hsite_waiter){ .needs = needs, .ready = ready, .arg = arg };
	h->wanted |= needs;
	unsigned todo = needs & ~h->started;
	h->started |= todo & (HS_HTTP | HS_TLS);
	if (todo & HS_MAIN)
		start_main(h);
	if (todo & HS_HTTP)
		chain_hop(h, &h->http, h->http_url);
	if (todo & HS_TLS)
		start_tls(h);
	if ((todo & HS_PAGE) && (h->done & HS_MAIN))
		start_page(h);
	check_waiters(h);
}

/* ---------------------------------------------------------------- lifetime */

struct hsite *hsite_get(struct engine *eng, const struct targets *t, const struct site *s, struct err *e)
{
	struct hsite *first = reg.nbuckets ? reg.bucket[url_hash(s->https) & (reg.nbuckets - 1)] : NULL;
	for (struct hsite *h = first; h; h = h->next)
		if (h->eng == eng && !strcmp(h->https_url, s->https) &&
		    (!s->http || !strcmp(h->http_url, s->http))) {
			h->refs++;
			return h;
		}
	if (!reg.store && !(reg.store = cert_store_new(t->cafile, e)))
		return NULL;
	struct hsite *h = xcalloc(1, sizeof *h);
	int https;
	if (url_parts(s->https, h->host, sizeof h->host, &h->port, &https) < 0) {
		snprintf(h->host, sizeof h->host, "%s", "invalid");
		h->port = 443;
	}
	h->https_url = xstrdup(s->https);
	if (s->http) {
		h->http_url = xstrdup(s->http);
	} else {
		struct buf b;
		buf_init(&b);
		int v6 = strchr(h->host, ':') != NULL;
		buf_printf(&b, "http://%s%s%s/", v6 ? "[" : "", h->host, v6 ? "]" : "");
		h->http_url = buf_steal(&b);
	}
	h->eng = eng;
	h->t = t;
	h->refs = 1;
	h->tls_from_main = -1;
	reg_insert(h);
	return h;
}

static void hop_free(struct hsite *h, struct hfetch *f)
{
	if (f) {
		hfetch_clear(h->eng, f);
		free(f);
	}
}

static void hsite_free(struct hsite *h)
{
	reg_remove(h);
	hfetch_clear(h->eng, &h->main);
	for (size_t i = 0; i <= HSITE_MAX_HOPS; i++) {
		hop_free(h, h->http.own[i]);
		hop_free(h, h->page.own[i]);
	}
	for (int i = 0; i < HS_NTLS; i++)
		hfetch_clear(h->eng, &h->tls[i]);
	if (h->have_cert)
		cert_verdict_clear(&h->cert);
	free(h->https_url);
	free(h->http_url);
	free(h->w);
	free(h);
	if (!reg.count) {
		X509_STORE_free(reg.store);
		reg.store = NULL;
		if (reg.ts_ok)
			truststore_free(&reg.ts);
		sk_X509_pop_free(reg.cafile, X509_free);
		reg.cafile = NULL;
		reg.ts_tried = reg.ts_ok = 0;
	}
}

void hsite_release(struct hsite *h, void *arg)
{
	for (size_t i = 0; i < h->nw; i++)
		if (h->w[i].arg == arg)
			h->w[i].gone = 1;
	if (--h->refs == 0)
		hsite_free(h);
}

/* ---------------------------------------------------------------- jobs */

struct site_job {
	struct job *job;
	struct hsite *site;
	unsigned needs;
	hsite_verdict_fn verdict;
};

static void job_ready(void *arg)
{
	struct site_job *sj = arg;
	if (sj->job->finished)
		return;
	sj->verdict(sj->job, sj->site);
	if (!sj->job->finished)
		job_finish(sj->job, ST_ERROR, "not_run", "The check ended without a verdict (a bug)");
}

static void job_start(struct job *j)
{
	struct site_job *sj = j->state;
	hsite_want(sj->site, sj->needs, job_ready, sj);
}

/* The fetch a missing piece waits for is still queued behind the pool: nothing of it was
 * tried. (The page waits for main first; TLS for any of its handshakes.) */
static int chain_waiting(const struct hsite *h, const struct hchain *c)
{
	if (!c->n)
		return 1;
	const struct hfetch *last = c->hop[c->n - 1];
	return c->on_main ? hfetch_waiting(&h->main) : hfetch_waiting(last);
}

static int piece_waiting(const struct hsite *h, unsigned piece)
{
	switch (piece) {
	case HS_MAIN:
		return !(h->started & HS_MAIN) || hfetch_waiting(&h->main);
	case HS_HTTP:
		return chain_waiting(h, &h->http);
	case HS_PAGE:
		return !(h->done & HS_MAIN) ? piece_waiting(h, HS_MAIN) : chain_waiting(h, &h->page);
	case HS_TLS:
		if (h->tls_deferred)
			return piece_waiting(h, HS_MAIN);
		for (int i = 0; i < HS_NTLS; i++)
			if (h->tls[i].url && !hfetch_waiting(&h->tls[i]))
				return 0;
		return 1;
	}
	return 0;
}

static void job_expire(struct job *j)
{
	struct site_job *sj = j->state;
	struct hsite *h = sj->site;
	unsigned missing = sj->needs & ~h->done;
	int waiting = missing != 0;
	for (unsigned p = HS_MAIN; p <= HS_TLS; p <<= 1)
		if ((missing & p) && !piece_waiting(h, p))
			waiting = 0;
	if (waiting) {
		job_not_run(j);
		return;
	}
	const char *what = missing & HS_MAIN ? "the HTTPS response"
			   : missing & HS_HTTP ? "the http:// address and its redirects"
			   : missing & HS_PAGE ? "the page"
			   : missing & HS_TLS ? "the TLS handshakes" : "the site";
	result_ev_str(j->res, "waiting_for", what);
	job_finish(j, ST_FAIL, "timeout", "No complete answer from the site before the deadline (waiting for %s)", what);
}

static void job_cleanup(struct job *j)
{
	struct site_job *sj = j->state;
	hsite_release(sj->site, sj);
	free(sj);
}

static const struct job_ops site_job_ops = { job_start, job_expire, job_cleanup };

int hsite_plan(struct engine *eng, const struct targets *t, const char *probe, unsigned needs,
	       hsite_verdict_fn verdict, struct err *e)
{
	for (size_t i = 0; i < t->nsites; i++) {
		struct hsite *h = hsite_get(eng, t, &t->sites[i], e);
		if (!h)
			return -1;
		h->planned |= needs & HS_PAGE ? needs | HS_MAIN : needs;
		struct site_job *sj = xcalloc(1, sizeof *sj);
		sj->site = h;
		sj->needs = needs;
		sj->verdict = verdict;
		sj->job = engine_job(eng, probe, h->https_url, "", &site_job_ops, sj);
	}
	return 0;
}

int hsite_fetch_failed(struct job *j, const struct hfetch *f, enum status tls_status)
{
	const char *why = hfetch_failure(f);
	if (!f->done || !why)
		return 0;
	result_ev_str(j->res, "url", f->url);
	result_ev_str(j->res, "error", f->err[0] ? f->err : curl_easy_strerror(f->rc));
	if (!strcmp(why, "local_resource"))
		job_local_failure(j, f->err[0] ? f->err : strerror((int)f->os_errno));
	else if (!strcmp(why, "timeout"))
		job_finish(j, ST_FAIL, "timeout", "No answer from %s in time", f->url);
	else if (!strcmp(why, "tls_error"))
		job_finish(j, tls_status, "tls_error", "The secure connection to %s could not be set up", f->url);
	else
		job_finish(j, ST_ERROR, "unreachable", "%s could not be reached (%s), so this was not checked",
			   f->url, f->err[0] ? f->err : why);
	return 1;
}
