/* conn.c: non-blocking TCP (+TLS) client connections on the engine. */
#include "conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum phase { PH_CONNECT, PH_TLS, PH_OPEN, PH_DEAD };

struct conn {
	struct engine *eng;
	int fd;
	SSL *ssl;
	enum phase phase;
	struct conn_opts opts;
	struct conn_cbs cbs;
	void *arg;
	struct buf in, out;
	int busy, dead;   /* conn_close inside a callback only marks; the handler frees */
	struct engine_timer *early;
	int early_errno;
	enum phase last;   /* the phase a failure happened in */
};

static SSL_CTX *client_ctx;

static SSL_CTX *ctx_get(void)
{
	if (!client_ctx) {
		client_ctx = SSL_CTX_new(TLS_client_method());
		if (!client_ctx)
			return NULL;
		SSL_CTX_set_min_proto_version(client_ctx, TLS1_2_VERSION);
		SSL_CTX_set_verify(client_ctx, SSL_VERIFY_NONE, NULL);
		/* Output may grow between retries of a blocked write. */
		SSL_CTX_set_mode(client_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	}
	return client_ctx;
}

static const char *errno_code(int err)
{
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
	if (c->ssl)
		SSL_free(c->ssl);
	if (c->fd >= 0)
		close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	free(c);
}

/* Calls an error callback once; after any callback the handler must check c->dead. */
static void fail(struct conn *c, const char *code, const char *detail)
{
	if (c->phase == PH_DEAD)
		return;
	c->last = c->phase;
	c->phase = PH_DEAD;
	engine_unwatch(c->eng, c->fd);
	c->cbs.on_error(c->arg, code, detail);
}

static void on_io(void *arg, int fd, unsigned events);

static void update_watch(struct conn *c)
{
	unsigned ev = ENGINE_READ;
	if (c->phase == PH_CONNECT || c->out.len)
		ev |= ENGINE_WRITE;
	engine_watch(c->eng, c->fd, ev, on_io, c);
}

static void tls_fail(struct conn *c, int sslerr, int ret)
{
	unsigned long e = ERR_peek_last_error();
	char detail[200];
	if (sslerr == SSL_ERROR_SYSCALL && errno && ret < 0) {
		snprintf(detail, sizeof detail, "TLS handshake: %s", strerror(errno));
		ERR_clear_error();
		fail(c, errno == ECONNRESET ? "reset" : errno_code(errno), detail);
		return;
	}
	if ((sslerr == SSL_ERROR_SYSCALL && !e) || ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
		ERR_clear_error();
		fail(c, "eof", "the peer closed the connection during the TLS handshake");
		return;
	}
	snprintf(detail, sizeof detail, "TLS handshake failed: %s",
		 e ? ERR_reason_error_string(e) ? ERR_reason_error_string(e) : "unknown error" : "unknown error");
	ERR_clear_error();
	fail(c, "tls_error", detail);
}

static void do_tls(struct conn *c)
{
	ERR_clear_error();
	errno = 0;
	int ret = SSL_connect(c->ssl);
	if (ret == 1) {
		c->phase = PH_OPEN;
		update_watch(c);
		c->cbs.on_open(c->arg);
		return;
	}
	int err = SSL_get_error(c->ssl, ret);
	if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
		return;
	tls_fail(c, err, ret);
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
	if (!c->opts.tls) {
		c->phase = PH_OPEN;
		update_watch(c);
		c->cbs.on_open(c->arg);
		return;
	}
	SSL_CTX *ctx = ctx_get();
	c->ssl = ctx ? SSL_new(ctx) : NULL;
	if (!c->ssl) {
		fail(c, "tls_error", "cannot create a TLS session");
		return;
	}
	SSL_set_fd(c->ssl, c->fd);
	if (c->opts.sni)
		SSL_set_tlsext_host_name(c->ssl, c->opts.sni);
	c->phase = PH_TLS;
	do_tls(c);
}

static ssize_t raw_read(struct conn *c, char *p, size_t n, int *sslerr)
{
	if (!c->ssl)
		return read(c->fd, p, n);
	ERR_clear_error();
	int r = SSL_read(c->ssl, p, (int)n);
	if (r > 0)
		return r;
	*sslerr = SSL_get_error(c->ssl, r);
	return r;
}

static void read_some(struct conn *c)
{
	char chunk[16384];
	int got = 0;
	for (;;) {
		int sslerr = 0;
		errno = 0;
		ssize_t n = raw_read(c, chunk, sizeof chunk, &sslerr);
		if (n > 0) {
			buf_append(&c->in, chunk, (size_t)n);
			got = 1;
			if (c->opts.max_in && c->in.len > c->opts.max_in) {
				fail(c, "too_much", "the peer sent more than expected");
				return;
			}
			continue;
		}
		if (c->ssl && (sslerr == SSL_ERROR_WANT_READ || sslerr == SSL_ERROR_WANT_WRITE))
			break;
		if (!c->ssl && n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (got)
			c->cbs.on_data(c->arg, &c->in);
		if (c->dead)
			return;
		if (n == 0 || sslerr == SSL_ERROR_ZERO_RETURN || (c->ssl && sslerr == SSL_ERROR_SYSCALL && !errno))
			fail(c, "eof", "the peer closed the connection");
		else
			fail(c, errno == ECONNRESET ? "reset" : c->ssl && sslerr == SSL_ERROR_SSL ? "tls_error" : errno_code(errno),
			     errno ? strerror(errno) : "TLS error");
		ERR_clear_error();
		return;
	}
	if (got)
		c->cbs.on_data(c->arg, &c->in);
}

static void write_some(struct conn *c)
{
	while (c->out.len) {
		ssize_t n;
		if (c->ssl) {
			ERR_clear_error();
			int r = SSL_write(c->ssl, c->out.data, (int)c->out.len);
			if (r <= 0) {
				int err = SSL_get_error(c->ssl, r);
				if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
					return;
				fail(c, errno == ECONNRESET ? "reset" : "tls_error", "cannot send");
				return;
			}
			n = r;
		} else {
			n = write(c->fd, c->out.data, c->out.len);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return;
			if (n < 0) {
				fail(c, errno_code(errno), strerror(errno));
				return;
			}
		}
		buf_consume(&c->out, (size_t)n);
	}
}

static void on_io(void *arg, int fd, unsigned events)
{
	struct conn *c = arg;
	(void)fd;
	(void)events;
	c->busy = 1;
	if (c->phase == PH_CONNECT)
		connected(c);
	else if (c->phase == PH_TLS)
		do_tls(c);
	else if (c->phase == PH_OPEN) {
		write_some(c);
		if (c->phase == PH_OPEN && !c->dead)
			read_some(c);
	}
	c->busy = 0;
	if (c->dead) {
		conn_free(c);
		return;
	}
	if (c->phase != PH_DEAD)
		update_watch(c);
}

/* A connect() that fails at once is reported from a timer, never from inside conn_open. */
static void deliver_early_error(void *arg)
{
	struct conn *c = arg;
	c->early = NULL;
	c->busy = 1;
	fail(c, errno_code(c->early_errno), strerror(c->early_errno));
	c->busy = 0;
	if (c->dead)
		conn_free(c);
}

struct conn *conn_open(struct engine *eng, const struct endpoint *ep, const struct conn_opts *o,
		       const struct conn_cbs *cbs, void *arg)
{
	struct conn *c = xcalloc(1, sizeof *c);
	c->eng = eng;
	c->opts = *o;
	c->cbs = *cbs;
	c->arg = arg;
	c->phase = PH_CONNECT;
	struct sockaddr_storage ss = { 0 };
	socklen_t sslen;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, ep->host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)ep->port);
		sslen = sizeof *s4;
	} else if (inet_pton(AF_INET6, ep->host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)ep->port);
		sslen = sizeof *s6;
	} else {
		ss.ss_family = AF_UNSPEC;
		sslen = 0;
	}
	c->fd = ss.ss_family == AF_UNSPEC ? -1 :
		socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		c->early_errno = ss.ss_family == AF_UNSPEC ? EINVAL : errno;
		c->early = engine_timer(eng, 0, deliver_early_error, c);
		return c;
	}
	int one = 1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(c->fd, (struct sockaddr *)&ss, sslen) < 0 && errno != EINPROGRESS) {
		c->early_errno = errno;
		c->early = engine_timer(eng, 0, deliver_early_error, c);
		return c;
	}
	update_watch(c);
	return c;
}

int conn_send(struct conn *c, const void *data, size_t len)
{
	if (c->phase == PH_DEAD)
		return -1;
	buf_append(&c->out, data, len);
	if (c->phase == PH_OPEN && !c->busy) {
		c->busy = 1;
		write_some(c);
		c->busy = 0;
		if (c->dead) {
			conn_free(c);
			return -1;
		}
		if (c->phase == PH_OPEN)
			update_watch(c);
	}
	return 0;
}

const char *conn_phase(const struct conn *c)
{
	static const char *const names[] = { "connect", "tls", "open", "closed" };
	return names[c->phase == PH_DEAD ? c->last : c->phase];
}

SSL *conn_ssl(struct conn *c)
{
	return c->ssl;
}

void conn_close(struct conn *c)
{
	if (!c)
		return;
	if (c->busy) {
		c->dead = 1;
		return;
	}
	if (c->early)
		engine_timer_cancel(c->eng, c->early);
	if (c->phase == PH_OPEN && c->out.len)
		write_some(c);   /* best effort: a polite goodbye (Tor's NETINFO) is already queued */
	conn_free(c);
}
