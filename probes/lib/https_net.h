/* https_net.h: what the https.* probes share below the site level — one observed HTTP(S)
 * exchange through libcurl on the engine (headers, bounded body, the certificate chain as
 * sent, with curl's own verification off), a pool that keeps the number of simultaneous
 * transfers under the open-files limit, and URL helpers (host:port, --resolve per host). */
#ifndef TORREADY_HTTPS_NET_H
#define TORREADY_HTTPS_NET_H

#include <curl/curl.h>
#include <openssl/x509.h>

#include "buf.h"
#include "engine.h"
#include "fifo.h"
#include "targets.h"

/* A transfer in the pool: embed it, set easy (or prepare)/done/arg, hreq_start. done runs
 * once. prepare, when set, creates easy just before the transfer starts (0 / -1), so a
 * queued transfer holds no libcurl handle (~20 KB each in curl 7.88). */
struct hreq {
	CURL *easy;
	int (*prepare)(struct hreq *r);
	void (*done)(struct hreq *r, CURLcode rc);
	void *arg;
	int state;            /* 0 idle, 1 queued, 2 running */
	int launched;         /* it left the queue at least once (for not_run) */
	struct fifo_link link;      /* the pool's queue */
};
void hreq_start(struct engine *eng, struct hreq *r);
/* Stops a queued or running transfer without calling done; safe when idle. */
void hreq_cancel(struct engine *eng, struct hreq *r);

#define HFETCH_STS_MAX 8   /* Strict-Transport-Security headers kept per response */

struct hfetch_opts {
	const struct strlist *resolve;   /* curl --resolve entries (only the URL's host is used) */
	int connect_only;                /* TLS handshake only, no HTTP request */
	long sslversion;                 /* CURLOPT_SSLVERSION; 0: TLS 1.0 and up */
	long connect_timeout_ms;         /* 0: the deadline only */
	size_t body_cap;                 /* bytes of body kept; 0: stop at the first body byte */
	int fresh;                       /* a new connection (so its handshake is seen) */
	int capture_chain;               /* record the server's certificates */
};

/* One request and what came back. Read the fields once done is set. A fetch still queued
 * behind the pool (hfetch_waiting) had no chance yet. */
struct hfetch {
	char *url;
	int done;
	CURLcode rc;              /* CURLE_OK also when the body was cut at body_cap */
	char err[CURL_ERROR_SIZE];
	long os_errno;
	int connected;            /* TCP (and TLS) got through */
	long status;              /* HTTP status; 0 when none */
	char *location;           /* absolute redirect target, or NULL */
	char *sts[HFETCH_STS_MAX];   /* Strict-Transport-Security values, trimmed, in order */
	int nsts;                 /* how many were sent (may exceed HFETCH_STS_MAX) */
	char *content_type;
	struct buf body;
	int truncated;
	STACK_OF(X509) *chain;    /* as sent, leaf first; NULL without capture_chain or TLS */
	char tls_version[16];
	char *effective_url;
	/* private */
	struct hreq req;
	struct hfetch_opts opts;  /* applied when the transfer leaves the queue */
	int sock_errno;           /* socket()'s errno when curl could not make one */
	struct curl_slist *resolve;
	size_t body_cap, discarded;
	char *raw_location;       /* the Location header as sent */
	void (*on_done)(struct hfetch *f);
	void *arg;
};

/* Starts GET url (or the handshake); on_done(f) runs once from the loop (or at once when the
 * transfer cannot start: rc then says why). The URL is recorded as contacted. */
void hfetch_start(struct engine *eng, struct hfetch *f, const char *url, const struct hfetch_opts *o,
		  void (*on_done)(struct hfetch *f), void *arg);
/* 1 while f was started but is still queued behind the pool (nothing sent yet). */
int hfetch_waiting(const struct hfetch *f);
/* Stops it if running and frees what it holds; the struct can be reused. */
void hfetch_clear(struct engine *eng, struct hfetch *f);

/* A short stable word for a failed transfer: refused, unreachable, timeout, tls_error,
 * cert_refused (verification was on and failed), reset, eof, http_error. */
const char *hfetch_failure(const struct hfetch *f);
/* 1 for a 3xx answer with a Location. */
int hfetch_is_redirect(const struct hfetch *f);

/* URL parts: host (IPv6 without brackets), port (scheme default), https (1/0). 0 / -1. */
int url_parts(const char *url, char *host, size_t hostlen, int *port, int *https);
/* "host:port" as the results' contacted list wants it ("[::1]:443" for IPv6). */
void url_endpoint(const char *url, char *out, size_t len);
/* The --resolve entries naming url's host (curl keeps them per multi, so each transfer only
 * needs its own: one list per transfer keeps 1000 entries from being parsed 3000 times). */
struct curl_slist *resolve_for(struct engine *eng, const struct strlist *all, const char *url);

#endif
