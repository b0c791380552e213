/* certgen.h: certificates built at test time (EC P-256 keys, made in memory) for the unit
 * tests of certinfo, chainpath, truststore and the interception judge. Header-only. */
#ifndef TORREADY_TEST_CERTGEN_H
#define TORREADY_TEST_CERTGEN_H

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>

static inline EVP_PKEY *cg_key(void)
{
	return EVP_EC_gen("P-256");
}

static inline void cg_name(X509_NAME *n, const char *cn, const char *o)
{
	if (o)
		X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)o, -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
}

static inline void cg_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
}

/* A certificate for key with subject (cn, o), signed by signer_key and naming issuer's
 * subject (issuer NULL: self-issued). san: "DNS:a.test" or NULL. extra: an extension to add
 * before signing, or NULL. Returns a certificate re-parsed from DER, as a peer's would be. */
static inline X509 *cg_cert(EVP_PKEY *key, const char *cn, const char *o, X509 *issuer, EVP_PKEY *signer_key,
		     int ca, const char *san, X509_EXTENSION *extra)
{
	static long serial = 1000;
	X509 *x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 30L * 86400);
	X509_set_pubkey(x, key);
	cg_name(X509_get_subject_name(x), cn, o);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : X509_get_subject_name(x));
	cg_ext(x, issuer ? issuer : x, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	if (san)
		cg_ext(x, issuer ? issuer : x, NID_subject_alt_name, san);
	if (extra)
		X509_add_ext(x, extra, -1);
	X509_sign(x, signer_key, EVP_sha256());
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der);
	X509_free(x);
	const unsigned char *p = der;
	X509 *y = d2i_X509(NULL, &p, len);
	OPENSSL_free(der);
	return y;
}

static inline int cg_write_pem(const char *path, X509 *x)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int ok = PEM_write_X509(f, x);
	fclose(f);
	return ok ? 0 : -1;
}

static inline STACK_OF(X509) *cg_chain(X509 *a, X509 *b, X509 *c)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	X509 *v[3] = { a, b, c };
	for (int i = 0; i < 3; i++)
		if (v[i]) {
			X509_up_ref(v[i]);
			sk_X509_push(sk, v[i]);
		}
	return sk;
}

#endif
