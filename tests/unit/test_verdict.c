/* test_verdict.c: the verdict rules (verdict.md) over the results fixtures and over runs
 * built by hand for the edge cases: what outranks what, what is not a problem on its own,
 * which bridge got through, who can read the traffic, and verdicts read back from files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "results_json.h"
#include "verdict.h"

#define FIX "tests/fixtures/results/"

static void expect_file(const char *file, const char *level, const char *headline)
{
	struct results rs;
	results_init(&rs);
	struct err e;
	err_clear(&e);
	assert_int_equal(results_load(file, &rs, &e), 0);
	json_t *v = results_verdict(&rs);
	assert_string_equal(json_string_value(json_object_get(v, "level")), level);
	assert_string_equal(json_string_value(json_object_get(v, "headline")), headline);
	/* A run that is not ready says why. */
	assert_int_equal(json_array_size(json_object_get(v, "reasons")) > 0, strcmp(level, "ready") != 0);
	json_decref(v);
	results_free(&rs);
}

static void test_fixtures(void **state)
{
	(void)state;
	expect_file(FIX "all-pass.json", "ready", "Ready: Tor works from here and nothing checked needs fixing (17 checks)");
	expect_file(FIX "interception.json", "intercepted",
		    "HTTPS on this network is being opened and re-signed by \"Campus Inspection CA\"");
	expect_file(FIX "offline.json", "offline", "This machine looks offline: nothing else could be checked");
	expect_file(FIX "tor-blocked-obfs4.json", "tor_blocked", "Tor is blocked on this network, but a bridge got through (obfs4)");
	expect_file(FIX "hostile.json", "tor_blocked", "Tor is blocked on this network, and no bridge tried got through");
}

static void add(struct results *rs, const char *probe, const char *target, const char *name, enum status st,
		const char *code)
{
	result_set(results_add(rs, probe, target, name), st, code, "%s", "a summary");
}

static enum verdict_level level_of(struct results *rs, char *headline, size_t n)
{
	struct verdict v;
	verdict_compute(rs, &v);
	if (headline)
		snprintf(headline, n, "%s", v.headline);
	enum verdict_level l = v.level;
	verdict_free(&v);
	return l;
}

/* A healthy machine reaches ready: a bootstrap still going at the deadline while the
 * authorities answered, a transport program not installed and a skip are notes. */
static void test_healthy_with_notes_is_ready(void **state)
{
	(void)state;
	struct results rs;
	results_init(&rs);
	add(&rs, "net.baseline", "control", "", ST_PASS, "ok");
	add(&rs, "tor.dirauth", "127.0.0.1:1", "moria1", ST_PASS, "ok");
	add(&rs, "tor.dirauth", "127.0.0.1:2", "tor26", ST_FAIL, "timeout");
	add(&rs, "tor.bootstrap", "tor", "direct", ST_WARN, "timeout");
	add(&rs, "tor.bridge", "snowflake 192.0.2.3:80 2B28", "", ST_ERROR, "pt_missing");
	add(&rs, "tor.bootstrap", "snowflake bridges", "snowflake", ST_ERROR, "pt_missing");
	add(&rs, "https.mixed", "https://a.test/", "", ST_SKIP, "no_page");
	add(&rs, "tls.truststore", "/etc/ssl/certs", "", ST_SKIP, "unsupported");
	char h[VERDICT_HEADLINE_MAX];
	/* One authority of two not answering is no problem while the other proves itself (some
	 * are often down; IPv6 addresses on an IPv4-only network never answer). */
	assert_int_equal(level_of(&rs, h, sizeof h), VL_READY);
	assert_string_equal(h, "Ready: Tor works from here and nothing checked needs fixing (4 checks)");
	/* Something impersonating an authority is a problem even then. */
	result_set(rs.items[2], ST_FAIL, "not_tor", "x");
	assert_int_equal(level_of(&rs, h, sizeof h), VL_PROBLEMS);
	assert_string_equal(h, "1 problem to look at: Tor directory authorities (Something else answered)");
	/* With no way into Tor left, an authority not answering is part of the block. */
	result_set(rs.items[2], ST_FAIL, "timeout", "x");
	result_set(rs.items[1], ST_FAIL, "unreachable", "x");
	assert_int_equal(level_of(&rs, h, sizeof h), VL_TOR_BLOCKED);
	result_set(rs.items[1], ST_PASS, "ok", "fine");
	results_free(&rs);
}

static void test_order_of_levels(void **state)
{
	(void)state;
	struct results rs;
	results_init(&rs);
	add(&rs, "tor.dirauth", "127.0.0.1:1", "moria1", ST_PASS, "ok");
	add(&rs, "tor.bootstrap", "tor", "direct", ST_FAIL, "stuck");
	char h[VERDICT_HEADLINE_MAX];
	/* Authorities answer but the direct bootstrap is stuck: blocked, no bridge tried. */
	assert_int_equal(level_of(&rs, h, sizeof h), VL_TOR_BLOCKED);
	assert_string_equal(h, "Tor is blocked on this network; a bridge is the usual way around it");
	add(&rs, "tor.bootstrap", "obfs4 bridges", "obfs4", ST_PASS, "ok");
	assert_int_equal(level_of(&rs, h, sizeof h), VL_TOR_BLOCKED);
	assert_string_equal(h, "Tor is blocked on this network, but a bridge got through (obfs4)");
	add(&rs, "https.hsts", "https://a.test/", "", ST_FAIL, "missing");
	assert_int_equal(level_of(&rs, NULL, 0), VL_TOR_BLOCKED);
	add(&rs, "net.baseline", "control", "", ST_FAIL, "offline");
	assert_int_equal(level_of(&rs, NULL, 0), VL_OFFLINE);
	/* Accepting a bad certificate outranks all: anyone on the path can read HTTPS. */
	add(&rs, "https.client", "expired.badssl.test:443", "", ST_FAIL, "accepts_bad_cert");
	assert_int_equal(level_of(&rs, h, sizeof h), VL_INTERCEPTED);
	assert_non_null(strstr(h, "accepts HTTPS certificates it should refuse"));
	/* A warn from tls.intercept is worth a look, not an interception. */
	struct results w;
	results_init(&w);
	add(&w, "tls.intercept", "a.test:443", "", ST_WARN, "no_scts");
	assert_int_equal(level_of(&w, NULL, 0), VL_PROBLEMS);
	/* An error (could not check) alone is not a problem. */
	result_set(w.items[0], ST_ERROR, "unreachable", "x");
	assert_int_equal(level_of(&w, h, sizeof h), VL_READY);
	assert_string_equal(h, "Ready: nothing checked needs fixing (0 checks)");
	results_free(&w);
	results_free(&rs);
}

static void test_problems_worst_first(void **state)
{
	(void)state;
	struct results rs;
	results_init(&rs);
	add(&rs, "https.tls", "https://a.test/", "", ST_WARN, "tls10_offered");
	add(&rs, "https.cert", "https://a.test/", "", ST_FAIL, "expired");
	struct verdict v;
	verdict_compute(&rs, &v);
	assert_int_equal(v.level, VL_PROBLEMS);
	assert_int_equal(v.nreasons, 2);
	assert_string_equal(v.reasons[0]->code, "expired");
	assert_string_equal(v.headline, "2 problems to look at; the first: Site certificate (Expired)");
	json_t *j = verdict_to_json(&v);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "reasons"), 1), "code")),
			    "tls10_offered");
	assert_null(json_object_get(j, "inspection_ca"));
	json_decref(j);
	verdict_free(&v);
	results_free(&rs);
}

static int load_text(const char *text, struct results *rs)
{
	json_error_t je;
	json_t *doc = json_loads(text, 0, &je);
	assert_non_null(doc);
	struct err e;
	err_clear(&e);
	results_init(rs);
	int rc = results_from_json(doc, "t.json", rs, &e);
	json_decref(doc);
	return rc;
}

/* A file's verdict is read as written; none is computed again; an invalid one is refused. */
static void test_read_back(void **state)
{
	(void)state;
	struct results rs;
	const char *body = "\"tool\": {\"name\": \"torready\", \"version\": \"0.1.0\"}, \"started\": \"\", "
			   "\"finished\": \"\", \"duration_ms\": 0, \"deadline_ms\": 0, \"host\": {}, \"contacted\": [], "
			   "\"results\": [{\"probe\": \"net.baseline\", \"target\": \"c\", \"name\": \"\", \"status\": \"fail\", "
			   "\"code\": \"offline\", \"summary\": \"\", \"duration_ms\": 0, \"evidence\": {}}]";
	char doc[1024];
	snprintf(doc, sizeof doc, "{\"schema\": \"torready-results/1\", %s, \"verdict\": {\"level\": \"problems\", "
		 "\"headline\": \"as written\", \"reasons\": []}}", body);
	assert_int_equal(load_text(doc, &rs), 0);
	assert_int_equal(results_verdict_level(&rs), VL_PROBLEMS);
	results_free(&rs);
	/* An unknown level is not a results document (the schema's enum), not a verdict to
	 * compute again. */
	snprintf(doc, sizeof doc, "{\"schema\": \"torready-results/1\", %s, \"verdict\": {\"level\": \"fine\", "
		 "\"headline\": \"x\", \"reasons\": []}}", body);
	assert_int_equal(load_text(doc, &rs), -1);
	results_free(&rs);
	snprintf(doc, sizeof doc, "{\"schema\": \"torready-results/1\", %s}", body);
	assert_int_equal(load_text(doc, &rs), 0);
	assert_int_equal(results_verdict_level(&rs), VL_OFFLINE);
	/* Written back, the document carries it. */
	json_t *out = results_to_json(&rs);
	assert_string_equal(json_string_value(json_object_get(json_object_get(out, "verdict"), "level")), "offline");
	json_decref(out);
	results_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_healthy_with_notes_is_ready),
		cmocka_unit_test(test_order_of_levels),
		cmocka_unit_test(test_problems_worst_first),
		cmocka_unit_test(test_read_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
