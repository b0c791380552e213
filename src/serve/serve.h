/* serve.h: `torready serve`, the department service (../shared/spec/serve.md). Shared state of
 * the serve_*.c files: one event loop, one thread; TLS is terminated here so each
 * connection's ClientHello can be judged (serve_tls.c); HTTP comes from libevent's evhttp. */
#ifndef TORREADY_SERVE_H
#define TORREADY_SERVE_H

#include <stddef.h>

#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <openssl/ssl.h>

#include "certinfo.h"
#include "clienthello.h"

struct serve_store;
struct evbuffer_cb_entry;

struct serve_opts {
	const char *listen, *cert, *key, *store, *token_file, *kb_dir, *templates_dir, *site;
	const char *site_dir;        /* where the rendered department site is kept */
	const char *base_url;        /* where the site is reached (handout QR codes, links) */
	const struct site_file *site_file;   /* --site: who publishes (site.md), or NULL */
	int min_group;
	int max_conns;               /* open connections at most; accepting pauses at the bound */
	int idle_seconds;            /* a connection that sends nothing this long is closed */
	int life_seconds;            /* no connection lives longer than this */
	int max_buffered_mib;        /* bytes of unanswered requests held at most, all together */
	int no_redact;
};

struct serve {
	struct serve_opts o;
	struct event_base *base;
	struct evhttp *http;
	struct evconnlistener *listener;
	SSL_CTX *ctx;
	int nconns, paused;
	struct serve_conn *conns;    /* the open ones, newest first */
	size_t buffered;             /* bytes received and not yet answered, over conns not cut */
	unsigned long req_seq;       /* orders the unanswered requests by their first byte */
	unsigned long cuts;          /* connections closed for the budget */
	long cut_logged_at;          /* when that was last logged */
	char token[256];
	size_t token_len;
	char cert_issuer[512];
	char cert_subject[512];
	char cert_pin[CERTINFO_PIN_LEN];
	struct serve_store *store;
	struct tpl *selfcheck_tpl;
	struct event *regen_ev;      /* re-renders the site a little after data changed */
	int site_dirty;
	struct event *chld_ev;       /* SIGCHLD: the site's render process is done */
	int render_pid;              /* that process, 0 when none */
	int render_again;            /* data changed while it ran */
};

/* One connection: what the TLS front saw of its first ClientHello, and what it has sent
 * that is not answered yet (serve_tls.c). */
struct serve_conn {
	struct serve *srv;
	struct serve_conn *next, *prev;
	struct event *life;
	struct bufferevent *bev;
	struct evbuffer_cb_entry *in_cb;
	size_t pending;          /* bytes received since its last request was handed to us */
	unsigned long since;     /* req_seq when the first of them arrived */
	int cut;                 /* closed for the budget; its bytes no longer count */
	int seen;        /* a ClientHello arrived */
	int parsed;      /* ... and it parsed */
	size_t raw_len;
	struct clienthello ch;
	char ja4[CH_JA4_LEN + 1];
};

/* serve_tls.c */
int serve_tls_init(struct serve *s, char *errbuf, size_t errlen);
/* The bufferevent evhttp uses for a new connection: TLS, counted, with a lifetime. */
struct bufferevent *serve_tls_bev(struct event_base *base, void *arg);
/* The connection state behind a request, or NULL. */
struct serve_conn *serve_conn_of(struct evhttp_request *req);
/* A request of c's reached the router: what it sent so far is answered now. -1 when the
 * connection was closed for the budget (its request may lack bytes that were dropped). */
int serve_conn_dispatched(struct serve_conn *c);

/* serve_http.c: routing and small answer helpers. */
void serve_route(struct evhttp_request *req, void *arg);
void serve_reply(struct evhttp_request *req, int code, const char *type, const char *body,
		 size_t len);
void serve_reply_json(struct evhttp_request *req, int code, void *json /* json_t*, stolen */);
void serve_reply_error(struct evhttp_request *req, int code, const char *msg);

/* serve_selfcheck.c */
int serve_selfcheck_init(struct serve *s, char *errbuf, size_t errlen);
void serve_selfcheck(struct serve *s, struct evhttp_request *req, int as_json);

/* serve_api.c */
void serve_api_results(struct serve *s, struct evhttp_request *req);
void serve_api_summary(struct serve *s, struct evhttp_request *req);
void serve_api_selfchecks(struct serve *s, struct evhttp_request *req);
/* 1 when the request carries the bearer token (constant-time compare). */
int serve_authorized(struct serve *s, struct evhttp_request *req);

/* serve_site.c */
int serve_site_init(struct serve *s, char *errbuf, size_t errlen);
void serve_site_changed(struct serve *s);
void serve_site_free(struct serve *s);
void serve_site_checks_changed(struct serve *s);
void serve_site_get(struct serve *s, struct evhttp_request *req, const char *path);

#endif
