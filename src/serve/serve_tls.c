/* serve_tls.c: the TLS front of `serve`. OpenSSL terminates TLS here (not a proxy in front),
 * because the self-check judges the ClientHello that actually arrived: the message callback
 * hands us each received handshake message after OpenSSL reassembled it from however many
 * records it came in, so a ClientHello split over records is seen whole, and an oversized one
 * is refused by OpenSSL's own bound before it reaches us.
 * Connections are bounded three ways: at most max_conns open (accepting pauses at the bound
 * and resumes when one closes), an idle timeout (evhttp's), and a lifetime after which the
 * socket is shut down, so a client dripping a byte a second cannot hold a slot for ever.
 * Memory is bounded too: evhttp holds a whole request body before our callback can look at
 * the token (libevent 2.1 has no header callback), so every byte a connection sends is counted
 * (a callback on its input buffer) until its request reaches the router, over all connections
 * together. Past the budget the connection whose unanswered request began longest ago is
 * shut down: slow uploads that pile up go first, and the newest requests (a page, a fresh
 * submission) still fit. The bytes of a lingering 413 are counted too, though evhttp drops
 * them: an endless one is cut at the budget instead of read for the connection's lifetime. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "buf.h"
#include "serve.h"

static int conn_idx = -1;

static void conn_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	(void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
	struct serve_conn *c = ptr;
	if (!c)
		return;
	struct serve *s = c->srv;
	if (c->life)
		event_free(c->life);
	/* The budget gets its bytes back whichever way the connection ended. (This runs while
	 * the bufferevent is being destroyed, its input buffer still there.) */
	if (!c->cut)
		s->buffered -= c->pending;
	if (c->in_cb)
		evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->in_cb);
	if (c->prev)
		c->prev->next = c->next;
	else if (s->conns == c)
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c);
	s->nconns--;
	if (s->paused && s->nconns < s->o.max_conns && s->listener) {
		evconnlistener_enable(s->listener);
		s->paused = 0;
	}
}

/* Only the first ClientHello of a connection counts (a second one after a
 * HelloRetryRequest is the same client answering us, not new evidence). */
static void msg_cb(int write_p, int version, int content_type, const void *buf, size_t len,
		   SSL *ssl, void *arg)
{
	(void)version, (void)arg;
	if (write_p || content_type != SSL3_RT_HANDSHAKE || len < 4 ||
	    ((const unsigned char *)buf)[0] != SSL3_MT_CLIENT_HELLO)
		return;
	struct serve_conn *c = SSL_get_ex_data(ssl, conn_idx);
	if (!c || c->seen)
		return;
	c->seen = 1;
	c->raw_len = len;
	c->parsed = clienthello_parse(buf, len, &c->ch) == 0;
	if (c->parsed)
		clienthello_ja4(&c->ch, c->ja4);
}

/* Shutting the socket down makes libevent see end-of-file (or a reset, should the client
 * send more), and evhttp then frees the connection through its own path (freeing it from
 * here would leave evhttp holding a dangling pointer). */
static void conn_shutdown(struct serve_conn *c)
{
	evutil_socket_t fd = bufferevent_getfd(c->bev);
	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
}

/* The lifetime is over. */
static void life_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	conn_shutdown(arg);
}

/* One line a second at most (a flood would otherwise write one per connection), with the
 * count so far, so that the lines not written are not lost. */
static void log_cut(struct serve *s, size_t held)
{
	long now = (long)time(NULL);
	s->cuts++;
	if (now == s->cut_logged_at)
		return;
	s->cut_logged_at = now;
	fprintf(stderr, "torready serve: the --max-buffered budget of %d MiB is full: closed a "
		"connection holding %zu KiB of an unanswered request (%lu closed so far)\n",
		s->o.max_buffered_mib, held >> 10, s->cuts);
}

/* Shutting the socket down is all that is safe here (see conn_shutdown): evhttp frees the
 * connection when it reads the end. Until then what the kernel still had queued for it keeps
 * arriving, so its input is dropped, now and as it comes (in_cb): its parse state no longer
 * matters, and a request it still completes is refused (serve_conn_dispatched). */
static void conn_cut(struct serve_conn *c)
{
	struct serve *s = c->srv;
	s->buffered -= c->pending;
	c->cut = 1;
	conn_shutdown(c);
	log_cut(s, c->pending);
	struct evbuffer *in = bufferevent_get_input(c->bev);
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void budget_enforce(struct serve *s)
{
	size_t budget = (size_t)s->o.max_buffered_mib << 20;
	while (s->buffered > budget) {
		struct serve_conn *old = NULL;
		for (struct serve_conn *x = s->conns; x; x = x->next)
			if (!x->cut && x->pending && (!old || x->since < old->since))
				old = x;
		if (!old)
			break;
		conn_cut(old);
	}
}

/* Bytes the TLS layer decrypted into the connection's input buffer (evhttp moving them on
 * shows as deleted, which does not matter: they are held until the request is answered). */
static void in_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct serve_conn *c = arg;
	struct serve *s = c->srv;
	if (!info->n_added)
		return;   /* evhttp took bytes out (or we dropped them) */
	if (c->cut) {
		evbuffer_drain(buf, evbuffer_get_length(buf));
		return;
	}
	if (!c->pending)
		c->since = ++s->req_seq;
	c->pending += info->n_added;
	s->buffered += info->n_added;
	budget_enforce(s);
}

int serve_conn_dispatched(struct serve_conn *c)
{
	if (!c)
		return 0;
	if (c->cut)
		return -1;
	/* What is still in the input buffer arrived after this request: the next one's. */
	size_t left = evbuffer_get_length(bufferevent_get_input(c->bev));
	c->srv->buffered -= c->pending;
	c->pending = left;
	c->srv->buffered += left;
	if (left)
		c->since = ++c->srv->req_seq;
	return 0;
}

struct bufferevent *serve_tls_bev(struct event_base *base, void *arg)
{
	struct serve *s = arg;
	SSL *ssl = SSL_new(s->ctx);
	if (!ssl)
		return NULL;
	struct serve_conn *c = xcalloc(1, sizeof *c);
	c->srv = s;
	s->nconns++;
	SSL_set_ex_data(ssl, conn_idx, c);   /* freed with the SSL (conn_free) */
	struct bufferevent *bev = bufferevent_openssl_socket_new(base, -1, ssl,
		BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
	if (!bev) {
		SSL_free(ssl);
		return NULL;
	}
	c->bev = bev;
	c->in_cb = evbuffer_add_cb(bufferevent_get_input(bev), in_cb, c);
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	c->life = evtimer_new(base, life_cb, c);
	struct timeval tv = { s->o.life_seconds, 0 };
	if (c->life)
		evtimer_add(c->life, &tv);
	if (s->nconns >= s->o.max_conns && s->listener && !s->paused) {
		evconnlistener_disable(s->listener);
		s->paused = 1;
	}
	return bev;
}

struct serve_conn *serve_conn_of(struct evhttp_request *req)
{
	struct evhttp_connection *ec = evhttp_request_get_connection(req);
	struct bufferevent *bev = ec ? evhttp_connection_get_bufferevent(ec) : NULL;
	SSL *ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;
	return ssl ? SSL_get_ex_data(ssl, conn_idx) : NULL;
}

static void ssl_err(char *errbuf, size_t errlen, const char *what, const char *file)
{
	unsigned long e = ERR_get_error();
	snprintf(errbuf, errlen, "%s %s: %s", what, file, e ? ERR_reason_error_string(e) : "failed");
}

int serve_tls_init(struct serve *s, char *errbuf, size_t errlen)
{
	if (conn_idx < 0)
		conn_idx = SSL_get_ex_new_index(0, NULL, NULL, NULL, conn_free);
	s->ctx = SSL_CTX_new(TLS_server_method());
	if (!s->ctx) {
		snprintf(errbuf, errlen, "cannot create a TLS context");
		return -1;
	}
	SSL_CTX_set_min_proto_version(s->ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(s->ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_msg_callback(s->ctx, msg_cb);
	if (SSL_CTX_use_certificate_chain_file(s->ctx, s->o.cert) != 1) {
		ssl_err(errbuf, errlen, "cannot use --tls-cert", s->o.cert);
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(s->ctx, s->o.key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(s->ctx) != 1) {
		ssl_err(errbuf, errlen, "cannot use --tls-key", s->o.key);
		return -1;
	}
	/* What the self-check page shows: the certificate this server sends. */
	X509 *leaf = SSL_CTX_get0_certificate(s->ctx);
	if (!leaf || certinfo_spki_pin(leaf, s->cert_pin) < 0) {
		snprintf(errbuf, errlen, "--tls-cert %s: no usable certificate", s->o.cert);
		return -1;
	}
	certinfo_name(X509_get_issuer_name(leaf), s->cert_issuer, sizeof s->cert_issuer);
	certinfo_name(X509_get_subject_name(leaf), s->cert_subject, sizeof s->cert_subject);
	return 0;
}
