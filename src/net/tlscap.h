/* tlscap.h: records what a libcurl transfer's TLS handshake showed — the certificate chain
 * as the server sent it, OpenSSL's verdict on it (when asked), the TLS version and the SCTs
 * delivered in TLS — with curl's own verification off, so a bad chain is seen, not refused. */
#ifndef TORREADY_TLSCAP_H
#define TORREADY_TLSCAP_H

#include <curl/curl.h>
#include <openssl/x509.h>

struct tlscap {
	/* Set before tlscap_attach: */
	int verify;              /* check the chain against the system store (+ cafile) */
	const char *cafile;      /* extra trust anchors, or NULL */
	/* Filled during the handshake: */
	STACK_OF(X509) *chain;   /* leaf first; NULL until the server's certificates arrived */
	int verify_err;          /* with verify: X509_V_OK or OpenSSL's first error */
	int verify_depth;        /* where that error was found */
	int tls_scts;            /* SCTs from the TLS extension or stapled OCSP */
	char version[16];        /* "TLSv1.3" */
};

/* Sets CURLOPT_SSL_CTX_FUNCTION/DATA on easy; cap must outlive the transfer. The check is
 * our own (libcurl loads no CA store when its verification is off). */
void tlscap_attach(CURL *easy, struct tlscap *cap);
void tlscap_clear(struct tlscap *cap);

#endif
