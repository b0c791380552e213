/* https_site.h: one site's observations, gathered once per run and shared by the https.*
 * probes (redirect, hsts, preload, tls, cert, mixed each read what they need): the HTTPS
 * response of the site's URL with its certificate chain, the http:// twin's redirect chain,
 * the page itself (after https redirects), and which TLS versions the server accepts. Each
 * piece is fetched only when a probe asks for it. */
#ifndef TORREADY_HTTPS_SITE_H
#define TORREADY_HTTPS_SITE_H

#include "engine.h"
#include "https_net.h"
#include "https_verify.h"
#include "targets.h"

#define HSITE_BODY_MAX (2u << 20)   /* bytes of a page kept for https.mixed */
#define HSITE_MAX_HOPS 10           /* redirects followed (Observatory's limit) */

/* What a probe may ask for. */
enum { HS_MAIN = 1, HS_HTTP = 2, HS_PAGE = 4, HS_TLS = 8 };
/* TLS versions, oldest first. */
enum { HS_TLS10, HS_TLS11, HS_TLS12, HS_TLS13, HS_NTLS };

struct hchain {
	struct hfetch *hop[HSITE_MAX_HOPS + 1];   /* own[i], or &main when a hop is its URL */
	struct hfetch *own[HSITE_MAX_HOPS + 1];   /* allocated when the hop starts: most
						     chains have one hop, and 5,000 sites
						     would carry 11 MB of empty ones */
	size_t n;          /* hops started */
	int on_main;       /* the last hop waits for main to finish */
	int too_many;      /* still redirecting after HSITE_MAX_HOPS */
	int left_https;    /* the page chain hit a redirect to http:// and stopped */
};

struct hsite {
	char *https_url, *http_url;
	char host[HOST_MAX];           /* the https URL's host (IPv6 without brackets) */
	int port;
	struct hfetch main;            /* GET https_url on a fresh connection, not followed */
	struct cert_verdict cert;      /* main's chain judged (when main has a chain) */
	int have_cert;
	struct hchain http;            /* the http:// twin and every redirect after it */
	struct hchain page;            /* from main's redirect to the page, https only */
	const struct hfetch *page_final;   /* the page (main itself or page's last hop), or NULL */
	struct hfetch tls[HS_NTLS];    /* handshake only, one version each (or main's, below) */
	int tls_from_main;             /* HS_TLS* index main's own handshake answered, or -1 */
	/* private */
	struct engine *eng;
	const struct targets *t;
	unsigned planned, wanted, started, done;   /* HS_* masks */
	int tls_left, tls_deferred, refs;
	struct hsite_waiter *w;
	size_t nw;
	struct hsite *next;
};

/* The shared observations for site s (created on first use; one reference per call). NULL
 * with e set when --cafile cannot be read. Call in a probe's plan. */
struct hsite *hsite_get(struct engine *eng, const struct targets *t, const struct site *s, struct err *e);
/* ready(arg) runs once every piece in needs (HS_*) is there — at once if it already is. */
void hsite_want(struct hsite *h, unsigned needs, void (*ready)(void *arg), void *arg);
/* In job cleanup: forgets arg's waiter and drops the reference (the last one frees). */
void hsite_release(struct hsite *h, void *arg);

/* One job per site for a probe that needs the pieces in needs: verdict(j, h) runs once
 * they are there (unless the deadline came first) and must finish j. Call from plan. */
typedef void (*hsite_verdict_fn)(struct job *j, struct hsite *h);
int hsite_plan(struct engine *eng, const struct targets *t, const char *probe, unsigned needs,
	       hsite_verdict_fn verdict, struct err *e);

/* When fetch f failed, finishes j for it — error unreachable, timeout, or tls_error with
 * tls_status — records the detail, and returns 1; 0 when f succeeded. */
int hsite_fetch_failed(struct job *j, const struct hfetch *f, enum status tls_status);

/* 1 when two URLs/hosts name the same host (case-insensitive, brackets ignored). */
int same_host(const char *url_a, const char *url_b);

#endif
