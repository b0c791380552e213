/* https_net.c: libcurl transfers for the https.* probes — a bounded pool on the engine,
 * header and body capture, certificate capture through OpenSSL's verify hook (curl's own
 * verification stays off: https_verify.c judges the chain), URL helpers. */
#include "https_net.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "easy_handle.h"
#include "url_split.h"
#include "engine_curl.h"
#include "fdbudget.h"
#include "results.h"

/* ---------------------------------------------------------------- the pool */

static struct {
	struct engine *eng;
	struct fifo queue;          /* waiting, first in first out (fifo.h) */
	size_t running;
	struct fdbudget_waiter wait;   /* the pool's place in the run's connection budget */
} pool;

/* At most this many transfers at once. More gains nothing (handshakes are CPU-bound) and
 * thousands of simultaneous SYNs overflow a server's listen queue (nginx: 511), whose
 * dropped SYNs then cost a 1 s retransmission each. */
#define POOL_MAX 128
/* Budget slots per transfer: its socket, and an async-DNS pipe pair without --resolve. */
#define POOL_SLOTS 3

static void pool_pump(void);

static void req_done(void *arg, CURL *easy, CURLcode rc)
{
	struct hreq *r = arg;
	(void)easy;
	r->state = 0;
	pool.running--;
	fdbudget_put(POOL_SLOTS);
	r->done(r, rc);
	pool_pump();
}

/* Starts r; its budget slots are taken. */
static void launch(struct hreq *r)
{
	r->state = 2;
	r->launched = 1;
	pool.running++;
	if ((r->prepare && r->prepare(r) < 0) || engine_curl_add(pool.eng, r->easy, req_done, r) < 0) {
		r->state = 0;
		pool.running--;
		fdbudget_put(POOL_SLOTS);
		r->done(r, CURLE_FAILED_INIT);
	}
}

static struct hreq *pool_pop(void)
{
	return fifo_entry(fifo_pop(&pool.queue), struct hreq, link);
}

static void pool_granted(void *arg)
{
	(void)arg;
	/* Past the loop every job is being cleaned up: starting queued work is pointless. */
	if (!pool.queue.head || (pool.eng && engine_ending(pool.eng))) {
		fdbudget_put(POOL_SLOTS);
		return;
	}
	launch(pool_pop());
	pool_pump();
}

static void pool_pump(void)
{
	if (pool.eng && engine_ending(pool.eng))
		return;
	while (pool.queue.head && pool.running < POOL_MAX && !pool.wait.link.queued) {
		if (!fdbudget_take(POOL_SLOTS)) {
			pool.wait = (struct fdbudget_waiter){ .slots = POOL_SLOTS, .grant = pool_granted };
			fdbudget_wait(&pool.wait);
			return;
		}
		launch(pool_pop());
	}
}

void hreq_start(struct engine *eng, struct hreq *r)
{
	pool.eng = eng;
	r->state = 1;
	fifo_push(&pool.queue, &r->link);
	pool_pump();
}

void hreq_cancel(struct engine *eng, struct hreq *r)
{
	if (r->state == 1) {
		fifo_remove(&pool.queue, &r->link);
		if (!pool.queue.head)
			fdbudget_cancel(&pool.wait);
	} else if (r->state == 2) {
		engine_curl_remove(eng, r->easy);
		pool.running--;
		fdbudget_put(POOL_SLOTS);
	}
	r->state = 0;
	if (pool.eng == eng)
		pool_pump();
}

/* ---------------------------------------------------------------- URLs */

/* brackets: an IPv6 literal keeps them, as in "[::1]:443" and resolve entries. */
static int url_get(const char *url, char *host, size_t hostlen, int *port, int *https, int brackets)
{
	struct url_split u;
	if (url_split(url, &u) < 0)
		return -1;
	int v6 = brackets && strchr(u.host, ':');
	snprintf(host, hostlen, "%s%s%s", v6 ? "[" : "", u.host, v6 ? "]" : "");
	*port = u.port;
	*https = !strcmp(u.scheme, "https");
	return 0;
}

int url_parts(const char *url, char *host, size_t hostlen, int *port, int *https)
{
	return url_get(url, host, hostlen, port, https, 0);
}

void url_endpoint(const char *url, char *out, size_t len)
{
	char host[HOST_MAX];
	int port, https;
	if (url_get(url, host, sizeof host, &port, &https, 1) < 0)
		snprintf(out, len, "%.200s", url);
	else
		snprintf(out, len, "%s:%d", host, port);
}

/* The --resolve entries sorted by host, built once per list: every transfer looks its
 * host up (5,000 sites make 25,000 transfers over 10,000 entries). */
static struct {
	const struct strlist *src;
	size_t n;
	struct rkey { const char *host; size_t hlen, i; } *v;
} rsorted;

static const char *entry_host(const char *e, size_t *hlen)
{
	if (*e == '+' || *e == '-')
		e++;
	const char *colon = e[0] == '[' ? strstr(e, "]:") : strchr(e, ':');
	*hlen = colon ? (size_t)(colon - e) + (e[0] == '[') : strlen(e);
	return e;
}

static int host_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = strncasecmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

static int rkey_cmp(const void *a, const void *b)
{
	const struct rkey *x = a, *y = b;
	int c = host_cmp(x->host, x->hlen, y->host, y->hlen);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

static void rsorted_drop(void *arg)
{
	(void)arg;
	free(rsorted.v);
	memset(&rsorted, 0, sizeof rsorted);
}

/* Dropped at the run's end: the list belongs to the run's targets. */
static void rsorted_build(struct engine *eng, const struct strlist *all)
{
	if (rsorted.src == all && rsorted.n == all->n)
		return;
	if (!rsorted.src)
		engine_at_end(eng, rsorted_drop, NULL);
	free(rsorted.v);
	rsorted.v = xcalloc(all->n ? all->n : 1, sizeof *rsorted.v);
	for (size_t i = 0; i < all->n; i++) {
		rsorted.v[i].host = entry_host(all->v[i], &rsorted.v[i].hlen);
		rsorted.v[i].i = i;
	}
	qsort(rsorted.v, all->n, sizeof *rsorted.v, rkey_cmp);
	rsorted.src = all;
	rsorted.n = all->n;
}

struct curl_slist *resolve_for(struct engine *eng, const struct strlist *all, const char *url)
{
	char host[HOST_MAX];
	int port, https;
	struct curl_slist *l = NULL;
	if (!all || !all->n || url_get(url, host, sizeof host, &port, &https, 1) < 0)
		return NULL;
	rsorted_build(eng, all);
	size_t n = strlen(host), lo = 0, hi = rsorted.n;
	while (lo < hi) {   /* the first entry not below host */
		size_t mid = lo + (hi - lo) / 2;
		if (host_cmp(rsorted.v[mid].host, rsorted.v[mid].hlen, host, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	const char *other = NULL;   /* the addresses of a mapping of this host for another port */
	int exact = 0;
	for (; lo < rsorted.n && !host_cmp(rsorted.v[lo].host, rsorted.v[lo].hlen, host, n); lo++) {
		const char *e = all->v[rsorted.v[lo].i];
		int removal = *e == '-';
		l = curl_slist_append(l, e);
		char *end;
		long p = strtol(rsorted.v[lo].host + n + 1, &end, 10);
		if (*end != ':' || removal)
			continue;
		if (p == port)
			exact = 1;
		else if (!other)
			other = end + 1;
	}
	/* A name the user mapped stays mapped on every port: --resolve HOST:443:ADDR also
	 * covers the http:// twin (port 80) and redirects to other ports of that host, instead
	 * of leaking the name to the system resolver. */
	if (!exact && other) {
		char extra[HOST_MAX + 300];
		int v6 = strchr(host, ':') != NULL;
		snprintf(extra, sizeof extra, "%s%s%s:%d:%.280s", v6 ? "[" : "", host, v6 ? "]" : "", port, other);
		l = curl_slist_append(l, extra);
	}
	return l;
}

/* ---------------------------------------------------------------- one exchange */

static void reset_headers(struct hfetch *f)
{
	for (int i = 0; i < HFETCH_STS_MAX; i++) {
		free(f->sts[i]);
		f->sts[i] = NULL;
	}
	f->nsts = 0;
	free(f->content_type);
	f->content_type = NULL;
	free(f->raw_location);
	f->raw_location = NULL;
}

/* Location resolved against the request URL (RFC 3986), as a browser would. */
static char *resolve_location(const char *base, const char *loc)
{
	CURLU *u = curl_url();
	char *out = NULL, *res = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_URL, loc, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
		res = xstrdup(out);
	curl_free(out);
	curl_url_cleanup(u);
	return res;
}

static char *header_value(const char *p, size_t len, const char *name)
{
	size_t n = strlen(name);
	if (len <= n || strncasecmp(p, name, n) || p[n] != ':')
		return NULL;
	p += n + 1;
	len -= n + 1;
	while (len && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	while (len && strchr(" \t\r\n", p[len - 1]))
		len--;
	return xstrndup(p, len);
}

static size_t on_header(char *p, size_t size, size_t nitems, void *arg)
{
	struct hfetch *f = arg;
	size_t len = size * nitems;
	char *v;
	if (len >= 5 && !strncmp(p, "HTTP/", 5)) {
		reset_headers(f);   /* a new response (after a 1xx): only the last one counts */
	} else if ((v = header_value(p, len, "Strict-Transport-Security"))) {
		if (f->nsts < HFETCH_STS_MAX)
			f->sts[f->nsts] = v;
		else
			free(v);
		f->nsts++;
	} else if ((v = header_value(p, len, "Location"))) {
		free(f->raw_location);
		f->raw_location = v;
	} else if ((v = header_value(p, len, "Content-Type"))) {
		free(f->content_type);
		f->content_type = v;
	}
	return len;
}

/* Bytes of body read and dropped when none is kept: enough for any redirect's little page,
 * so the transfer ends normally; a big page is cut short. */
#define DISCARD_MAX 65536

static size_t on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct hfetch *f = arg;
	size_t len = size * nmemb;
	if (!f->body_cap) {
		f->discarded += len;
		if (f->discarded <= DISCARD_MAX)
			return len;
		f->truncated = 1;
		return 0;
	}
	size_t room = f->body_cap > f->body.len ? f->body_cap - f->body.len : 0;
	if (len > room) {
		buf_append(&f->body, p, room);
		f->truncated = 1;
		return 0;   /* enough: curl stops with CURLE_WRITE_ERROR, which we forgive */
	}
	buf_append(&f->body, p, len);
	return len;
}

/* OpenSSL's verify hook (curl's verification is off, so the handshake goes on): keep what
 * the server sent and the negotiated version. */
static int capture_cb(X509_STORE_CTX *x, void *arg)
{
	struct hfetch *f = arg;
	X509 *leaf = X509_STORE_CTX_get0_cert(x);
	STACK_OF(X509) *sent = X509_STORE_CTX_get0_untrusted(x);
	sk_X509_pop_free(f->chain, X509_free);
	f->chain = sk_X509_new_null();
	/* On a client the untrusted list is the whole chain as sent, leaf first. */
	if (leaf && (!sent || !sk_X509_num(sent) || X509_cmp(sk_X509_value(sent, 0), leaf))) {
		X509_up_ref(leaf);
		sk_X509_push(f->chain, leaf);
	}
	for (int i = 0; sent && i < sk_X509_num(sent) && i < 20; i++) {
		X509 *c = sk_X509_value(sent, i);
		X509_up_ref(c);
		sk_X509_push(f->chain, c);
	}
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	if (ssl)
		snprintf(f->tls_version, sizeof f->tls_version, "%s", SSL_get_version(ssl));
	return 1;
}

static CURLcode ctx_fn(CURL *curl, void *sslctx, void *arg)
{
	(void)curl;
	SSL_CTX_set_cert_verify_callback(sslctx, capture_cb, arg);
	return CURLE_OK;
}

static void fetch_done(struct hreq *r, CURLcode rc)
{
	struct hfetch *f = r->arg;
	CURL *e = f->req.easy;
	if (!e) {   /* it could not start */
		if (!f->err[0])
			snprintf(f->err, sizeof f->err, "cannot start a transfer");
		f->rc = rc;
		f->done = 1;
		f->on_done(f);
		return;
	}
	if (rc == CURLE_WRITE_ERROR && f->truncated)
		rc = CURLE_OK;
	f->rc = rc;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &f->status);
	curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &f->os_errno);
	if (!f->os_errno)
		f->os_errno = f->sock_errno;
	curl_off_t ct = 0;
	curl_easy_getinfo(e, CURLINFO_APPCONNECT_TIME_T, &ct);
	if (!ct)
		curl_easy_getinfo(e, CURLINFO_CONNECT_TIME_T, &ct);
	f->connected = rc == CURLE_OK || ct > 0;
	char *s = NULL;
	if (curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &s) == CURLE_OK && s)
		f->location = xstrdup(s);
	else if (f->raw_location && f->status >= 300 && f->status < 400)
		f->location = resolve_location(f->url, f->raw_location);
	s = NULL;
	if (curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK && s)
		f->effective_url = xstrdup(s);
	f->req.easy = NULL;
	curl_easy_cleanup(e);   /* also closes a connect-only connection at once */
	curl_slist_free_all(f->resolve);
	f->resolve = NULL;
	f->done = 1;
	f->on_done(f);
}

static CURL *new_handle(struct engine *eng, struct hfetch *f, const struct hfetch_opts *o)
{
	/* Our verification, not curl's: a bad chain must be seen, not refused (https_verify.c).
	 * No fetch reuses another's connection (each hop is its own host or a fresh
	 * handshake), so none is kept: an idle cache of thousands of connections holds
	 * descriptors outside the budget, and curl walks it whenever one is returned. */
	f->resolve = resolve_for(eng, o->resolve, f->url);
	struct easy_opts eo = { .url = f->url, .sock_errno = &f->sock_errno, .errbuf = f->err,
				.timeout_ms = engine_remaining_ms(eng),
				.connect_timeout_ms = o->connect_timeout_ms, .protocols = "http,https",
				.no_verify = 1, .resolve = f->resolve, .fresh = o->fresh, .no_reuse = 1,
				.connect_only = o->connect_only };
	CURL *e = easy_handle_new(&eo);
	if (!e)
		return NULL;
	/* Names are cached for the run (one run is minutes at most): with the default, curl
	 * walks its whole cache at every transfer to prune it — 10,000 --resolve entries times
	 * 25,000 transfers was a fifth of a 5,000-site run. */
	curl_easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, -1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "torready/" TORREADY_VERSION " (HTTPS check)");
	/* Old protocols and weak algorithms too (security level 0), so a TLS 1.0-only or SHA-1
	 * site can still be examined; whether it is offered is https.tls's verdict. */
	curl_easy_setopt(e, CURLOPT_SSLVERSION, o->sslversion ? o->sslversion : (long)CURL_SSLVERSION_TLSv1_0);
	curl_easy_setopt(e, CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");
	if (o->capture_chain) {
		curl_easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, ctx_fn);
		curl_easy_setopt(e, CURLOPT_SSL_CTX_DATA, f);
	}
	if (o->connect_only)
		return e;
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	return e;
}

static int fetch_prepare(struct hreq *r)
{
	struct hfetch *f = r->arg;
	if (!(f->req.easy = new_handle(pool.eng, f, &f->opts))) {
		curl_slist_free_all(f->resolve);
		f->resolve = NULL;
		return -1;
	}
	return 0;
}

void hfetch_start(struct engine *eng, struct hfetch *f, const char *url, const struct hfetch_opts *o,
		  void (*on_done)(struct hfetch *f), void *arg)
{
	hfetch_clear(eng, f);
	f->url = xstrdup(url);
	f->body_cap = o->body_cap;
	f->on_done = on_done;
	f->arg = arg;
	f->opts = *o;   /* o->resolve is the run's targets: it outlives the fetch */
	char ep[HOST_MAX + 16];
	url_endpoint(url, ep, sizeof ep);
	results_contacted(engine_results(eng), ep);
	f->req.arg = f;
	f->req.done = fetch_done;
	f->req.prepare = fetch_prepare;
	hreq_start(eng, &f->req);
}

int hfetch_waiting(const struct hfetch *f)
{
	return f->url && !f->done && !f->req.launched;
}

void hfetch_clear(struct engine *eng, struct hfetch *f)
{
	hreq_cancel(eng, &f->req);
	if (f->req.easy)
		curl_easy_cleanup(f->req.easy);
	reset_headers(f);
	free(f->url);
	free(f->location);
	free(f->effective_url);
	buf_free(&f->body);
	sk_X509_pop_free(f->chain, X509_free);
	curl_slist_free_all(f->resolve);
	memset(f, 0, sizeof *f);
}

int hfetch_is_redirect(const struct hfetch *f)
{
	return f->done && f->rc == CURLE_OK && f->status >= 300 && f->status < 400 && f->location;
}

const char *hfetch_failure(const struct hfetch *f)
{
	switch (f->rc) {
	case CURLE_OK: return NULL;
	case CURLE_COULDNT_RESOLVE_HOST: return "unreachable";
	case CURLE_COULDNT_CONNECT:
		if (errno_is_local((int)f->os_errno))
			return "local_resource";
		return f->os_errno == ECONNREFUSED ? "refused" : "unreachable";
	case CURLE_OPERATION_TIMEDOUT: return "timeout";
	case CURLE_PEER_FAILED_VERIFICATION: return "cert_refused";
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_USE_SSL_FAILED:
		return "tls_error";
	case CURLE_GOT_NOTHING: return "eof";
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR: return "reset";
	default: return f->connected ? "http_error" : "unreachable";
	}
}
