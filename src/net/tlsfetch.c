/* tlsfetch.c: one TLS handshake through libcurl (CONNECT_ONLY) to capture a chain. */
#include "tlsfetch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "easy_handle.h"
#include "engine_curl.h"
#include "fdbudget.h"

struct tlsfetch {
	struct engine *eng;
	CURL *easy;
	struct curl_slist *resolve;
	struct tlscap cap;
	tlsfetch_done_fn done;
	void *arg;
	int finished, running;
	int sock_errno;          /* socket()'s errno when curl could not make one */
	const char *code;
	char detail[CURL_ERROR_SIZE];
	char errbuf[CURL_ERROR_SIZE];
	char contacted[HOST_MAX + 16];
};

static const char *classify(CURL *easy, CURLcode rc, int sock_errno)
{
	long oserr = 0;
	switch (rc) {
	case CURLE_OK:
		return NULL;
	case CURLE_OPERATION_TIMEDOUT:
		return "timeout";
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &oserr);
		if (errno_is_local((int)oserr) || errno_is_local(sock_errno))
			return "local_resource";
		return oserr == ECONNREFUSED ? "refused" : "unreachable";
	case CURLE_COULDNT_RESOLVE_HOST:
		return "unreachable";
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_PROXY:
		return "proxy_error";
	case CURLE_GOT_NOTHING:
		return "eof";
	default:
		return "tls_error";
	}
}

static void on_done(void *arg, CURL *easy, CURLcode rc)
{
	struct tlsfetch *f = arg;
	f->running = 0;
	f->finished = 1;
	f->code = classify(easy, rc, f->sock_errno);
	if (f->code)
		snprintf(f->detail, sizeof f->detail, "%s", f->errbuf[0] ? f->errbuf : curl_easy_strerror(rc));
	f->done(f->arg, f);
}

static void set_url(CURL *easy, const struct tlsfetch_opts *o)
{
	char url[HOST_MAX + 32];
	int v6 = strchr(o->host, ':') != NULL;
	snprintf(url, sizeof url, "https://%s%s%s:%d/", v6 ? "[" : "", o->host, v6 ? "]" : "", o->port);
	curl_easy_setopt(easy, CURLOPT_URL, url);
}

struct tlsfetch *tlsfetch_start(struct engine *eng, const struct tlsfetch_opts *o,
				tlsfetch_done_fn done, void *arg)
{
	struct tlsfetch *f = xcalloc(1, sizeof *f);
	f->eng = eng;
	f->done = done;
	f->arg = arg;
	/* We judge the chain ourselves, so an untrusted one must still be fetched; every fetch
	 * is a connection of its own. */
	struct easy_opts eo = { .no_verify = 1, .connect_only = 1, .fresh = 1, .no_reuse = 1,
				.timeout_ms = o->timeout_ms, .errbuf = f->errbuf, .cafile = o->cafile,
				.sock_errno = &f->sock_errno };
	/* socks5h: the proxy resolves the name, as Tor does — local DNS is not asked. */
	char proxy[HOST_MAX + 32];
	if (o->socks) {
		snprintf(proxy, sizeof proxy, "socks5h://%s", o->socks);
		eo.proxy = proxy;
	} else if (o->resolve) {
		eo.resolve = f->resolve = easy_resolve_list(o->resolve->v, o->resolve->n);
	}
	f->easy = easy_handle_new(&eo);
	if (!f->easy) {
		curl_slist_free_all(f->resolve);
		free(f);
		return NULL;
	}
	CURL *e = f->easy;
	set_url(e, o);
	/* A resumed session shows no certificates: every fetch is a full handshake. */
	curl_easy_setopt(e, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	if (o->socks) {
		snprintf(f->contacted, sizeof f->contacted, "%s", o->socks);
	} else {
		struct endpoint ep = { .port = o->port };
		snprintf(ep.host, sizeof ep.host, "%s", o->host);
		endpoint_str(&ep, f->contacted, sizeof f->contacted);
	}
	tlscap_attach(e, &f->cap);
	if (engine_curl_add(eng, e, on_done, f) < 0) {
		tlsfetch_free(eng, f);
		return NULL;
	}
	f->running = 1;
	return f;
}

int tlsfetch_finished(const struct tlsfetch *f)
{
	return f->finished;
}

const char *tlsfetch_code(const struct tlsfetch *f)
{
	if (f->finished)
		return f->code;
	return engine_curl_waiting(f->easy) ? "not_run" : "timeout";
}

const char *tlsfetch_detail(const struct tlsfetch *f)
{
	return f->finished ? f->detail : "no answer before the deadline";
}

const struct tlscap *tlsfetch_cap(const struct tlsfetch *f)
{
	return &f->cap;
}

const char *tlsfetch_contacted(const struct tlsfetch *f)
{
	return f->contacted;
}

void tlsfetch_free(struct engine *eng, struct tlsfetch *f)
{
	if (!f)
		return;
	if (f->running)
		engine_curl_remove(eng, f->easy);
	curl_easy_cleanup(f->easy);
	curl_slist_free_all(f->resolve);
	tlscap_clear(&f->cap);
	free(f);
}
