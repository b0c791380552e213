/* test_intercept.c: the interception signals over chains built at test time — a site (root,
 * intermediate, leaves), an sslsplit-like box (its CA, one leaf key for every site), a
 * mitmproxy-like box (leaf carries the CA's key) — plus path building and a fake trust
 * store (files in a temporary directory) for the local_root signal. */
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "certgen.h"
#include "intercept_judge.h"

struct world {
	EVP_PKEY *rk, *ik, *ak, *bk, *ck, *sk, *mk;
	X509 *root, *inter, *a, *b;         /* the real site */
	X509 *campus, *fa, *fb;             /* sslsplit: its CA, forged leaves with one key */
	X509 *mitm, *ma;                    /* mitmproxy: its CA, a leaf with the CA's key */
	STACK_OF(X509) *cafile;             /* the real root, as --cafile */
	char dir[64];                       /* a fake trust store */
	struct truststore ts;
};

static int mkdirs(const char *path)
{
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	return mkdir(tmp, 0755);
}

static void store_file(struct world *w, const char *rel, X509 *x)
{
	char path[512], dir[512];
	snprintf(path, sizeof path, "%s%s", w->dir, rel);
	snprintf(dir, sizeof dir, "%s", path);
	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	assert_int_equal(cg_write_pem(path, x), 0);
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	w->rk = cg_key(), w->ik = cg_key(), w->ak = cg_key(), w->bk = cg_key();
	w->ck = cg_key(), w->sk = cg_key(), w->mk = cg_key();
	w->root = cg_cert(w->rk, "Test Root", "Tests", NULL, w->rk, 1, NULL, NULL);
	w->inter = cg_cert(w->ik, "Test Intermediate", "Tests", w->root, w->rk, 1, NULL, NULL);
	w->a = cg_cert(w->ak, "a.test", NULL, w->inter, w->ik, 0, "DNS:a.test", NULL);
	w->b = cg_cert(w->bk, "b.test", NULL, w->inter, w->ik, 0, "DNS:b.test", NULL);
	w->campus = cg_cert(w->ck, "Campus Inspection CA", "Campus IT", NULL, w->ck, 1, NULL, NULL);
	w->fa = cg_cert(w->sk, "a.test", NULL, w->campus, w->ck, 0, "DNS:a.test", NULL);
	w->fb = cg_cert(w->sk, "b.test", NULL, w->campus, w->ck, 0, "DNS:b.test", NULL);
	w->mitm = cg_cert(w->mk, "mitmproxy", "mitmproxy", NULL, w->mk, 1, NULL, NULL);
	w->ma = cg_cert(w->mk, "a.test", NULL, w->mitm, w->mk, 0, "DNS:a.test", NULL);
	w->cafile = cg_chain(w->root, NULL, NULL);
	/* The campus CA installed locally; the real root in the Mozilla set. */
	snprintf(w->dir, sizeof w->dir, "/tmp/torready-unit.XXXXXX");
	assert_non_null(mkdtemp(w->dir));
	store_file(w, "/usr/share/ca-certificates/mozilla/Test_Root.crt", w->root);
	store_file(w, "/etc/ssl/certs/Test_Root.pem", w->root);
	store_file(w, "/usr/local/share/ca-certificates/campus.crt", w->campus);
	assert_int_equal(truststore_load(&w->ts, w->dir, NULL), 0);
	*state = w;
	return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

static int teardown(void **state)
{
	struct world *w = *state;
	truststore_free(&w->ts);
	nftw(w->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	X509 *certs[] = { w->root, w->inter, w->a, w->b, w->campus, w->fa, w->fb, w->mitm, w->ma };
	for (size_t i = 0; i < sizeof certs / sizeof *certs; i++)
		X509_free(certs[i]);
	EVP_PKEY *keys[] = { w->rk, w->ik, w->ak, w->bk, w->ck, w->sk, w->mk };
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		EVP_PKEY_free(keys[i]);
	sk_X509_pop_free(w->cafile, X509_free);
	free(w);
	return 0;
}

/* Fills an observation from a chain (ts/cafile may be NULL); the chain stays the caller's. */
static void observe(struct icpt_obs *o, STACK_OF(X509) *chain, const struct truststore *ts,
		    STACK_OF(X509) *cafile)
{
	memset(o, 0, sizeof *o);
	o->ok = 1;
	chain_path_build(&o->path, chain, ts, cafile);
	o->embedded_scts = certinfo_embedded_scts(sk_X509_value(chain, 0), NULL, 0);
}

static int fired(const struct icpt_verdict *v, enum icpt_signal s)
{
	return (v->fired & (1u << s)) != 0;
}

static void test_clean_pinned(void **state)
{
	struct world *w = *state;
	char pin[CERTINFO_PIN_LEN];
	certinfo_spki_pin(w->inter, pin);
	char *pins[] = { pin };
	STACK_OF(X509) *c = cg_chain(w->a, w->inter, NULL);
	struct icpt_host h = { .host = "a.test", .port = 443, .pins = pins, .npins = 1 };
	observe(&h.direct, c, NULL, NULL);
	struct icpt_verdict v;
	icpt_judge(&h, 1, &v);
	assert_int_equal(v.fired, 0);
	assert_int_equal(v.status, ST_PASS);
	assert_true(v.pin_matched);
	assert_int_equal(h.direct.path.n, 2);
	assert_string_equal(h.direct.path.root_class, "unknown_issuer");
	sk_X509_pop_free(c, X509_free);
}

static void test_sslsplit_pinned(void **state)
{
	struct world *w = *state;
	char pin[CERTINFO_PIN_LEN];
	certinfo_spki_pin(w->inter, pin);
	char *pins[] = { pin };
	/* Even with the real intermediate appended, the pin must not match: it signed nothing. */
	STACK_OF(X509) *c = cg_chain(w->fa, w->campus, w->inter);
	struct icpt_host h = { .host = "a.test", .port = 443, .pins = pins, .npins = 1 };
	observe(&h.direct, c, NULL, NULL);
	struct icpt_verdict v;
	icpt_judge(&h, 1, &v);
	assert_true(fired(&v, SIG_PIN_MISMATCH));
	assert_true(fired(&v, SIG_NO_SCTS));
	assert_false(fired(&v, SIG_LEAF_KEY_IS_CA_KEY));
	assert_int_equal(v.top, SIG_PIN_MISMATCH);
	assert_int_equal(v.status, ST_FAIL);
	assert_true(v.intercepted);
	assert_string_equal(v.inspection_ca, "Campus Inspection CA (Campus IT)");
	assert_string_equal(h.direct.path.root_class, "not_trusted");
	assert_int_equal(h.direct.path.n, 2);
	sk_X509_pop_free(c, X509_free);
}

static void test_issuer_unexpected(void **state)
{
	struct world *w = *state;
	char *issuers[] = { "test intermediate" };   /* names compare without case */
	STACK_OF(X509) *good = cg_chain(w->a, w->inter, NULL), *bad = cg_chain(w->fa, w->campus, NULL);
	struct icpt_host h[2] = {
		{ .host = "a.test", .port = 443, .issuers = issuers, .nissuers = 1 },
		{ .host = "a.test", .port = 8443, .issuers = issuers, .nissuers = 1 },
	};
	observe(&h[0].direct, good, NULL, w->cafile);
	observe(&h[1].direct, bad, NULL, w->cafile);
	struct icpt_verdict v[2];
	icpt_judge(h, 2, v);
	assert_int_equal(v[0].fired, 0);
	assert_string_equal(h[0].direct.path.root_class, "cafile");
	assert_int_equal(v[1].top, SIG_ISSUER_UNEXPECTED);
	assert_int_equal(v[1].status, ST_FAIL);
	sk_X509_pop_free(good, X509_free);
	sk_X509_pop_free(bad, X509_free);
}

static void test_spki_reused(void **state)
{
	struct world *w = *state;
	STACK_OF(X509) *ca = cg_chain(w->fa, w->campus, NULL), *cb = cg_chain(w->fb, w->campus, NULL);
	struct icpt_host h[2] = { { .host = "a.test", .port = 443 }, { .host = "b.test", .port = 443 } };
	observe(&h[0].direct, ca, NULL, NULL);
	observe(&h[1].direct, cb, NULL, NULL);
	struct icpt_verdict v[2];
	icpt_judge(h, 2, v);
	assert_int_equal(v[0].top, SIG_SPKI_REUSED);
	assert_int_equal(v[1].top, SIG_SPKI_REUSED);
	assert_string_equal(v[0].reused_with, "b.test:443");
	assert_string_equal(v[1].reused_with, "a.test:443");
	/* The real site: different keys. */
	STACK_OF(X509) *ra = cg_chain(w->a, w->inter, NULL), *rb = cg_chain(w->b, w->inter, NULL);
	observe(&h[0].direct, ra, NULL, w->cafile);
	observe(&h[1].direct, rb, NULL, w->cafile);
	icpt_judge(h, 2, v);
	assert_int_equal(v[0].fired | v[1].fired, 0);
	sk_X509_pop_free(ca, X509_free);
	sk_X509_pop_free(cb, X509_free);
	sk_X509_pop_free(ra, X509_free);
	sk_X509_pop_free(rb, X509_free);
}

static void test_spki_shared_legitimately(void **state)
{
	struct world *w = *state;
	/* One key in two certificates that each cover both names (a renewal, www + apex). */
	X509 *x1 = cg_cert(w->ak, "a.test", NULL, w->inter, w->ik, 0, "DNS:a.test,DNS:b.test", NULL);
	X509 *x2 = cg_cert(w->ak, "b.test", NULL, w->inter, w->ik, 0, "DNS:a.test,DNS:b.test", NULL);
	STACK_OF(X509) *c1 = cg_chain(x1, w->inter, NULL), *c2 = cg_chain(x2, w->inter, NULL);
	/* And the very same certificate on two hosts (a default virtual host). */
	STACK_OF(X509) *same = cg_chain(w->fa, w->campus, NULL);
	struct icpt_host h[4] = { { .host = "a.test", .port = 443 }, { .host = "b.test", .port = 443 },
				  { .host = "c.test", .port = 443 }, { .host = "d.test", .port = 443 } };
	observe(&h[0].direct, c1, NULL, w->cafile);
	observe(&h[1].direct, c2, NULL, w->cafile);
	observe(&h[2].direct, same, NULL, NULL);
	observe(&h[3].direct, same, NULL, NULL);
	struct icpt_verdict v[4];
	icpt_judge(h, 4, v);
	for (int i = 0; i < 4; i++)
		assert_false(fired(&v[i], SIG_SPKI_REUSED));
	sk_X509_pop_free(c1, X509_free);
	sk_X509_pop_free(c2, X509_free);
	sk_X509_pop_free(same, X509_free);
	X509_free(x1);
	X509_free(x2);
}

static void test_leaf_key_is_ca_key(void **state)
{
	struct world *w = *state;
	STACK_OF(X509) *alone = cg_chain(w->ma, NULL, NULL), *with = cg_chain(w->ma, w->mitm, NULL);
	struct icpt_host h = { .host = "a.test", .port = 443 };
	struct icpt_verdict v;
	observe(&h.direct, alone, NULL, NULL);
	icpt_judge(&h, 1, &v);
	assert_int_equal(v.top, SIG_LEAF_KEY_IS_CA_KEY);
	assert_string_equal(v.inspection_ca, "mitmproxy");
	observe(&h.direct, with, NULL, NULL);
	icpt_judge(&h, 1, &v);
	assert_int_equal(v.top, SIG_LEAF_KEY_IS_CA_KEY);
	/* A self-signed leaf is its own issuer: not the signal. */
	X509 *self = cg_cert(w->ak, "a.test", NULL, NULL, w->ak, 0, "DNS:a.test", NULL);
	STACK_OF(X509) *sc = cg_chain(self, NULL, NULL);
	observe(&h.direct, sc, NULL, NULL);
	icpt_judge(&h, 1, &v);
	assert_false(fired(&v, SIG_LEAF_KEY_IS_CA_KEY));
	assert_int_equal(v.top, SIG_NO_SCTS);
	assert_int_equal(v.status, ST_WARN);
	assert_false(v.intercepted);
	sk_X509_pop_free(alone, X509_free);
	sk_X509_pop_free(with, X509_free);
	sk_X509_pop_free(sc, X509_free);
	X509_free(self);
}

static void test_vantage(void **state)
{
	struct world *w = *state;
	STACK_OF(X509) *forged = cg_chain(w->fa, w->campus, NULL), *real = cg_chain(w->a, w->inter, NULL);
	struct icpt_host h = { .host = "a.test", .port = 443 };
	struct icpt_verdict v;
	observe(&h.direct, forged, NULL, NULL);
	observe(&h.vantage, real, NULL, NULL);
	icpt_judge(&h, 1, &v);
	assert_int_equal(v.top, SIG_VANTAGE_MISMATCH);
	/* Same chain both ways: clean, and no SCT warning (Tor saw the same keys). */
	observe(&h.direct, real, NULL, NULL);
	icpt_judge(&h, 1, &v);
	assert_int_equal(v.fired, 0);
	/* A failed Tor path judges the direct one alone. */
	h.vantage.ok = 0;
	icpt_judge(&h, 1, &v);
	assert_int_equal(v.top, SIG_NO_SCTS);
	sk_X509_pop_free(forged, X509_free);
	sk_X509_pop_free(real, X509_free);
}

static void test_local_root(void **state)
{
	struct world *w = *state;
	STACK_OF(X509) *forged = cg_chain(w->fa, NULL, NULL), *real = cg_chain(w->a, w->inter, NULL);
	struct icpt_host h = { .host = "a.test", .port = 443 };
	struct icpt_verdict v;
	/* The box sends only its leaf: the path finds its CA in the store. */
	observe(&h.direct, forged, &w->ts, NULL);
	assert_int_equal(h.direct.path.n, 2);
	assert_string_equal(h.direct.path.from[1], "trust store");
	assert_string_equal(h.direct.path.root_class, "local");
	icpt_judge(&h, 1, &v);
	assert_int_equal(v.top, SIG_LOCAL_ROOT);
	assert_string_equal(v.inspection_ca, "Campus Inspection CA (Campus IT)");
	/* The real chain ends in a Mozilla root of the same store. */
	observe(&h.direct, real, &w->ts, NULL);
	assert_string_equal(h.direct.path.root_class, "mozilla");
	assert_int_equal(h.direct.path.n, 3);
	icpt_judge(&h, 1, &v);
	assert_false(fired(&v, SIG_LOCAL_ROOT));
	sk_X509_pop_free(forged, X509_free);
	sk_X509_pop_free(real, X509_free);
}

static void test_public_chain_softens(void **state)
{
	struct world *w = *state;
	/* A chain to a Mozilla root with SCTs and an unexpected issuer or pin: the site may have
	 * changed CA — a warning, not an interception alarm. */
	char *issuers[] = { "Someone Else" };
	char *pins[] = { "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" };
	STACK_OF(X509) *real = cg_chain(w->a, w->inter, NULL);
	struct icpt_host h = { .host = "a.test", .port = 443, .issuers = issuers, .nissuers = 1,
			       .pins = pins, .npins = 1 };
	struct icpt_verdict v;
	observe(&h.direct, real, &w->ts, NULL);
	h.direct.embedded_scts = 2;
	icpt_judge(&h, 1, &v);
	assert_true(fired(&v, SIG_PIN_MISMATCH) && fired(&v, SIG_ISSUER_UNEXPECTED));
	assert_false(fired(&v, SIG_NO_SCTS));
	assert_int_equal(v.status, ST_WARN);
	assert_false(v.intercepted);
	/* Without SCTs the same chain is not what a public site sends: fail. */
	h.direct.embedded_scts = 0;
	icpt_judge(&h, 1, &v);
	assert_int_equal(v.status, ST_FAIL);
	sk_X509_pop_free(real, X509_free);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_pinned),
		cmocka_unit_test(test_sslsplit_pinned),
		cmocka_unit_test(test_issuer_unexpected),
		cmocka_unit_test(test_spki_reused),
		cmocka_unit_test(test_spki_shared_legitimately),
		cmocka_unit_test(test_leaf_key_is_ca_key),
		cmocka_unit_test(test_vantage),
		cmocka_unit_test(test_local_root),
		cmocka_unit_test(test_public_chain_softens),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
