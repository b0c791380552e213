/* conn.h: one non-blocking client connection driven by the engine: TCP connect to an IP
 * literal, optional TLS (no verification: Tor relays self-sign), then bytes in and out.
 * Failures are classified into the stable codes the probes share. */
#ifndef TORREADY_CONN_H
#define TORREADY_CONN_H

#include <openssl/ssl.h>

#include "buf.h"
#include "engine.h"
#include "targets.h"

struct conn;

struct conn_cbs {
	void (*on_open)(void *arg);                  /* connected (and TLS done if asked) */
	void (*on_data)(void *arg, struct buf *in);  /* consume what you use from in */
	/* code: refused, reset, eof, unreachable, timeout, tls_error; detail for people. */
	void (*on_error)(void *arg, const char *code, const char *detail);
};

struct conn_opts {
	int tls;
	const char *sni;        /* NULL: none */
	size_t max_in;          /* more unread input than this is an error ("too_much") */
};

struct conn *conn_open(struct engine *eng, const struct endpoint *ep, const struct conn_opts *o,
		       const struct conn_cbs *cbs, void *arg);
int conn_send(struct conn *c, const void *data, size_t len);
/* The phase reached: "connect", "tls", "open" — evidence for where a failure happened. */
const char *conn_phase(const struct conn *c);
SSL *conn_ssl(struct conn *c);
/* Safe to call from inside the conn's own callbacks. */
void conn_close(struct conn *c);

#endif
