/* conn.c: non-blocking client connections on the engine: TCP, an optional SOCKS5 phase, and
 * TLS layers on memory BIOs (so TLS can run inside TLS: Tor inside a webtunnel). */
#include "conn.h"
#include "conn_socks.h"
#include "fdbudget.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONN_MAX_LAYERS 3

/* PH_QUEUED: waiting for a slot of the connection budget; no socket yet. */
enum phase { PH_CONNECT, PH_SOCKS, PH_TLS, PH_OPEN, PH_DEAD, PH_QUEUED };
enum socks_step { SK_GREET, SK_AUTH, SK_REPLY };

struct conn {
	struct engine *eng;
	int fd;
	SSL *tls[CONN_MAX_LAYERS];   /* [0] next to the wire; the last one faces the app */
	int nlayers;
	enum phase phase, last;      /* last: the phase a failure happened in */
	size_t max_in;
	char *sni, *verify_host, *cafile;
	struct endpoint target, proxy;
	int want_tls, use_socks;
	uint8_t suser[255], spass[255];
	size_t sulen, splen;
	enum socks_step sstep;
	struct buf sin;              /* SOCKS replies being read */
	struct conn_cbs cbs;
	void *arg;
	struct buf in, out, wire;    /* app input, app output not yet encrypted, bytes for the fd */
	int busy, dead, closing;     /* conn_close inside a callback only marks; the handler frees */
	int opened, fresh, kick;     /* on_open due, new input for on_data, a new layer to drive */
	const char *rd_code;         /* a read error or EOF, reported after the data before it */
	char rd_detail[160];
	struct engine_timer *early, *kick_timer;
	int early_errno;
	struct fdbudget_waiter wait;   /* queued for a slot (PH_QUEUED) */
	int has_slot;
};

static SSL_CTX *plain_ctx;
static struct { char *cafile; SSL_CTX *ctx; } verify_ctxs[4];

static void ctx_common(SSL_CTX *ctx)
{
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* Output may grow between retries of a blocked write. */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
			      SSL_MODE_RELEASE_BUFFERS);
}

static SSL_CTX *ctx_get(int verify, const char *cafile)
{
	if (!verify) {
		if (!plain_ctx && (plain_ctx = SSL_CTX_new(TLS_client_method()))) {
			ctx_common(plain_ctx);
			SSL_CTX_set_verify(plain_ctx, SSL_VERIFY_NONE, NULL);
		}
		return plain_ctx;
	}
	const char *key = cafile ? cafile : "";
	size_t i;
	for (i = 0; i < sizeof verify_ctxs / sizeof *verify_ctxs && verify_ctxs[i].ctx; i++)
		if (!strcmp(verify_ctxs[i].cafile, key))
			return verify_ctxs[i].ctx;
	if (i == sizeof verify_ctxs / sizeof *verify_ctxs)
		return NULL;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx)
		return NULL;
	ctx_common(ctx);
	SSL_CTX_set_default_verify_paths(ctx);
	if (*key && SSL_CTX_load_verify_locations(ctx, key, NULL) != 1) {
		ERR_clear_error();   /* the handshake then fails verification, which says why */
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	verify_ctxs[i].cafile = xstrdup(key);
	verify_ctxs[i].ctx = ctx;
	return ctx;
}

static const char *errno_code(int err)
{
	if (errno_is_local(err))
		return "local_resource";   /* this machine's limits, not the network's answer */
	switch (err) {
	case ECONNREFUSED: return "refused";
	case ECONNRESET: case EPIPE: return "reset";
	case ETIMEDOUT: return "timeout";
	default: return "unreachable";
	}
}

static void conn_free(struct conn *c)
{
	engine_unwatch(c->eng, c->fd);
	engine_timer_cancel(c->eng, c->early);
	engine_timer_cancel(c->eng, c->kick_timer);
	for (int i = 0; i < c->nlayers; i++)
		SSL_free(c->tls[i]);
	if (c->fd >= 0)
		close(c->fd);
	fdbudget_cancel(&c->wait);
	if (c->has_slot)
		fdbudget_put(1);   /* may start a queued conn: c is no longer in any list */
	buf_free(&c->in);
	buf_free(&c->out);
	buf_free(&c->wire);
	buf_free(&c->sin);
	free(c->sni);
	free(c->verify_host);
	free(c->cafile);
	free(c);
}

/* Calls the error callback once; after any callback the caller must check c->dead. */
static void fail(struct conn *c, const char *code, const char *detail)
{
	if (c->phase == PH_DEAD)
		return;
	c->last = c->phase;
	c->phase = PH_DEAD;
	engine_unwatch(c->eng, c->fd);
	if (!c->closing)
		c->cbs.on_error(c->arg, code, detail);
}

static int alive(const struct conn *c)
{
	return c->phase != PH_DEAD && !c->dead;
}

static void tls_fail(struct conn *c, SSL *s, int during_handshake)
{
	unsigned long e = ERR_peek_last_error();
	long vr = SSL_get_verify_result(s);
	char detail[160];
	const char *reason = e && ERR_reason_error_string(e) ? ERR_reason_error_string(e) : "unknown error";
	if (vr != X509_V_OK && SSL_get_verify_mode(s) != SSL_VERIFY_NONE)
		snprintf(detail, sizeof detail, "the server's certificate was not accepted: %s",
			 X509_verify_cert_error_string(vr));
	else
		snprintf(detail, sizeof detail, "%s: %s", during_handshake ? "TLS handshake failed" : "TLS error", reason);
	ERR_clear_error();
	fail(c, "tls_error", detail);
}

static int ssl_write_all(struct conn *c, SSL *s, const char *p, size_t n)
{
	while (n) {
		ERR_clear_error();
		int r = SSL_write(s, p, n > 65536 ? 65536 : (int)n);
		if (r <= 0) {
			tls_fail(c, s, 0);
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Moves what each TLS layer wants to send down the stack, into the wire buffer. */
static int flush_down(struct conn *c)
{
	char chunk[16384];
	for (int i = c->nlayers - 1; i >= 0; i--) {
		BIO *w = SSL_get_wbio(c->tls[i]);
		int n;
		while ((n = BIO_read(w, chunk, sizeof chunk)) > 0) {
			if (i == 0)
				buf_append(&c->wire, chunk, (size_t)n);
			else if (ssl_write_all(c, c->tls[i - 1], chunk, (size_t)n) < 0)
				return -1;
		}
	}
	return 0;
}

static void flush_wire(struct conn *c)
{
	while (c->wire.len && c->phase != PH_CONNECT && c->phase != PH_DEAD) {
		ssize_t n = write(c->fd, c->wire.data, c->wire.len);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			fail(c, errno_code(errno), strerror(errno));
			return;
		}
		buf_consume(&c->wire, (size_t)n);
	}
}

static int app_in(struct conn *c, const char *p, size_t n)
{
	buf_append(&c->in, p, n);
	c->fresh = 1;
	if (c->max_in && c->in.len > c->max_in) {
		fail(c, "too_much", "the peer sent more than expected");
		return -1;
	}
	return 0;
}

static int to_layer(struct conn *c, int i, const char *p, size_t n);

/* Handshake, then plaintext up to the next layer; 0 when it wants more input, -1 when dead. */
static int drive_layer(struct conn *c, int i)
{
	SSL *s = c->tls[i];
	if (!SSL_is_init_finished(s)) {
		ERR_clear_error();
		int r = SSL_connect(s);
		if (flush_down(c) < 0)
			return -1;
		if (r != 1) {
			int e = SSL_get_error(s, r);
			if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
				return 0;
			tls_fail(c, s, 1);
			return -1;
		}
		if (i == c->nlayers - 1) {
			c->phase = PH_OPEN;
			c->opened = 1;
		}
	}
	for (;;) {
		char chunk[16384];
		ERR_clear_error();
		int r = SSL_read(s, chunk, sizeof chunk);
		if (r > 0) {
			if (to_layer(c, i + 1, chunk, (size_t)r) < 0)
				return -1;
			continue;
		}
		int e = SSL_get_error(s, r);
		if (flush_down(c) < 0)
			return -1;
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
			return 0;
		if (e == SSL_ERROR_ZERO_RETURN) {
			/* Like a TCP EOF: reported after the data that came before it (a web server's
			 * "400 Bad Request" then close_notify must reach on_data first). */
			ERR_clear_error();
			if (!c->rd_code) {
				c->rd_code = "eof";
				snprintf(c->rd_detail, sizeof c->rd_detail, "%s",
					 "the peer closed the connection (TLS close_notify)");
			}
			return 0;
		}
		tls_fail(c, s, 0);
		return -1;
	}
}

static int to_layer(struct conn *c, int i, const char *p, size_t n)
{
	if (i >= c->nlayers)
		return app_in(c, p, n);
	BIO_write(SSL_get_rbio(c->tls[i]), p, (int)n);
	return drive_layer(c, i);
}

static int push_layer(struct conn *c, const char *sni, const char *verify_host)
{
	SSL_CTX *ctx = ctx_get(verify_host != NULL, c->cafile);
	SSL *s = ctx && c->nlayers < CONN_MAX_LAYERS ? SSL_new(ctx) : NULL;
	if (!s)
		return -1;
	BIO *r = BIO_new(BIO_s_mem()), *w = BIO_new(BIO_s_mem());
	if (!r || !w) {
		BIO_free(r);
		BIO_free(w);
		SSL_free(s);
		return -1;
	}
	SSL_set_bio(s, r, w);
	SSL_set_connect_state(s);
	if (sni)
		SSL_set_tlsext_host_name(s, sni);
	if (verify_host)
		SSL_set1_host(s, verify_host);
	c->tls[c->nlayers++] = s;
	c->phase = PH_TLS;
	c->kick = 1;
	return 0;
}

static void socks_send(struct conn *c, const uint8_t *p, size_t n, enum socks_step next)
{
	buf_append(&c->wire, p, n);
	c->sstep = next;
}

static void socks_send_connect(struct conn *c)
{
	uint8_t req[SOCKS_CONNECT_MAX];
	socks_send(c, req, socks_connect_request(req, c->target.host, c->target.port), SK_REPLY);
}

static void after_socks(struct conn *c);

/* Returns 1 when a step completed, 0 when more bytes are needed, -1 when dead. */
static int socks_step(struct conn *c)
{
	const uint8_t *b = (const uint8_t *)c->sin.data;
	const char *why = NULL;
	int method, rep = 0;
	long used;
	if (c->sstep == SK_GREET)
		used = socks_read_method(b, c->sin.len, c->sulen > 0, &method, &why);
	else if (c->sstep == SK_AUTH)
		used = socks_read_auth(b, c->sin.len, &why);
	else
		used = socks_read_reply(b, c->sin.len, &rep, &why);
	if (used < 0) {
		fail(c, c->sstep == SK_AUTH && c->sin.len >= 2 && c->sin.data[0] == 1 ? "proxy_failed" : "proxy_error", why);
		return -1;
	}
	if (used == 0)
		return 0;
	buf_consume(&c->sin, (size_t)used);
	if (rep) {
		char detail[160];
		snprintf(detail, sizeof detail, "the SOCKS proxy answered: %s (%d)", socks_reply_name(rep), rep);
		fail(c, socks_reply_code(rep), detail);
		return -1;
	}
	if (c->sstep == SK_GREET && c->sulen) {
		uint8_t a[SOCKS_AUTH_MAX];
		socks_send(c, a, socks_auth_request(a, c->suser, c->sulen, c->spass, c->splen), SK_AUTH);
	} else if (c->sstep != SK_REPLY) {
		socks_send_connect(c);
	} else {
		after_socks(c);
	}
	return alive(c) ? 1 : -1;
}

static void socks_in(struct conn *c, const char *p, size_t n)
{
	buf_append(&c->sin, p, n);
	if (c->sin.len > 1024) {
		fail(c, "proxy_error", "the SOCKS proxy sent more than a reply");
		return;
	}
	int r;
	while (c->phase == PH_SOCKS && (r = socks_step(c)) > 0)
		;
}

/* The bytes that arrived from the wire, for whichever stage is current. */
static void dispatch(struct conn *c, const char *p, size_t n)
{
	if (c->phase == PH_SOCKS)
		socks_in(c, p, n);
	else if (c->nlayers)
		to_layer(c, 0, p, n);
	else if (c->phase == PH_OPEN)
		app_in(c, p, n);
}


/* TCP (and SOCKS) done: a TLS layer if asked, else open. */
static void start_stack(struct conn *c)
{
	if (!c->want_tls) {
		c->phase = PH_OPEN;
		c->opened = 1;
		return;
	}
	if (push_layer(c, c->sni, c->verify_host) < 0)
		fail(c, "tls_error", "cannot create a TLS session");
}

static void after_socks(struct conn *c)
{
	struct buf rest = c->sin;   /* bytes after the reply belong to the next stage */
	buf_init(&c->sin);
	start_stack(c);
	if (alive(c) && rest.len)
		dispatch(c, rest.data, rest.len);
	buf_free(&rest);
}

static void connected(struct conn *c)
{
	int soerr = 0;
	socklen_t len = sizeof soerr;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		soerr = errno;
	if (soerr) {
		fail(c, errno_code(soerr), strerror(soerr));
		return;
	}
	if (!c->use_socks) {
		start_stack(c);
		return;
	}
	c->phase = PH_SOCKS;
	uint8_t greet[3];
	socks_send(c, greet, socks_greeting(greet, c->sulen > 0), SK_GREET);
}

/* Reads everything available; a read error or EOF is kept for after the data is delivered. */
static void read_wire(struct conn *c)
{
	char chunk[16384];
	/* A bounded helping per wake-up, so a peer that streams fast cannot starve the loop. */
	for (int rounds = 0; rounds < 16 && alive(c); rounds++) {
		ssize_t n = read(c->fd, chunk, sizeof chunk);
		if (n > 0) {
			dispatch(c, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n == 0) {
			c->rd_code = "eof";
			snprintf(c->rd_detail, sizeof c->rd_detail, "%s",
				 c->phase == PH_TLS ? "the peer closed the connection during the TLS handshake"
				 : c->phase == PH_SOCKS ? "the SOCKS proxy closed the connection before answering"
				 : "the peer closed the connection");
		} else {
			c->rd_code = errno == ECONNRESET ? "reset" : errno_code(errno);
			snprintf(c->rd_detail, sizeof c->rd_detail, "%s", strerror(errno));
		}
		return;
	}
}

static void flush_app(struct conn *c)
{
	if (c->phase != PH_OPEN || !c->out.len)
		return;
	if (c->nlayers) {
		if (ssl_write_all(c, c->tls[c->nlayers - 1], c->out.data, c->out.len) < 0)
			return;
		buf_reset(&c->out);
		if (flush_down(c) < 0)
			return;
	} else {
		buf_append(&c->wire, c->out.data, c->out.len);
		buf_reset(&c->out);
	}
}

/* Everything due after input: drive a new layer, tell the app, send what is queued. The
 * callbacks may send, start TLS or close, so loop until nothing changes. */
static void settle(struct conn *c)
{
	while (alive(c)) {
		if (c->kick) {
			c->kick = 0;
			drive_layer(c, c->nlayers - 1);
			continue;
		}
		if (c->opened) {
			c->opened = 0;
			c->cbs.on_open(c->arg);
			continue;
		}
		flush_app(c);
		if (!alive(c))
			return;
		if (c->fresh && c->phase == PH_OPEN) {
			c->fresh = 0;
			c->cbs.on_data(c->arg, &c->in);
			continue;
		}
		flush_wire(c);
		if (alive(c) && c->rd_code && !c->kick && !c->opened && !(c->fresh && c->phase == PH_OPEN))
			fail(c, c->rd_code, c->rd_detail);
		return;
	}
}

static void on_io(void *arg, int fd, unsigned events);

static void update_watch(struct conn *c)
{
	/* Acknowledge at once, every time (the kernel drops quick-ack mode on its own): tor
	 * writes with Nagle on, so its first flight after the handshake otherwise waits for our
	 * delayed ACK, 40 ms on Linux — ten times the whole handshake on loopback. */
	int one = 1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
	unsigned ev = ENGINE_READ;
	if (c->phase == PH_CONNECT || c->wire.len)
		ev |= ENGINE_WRITE;
	engine_watch(c->eng, c->fd, ev, on_io, c);
}

/* Runs fn inside the busy guard, then frees or re-arms the conn. */
static void guarded(struct conn *c, void (*fn)(struct conn *))
{
	c->busy = 1;
	fn(c);
	if (alive(c))
		settle(c);
	c->busy = 0;
	if (c->dead) {
		conn_free(c);
		return;
	}
	if (c->phase != PH_DEAD)
		update_watch(c);
}

static void io_step(struct conn *c)
{
	if (c->phase == PH_CONNECT)
		connected(c);
	else
		read_wire(c);
}

static void on_io(void *arg, int fd, unsigned events)
{
	(void)fd;
	(void)events;
	guarded(arg, io_step);
}

static void nothing(struct conn *c)
{
	(void)c;
}

static void kick_now(void *arg)
{
	struct conn *c = arg;
	c->kick_timer = NULL;
	guarded(c, nothing);
}

static void early_step(struct conn *c)
{
	fail(c, errno_code(c->early_errno), strerror(c->early_errno));
}

/* A connect() that fails at once is reported from a timer, never from inside conn_open. */
static void deliver_early_error(void *arg)
{
	struct conn *c = arg;
	c->early = NULL;
	guarded(c, early_step);
}

static socklen_t make_addr(const struct endpoint *ep, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, ep->host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)ep->port);
		return sizeof *s4;
	}
	if (inet_pton(AF_INET6, ep->host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)ep->port);
		return sizeof *s6;
	}
	ss->ss_family = AF_UNSPEC;
	return 0;
}

static void copy_opts(struct conn *c, const struct endpoint *ep, const struct conn_opts *o)
{
	c->target = *ep;
	c->want_tls = o->tls;
	c->max_in = o->max_in;
	c->sni = o->sni ? xstrdup(o->sni) : NULL;
	c->verify_host = o->verify_host ? xstrdup(o->verify_host) : NULL;
	c->cafile = o->cafile ? xstrdup(o->cafile) : NULL;
	if (o->socks) {
		c->use_socks = 1;
		c->proxy = o->socks->proxy;
		if (o->socks->user && o->socks->ulen && o->socks->ulen <= 255 && o->socks->plen <= 255) {
			memcpy(c->suser, o->socks->user, o->socks->ulen);
			c->sulen = o->socks->ulen;
			c->splen = o->socks->plen ? o->socks->plen : 1;   /* RFC 1929: 1..255 bytes */
			if (o->socks->plen)
				memcpy(c->spass, o->socks->pass, o->socks->plen);
		}
	}
}

/* Creates the socket and starts connecting (holding a budget slot, or from the reserve). */
static void conn_start(struct conn *c)
{
	c->phase = PH_CONNECT;
	struct sockaddr_storage ss;
	socklen_t sslen = make_addr(c->use_socks ? &c->proxy : &c->target, &ss);
	if (c->use_socks && strlen(c->target.host) > 255)
		sslen = 0;
	c->fd = sslen ? socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) : -1;
	if (c->fd < 0) {
		c->early_errno = sslen ? errno : EINVAL;
		c->early = engine_timer(c->eng, 0, deliver_early_error, c);
		return;
	}
	int one = 1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(c->fd, (struct sockaddr *)&ss, sslen) < 0 && errno != EINPROGRESS) {
		c->early_errno = errno;
		c->early = engine_timer(c->eng, 0, deliver_early_error, c);
		return;
	}
	update_watch(c);
}

static void slot_granted(void *arg)
{
	struct conn *c = arg;
	c->has_slot = 1;
	if (engine_ending(c->eng))
		return;   /* the run is over: the slot goes back when the conn is closed */
	conn_start(c);
}

struct conn *conn_open(struct engine *eng, const struct endpoint *ep, const struct conn_opts *o,
		       const struct conn_cbs *cbs, void *arg)
{
	struct conn *c = xcalloc(1, sizeof *c);
	c->eng = eng;
	c->cbs = *cbs;
	c->arg = arg;
	c->fd = -1;
	copy_opts(c, ep, o);
	if (o->reserved) {
		conn_start(c);
		return c;
	}
	if (fdbudget_take(1)) {
		c->has_slot = 1;
		conn_start(c);
		return c;
	}
	/* Over the budget: no socket, no TLS state until a slot frees (a queued conn costs
	 * its struct only). */
	c->phase = PH_QUEUED;
	c->wait = (struct fdbudget_waiter){ .slots = 1, .grant = slot_granted, .arg = c };
	fdbudget_wait(&c->wait);
	return c;
}

int conn_send(struct conn *c, const void *data, size_t len)
{
	if (!alive(c))
		return -1;
	buf_append(&c->out, data, len);
	if (c->phase == PH_OPEN && !c->busy) {
		c->busy = 1;
		flush_app(c);
		if (alive(c))
			flush_wire(c);
		c->busy = 0;
		if (c->dead) {
			conn_free(c);
			return -1;
		}
		if (c->phase == PH_DEAD)
			return -1;
		update_watch(c);
	}
	return 0;
}

int conn_start_tls(struct conn *c, const char *sni)
{
	if (!alive(c) || c->phase != PH_OPEN || push_layer(c, sni, NULL) < 0)
		return -1;
	/* Unread input is the new layer's first ciphertext (e.g. what followed a 101 answer). */
	if (c->in.len)
		BIO_write(SSL_get_rbio(c->tls[c->nlayers - 1]), c->in.data, (int)c->in.len);
	buf_reset(&c->in);
	c->fresh = 0;
	if (!c->busy && !c->kick_timer)
		c->kick_timer = engine_timer(c->eng, 0, kick_now, c);
	return 0;
}

const char *conn_phase(const struct conn *c)
{
	static const char *const names[] = { "connect", "socks", "tls", "open", "closed", "queued" };
	return names[c->phase == PH_DEAD ? c->last : c->phase];
}

const char *conn_pending_failure(const struct conn *c, char *detail, size_t len)
{
	int soerr = 0;
	socklen_t sl = sizeof soerr;
	if (c->phase != PH_CONNECT || c->fd < 0)
		return NULL;
	if (c->early)
		soerr = c->early_errno;
	else if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		return NULL;
	if (!soerr)
		return NULL;
	snprintf(detail, len, "%s", strerror(soerr));
	return errno_code(soerr);
}

int conn_tls_depth(const struct conn *c)
{
	return c->nlayers;
}

const struct buf *conn_input(const struct conn *c)
{
	return &c->in;
}

SSL *conn_ssl(struct conn *c)
{
	return c->nlayers ? c->tls[c->nlayers - 1] : NULL;
}

void conn_close(struct conn *c)
{
	if (!c)
		return;
	if (c->busy) {
		c->dead = 1;
		return;
	}
	/* Best effort: a polite goodbye (Tor's NETINFO) may be queued. No callbacks from here. */
	c->closing = 1;
	if (c->phase == PH_OPEN) {
		flush_app(c);
		flush_wire(c);
	}
	conn_free(c);
}
