/* test_certinfo.c: SPKI pins, names, signatures and SCT parsing. No real CT log can issue a
 * certificate here, so the SCT tests build one at test time carrying a synthetic SCT list
 * extension (1.3.6.1.4.1.11129.2.4.2), and check our parser against OpenSSL's own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/ct.h>

#include "certgen.h"
#include "certinfo.h"

/* A throwaway self-signed root; its pin computed with the openssl command line:
 * openssl x509 -noout -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256
 * -binary | base64 */
static const char fixture_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIB3TCCAYOgAwIBAgIUZquRvEcgK7nodjqay7eCAA0BuS0wCgYIKoZIzj0EAwIw\n"
	"OzEcMBoGA1UECgwTRmFrZSBUcnVzdCBTZXJ2aWNlczEbMBkGA1UEAwwSRmFrZSBQ\n"
	"dWJsaWMgUm9vdCBBMCAXDTI2MTEyNzAyNDM1N1oYDzIxMjYxMTAzMDI0MzU3WjA7\n"
	"MRwwGgYDVQQKDBNGYWtlIFRydXN0IFNlcnZpY2VzMRswGQYDVQQDDBJGYWtlIFB1\n"
	"YmxpYyBSb290IEEwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARqGHr1o0x65DHx\n"
	"NeeyvuvKCIb2GfejcMN83/WKT0EyhyncK9krBsdkMtLCJ6RREnq6LqSFXERqsrWi\n"
	"Z27yPKaio2MwYTAdBgNVHQ4EFgQUZJyB6Url8rdxQMum9wz6WpI25DgwHwYDVR0j\n"
	"BBgwFoAUZJyB6Url8rdxQMum9wz6WpI25DgwDwYDVR0TAQH/BAUwAwEB/zAOBgNV\n"
	"HQ8BAf8EBAMCAQYwCgYIKoZIzj0EAwIDSAAwRQIgUR2cvB3SdNiSgKkX64ILHfYT\n"
	"D9Z0MZCTfnP2Y8QCuloCIQDzzS2ECzAxjMOIKwiEA9T6uc2moz/VJP8u8w0zkTPz\n"
	"Ew==\n"
	"-----END CERTIFICATE-----\n";
static const char fixture_pin[] = "nGwury2J8slKTwY+geVH6QUVQSL7xQiflCbbLXTGazg=";

static X509 *fixture(void)
{
	BIO *b = BIO_new_mem_buf(fixture_pem, -1);
	X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	return x;
}

static void test_pin_known_answer(void **state)
{
	(void)state;
	X509 *x = fixture();
	assert_non_null(x);
	char pin[CERTINFO_PIN_LEN];
	assert_int_equal(certinfo_spki_pin(x, pin), 0);
	assert_string_equal(pin, fixture_pin);
	assert_int_equal(strlen(pin), 44);
	X509_free(x);
}

static void test_names(void **state)
{
	(void)state;
	X509 *x = fixture();
	char s[256];
	certinfo_name(X509_get_subject_name(x), s, sizeof s);
	assert_string_equal(s, "CN=Fake Public Root A, O=Fake Trust Services");
	certinfo_name_field(X509_get_subject_name(x), NID_organizationName, s, sizeof s);
	assert_string_equal(s, "Fake Trust Services");
	certinfo_name_field(X509_get_subject_name(x), NID_organizationalUnitName, s, sizeof s);
	assert_string_equal(s, "");
	certinfo_display_name(X509_get_subject_name(x), s, sizeof s);
	assert_string_equal(s, "Fake Public Root A");
	certinfo_not_after(x, s);
	assert_string_equal(s, "2126-11-03T02:43:57Z");
	json_t *j = certinfo_json(x, "trust store");
	assert_true(strstr(json_string_value(j), "CN=Fake Public Root A, O=Fake Trust Services \u2014 issued by") != NULL);
	assert_true(strstr(json_string_value(j), "key sha256//nGwury2J8slKTwY+") != NULL);
	assert_true(strstr(json_string_value(j), "from this machine's trust store") != NULL);
	json_decref(j);
	X509_free(x);
}

static void test_signatures(void **state)
{
	(void)state;
	EVP_PKEY *rk = cg_key(), *lk = cg_key(), *other = cg_key();
	X509 *root = cg_cert(rk, "Root", NULL, NULL, rk, 1, NULL, NULL);
	X509 *leaf = cg_cert(lk, "leaf.test", NULL, root, rk, 0, "DNS:leaf.test", NULL);
	/* Names the root as issuer but signed by another key: a forgery. */
	X509 *forged = cg_cert(lk, "leaf.test", NULL, root, other, 0, NULL, NULL);
	assert_true(certinfo_self_signed(root));
	assert_false(certinfo_self_signed(leaf));
	assert_true(certinfo_signed_by(leaf, root));
	assert_false(certinfo_signed_by(forged, root));
	assert_false(certinfo_signed_by(root, leaf));
	assert_true(certinfo_same_key(leaf, forged));
	assert_false(certinfo_same_key(leaf, root));
	X509_free(root);
	X509_free(leaf);
	X509_free(forged);
	EVP_PKEY_free(rk);
	EVP_PKEY_free(lk);
	EVP_PKEY_free(other);
}

/* One v1 SCT: log id filled with `id`, a timestamp, extensions, and a short signature. */
static size_t put_sct(uint8_t *p, uint8_t id, uint64_t ts, size_t extlen, size_t siglen)
{
	size_t len = 1 + 32 + 8 + 2 + extlen + 2 + 2 + siglen, o = 0;
	p[o++] = (uint8_t)(len >> 8);
	p[o++] = (uint8_t)len;
	p[o++] = 0;
	memset(p + o, id, 32);
	o += 32;
	for (int i = 7; i >= 0; i--)
		p[o++] = (uint8_t)(ts >> (8 * i));
	p[o++] = (uint8_t)(extlen >> 8);
	p[o++] = (uint8_t)extlen;
	memset(p + o, 0xee, extlen);
	o += extlen;
	p[o++] = 4;   /* sha256 */
	p[o++] = 3;   /* ecdsa */
	p[o++] = (uint8_t)(siglen >> 8);
	p[o++] = (uint8_t)siglen;
	memset(p + o, 0x5a, siglen);
	return o + siglen;
}

static size_t two_scts(uint8_t *buf)
{
	size_t n = 2;
	n += put_sct(buf + n, 0x11, 1700000000123ULL, 0, 70);
	n += put_sct(buf + n, 0x22, 1700000000456ULL, 3, 71);
	buf[0] = (uint8_t)((n - 2) >> 8);
	buf[1] = (uint8_t)(n - 2);
	return n;
}

static void test_sct_list(void **state)
{
	(void)state;
	uint8_t buf[600];
	size_t n = two_scts(buf);
	struct sct_entry e[4];
	assert_int_equal(certinfo_sct_list_parse(buf, n, e, 4), 2);
	assert_int_equal(e[0].version, 0);
	assert_int_equal(e[0].log_id[0], 0x11);
	assert_int_equal(e[0].log_id[31], 0x11);
	assert_true(e[0].timestamp_ms == 1700000000123ULL);
	assert_int_equal(e[1].log_id[5], 0x22);
	assert_true(e[1].timestamp_ms == 1700000000456ULL);
	/* Counts all even when only one is stored. */
	assert_int_equal(certinfo_sct_list_parse(buf, n, e, 1), 2);
	assert_int_equal(certinfo_sct_list_parse(buf, n, NULL, 0), 2);
}

static void test_sct_list_malformed(void **state)
{
	(void)state;
	uint8_t buf[600];
	size_t n = two_scts(buf);
	struct sct_entry e[2];
	assert_int_equal(certinfo_sct_list_parse(buf, n - 1, e, 2), -1);   /* truncated */
	buf[1]++;
	assert_int_equal(certinfo_sct_list_parse(buf, n, e, 2), -1);       /* list length off */
	buf[1]--;
	buf[3]++;
	assert_int_equal(certinfo_sct_list_parse(buf, n, e, 2), -1);       /* first SCT too long */
	buf[3]--;
	uint8_t empty[2] = { 0, 0 };
	assert_int_equal(certinfo_sct_list_parse(empty, 2, e, 2), -1);     /* the list is 1.. */
	assert_int_equal(certinfo_sct_list_parse(buf, 1, e, 2), -1);
	/* A signature length that overruns its SCT. */
	uint8_t one[200];
	size_t k = 2 + put_sct(one + 2, 0x33, 1, 0, 10);
	one[0] = 0;
	one[1] = (uint8_t)(k - 2);
	assert_int_equal(certinfo_sct_list_parse(one, k, e, 2), 1);
	one[k - 11] = 20;   /* siglen low byte */
	assert_int_equal(certinfo_sct_list_parse(one, k, e, 2), -1);
}

/* The X.509 extension: extnValue holds a DER OCTET STRING wrapping the TLS-encoded list. */
static X509_EXTENSION *sct_extension(const uint8_t *list, size_t n, int wrap)
{
	ASN1_OCTET_STRING *inner = ASN1_OCTET_STRING_new();
	ASN1_OCTET_STRING_set(inner, list, (int)n);
	unsigned char *der = NULL;
	int dlen = wrap ? i2d_ASN1_OCTET_STRING(inner, &der) : (int)n;
	ASN1_OCTET_STRING *value = ASN1_OCTET_STRING_new();
	ASN1_OCTET_STRING_set(value, wrap ? der : list, dlen);
	X509_EXTENSION *ext = X509_EXTENSION_create_by_NID(NULL, NID_ct_precert_scts, 0, value);
	ASN1_OCTET_STRING_free(inner);
	ASN1_OCTET_STRING_free(value);
	OPENSSL_free(der);
	return ext;
}

static void test_embedded_scts(void **state)
{
	(void)state;
	uint8_t buf[600];
	size_t n = two_scts(buf);
	EVP_PKEY *k = cg_key();
	X509_EXTENSION *ext = sct_extension(buf, n, 1);
	X509 *with = cg_cert(k, "logged.test", NULL, NULL, k, 0, "DNS:logged.test", ext);
	X509 *without = cg_cert(k, "unlogged.test", NULL, NULL, k, 0, NULL, NULL);
	struct sct_entry e[4];
	assert_int_equal(certinfo_embedded_scts(with, e, 4), 2);
	assert_true(e[1].timestamp_ms == 1700000000456ULL);
	assert_int_equal(certinfo_embedded_scts(without, e, 4), 0);
	/* OpenSSL's own parser agrees on the same certificate. */
	STACK_OF(SCT) *scts = X509_get_ext_d2i(with, NID_ct_precert_scts, NULL, NULL);
	assert_non_null(scts);
	assert_int_equal(sk_SCT_num(scts), 2);
	assert_true(SCT_get_timestamp(sk_SCT_value(scts, 0)) == 1700000000123ULL);
	SCT_LIST_free(scts);
	X509_EXTENSION_free(ext);
	X509_free(with);
	X509_free(without);
	EVP_PKEY_free(k);
}

static void test_embedded_scts_malformed(void **state)
{
	(void)state;
	uint8_t buf[600];
	size_t n = two_scts(buf);
	EVP_PKEY *k = cg_key();
	/* The list without its OCTET STRING wrapper, and a wrapped list cut short. */
	X509_EXTENSION *bare = sct_extension(buf, n, 0);
	X509_EXTENSION *cut = sct_extension(buf, n - 5, 1);
	X509 *a = cg_cert(k, "a.test", NULL, NULL, k, 0, NULL, bare);
	X509 *b = cg_cert(k, "b.test", NULL, NULL, k, 0, NULL, cut);
	assert_int_equal(certinfo_embedded_scts(a, NULL, 0), -1);
	assert_int_equal(certinfo_embedded_scts(b, NULL, 0), -1);
	X509_EXTENSION_free(bare);
	X509_EXTENSION_free(cut);
	X509_free(a);
	X509_free(b);
	EVP_PKEY_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_known_answer),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_sct_list),
		cmocka_unit_test(test_sct_list_malformed),
		cmocka_unit_test(test_embedded_scts),
		cmocka_unit_test(test_embedded_scts_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
