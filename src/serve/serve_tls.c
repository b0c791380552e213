/* serve_tls.c: the TLS front of `serve`. OpenSSL terminates TLS here (not a proxy in front),
 * because the self-check judges the ClientHello that actually arrived: the message callback
 * hands us each received handshake message after OpenSSL reassembled it from however many
 * records it came in, so a ClientHello split over records is seen whole, and an oversized one
 * is refused by OpenSSL's own bound before it reaches us.
 * Connections are bounded three ways: at most max_conns open (accepting pauses at the bound
 * and resumes when one closes), an idle timeout (evhttp's), and a lifetime after which the
 * socket is shut down, so a client dripping a byte a second cannot hold a slot for ever. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

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

/* The lifetime is over: shutting the socket down makes libevent see end-of-file, and evhttp
 * then frees the connection through its own path (freeing it from here would leave evhttp
 * holding a dangling pointer). */
static void life_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct serve_conn *c = arg;
	evutil_socket_t s = bufferevent_getfd(c->bev);
	if (s >= 0)
		shutdown(s, SHUT_RDWR);
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
