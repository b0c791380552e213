/* test_torcell.c: unit tests for the Tor link handshake logic, with certificates generated at test time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include "torcell.h"
#include "torcerts.h"
#include "torcell_fixtures.h"

/* Fixed clock for validity checks: 2023-11-14T22:13:20Z. */
#define NOW ((time_t)1700000000)
#define DAY (24L * 60 * 60)

struct blob {
	uint8_t *p;
	size_t n;
};

/* Keys and certs shared by all CERTS tests; generated once in the group setup. */
static struct {
	EVP_PKEY *id, *link, *other, *id2048, *ed;
	X509 *id_cert, *link_cert, *other_cert;
	struct blob id_der, link_der;
} F;

/* ---- certificate helpers ---- */

static X509 *make_cert(EVP_PKEY *subject, EVP_PKEY *signer, const char *cn, const char *issuer,
		       long nb_off, long na_off)
{
	X509 *x = X509_new();
	time_t base = NOW;
	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), (long)(uintptr_t)x & 0x7fffffff);
	assert_non_null(X509_time_adj_ex(X509_getm_notBefore(x), 0, nb_off, &base));
	assert_non_null(X509_time_adj_ex(X509_getm_notAfter(x), 0, na_off, &base));
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_NAME_add_entry_by_txt(X509_get_issuer_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)issuer, -1, -1, 0);
	assert_int_equal(X509_set_pubkey(x, subject), 1);
	assert_true(X509_sign(x, signer, EVP_PKEY_get_id(signer) == EVP_PKEY_ED25519 ? NULL
										     : EVP_sha256()) > 0);
	return x;
}

static struct blob der_of(X509 *x)
{
	struct blob b = { NULL, 0 };
	unsigned char *p = NULL;
	int n = i2d_X509(x, &p);
	assert_true(n > 0);
	b.p = malloc((size_t)n);
	assert_non_null(b.p);
	memcpy(b.p, p, (size_t)n);
	b.n = (size_t)n;
	OPENSSL_free(p);
	return b;
}

struct ent {
	uint8_t type;
	const uint8_t *der;
	size_t len;
};

/* CERTS payload into an exactly-sized heap block, so ASan catches any overread. */
static struct blob build_certs(const struct ent *e, int n)
{
	size_t total = 1;
	for (int i = 0; i < n; i++)
		total += 3 + e[i].len;
	struct blob b = { malloc(total), total };
	assert_non_null(b.p);
	b.p[0] = (uint8_t)n;
	size_t off = 1;
	for (int i = 0; i < n; i++) {
		b.p[off] = e[i].type;
		b.p[off + 1] = (uint8_t)(e[i].len >> 8);
		b.p[off + 2] = (uint8_t)e[i].len;
		if (e[i].len)
			memcpy(b.p + off + 3, e[i].der, e[i].len);
		off += 3 + e[i].len;
	}
	return b;
}

static struct blob build_pair(const struct blob *link, const struct blob *id)
{
	struct ent e[] = { { 1, link->p, link->n }, { 2, id->p, id->n } };
	return build_certs(e, 2);
}

/* Expected fingerprint, computed the old way: SHA-1 over i2d_RSAPublicKey. */
static void expected_fp(EVP_PKEY *k, char out[41])
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	const RSA *rsa = EVP_PKEY_get0_RSA(k);
	unsigned char *der = NULL;
	int n = i2d_RSAPublicKey(rsa, &der);
#pragma GCC diagnostic pop
	assert_true(n > 0);
	unsigned char md[SHA_DIGEST_LENGTH];
	SHA1(der, (size_t)n, md);
	OPENSSL_free(der);
	for (int i = 0; i < SHA_DIGEST_LENGTH; i++)
		sprintf(out + 2 * i, "%02X", md[i]);
}

static enum torcerts_verdict check_blob(struct blob b, X509 *peer, struct torcerts_info *info)
{
	enum torcerts_verdict v = torcerts_check(b.p, b.n, peer, NOW, info);
	free(b.p);
	return v;
}

static int setup(void **state)
{
	(void)state;
	F.id = EVP_RSA_gen(1024);
	F.link = EVP_RSA_gen(2048);
	F.other = EVP_RSA_gen(1024);
	F.id2048 = EVP_RSA_gen(2048);
	F.ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (!F.id || !F.link || !F.other || !F.id2048 || !F.ed)
		return -1;
	F.id_cert = make_cert(F.id, F.id, "www.identity.net", "www.identity.net", -DAY, 365 * DAY);
	F.link_cert = make_cert(F.link, F.id, "www.link.net", "www.identity.net", -DAY, 30 * DAY);
	F.other_cert = make_cert(F.other, F.other, "www.other.com", "www.other.com", -DAY, 30 * DAY);
	F.id_der = der_of(F.id_cert);
	F.link_der = der_of(F.link_cert);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	X509_free(F.id_cert);
	X509_free(F.link_cert);
	X509_free(F.other_cert);
	EVP_PKEY_free(F.id);
	EVP_PKEY_free(F.link);
	EVP_PKEY_free(F.other);
	EVP_PKEY_free(F.id2048);
	EVP_PKEY_free(F.ed);
	free(F.id_der.p);
	free(F.link_der.p);
	return 0;
}

/* ---- cells ---- */

static void test_build_versions(void **state)
{
	(void)state;
	static const uint8_t want[] = { 0, 0, 7, 0, 6, 0, 3, 0, 4, 0, 5 };
	uint8_t out[16];
	assert_int_equal(torcell_build_versions(out), sizeof want);
	assert_memory_equal(out, want, sizeof want);
	assert_int_equal(TORCELL_VERSIONS_LEN, sizeof want);
}

static void test_parse_versions_partial(void **state)
{
	(void)state;
	static const uint8_t reply[] = { 0, 0, 7, 0, 6, 0, 3, 0, 4, 0, 5, 0xAA };
	struct torcell c;
	for (size_t n = 0; n < 11; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, reply, n);
		assert_int_equal(torcell_parse(copy, n, 2, &c), 0);
		free(copy);
	}
	assert_int_equal(torcell_parse(reply, sizeof reply, 2, &c), 11);
	assert_int_equal(c.circid, 0);
	assert_int_equal(c.cmd, TORCELL_VERSIONS);
	assert_int_equal(c.len, 6);
	assert_ptr_equal(c.payload, reply + 5);
	assert_int_equal(torcell_negotiate(c.payload, c.len), 5);
}

static void test_parse_certs_var_cell_4byte(void **state)
{
	(void)state;
	uint8_t buf[4 + 1 + 2 + 300 + 7];
	memset(buf, 0x5A, sizeof buf);
	memcpy(buf, (uint8_t[]){ 0, 0, 0, 0, 129, 0x01, 0x2C }, 7);
	struct torcell c;
	assert_int_equal(torcell_parse(buf, 7 + 299, 4, &c), 0);
	assert_int_equal(torcell_parse(buf, sizeof buf, 4, &c), 307);
	assert_int_equal(c.cmd, TORCELL_CERTS);
	assert_int_equal(c.len, 300);
	assert_ptr_equal(c.payload, buf + 7);
	assert_string_equal(torcell_cmd_name(c.cmd), "CERTS");
}

static void test_parse_fixed_netinfo(void **state)
{
	(void)state;
	uint8_t buf[600] = { 0x80, 0, 0, 1, TORCELL_NETINFO };
	struct torcell c;
	assert_int_equal(torcell_parse(buf, 513, 4, &c), 0);
	assert_int_equal(torcell_parse(buf, sizeof buf, 4, &c), 514);
	assert_int_equal(c.circid, 0x80000001u);
	assert_int_equal(c.cmd, TORCELL_NETINFO);
	assert_int_equal(c.len, 509);
	assert_ptr_equal(c.payload, buf + 5);
	/* Link protocol 3 keeps 2-byte circ ids: 512-byte fixed cells. */
	assert_int_equal(torcell_parse(buf + 2, 512, 2, &c), 512);
	assert_int_equal(c.circid, 1);
	assert_int_equal(c.cmd, TORCELL_NETINFO);
}

static void test_parse_vpadding_padding(void **state)
{
	(void)state;
	uint8_t vp[] = { 0, 0, 0, 0, 128, 0, 0, 0, 0, 0, 0, 129 };
	struct torcell c;
	assert_int_equal(torcell_parse(vp, sizeof vp, 4, &c), 7);
	assert_int_equal(c.cmd, TORCELL_VPADDING);
	assert_int_equal(c.len, 0);
	assert_int_equal(torcell_parse(vp + 7, 5, 4, &c), 0);   /* CERTS header without length */
	uint8_t pad[514] = { 0 };
	assert_int_equal(torcell_parse(pad, sizeof pad, 4, &c), 514);
	assert_int_equal(c.cmd, TORCELL_PADDING);
	assert_true(torcell_is_var(TORCELL_AUTH_CHALLENGE));
	assert_false(torcell_is_var(TORCELL_NETINFO));
}

static void test_parse_huge_var_cell_needs_more(void **state)
{
	(void)state;
	uint8_t *buf = malloc(10);
	memcpy(buf, (uint8_t[]){ 0, 0, 0, 0, 129, 0xFF, 0xFF, 1, 2, 3 }, 10);
	struct torcell c;
	assert_int_equal(torcell_parse(buf, 10, 4, &c), 0);
	free(buf);
}

static void test_parse_bad_args(void **state)
{
	(void)state;
	uint8_t buf[16] = { 0 };
	struct torcell c;
	assert_int_equal(torcell_parse(buf, sizeof buf, 3, &c), -1);
	assert_int_equal(torcell_parse(buf, sizeof buf, 0, &c), -1);
	assert_int_equal(torcell_parse(NULL, 4, 4, &c), -1);
	assert_int_equal(torcell_parse(NULL, 0, 4, &c), 0);
	assert_int_equal(torcell_circid_len(3), 2);
	assert_int_equal(torcell_circid_len(4), 4);
	assert_int_equal(torcell_circid_len(5), 4);
	assert_string_equal(torcell_cmd_name(200), "UNKNOWN");
}

static void test_negotiate(void **state)
{
	(void)state;
	assert_int_equal(torcell_negotiate((uint8_t[]){ 0, 3, 0, 4, 0, 5 }, 6), 5);
	assert_int_equal(torcell_negotiate((uint8_t[]){ 0, 4 }, 2), 4);
	assert_int_equal(torcell_negotiate((uint8_t[]){ 0, 1, 0, 2 }, 4), 0);
	assert_int_equal(torcell_negotiate((uint8_t[]){ 0, 5, 0, 4, 0, 3, 0, 6 }, 8), 5);
	assert_int_equal(torcell_negotiate((uint8_t[]){ 1, 4, 0, 3 }, 4), 3);  /* 0x0104 isn't 4 */
	assert_int_equal(torcell_negotiate((uint8_t[]){ 0, 4, 0 }, 3), -1);
	assert_int_equal(torcell_negotiate((uint8_t[]){ 0 }, 0), 0);
}

/* ---- NETINFO ---- */

static void netinfo_roundtrip(const char *addr, const char *want, uint8_t type)
{
	uint8_t out[TORCELL_FIXED_MAX + 8];
	memset(out, 0xEE, sizeof out);
	assert_int_equal(torcell_build_netinfo(out, sizeof out, 4, addr), 514);
	struct torcell c;
	assert_int_equal(torcell_parse(out, 514, 4, &c), 514);
	assert_int_equal(c.circid, 0);
	assert_int_equal(c.cmd, TORCELL_NETINFO);
	assert_int_equal(c.payload[4], type);
	uint32_t t = 123;
	char got[TORCELL_ADDRSTRLEN];
	assert_int_equal(torcell_parse_netinfo(c.payload, c.len, &t, got, sizeof got), 0);
	assert_int_equal(t, 0);
	assert_string_equal(got, want);
	struct torcell_netinfo ni;
	assert_int_equal(torcell_parse_netinfo_full(c.payload, c.len, &ni), 0);
	assert_int_equal(ni.nmyaddr, 0);
	for (size_t i = 4 + 2 + (type == 4 ? 4 : 16) + 1; i < 509; i++)
		assert_int_equal(c.payload[i], 0);
	assert_int_equal(out[514], 0xEE);
}

static void test_netinfo_roundtrip(void **state)
{
	(void)state;
	netinfo_roundtrip("203.0.113.5", "203.0.113.5", 4);
	netinfo_roundtrip("2001:db8::1", "2001:db8::1", 6);
	netinfo_roundtrip("[2001:DB8:0:0::1]", "2001:db8::1", 6);
	uint8_t out[TORCELL_FIXED_MAX];
	assert_int_equal(torcell_build_netinfo(out, sizeof out, 2, "127.0.0.1"), 512);
	assert_int_equal(out[2], TORCELL_NETINFO);
	assert_int_equal(torcell_build_netinfo(out, 513, 4, "127.0.0.1"), 0);
	assert_int_equal(torcell_build_netinfo(out, sizeof out, 4, "bridge.example"), 0);
	assert_int_equal(torcell_build_netinfo(out, sizeof out, 4, "1.2.3.4:443"), 0);
	assert_int_equal(torcell_build_netinfo(out, sizeof out, 3, "1.2.3.4"), 0);
}

static void test_netinfo_relay_style(void **state)
{
	(void)state;
	/* TIME, OTHERADDR 198.51.100.7, 3 own addrs: v4, v6, an unknown type 0xF0 */
	static const uint8_t p[] = {
		0x65, 0x53, 0xF1, 0x00, 4, 4, 198, 51, 100, 7, 3,
		4, 4, 192, 0, 2, 1,
		6, 16, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42,
		0xF0, 2, 0xAB, 0xCD,
	};
	struct torcell_netinfo ni;
	assert_int_equal(torcell_parse_netinfo_full(p, sizeof p, &ni), 0);
	assert_int_equal(ni.time, 0x6553F100u);
	assert_string_equal(ni.other_addr, "198.51.100.7");
	assert_int_equal(ni.nmyaddr, 3);
	assert_string_equal(ni.my_addrs[0], "192.0.2.1");
	assert_string_equal(ni.my_addrs[1], "2001:db8::42");
	assert_string_equal(ni.my_addrs[2], "");
	/* Every truncation is malformed, never an overread. */
	for (size_t n = 0; n < sizeof p; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, p, n);
		assert_int_equal(torcell_parse_netinfo_full(copy, n, &ni), -1);
		free(copy);
	}
	char small[8];
	assert_int_equal(torcell_parse_netinfo(p, sizeof p, NULL, small, sizeof small), -1);
}

static void test_netinfo_bad_lengths(void **state)
{
	(void)state;
	uint32_t t;
	char a[TORCELL_ADDRSTRLEN];
	static const uint8_t v4_len5[] = { 0, 0, 0, 0, 4, 5, 1, 2, 3, 4, 5, 0 };
	static const uint8_t v6_len4[] = { 0, 0, 0, 0, 6, 4, 1, 2, 3, 4, 0 };
	static const uint8_t unknown[] = { 0, 0, 0, 1, 0xF1, 0, 0 };
	static const uint8_t many[] = { 0, 0, 0, 0, 4, 4, 1, 2, 3, 4, 255, 4, 4, 1, 1, 1, 1 };
	assert_int_equal(torcell_parse_netinfo(v4_len5, sizeof v4_len5, &t, a, sizeof a), -1);
	assert_int_equal(torcell_parse_netinfo(v6_len4, sizeof v6_len4, &t, a, sizeof a), -1);
	assert_int_equal(torcell_parse_netinfo(unknown, sizeof unknown, &t, a, sizeof a), 0);
	assert_string_equal(a, "");
	assert_int_equal(t, 1);
	assert_int_equal(torcell_parse_netinfo(many, sizeof many, &t, a, sizeof a), -1);
}

static void test_auth_challenge(void **state)
{
	(void)state;
	uint8_t p[32 + 2 + 4] = { 0 };
	p[33] = 2;
	p[35] = 1;
	p[37] = 3;
	int n = 0;
	uint16_t m[4] = { 0 };
	assert_int_equal(torcell_parse_auth_challenge(p, sizeof p, &n, m, 4), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[0], 1);
	assert_int_equal(m[1], 3);
	assert_int_equal(torcell_parse_auth_challenge(p, sizeof p - 1, &n, m, 4), -1);
	assert_int_equal(torcell_parse_auth_challenge(p, 33, &n, m, 4), -1);
}

/* ---- fingerprints ---- */

static void test_fingerprint_normalise(void **state)
{
	(void)state;
	char out[41];
	const char *want = "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678";
	assert_int_equal(tor_fingerprint_normalise("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", out), 0);
	assert_string_equal(out, want);
	assert_int_equal(tor_fingerprint_normalise("$A1B2C3D4E5F60718293A4B5C6D7E8F9012345678", out), 0);
	assert_string_equal(out, want);
	assert_int_equal(tor_fingerprint_normalise(
				 " A1B2 C3D4 E5F6 0718 293A 4B5C 6D7E 8F90 1234 5678 ", out), 0);
	assert_string_equal(out, want);
	assert_int_equal(tor_fingerprint_normalise("A1B2C3D4E5F60718293A4B5C6D7E8F901234567", out), -1);
	assert_string_equal(out, "");
	assert_int_equal(tor_fingerprint_normalise("A1B2C3D4E5F60718293A4B5C6D7E8F90123456789", out), -1);
	assert_int_equal(tor_fingerprint_normalise("G1B2C3D4E5F60718293A4B5C6D7E8F9012345678", out), -1);
	assert_int_equal(tor_fingerprint_normalise("$$A1B2C3D4E5F60718293A4B5C6D7E8F9012345678", out), -1);
	assert_int_equal(tor_fingerprint_normalise("A1B2C3D4E5F60718293A4B5C6D7E8F901234567$8", out), -1);
	assert_int_equal(tor_fingerprint_normalise("A1B2C3D4E5F60718293A4B5C6D7E8F9012345678~nick", out), -1);
	assert_int_equal(tor_fingerprint_normalise("", out), -1);
	assert_int_equal(tor_fingerprint_normalise(NULL, out), -1);
}

static void test_rsa_fingerprint(void **state)
{
	(void)state;
	char got[41], want[41];
	assert_int_equal(tor_rsa_fingerprint(F.id, got), 0);
	expected_fp(F.id, want);
	assert_string_equal(got, want);
	assert_int_equal(strlen(got), 40);
	assert_int_equal(tor_rsa_fingerprint(F.link, got), 0);
	expected_fp(F.link, want);
	assert_string_equal(got, want);
	assert_int_equal(tor_rsa_fingerprint(F.ed, got), -1);
	assert_int_equal(tor_rsa_fingerprint(NULL, got), -1);
}

/* ---- CERTS ---- */

static void test_certs_ok(void **state)
{
	(void)state;
	struct torcerts_info info;
	char want[41];
	expected_fp(F.id, want);
	assert_int_equal(check_blob(build_pair(&F.link_der, &F.id_der), F.link_cert, &info),
			 TORCERTS_OK);
	assert_string_equal(info.fingerprint, want);
	assert_int_equal(info.ncerts, 2);
	assert_int_equal(info.ntypes, 2);
	assert_int_equal(info.types[0], 1);
	assert_int_equal(info.types[1], 2);
	assert_non_null(strstr(info.detail, "verified"));
	assert_int_equal(ERR_peek_error(), 0);
}

static void test_certs_ok_with_ed25519_entries(void **state)
{
	(void)state;
	static const uint8_t dummy[40] = { 1, 4, 0 };
	struct ent e[] = {
		{ 2, F.id_der.p, F.id_der.n }, { 1, F.link_der.p, F.link_der.n },
		{ 4, dummy, sizeof dummy }, { 5, dummy, 20 }, { 7, dummy, 0 }, { 42, dummy, 3 },
	};
	struct torcerts_info info;
	char want[41];
	expected_fp(F.id, want);
	assert_int_equal(check_blob(build_certs(e, 6), F.link_cert, &info), TORCERTS_OK);
	assert_string_equal(info.fingerprint, want);
	assert_int_equal(info.ncerts, 6);
	int types[] = { 2, 1, 4, 5, 7, 42 };
	assert_int_equal(info.ntypes, 6);
	for (int i = 0; i < 6; i++)
		assert_int_equal(info.types[i], types[i]);
	/* Trailing bytes after the last cert are ignored, like tor's parser. */
	struct blob b = build_certs(e, 6);
	uint8_t *longer = malloc(b.n + 5);
	memcpy(longer, b.p, b.n);
	memset(longer + b.n, 0, 5);
	assert_int_equal(torcerts_check(longer, b.n + 5, F.link_cert, NOW, NULL), TORCERTS_OK);
	free(longer);
	free(b.p);
}

static void test_certs_missing(void **state)
{
	(void)state;
	struct torcerts_info info;
	struct ent only_link[] = { { 1, F.link_der.p, F.link_der.n }, { 4, F.id_der.p, 10 } };
	struct ent only_id[] = { { 2, F.id_der.p, F.id_der.n } };
	assert_int_equal(check_blob(build_certs(only_link, 2), F.link_cert, &info), TORCERTS_MISSING);
	assert_non_null(strstr(info.detail, "identity"));
	assert_string_equal(info.fingerprint, "");
	assert_int_equal(check_blob(build_certs(only_id, 1), F.link_cert, &info), TORCERTS_MISSING);
	assert_non_null(strstr(info.detail, "link"));
	assert_int_equal(check_blob(build_certs(NULL, 0), F.link_cert, &info), TORCERTS_MISSING);
	assert_int_equal(info.ncerts, 0);
}

static void test_certs_duplicate(void **state)
{
	(void)state;
	static const uint8_t dummy[8];
	struct ent two_links[] = {
		{ 1, F.link_der.p, F.link_der.n }, { 2, F.id_der.p, F.id_der.n },
		{ 1, F.link_der.p, F.link_der.n },
	};
	struct ent two_ed[] = {
		{ 1, F.link_der.p, F.link_der.n }, { 2, F.id_der.p, F.id_der.n },
		{ 4, dummy, 8 }, { 4, dummy, 8 },
	};
	struct torcerts_info info;
	assert_int_equal(check_blob(build_certs(two_links, 3), F.link_cert, &info), TORCERTS_DUPLICATE);
	assert_non_null(strstr(info.detail, "type 1"));
	assert_int_equal(check_blob(build_certs(two_ed, 4), F.link_cert, &info), TORCERTS_DUPLICATE);
	assert_non_null(strstr(info.detail, "type 4"));
}

/* Builds a CERTS payload from a link cert and an identity cert and checks it against peer. */
static enum torcerts_verdict check_certs(X509 *link, X509 *id, X509 *peer,
					 struct torcerts_info *info)
{
	struct blob l = der_of(link), i = der_of(id);
	enum torcerts_verdict v = check_blob(build_pair(&l, &i), peer, info);
	free(l.p);
	free(i.p);
	return v;
}

static void test_certs_expired(void **state)
{
	(void)state;
	struct torcerts_info info;
	X509 *old_id = make_cert(F.id, F.id, "id", "id", -400 * DAY, -10 * DAY);
	assert_int_equal(check_certs(F.link_cert, old_id, F.link_cert, &info), TORCERTS_EXPIRED);
	assert_non_null(strstr(info.detail, "identity cert expired"));
	assert_int_equal(strlen(info.fingerprint), 40);
	X509_free(old_id);
	/* Within tor's 2-day slop: still accepted. */
	X509 *just_id = make_cert(F.id, F.id, "id", "id", -400 * DAY, -1 * DAY);
	assert_int_equal(check_certs(F.link_cert, just_id, F.link_cert, &info), TORCERTS_OK);
	X509_free(just_id);
	X509 *future = make_cert(F.link, F.id, "l", "id", 40 * DAY, 80 * DAY);
	assert_int_equal(check_certs(future, F.id_cert, future, &info), TORCERTS_EXPIRED);
	assert_non_null(strstr(info.detail, "link cert not valid before"));
	X509_free(future);
	X509 *soon = make_cert(F.link, F.id, "l", "id", 10 * DAY, 80 * DAY);
	assert_int_equal(check_certs(soon, F.id_cert, soon, &info), TORCERTS_OK);
	X509_free(soon);
}

static void test_certs_key_mismatch(void **state)
{
	(void)state;
	struct torcerts_info info;
	assert_int_equal(check_certs(F.link_cert, F.id_cert, F.other_cert, &info),
			 TORCERTS_KEY_MISMATCH);
	assert_int_equal(check_certs(F.link_cert, F.id_cert, NULL, &info), TORCERTS_KEY_MISMATCH);
	/* Same key, different cert (tor compares keys, not certs): fine. */
	X509 *again = make_cert(F.link, F.other, "x", "y", -DAY, DAY);
	assert_int_equal(check_certs(F.link_cert, F.id_cert, again, &info), TORCERTS_OK);
	X509_free(again);
}

static void test_certs_bad_signature(void **state)
{
	(void)state;
	struct torcerts_info info;
	X509 *link = make_cert(F.link, F.other, "l", "www.identity.net", -DAY, DAY);
	assert_int_equal(check_certs(link, F.id_cert, link, &info), TORCERTS_BAD_SIGNATURE);
	X509_free(link);
	/* A flipped bit in the signature of the genuine link cert. */
	struct blob l = der_of(F.link_cert);
	l.p[l.n - 1] ^= 1;
	assert_int_equal(check_blob(build_pair(&l, &F.id_der), F.link_cert, &info),
			 TORCERTS_BAD_SIGNATURE);
	free(l.p);
}

static void test_certs_bad_identity(void **state)
{
	(void)state;
	struct torcerts_info info;
	char want[41];
	X509 *id = make_cert(F.id2048, F.id2048, "id", "id", -DAY, DAY);
	X509 *link = make_cert(F.link, F.id2048, "l", "id", -DAY, DAY);
	assert_int_equal(check_certs(link, id, link, &info), TORCERTS_BAD_IDENTITY);
	assert_non_null(strstr(info.detail, "RSA-2048"));
	expected_fp(F.id2048, want);
	assert_string_equal(info.fingerprint, want);
	X509_free(id);
	X509_free(link);
	/* RSA-1024 but signed by someone else. */
	id = make_cert(F.id, F.other, "id", "id", -DAY, DAY);
	assert_int_equal(check_certs(F.link_cert, id, F.link_cert, &info), TORCERTS_BAD_IDENTITY);
	assert_non_null(strstr(info.detail, "self-signed"));
	X509_free(id);
	/* Not RSA at all. */
	id = make_cert(F.ed, F.ed, "id", "id", -DAY, DAY);
	link = make_cert(F.link, F.ed, "l", "id", -DAY, DAY);
	assert_int_equal(check_certs(link, id, link, &info), TORCERTS_BAD_IDENTITY);
	assert_string_equal(info.fingerprint, "");
	X509_free(id);
	X509_free(link);
}

static void test_certs_truncated_everywhere(void **state)
{
	(void)state;
	static const uint8_t dummy[64];
	struct ent e[] = {
		{ 1, F.link_der.p, F.link_der.n }, { 2, F.id_der.p, F.id_der.n },
		{ 4, dummy, 64 }, { 5, dummy, 30 }, { 7, dummy, 10 },
	};
	struct blob full = build_certs(e, 5);
	struct torcerts_info info;
	for (size_t n = 0; n < full.n; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, full.p, n);
		assert_int_equal(torcerts_check(copy, n, F.link_cert, NOW, &info), TORCERTS_MALFORMED);
		assert_true(info.ncerts <= 5);
		free(copy);
	}
	assert_int_equal(torcerts_check(NULL, 0, F.link_cert, NOW, &info), TORCERTS_MALFORMED);
	assert_int_equal(torcerts_check(full.p, full.n, F.link_cert, NOW, &info), TORCERTS_OK);
	free(full.p);
}

static void test_certs_count_too_big(void **state)
{
	(void)state;
	struct blob b = build_pair(&F.link_der, &F.id_der);
	b.p[0] = 255;
	struct torcerts_info info;
	assert_int_equal(check_blob(b, F.link_cert, &info), TORCERTS_MALFORMED);
	assert_int_equal(info.ncerts, 2);
	assert_non_null(strstr(info.detail, "255"));
}

static void test_certs_zero_length_and_255(void **state)
{
	(void)state;
	struct torcerts_info info;
	struct ent empty_link[] = { { 1, NULL, 0 }, { 2, F.id_der.p, F.id_der.n } };
	assert_int_equal(check_blob(build_certs(empty_link, 2), F.link_cert, &info),
			 TORCERTS_MALFORMED);
	struct ent many[255];
	for (int i = 0; i < 255; i++)
		many[i] = (struct ent){ (uint8_t)(8 + i % 200), NULL, 0 };
	assert_int_equal(check_blob(build_certs(many, 255), F.link_cert, &info), TORCERTS_MISSING);
	assert_int_equal(info.ncerts, 255);
	assert_int_equal(info.ntypes, 16);
	for (int i = 0; i < 255; i++)
		many[i] = (struct ent){ 1, F.link_der.p, F.link_der.n };
	assert_int_equal(check_blob(build_certs(many, 255), F.link_cert, &info), TORCERTS_DUPLICATE);
}

static void test_certs_bad_der(void **state)
{
	(void)state;
	struct torcerts_info info;
	static const uint8_t junk[] = { 0x30, 0x82, 0x01, 0x00, 0x02, 0x01 };
	struct ent bad_id[] = { { 1, F.link_der.p, F.link_der.n }, { 2, junk, sizeof junk } };
	assert_int_equal(check_blob(build_certs(bad_id, 2), F.link_cert, &info), TORCERTS_MALFORMED);
	assert_non_null(strstr(info.detail, "type 2"));
	struct ent bad_link[] = { { 1, junk, sizeof junk }, { 2, F.id_der.p, F.id_der.n } };
	assert_int_equal(check_blob(build_certs(bad_link, 2), F.link_cert, &info), TORCERTS_MALFORMED);
	/* A valid cert followed by a stray byte inside the entry is not DER. */
	uint8_t *extra = malloc(F.id_der.n + 1);
	memcpy(extra, F.id_der.p, F.id_der.n);
	extra[F.id_der.n] = 0;
	struct ent trailing[] = { { 1, F.link_der.p, F.link_der.n }, { 2, extra, F.id_der.n + 1 } };
	assert_int_equal(check_blob(build_certs(trailing, 2), F.link_cert, &info), TORCERTS_MALFORMED);
	free(extra);
	/* The link DER cut short inside a correctly framed entry. */
	struct ent short_link[] = { { 1, F.link_der.p, F.link_der.n - 20 }, { 2, F.id_der.p, F.id_der.n } };
	assert_int_equal(check_blob(build_certs(short_link, 2), F.link_cert, &info), TORCERTS_MALFORMED);
}

/* Random byte mutations: any verdict is fine, crashing or overreading is not. */
static void test_certs_mutations(void **state)
{
	(void)state;
	struct blob full = build_pair(&F.link_der, &F.id_der);
	uint32_t seed = 12345;
	for (int round = 0; round < 1500; round++) {
		uint8_t *m = malloc(full.n);
		memcpy(m, full.p, full.n);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = (seed >> 8) % (round % 3 ? full.n : 8);
			m[pos] = (uint8_t)(seed >> 20);
		}
		struct torcerts_info info;
		enum torcerts_verdict v = torcerts_check(m, full.n, F.link_cert, NOW, &info);
		assert_true(v >= TORCERTS_OK && v <= TORCERTS_BAD_SIGNATURE);
		assert_true(memchr(info.detail, '\0', sizeof info.detail) != NULL);
		free(m);
	}
	free(full.p);
	assert_int_equal(ERR_peek_error(), 0);
}

/* ---- a CERTS cell from a real tor bridge ---- */

static X509 *real_peer(void)
{
	const unsigned char *p = real_tor_peer;
	X509 *x = d2i_X509(NULL, &p, (long)sizeof real_tor_peer);
	assert_non_null(x);
	return x;
}

static void test_real_tor_certs(void **state)
{
	(void)state;
	X509 *peer = real_peer();
	struct torcerts_info info;
	assert_int_equal(torcerts_check(real_tor_certs, sizeof real_tor_certs, peer,
					REAL_TOR_CAPTURED, &info), TORCERTS_OK);
	assert_string_equal(info.fingerprint, REAL_TOR_FINGERPRINT);
	assert_int_equal(info.ncerts, 5);
	int types[] = { 1, 2, 4, 5, 7 };
	assert_int_equal(info.ntypes, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(info.types[i], types[i]);
	assert_int_equal(torcerts_check(real_tor_certs, sizeof real_tor_certs, peer,
					REAL_TOR_LINK_NOT_AFTER + TORCERTS_PAST_SLOP + 1, &info),
			 TORCERTS_EXPIRED);
	assert_int_equal(torcerts_check(real_tor_certs, sizeof real_tor_certs, peer,
					REAL_TOR_LINK_NOT_AFTER + TORCERTS_PAST_SLOP - 60, &info),
			 TORCERTS_OK);
	assert_int_equal(torcerts_check(real_tor_certs, sizeof real_tor_certs, F.link_cert,
					REAL_TOR_CAPTURED, &info), TORCERTS_KEY_MISMATCH);
	assert_string_equal(info.fingerprint, REAL_TOR_FINGERPRINT);
	X509_free(peer);
}

/* Both ways of hashing the real identity key give the fingerprint tor itself wrote. */
static void test_real_tor_identity_fingerprint(void **state)
{
	(void)state;
	/* Entry 2 starts after entry 1: 1 + 3 + len1, then its own 3-byte header. */
	size_t len1 = ((size_t)real_tor_certs[2] << 8) | real_tor_certs[3];
	const uint8_t *hdr2 = real_tor_certs + 1 + 3 + len1;
	assert_int_equal(hdr2[0], 2);
	const unsigned char *p = hdr2 + 3;
	X509 *id = d2i_X509(NULL, &p, (long)(((size_t)hdr2[1] << 8) | hdr2[2]));
	assert_non_null(id);
	char fp[41], old[41];
	assert_int_equal(tor_rsa_fingerprint(X509_get0_pubkey(id), fp), 0);
	assert_string_equal(fp, REAL_TOR_FINGERPRINT);
	expected_fp(X509_get0_pubkey(id), old);
	assert_string_equal(old, REAL_TOR_FINGERPRINT);
	X509_free(id);
}

static void test_verdict_names(void **state)
{
	(void)state;
	assert_string_equal(torcerts_verdict_name(TORCERTS_OK), "ok");
	assert_string_equal(torcerts_verdict_name(TORCERTS_MALFORMED), "malformed");
	assert_string_equal(torcerts_verdict_name(TORCERTS_KEY_MISMATCH), "key_mismatch");
	assert_string_equal(torcerts_verdict_name(TORCERTS_BAD_SIGNATURE), "bad_signature");
	assert_string_equal(torcerts_verdict_name((enum torcerts_verdict)99), "unknown");
}

/* The checker must leave the caller's OpenSSL error queue as it was. */
static void test_certs_keeps_error_queue(void **state)
{
	(void)state;
	ERR_clear_error();
	static const uint8_t junk[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	struct ent bad_id[] = { { 1, F.link_der.p, F.link_der.n }, { 2, junk, sizeof junk } };
	assert_int_equal(check_blob(build_certs(bad_id, 2), F.link_cert, NULL), TORCERTS_MALFORMED);
	assert_int_equal(ERR_peek_error(), 0);
	ERR_raise(ERR_LIB_SSL, ERR_R_INTERNAL_ERROR);
	unsigned long before = ERR_peek_last_error();
	assert_int_equal(check_blob(build_certs(bad_id, 2), F.link_cert, NULL), TORCERTS_MALFORMED);
	assert_int_equal(ERR_peek_last_error(), before);
	ERR_clear_error();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_versions),
		cmocka_unit_test(test_parse_versions_partial),
		cmocka_unit_test(test_parse_certs_var_cell_4byte),
		cmocka_unit_test(test_parse_fixed_netinfo),
		cmocka_unit_test(test_parse_vpadding_padding),
		cmocka_unit_test(test_parse_huge_var_cell_needs_more),
		cmocka_unit_test(test_parse_bad_args),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_netinfo_roundtrip),
		cmocka_unit_test(test_netinfo_relay_style),
		cmocka_unit_test(test_netinfo_bad_lengths),
		cmocka_unit_test(test_auth_challenge),
		cmocka_unit_test(test_fingerprint_normalise),
		cmocka_unit_test(test_rsa_fingerprint),
		cmocka_unit_test(test_certs_ok),
		cmocka_unit_test(test_certs_ok_with_ed25519_entries),
		cmocka_unit_test(test_certs_missing),
		cmocka_unit_test(test_certs_duplicate),
		cmocka_unit_test(test_certs_expired),
		cmocka_unit_test(test_certs_key_mismatch),
		cmocka_unit_test(test_certs_bad_signature),
		cmocka_unit_test(test_certs_bad_identity),
		cmocka_unit_test(test_certs_truncated_everywhere),
		cmocka_unit_test(test_certs_count_too_big),
		cmocka_unit_test(test_certs_zero_length_and_255),
		cmocka_unit_test(test_certs_bad_der),
		cmocka_unit_test(test_certs_mutations),
		cmocka_unit_test(test_real_tor_certs),
		cmocka_unit_test(test_real_tor_identity_fingerprint),
		cmocka_unit_test(test_verdict_names),
		cmocka_unit_test(test_certs_keeps_error_queue),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
