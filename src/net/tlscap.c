/* tlscap.c: an OpenSSL certificate-verify hook installed through libcurl's SSL_CTX callback,
 * so the chain and OpenSSL's verdict are recorded while curl keeps driving the connection. */
#include "tlscap.h"

#include <openssl/ct.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>

static void record_chain(struct tlscap *cap, X509_STORE_CTX *x)
{
	X509 *leaf = X509_STORE_CTX_get0_cert(x);
	STACK_OF(X509) *sent = X509_STORE_CTX_get0_untrusted(x);
	sk_X509_pop_free(cap->chain, X509_free);
	cap->chain = sk_X509_new_null();
	/* On a client the untrusted list is the server's whole chain, leaf included. */
	if (leaf && (!sent || !sk_X509_num(sent) || X509_cmp(sk_X509_value(sent, 0), leaf))) {
		X509_up_ref(leaf);
		sk_X509_push(cap->chain, leaf);
	}
	for (int i = 0; sent && i < sk_X509_num(sent); i++) {
		X509 *c = sk_X509_value(sent, i);
		X509_up_ref(c);
		sk_X509_push(cap->chain, c);
	}
}

static int count_tls_scts(SSL *ssl)
{
	/* Embedded SCTs are counted from the certificate itself (certinfo); here only those that
	 * came in the TLS extension or a stapled OCSP response. */
	const STACK_OF(SCT) *scts = SSL_get0_peer_scts(ssl);
	int n = 0;
	for (int i = 0; scts && i < sk_SCT_num(scts); i++)
		n += SCT_get_source(sk_SCT_value(scts, i)) != SCT_SOURCE_X509V3_EXTENSION;
	ERR_clear_error();
	return n;
}

/* The system store (OpenSSL's default paths) plus cafile, at the handshake's security level
 * (so a SHA-1 signature fails as it would for a client that enforces verification). */
static int check_chain(struct tlscap *cap, X509_STORE_CTX *x, SSL *ssl)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok = -1;
	if (store && ctx && X509_STORE_set_default_paths(store) == 1 &&
	    (!cap->cafile || X509_STORE_load_file(store, cap->cafile) == 1) &&
	    X509_STORE_CTX_init(ctx, store, X509_STORE_CTX_get0_cert(x), X509_STORE_CTX_get0_untrusted(x)) == 1) {
		X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
		if (ssl)
			X509_VERIFY_PARAM_set_auth_level(X509_STORE_CTX_get0_param(ctx), SSL_get_security_level(ssl));
		ok = X509_verify_cert(ctx);
		cap->verify_err = ok > 0 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
		cap->verify_depth = X509_STORE_CTX_get_error_depth(ctx);
	}
	if (ok <= 0 && cap->verify_err == X509_V_OK)
		cap->verify_err = X509_V_ERR_UNSPECIFIED;
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
	return ok > 0;
}

static int verify_cb(X509_STORE_CTX *x, void *arg)
{
	struct tlscap *cap = arg;
	record_chain(cap, x);
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	if (ssl) {
		snprintf(cap->version, sizeof cap->version, "%s", SSL_get_version(ssl));
		cap->tls_scts = count_tls_scts(ssl);
	}
	if (cap->verify)
		check_chain(cap, x, ssl);
	/* curl's verification is off (SSL_VERIFY_NONE): the handshake goes on either way. */
	return 1;
}

static CURLcode ctx_fn(CURL *curl, void *sslctx, void *arg)
{
	(void)curl;
	SSL_CTX *ctx = sslctx;
	/* Ask for SCTs in TLS too; permissive: we only count them, never reject. */
	SSL_CTX_enable_ct(ctx, SSL_CT_VALIDATION_PERMISSIVE);
	ERR_clear_error();
	SSL_CTX_set_cert_verify_callback(ctx, verify_cb, arg);
	return CURLE_OK;
}

void tlscap_attach(CURL *easy, struct tlscap *cap)
{
	cap->verify_err = X509_V_OK;
	curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, ctx_fn);
	curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, cap);
}

void tlscap_clear(struct tlscap *cap)
{
	sk_X509_pop_free(cap->chain, X509_free);
	memset(cap, 0, sizeof *cap);
}
