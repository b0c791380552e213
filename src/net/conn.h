/* conn.h: one non-blocking client connection driven by the engine: TCP connect to an IP
 * literal (or to a SOCKS5 proxy that connects onward, with RFC 1929 authentication — how a
 * pluggable transport takes a bridge's arguments), optional TLS (no verification unless
 * asked: Tor relays self-sign), then bytes in and out. TLS can be started again on top of an
 * open stream (conn_start_tls: Tor's TLS inside a webtunnel's TLS, or STARTTLS). Failures are
 * classified into the stable codes the probes share. */
#ifndef TORREADY_CONN_H
#define TORREADY_CONN_H

#include <openssl/ssl.h>
#include <stdint.h>

#include "buf.h"
#include "engine.h"
#include "targets.h"

struct conn;

struct conn_cbs {
	/* Connected (and TLS done if asked). Called again after each conn_start_tls completes. */
	void (*on_open)(void *arg);
	void (*on_data)(void *arg, struct buf *in);  /* consume what you use from in */
	/* code: refused, reset, eof, unreachable, timeout, tls_error, too_much, proxy_failed (the
	 * SOCKS proxy refused, in a way none of the others names), proxy_error (what answered is
	 * not a working SOCKS5 proxy); detail for people. */
	void (*on_error)(void *arg, const char *code, const char *detail);
};

/* Connect through a SOCKS5 proxy: TCP goes to proxy, then CONNECT to the conn's endpoint
 * (an IP literal, or a host name the proxy resolves). user NULL: no authentication. The
 * bytes are copied by conn_open. */
struct conn_socks {
	struct endpoint proxy;
	const uint8_t *user;
	size_t ulen;             /* 1..255 */
	const uint8_t *pass;
	size_t plen;             /* 1..255 */
};

struct conn_opts {
	int tls;
	const char *sni;        /* NULL: none */
	size_t max_in;          /* more unread input than this is an error ("too_much") */
	const struct conn_socks *socks;   /* NULL: connect directly */
	/* With tls: verify the server's certificate for this name (system roots plus cafile, if
	 * given); a failure is tls_error with the reason. NULL: no verification. */
	const char *verify_host;
	const char *cafile;
	/* A connection to a child of ours (tor's control port): it comes out of the reserve
	 * kept beside the connection budget, so it never waits behind thousands of targets. */
	int reserved;
};

struct conn *conn_open(struct engine *eng, const struct endpoint *ep, const struct conn_opts *o,
		       const struct conn_cbs *cbs, void *arg);
int conn_send(struct conn *c, const void *data, size_t len);
/* Starts a TLS handshake (no verification) over the open stream; bytes already received and
 * not consumed by on_data belong to it. on_open runs again when it is done. Call it when the
 * conn is open (typically from on_data). 0 / -1. */
int conn_start_tls(struct conn *c, const char *sni);
/* The phase reached: "connect", "socks", "tls", "open" — evidence for where a failure
 * happened. After conn_start_tls, "tls" again until that handshake is done. */
const char *conn_phase(const struct conn *c);
/* At the deadline, for a conn still in "connect": the kernel may already know the answer
 * (a refusal) that a busy loop had no time to read. Returns its code (refused, reset,
 * unreachable, ...) with detail filled, or NULL when the connect is really still pending. */
const char *conn_pending_failure(const struct conn *c, char *detail, size_t len);
/* How many TLS layers are up (complete or in progress). */
int conn_tls_depth(const struct conn *c);
/* The innermost TLS session (NULL without TLS). */
SSL *conn_ssl(struct conn *c);
/* The input not yet consumed (also in on_error: what came before the failure, e.g. the
 * start of an answer too long to keep). */
const struct buf *conn_input(const struct conn *c);
/* Safe to call from inside the conn's own callbacks. */
void conn_close(struct conn *c);

#endif
