/* test_https_verify.c: certificate judging (probes/lib/https_verify.c) on chains built here with
 * OpenSSL at a fixed "now": every problem code, the CA/B Forum lifetime schedule, testssl's
 * expiry thresholds (halved for Let's Encrypt, short-lived certificates), and evidence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "https_verify.h"

#define DAY 86400L
/* 2026-11-27T00:00:00Z */
#define NOW ((time_t)1795737600)

struct ca {
	X509 *cert;
	EVP_PKEY *key;
};

static EVP_PKEY *ec_key(void)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(ext);
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
}

struct spec {
	const char *cn, *org, *san;
	long from, to;              /* seconds relative to NOW */
	const EVP_MD *md;
	int ca;
	EVP_PKEY *key;              /* NULL: a new P-256 key */
};

/* Issues a certificate by issuer (NULL: self-signed); *key_out gets its key. */
static X509 *issue(const struct spec *s, const struct ca *issuer, EVP_PKEY **key_out)
{
	static long serial = 1;
	EVP_PKEY *key = s->key ? s->key : ec_key();
	X509 *x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_time_adj_ex(X509_getm_notBefore(x), 0, s->from, &(time_t){ NOW });
	X509_time_adj_ex(X509_getm_notAfter(x), 0, s->to, &(time_t){ NOW });
	X509_NAME *n = X509_get_subject_name(x);
	if (s->org)
		X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8, (const unsigned char *)s->org, -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)s->cn, -1, -1, 0);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer->cert) : n);
	X509_set_pubkey(x, key);
	add_ext(x, issuer ? issuer->cert : NULL, NID_basic_constraints, s->ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	add_ext(x, issuer ? issuer->cert : NULL, NID_key_usage,
		s->ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment");
	if (!s->ca)
		add_ext(x, issuer ? issuer->cert : NULL, NID_ext_key_usage, "serverAuth");
	if (s->san)
		add_ext(x, issuer ? issuer->cert : NULL, NID_subject_alt_name, s->san);
	assert_true(X509_sign(x, issuer ? issuer->key : key, s->md ? s->md : EVP_sha256()) > 0);
	*key_out = key;
	return x;
}

struct pki {
	struct ca root, inter, other;
	X509_STORE *store;
};

static struct pki P;

static int setup(void **state)
{
	(void)state;
	struct spec r = { .cn = "Test Root", .from = -400 * DAY, .to = 3000 * DAY, .ca = 1 };
	P.root.cert = issue(&r, NULL, &P.root.key);
	struct spec i = { .cn = "Test Intermediate", .from = -400 * DAY, .to = 2000 * DAY, .ca = 1 };
	P.inter.cert = issue(&i, &P.root, &P.inter.key);
	struct spec o = { .cn = "Nobody's Root", .from = -400 * DAY, .to = 3000 * DAY, .ca = 1 };
	P.other.cert = issue(&o, NULL, &P.other.key);
	P.store = X509_STORE_new();
	X509_STORE_add_cert(P.store, P.root.cert);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	struct ca *all[] = { &P.root, &P.inter, &P.other };
	for (size_t i = 0; i < 3; i++) {
		X509_free(all[i]->cert);
		EVP_PKEY_free(all[i]->key);
	}
	X509_STORE_free(P.store);
	return 0;
}

/* The test root plays a publicly trusted one unless a test says otherwise. */
static int public_chain = 1;

/* Judges [leaf, extra...] for host; returns the verdict's code (static storage). */
static const char *judge(struct spec *leaf_spec, const struct ca *issuer, X509 *extra, const char *host,
			 struct cert_verdict *v)
{
	EVP_PKEY *key;
	X509 *leaf = issue(leaf_spec, issuer, &key);
	STACK_OF(X509) *chain = sk_X509_new_null();
	sk_X509_push(chain, leaf);
	if (extra) {
		X509_up_ref(extra);
		sk_X509_push(chain, extra);
	}
	cert_judge(P.store, chain, host, NOW, v);
	cert_lifetime_rule(v, public_chain);
	sk_X509_pop_free(chain, X509_free);
	EVP_PKEY_free(key);
	return cert_verdict_code(v);
}

static void expect(struct spec *s, const struct ca *issuer, X509 *extra, const char *host, const char *code,
		   int verified)
{
	struct cert_verdict v;
	const char *got = judge(s, issuer, extra, host, &v);
	if (strcmp(got, code))
		fail_msg("%s: want %s, got %s (%s)", s->cn, code, got, json_dumps(v.errors, JSON_COMPACT));
	assert_int_equal(v.verified, verified);
	cert_verdict_clear(&v);
}

static void test_valid_chain(void **state)
{
	(void)state;
	struct spec s = { .cn = "a.test", .san = "DNS:a.test", .from = -DAY, .to = 39 * DAY };
	expect(&s, &P.inter, P.inter.cert, "a.test", "ok", 1);
	s.san = "DNS:*.example.test";
	expect(&s, &P.inter, P.inter.cert, "www.example.test", "ok", 1);
	s.san = "IP:127.0.0.1";
	expect(&s, &P.inter, P.inter.cert, "127.0.0.1", "ok", 1);
}

static void test_dates(void **state)
{
	(void)state;
	struct spec s = { .cn = "a.test", .san = "DNS:a.test", .from = -70 * DAY, .to = -30 * DAY };
	expect(&s, &P.inter, P.inter.cert, "a.test", "expired", 0);
	struct cert_verdict v;
	judge(&s, &P.inter, P.inter.cert, "a.test", &v);
	assert_int_equal(v.days_left, -30);
	cert_verdict_clear(&v);
	s.from = 10 * DAY;
	s.to = 50 * DAY;
	expect(&s, &P.inter, P.inter.cert, "a.test", "not_yet_valid", 0);
}

static void test_names_and_trust(void **state)
{
	(void)state;
	struct spec s = { .cn = "b.test", .san = "DNS:b.test", .from = -DAY, .to = 39 * DAY };
	expect(&s, &P.inter, P.inter.cert, "a.test", "hostname_mismatch", 0);
	s.san = "DNS:*.test";   /* a wildcard covers one label, and never a whole TLD */
	expect(&s, &P.inter, P.inter.cert, "a.b.test", "hostname_mismatch", 0);
	s.san = "DNS:a.test";
	expect(&s, NULL, NULL, "a.test", "self_signed", 0);
	expect(&s, &P.other, P.other.cert, "a.test", "untrusted_root", 0);
	expect(&s, &P.inter, NULL, "a.test", "incomplete_chain", 0);
	/* The intermediate sent, but its root unknown: untrusted, not incomplete. */
	X509_STORE *saved = P.store;
	P.store = X509_STORE_new();
	expect(&s, &P.inter, P.inter.cert, "a.test", "untrusted_root", 0);
	X509_STORE_free(P.store);
	P.store = saved;
}

static void test_sha1_and_weak_keys(void **state)
{
	(void)state;
	struct spec s = { .cn = "a.test", .san = "DNS:a.test", .from = -DAY, .to = 39 * DAY, .md = EVP_sha1() };
	expect(&s, &P.inter, P.inter.cert, "a.test", "sha1_signature", 0);
	s.md = NULL;
	s.key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	expect(&s, &P.inter, P.inter.cert, "a.test", "weak_key", 0);
	s.key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	expect(&s, &P.inter, P.inter.cert, "a.test", "ok", 1);
}

static void test_lifetime_schedule(void **state)
{
	(void)state;
	assert_int_equal(cert_max_lifetime_days(1773532800 - 1), 398);   /* 2026-03-14T23:59:59Z */
	assert_int_equal(cert_max_lifetime_days(1773532800), 200);
	assert_int_equal(cert_max_lifetime_days(1805068800), 100);       /* 2027-03-15 */
	assert_int_equal(cert_max_lifetime_days(1868227200 - 1), 100);
	assert_int_equal(cert_max_lifetime_days(1868227200), 47);        /* 2029-03-15 */
	/* Issued now (after 2026-03-15): 200 days allowed, 250 too long — a warning only. */
	struct spec s = { .cn = "a.test", .san = "DNS:a.test", .from = -DAY, .to = 249 * DAY };
	expect(&s, &P.inter, P.inter.cert, "a.test", "lifetime_too_long", 1);
	s.to = 199 * DAY;
	expect(&s, &P.inter, P.inter.cert, "a.test", "ok", 1);
	/* Issued 2026-01-31 (before the cut): 398 days were allowed. */
	s.from = -300 * DAY;
	s.to = 98 * DAY;
	expect(&s, &P.inter, P.inter.cert, "a.test", "ok", 1);
	s.to = 99 * DAY;
	expect(&s, &P.inter, P.inter.cert, "a.test", "lifetime_too_long", 1);
}

/* The limits bind publicly trusted CAs only: a department CA's one-year certificate is fine,
 * with the rule noted; a public one is judged by its notBefore, not by today's limit. */
static void test_lifetime_private_root(void **state)
{
	(void)state;
	struct cert_verdict v;
	struct spec s = { .cn = "a.test", .san = "DNS:a.test", .from = -DAY, .to = 364 * DAY };
	public_chain = 0;
	assert_string_equal(judge(&s, &P.inter, P.inter.cert, "a.test", &v), "ok");
	assert_int_equal(v.over_lifetime, 1);
	assert_string_equal(v.lifetime_rule, "private_root");
	assert_int_equal(v.max_lifetime_days, 200);
	cert_verdict_clear(&v);
	public_chain = 1;
	assert_string_equal(judge(&s, &P.inter, P.inter.cert, "a.test", &v), "lifetime_too_long");
	assert_string_equal(v.lifetime_rule, "applies");
	cert_verdict_clear(&v);
	/* Within the limit: no rule to state at all. */
	s.to = 150 * DAY;
	assert_string_equal(judge(&s, &P.inter, P.inter.cert, "a.test", &v), "ok");
	assert_null(v.lifetime_rule);
	cert_verdict_clear(&v);
}

static void test_expiry_warnings(void **state)
{
	(void)state;
	struct cert_verdict v;
	/* A 190-day certificate (within the 200-day limit): testssl warns 60 days ahead. */
	struct spec s = { .cn = "a.test", .san = "DNS:a.test", .from = -140 * DAY, .to = 50 * DAY };
	expect(&s, &P.inter, P.inter.cert, "a.test", "expiring_soon", 1);   /* 50 < 60 */
	judge(&s, &P.inter, P.inter.cert, "a.test", &v);
	assert_int_equal(v.warn_days, 60);
	cert_verdict_clear(&v);
	/* Let's Encrypt: half (30), so 50 days left is fine. */
	struct ca le;
	struct spec les = { .cn = "R11", .org = "Let's Encrypt", .from = -400 * DAY, .to = 900 * DAY, .ca = 1 };
	le.cert = issue(&les, &P.root, &le.key);
	expect(&s, &le, le.cert, "a.test", "ok", 1);
	s.from = -150 * DAY;
	s.to = 20 * DAY;
	expect(&s, &le, le.cert, "a.test", "expiring_soon", 1);
	judge(&s, &le, le.cert, "a.test", &v);
	assert_int_equal(v.lets_encrypt, 1);
	assert_int_equal(v.warn_days, 30);
	cert_verdict_clear(&v);
	X509_free(le.cert);
	EVP_PKEY_free(le.key);
	/* Never more than a third of the lifetime: 40-day certificate, warn under 13 days. */
	s.from = -20 * DAY;
	s.to = 20 * DAY;
	expect(&s, &P.inter, P.inter.cert, "a.test", "ok", 1);
	s.from = -35 * DAY;
	s.to = 5 * DAY;
	expect(&s, &P.inter, P.inter.cert, "a.test", "expiring_soon", 1);
	/* Short-lived (6 days): only the last day warns. */
	s.from = -3 * DAY;
	s.to = 3 * DAY;
	expect(&s, &P.inter, P.inter.cert, "a.test", "ok", 1);
	s.from = -6 * DAY + 6 * 3600;
	s.to = 6 * 3600;
	expect(&s, &P.inter, P.inter.cert, "a.test", "expiring_soon", 1);
}

static void test_several_problems_first_wins(void **state)
{
	(void)state;
	struct cert_verdict v;
	struct spec s = { .cn = "a.test", .san = "DNS:a.test", .from = -70 * DAY, .to = -30 * DAY, .md = EVP_sha1() };
	assert_string_equal(judge(&s, NULL, NULL, "b.test", &v), "expired");
	json_t *all = cert_problems_json(&v);
	char *txt = json_dumps(all, JSON_COMPACT);
	assert_string_equal(txt, "[\"expired\",\"self_signed\",\"hostname_mismatch\"]");
	free(txt);
	json_decref(all);
	assert_true(json_array_size(v.errors) >= 3);
	cert_verdict_clear(&v);
}

static void test_chain_evidence(void **state)
{
	(void)state;
	EVP_PKEY *key;
	struct spec s = { .cn = "a.test", .san = "DNS:a.test,DNS:www.a.test,IP:192.0.2.1", .from = -DAY, .to = 39 * DAY };
	X509 *leaf = issue(&s, &P.inter, &key);
	STACK_OF(X509) *chain = sk_X509_new_null();
	sk_X509_push(chain, leaf);
	X509_up_ref(P.inter.cert);
	sk_X509_push(chain, P.inter.cert);
	json_t *o = cert_chain_json(chain);
	assert_string_equal(json_string_value(json_object_get(o, "subject")), "CN=a.test");
	assert_string_equal(json_string_value(json_object_get(o, "issuer")), "CN=Test Intermediate");
	json_t *sans = json_object_get(o, "sans");
	assert_int_equal(json_array_size(sans), 3);
	assert_string_equal(json_string_value(json_array_get(sans, 2)), "192.0.2.1");
	json_t *c = json_object_get(o, "chain");
	assert_int_equal(json_array_size(c), 2);
	const char *pin = json_string_value(json_object_get(json_array_get(c, 0), "spki_sha256"));
	assert_int_equal(strlen(pin), 44);
	assert_string_equal(json_string_value(json_object_get(json_array_get(c, 0), "key")), "EC 256");
	assert_string_equal(json_string_value(json_object_get(o, "not_after")), "2027-01-05T00:00:00Z");
	json_decref(o);
	sk_X509_pop_free(chain, X509_free);
	EVP_PKEY_free(key);
	json_t *empty = cert_chain_json(NULL);
	assert_int_equal(json_object_size(empty), 0);
	json_decref(empty);
}

static void test_store_from_cafile(void **state)
{
	(void)state;
	struct err e;
	X509_STORE *s = cert_store_new("/nonexistent/ca.pem", &e);
	assert_null(s);
	assert_non_null(strstr(e.msg, "/nonexistent/ca.pem"));
	s = cert_store_new(NULL, &e);
	assert_non_null(s);
	X509_STORE_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_chain),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_names_and_trust),
		cmocka_unit_test(test_sha1_and_weak_keys),
		cmocka_unit_test(test_lifetime_schedule),
		cmocka_unit_test(test_lifetime_private_root),
		cmocka_unit_test(test_expiry_warnings),
		cmocka_unit_test(test_several_problems_first_wins),
		cmocka_unit_test(test_chain_evidence),
		cmocka_unit_test(test_store_from_cafile),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
