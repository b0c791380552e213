/* tlsfetch.h: fetch one server's certificate chain without blocking — libcurl on the engine
 * (so names resolve asynchronously, --resolve and --cafile apply, and a SOCKS proxy such as
 * Tor's can be the path), TLS handshake only, no HTTP request, no verification enforced. */
#ifndef TORREADY_TLSFETCH_H
#define TORREADY_TLSFETCH_H

#include "engine.h"
#include "targets.h"
#include "tlscap.h"

struct tlsfetch_opts {
	const char *host;               /* a name or an IP literal (no brackets) */
	int port;
	const char *socks;              /* "host:port" of a SOCKS5 proxy, or NULL: direct */
	const struct strlist *resolve;  /* curl --resolve entries; the direct path only */
	const char *cafile;             /* NULL: curl's default store */
	long timeout_ms;
};

struct tlsfetch;
typedef void (*tlsfetch_done_fn)(void *arg, struct tlsfetch *f);

/* NULL when the transfer cannot even start. done runs once, from the loop. */
struct tlsfetch *tlsfetch_start(struct engine *eng, const struct tlsfetch_opts *o,
				tlsfetch_done_fn done, void *arg);
int tlsfetch_finished(const struct tlsfetch *f);
/* NULL when the handshake completed; else refused, unreachable, timeout, tls_error, eof,
 * proxy_error. */
const char *tlsfetch_code(const struct tlsfetch *f);
const char *tlsfetch_detail(const struct tlsfetch *f);
const struct tlscap *tlsfetch_cap(const struct tlsfetch *f);
/* The endpoint actually contacted: "host:port", or the proxy's for a SOCKS path. */
const char *tlsfetch_contacted(const struct tlsfetch *f);
/* Stops the transfer if it still runs and frees everything; NULL is fine. */
void tlsfetch_free(struct engine *eng, struct tlsfetch *f);

#endif
