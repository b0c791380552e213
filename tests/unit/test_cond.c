/* test_cond.c: unit tests for `when:` conditions — parsing, errors with positions,
 * evaluation over hand-built results, mentions, and the code table they rely on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "codes.h"
#include "cond.h"

/* Results are built by hand: the tests must not depend on results.c. */
static void add(struct results *rs, const char *probe, enum status st, const char *code)
{
	struct result *r = xcalloc(1, sizeof *r);
	r->probe = xstrdup(probe);
	r->code = xstrdup(code);
	r->status = st;
	rs->items = xrealloc(rs->items, (rs->n + 1) * sizeof *rs->items);
	rs->items[rs->n++] = r;
}

static void clear(struct results *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->items[i]->probe);
		free(rs->items[i]->code);
		free(rs->items[i]);
	}
	free(rs->items);
	memset(rs, 0, sizeof *rs);
}

static int parse(const char *yaml, struct cond **c, struct err *e)
{
	struct ydoc d;
	*c = NULL;
	if (ydoc_load(&d, "when.yaml", yaml, strlen(yaml), e) < 0) {
		ydoc_free(&d);
		return -1;
	}
	int rc = cond_parse(&d, ydoc_root(&d), c, e);
	ydoc_free(&d);
	return rc;
}

static struct cond *must_parse(const char *yaml)
{
	struct cond *c;
	struct err e;
	if (parse(yaml, &c, &e) < 0)
		fail_msg("%s: %d:%d: %s", yaml, e.line, e.col, e.msg);
	return c;
}

static int eval(const char *yaml, const struct results *rs)
{
	struct cond *c = must_parse(yaml);
	int v = cond_eval(c, rs);
	cond_free(c);
	return v;
}

/* A network where Tor is blocked: online, all authorities time out, one bridge works. */
static void blocked(struct results *rs)
{
	memset(rs, 0, sizeof *rs);
	add(rs, "net.baseline", ST_PASS, "ok");
	add(rs, "tor.dirauth", ST_FAIL, "timeout");
	add(rs, "tor.dirauth", ST_FAIL, "refused");
	add(rs, "tor.dirauth", ST_FAIL, "timeout");
	add(rs, "tor.bridge", ST_PASS, "ok");
	add(rs, "tor.bridge", ST_ERROR, "pt_missing");
	add(rs, "https.cert", ST_WARN, "expiring_soon");
}

static void test_atom_basics(void **state)
{
	(void)state;
	struct results rs;
	blocked(&rs);
	assert_int_equal(eval("{probe: tor.dirauth}", &rs), 1);
	assert_int_equal(eval("{probe: tor.dirauth, status: fail}", &rs), 1);
	assert_int_equal(eval("{probe: tor.dirauth, status: pass}", &rs), 0);
	assert_int_equal(eval("{probe: tor.dirauth, code: refused}", &rs), 1);
	assert_int_equal(eval("{probe: tor.dirauth, code: [reset, eof]}", &rs), 0);
	assert_int_equal(eval("{probe: tor.dirauth, status: [pass, fail], code: timeout}", &rs), 1);
	assert_int_equal(eval("{probe: tor.dirport}", &rs), 0);
	assert_int_equal(eval("{probe: mail.tls, status: fail}", &rs), 0);
	clear(&rs);
}

static void test_family(void **state)
{
	(void)state;
	struct results rs;
	blocked(&rs);
	assert_int_equal(eval("{probe: tor, status: error}", &rs), 1);
	assert_int_equal(eval("{probe: tor, code: pt_missing}", &rs), 1);
	assert_int_equal(eval("{probe: https, status: warn}", &rs), 1);
	assert_int_equal(eval("{probe: tls}", &rs), 0);
	assert_int_equal(eval("{probe: tor, at_least: 6}", &rs), 0);
	assert_int_equal(eval("{probe: tor, at_least: 5}", &rs), 1);
	/* A family is a prefix up to the dot, not any prefix. */
	assert_int_equal(codes_probe_matches("tor", "tor.bridge"), 1);
	assert_int_equal(codes_probe_matches("tor", "torx.bridge"), 0);
	assert_int_equal(codes_probe_matches("tor.bridge", "tor.bridge"), 1);
	assert_int_equal(codes_probe_matches("tor.bridge", "tor.bridges"), 0);
	clear(&rs);
}

static void test_quantifiers(void **state)
{
	(void)state;
	struct results rs;
	blocked(&rs);
	assert_int_equal(eval("{probe: tor.dirauth, code: timeout, at_least: 2}", &rs), 1);
	assert_int_equal(eval("{probe: tor.dirauth, code: timeout, at_least: 3}", &rs), 0);
	assert_int_equal(eval("{probe: tor.dirauth, code: timeout, at_most: 1}", &rs), 0);
	assert_int_equal(eval("{probe: tor.dirauth, code: timeout, at_most: 2}", &rs), 1);
	assert_int_equal(eval("{probe: tor.dirauth, status: pass, at_most: 0}", &rs), 1);
	assert_int_equal(eval("{probe: tor.dirport, at_most: 0}", &rs), 1);
	assert_int_equal(eval("{probe: tor.dirauth, at_least: 2, at_most: 3}", &rs), 1);
	assert_int_equal(eval("{probe: tor.dirauth, at_least: 4, at_most: 9}", &rs), 0);
	assert_int_equal(eval("{probe: tor.dirauth, status: fail, every: true}", &rs), 1);
	assert_int_equal(eval("{probe: tor.dirauth, code: timeout, every: true}", &rs), 0);
	assert_int_equal(eval("{probe: tor.bridge, status: pass, every: true}", &rs), 0);
	/* every needs at least one result of that probe. */
	assert_int_equal(eval("{probe: tor.dirport, status: fail, every: true}", &rs), 0);
	assert_int_equal(eval("{probe: tor, status: [pass, fail, error], every: true}", &rs), 1);
	clear(&rs);
}

static void test_combinators(void **state)
{
	(void)state;
	struct results rs;
	blocked(&rs);
	assert_int_equal(eval("{all: [{probe: net.baseline, status: pass},"
			      " {probe: tor.dirauth, status: fail, every: true}]}", &rs), 1);
	assert_int_equal(eval("{all: [{probe: net.baseline, status: fail},"
			      " {probe: tor.dirauth, status: fail, every: true}]}", &rs), 0);
	assert_int_equal(eval("{any: [{probe: net.baseline, status: fail},"
			      " {probe: tor.bridge, status: pass}]}", &rs), 1);
	assert_int_equal(eval("{any: [{probe: net.baseline, status: fail},"
			      " {probe: mail}]}", &rs), 0);
	assert_int_equal(eval("{none: [{probe: net.baseline, status: fail},"
			      " {probe: mail}]}", &rs), 1);
	assert_int_equal(eval("{none: [{probe: net.baseline, status: pass}]}", &rs), 0);
	assert_int_equal(eval("{not: {probe: tor.dirauth, status: pass}}", &rs), 1);
	assert_int_equal(eval("{not: {not: {probe: tor.dirauth, status: pass}}}", &rs), 0);
	assert_int_equal(eval("{always: true}", &rs), 1);
	assert_int_equal(eval("all:\n  - probe: tor.bridge\n    status: pass\n"
			      "  - not: {probe: tor.bootstrap}\n", &rs), 1);
	assert_int_equal(cond_eval(NULL, &rs), 1);
	clear(&rs);
}

static void test_empty_results(void **state)
{
	(void)state;
	struct results rs;
	memset(&rs, 0, sizeof rs);
	assert_int_equal(eval("{probe: tor.dirauth}", &rs), 0);
	assert_int_equal(eval("{probe: tor.dirauth, at_most: 0}", &rs), 1);
	assert_int_equal(eval("{probe: tor.dirauth, status: fail, every: true}", &rs), 0);
	assert_int_equal(eval("{not: {probe: tor}}", &rs), 1);
	assert_int_equal(eval("{probe: tor}", NULL), 0);
}

static int mentions(const char *yaml, const char *probe, enum status st, const char *code)
{
	struct result r;
	memset(&r, 0, sizeof r);
	r.probe = (char *)probe;
	r.code = (char *)code;
	r.status = st;
	struct cond *c = must_parse(yaml);
	int v = cond_mentions(c, &r);
	cond_free(c);
	return v;
}

static void test_mentions(void **state)
{
	(void)state;
	const char *adv = "{all: [{probe: tor.dirauth, status: fail, every: true},"
			  " {probe: tor.bridge, status: pass, at_most: 0},"
			  " {not: {probe: net.baseline, status: fail}}]}";
	assert_int_equal(mentions(adv, "tor.dirauth", ST_FAIL, "timeout"), 1);
	assert_int_equal(mentions(adv, "tor.dirauth", ST_PASS, "ok"), 0);
	/* at_most alone and negated atoms describe what is absent. */
	assert_int_equal(mentions(adv, "tor.bridge", ST_PASS, "ok"), 0);
	assert_int_equal(mentions(adv, "net.baseline", ST_FAIL, "offline"), 0);
	assert_int_equal(mentions("{none: [{not: {probe: tor.bridge}}]}", "tor.bridge", ST_FAIL,
				  "refused"), 1);
	assert_int_equal(mentions("{probe: tor, code: [refused, reset]}", "tor.bridge", ST_FAIL,
				  "reset"), 1);
	assert_int_equal(mentions("{probe: tor, code: [refused, reset]}", "tor.bridge", ST_FAIL,
				  "eof"), 0);
	assert_int_equal(mentions("{probe: tor.bridge, at_least: 1, at_most: 2}", "tor.bridge",
				  ST_PASS, "ok"), 1);
	assert_int_equal(mentions("{always: true}", "tor.bridge", ST_PASS, "ok"), 0);
	assert_int_equal(cond_mentions(NULL, NULL), 0);
}

static int selects(const char *yaml, const char *probe)
{
	struct cond *c = must_parse(yaml);
	int v = cond_selects(c, probe);
	cond_free(c);
	return v;
}

/* cond_selects is the quick no of rv_article_probe: it must say yes wherever cond_mentions
 * could, in any position, by id or by family. */
static void test_selects(void **state)
{
	(void)state;
	const char *adv = "{all: [{probe: tor.dirauth, status: fail, every: true},"
			  " {not: {probe: net.baseline, status: fail}}, {any: [{probe: https}]}]}";
	assert_int_equal(selects(adv, "tor.dirauth"), 1);
	assert_int_equal(selects(adv, "net.baseline"), 1);
	assert_int_equal(selects(adv, "https.cert"), 1);
	assert_int_equal(selects(adv, "tor.bridge"), 0);
	assert_int_equal(selects("{probe: tor, code: [refused]}", "tor.bridge"), 1);
	assert_int_equal(selects("{probe: tor.bridge}", "tor"), 0);
	assert_int_equal(selects("{always: true}", "tor.bridge"), 0);
	assert_int_equal(cond_selects(NULL, "tor.bridge"), 0);
}

static void roundtrip(const char *yaml, const char *want)
{
	struct cond *c = must_parse(yaml), *c2;
	struct buf b, b2;
	struct err e;
	buf_init(&b);
	buf_init(&b2);
	cond_describe(c, &b);
	assert_string_equal(buf_cstr(&b), want);
	assert_int_equal(parse(buf_cstr(&b), &c2, &e), 0);
	cond_describe(c2, &b2);
	assert_string_equal(buf_cstr(&b2), want);
	cond_free(c);
	cond_free(c2);
	buf_free(&b);
	buf_free(&b2);
}

static void test_describe(void **state)
{
	(void)state;
	roundtrip("{probe: tor.dirauth}", "{probe: tor.dirauth}");
	roundtrip("probe: tor\nstatus: [error, fail]\ncode: [timeout]\nat_least: 2\n",
		  "{probe: tor, status: [fail, error], code: timeout, at_least: 2}");
	roundtrip("{all: [{probe: tor.dirauth, status: fail, every: true}, {not: {probe: tor.bridge,"
		  " status: pass, at_most: 0}}, {always: true}]}",
		  "{all: [{probe: tor.dirauth, status: fail, every: true}, {not: {probe: tor.bridge,"
		  " status: pass, at_most: 0}}, {always: true}]}");
	roundtrip("{none: [{probe: mail.tls, at_least: 1, at_most: 3}]}",
		  "{none: [{probe: mail.tls, at_least: 1, at_most: 3}]}");
	struct buf b;
	buf_init(&b);
	cond_describe(NULL, &b);
	assert_string_equal(buf_cstr(&b), "{always: true}");
	buf_free(&b);
}

struct bad {
	const char *yaml;
	int line, col;
	const char *msg;
};

static const struct bad bad[] = {
	{"{probe: tor.dirauht}", 1, 9, "unknown probe \"tor.dirauht\""},
	{"{probe: dns}", 1, 9, "unknown probe"},
	{"{probe: tor.dirauth, code: pt_missing}", 1, 28, "unknown code \"pt_missing\" for tor.dirauth"},
	{"{probe: tor, code: no_starttls}", 1, 20, "unknown code"},
	{"{probe: mail, code: no_starttls}", 0, 0, NULL},
	{"{probe: https.cert, code: timeout}", 0, 0, NULL},
	{"probe: tor.dirauth\nstatus: [fail, broken]\n", 2, 16, "unknown status \"broken\""},
	{"{probe: tor.dirauth, status: []}", 1, 30, "status: the list is empty"},
	{"{probe: tor.dirauth, state: fail}", 1, 22, "unknown key \"state\" in condition"},
	{"{probe: tor.dirauth, all: [{probe: tor}]}", 1, 22, "not both \"probe\" and \"all\""},
	{"{status: fail}", 1, 1, "needs probe:"},
	{"{}", 1, 1, "needs probe:"},
	{"{all: [{probe: tor}], status: fail}", 1, 23, "\"status\" goes with probe:"},
	{"{all: []}", 1, 7, "the list is empty"},
	{"{any: {probe: tor}}", 1, 7, "takes a list of conditions"},
	{"{not: [{probe: tor}]}", 1, 7, "not: takes one condition"},
	{"{always: false}", 1, 10, "always: false"},
	{"{always: maybe}", 1, 10, "true or false"},
	{"{probe: tor, at_least: 0}", 1, 24, "between 1 and"},
	{"{probe: tor, at_most: -1}", 1, 23, "between 0 and"},
	{"{probe: tor, at_least: two}", 1, 24, "whole number"},
	{"{probe: tor, at_least: 3, at_most: 2}", 1, 24, "can never hold"},
	{"{probe: tor, every: false}", 1, 21, "every: false"},
	{"{probe: tor, every: true, at_least: 2}", 1, 37, "already says how many"},
	{"{probe: tor.dirauth, status: fail, code: ok}", 1, 42, "never occur together"},
	{"{probe: tor.dirauth, status: pass, code: [timeout]}", 1, 42, "never occur together"},
	{"{probe: tor.dirauth, status: [pass, fail], code: [ok]}", 0, 0, NULL},
	{"[{probe: tor}]", 1, 1, "a condition must be a mapping"},
	{"always", 1, 1, "a condition must be a mapping"},
	{"{probe: [tor]}", 1, 9, "probe must be a string"},
	{"{all: [{probe: tor}, {any: [{probe: nope}]}]}", 1, 37, "unknown probe \"nope\""},
	/* An alias loop would recurse for ever without the depth limit. */
	{"&a {all: [*a]}", 1, 1, "anchors"},   /* refused before any expansion */
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct cond *c;
		struct err e;
		memset(&e, 0, sizeof e);
		int rc = parse(bad[i].yaml, &c, &e);
		if (!bad[i].msg) {
			if (rc < 0)
				fail_msg("%s: unexpected error %s", bad[i].yaml, e.msg);
			cond_free(c);
			continue;
		}
		if (rc == 0)
			fail_msg("%s: parsed but should fail with \"%s\"", bad[i].yaml, bad[i].msg);
		assert_null(c);
		if (!strstr(e.msg, bad[i].msg) || e.line != bad[i].line || e.col != bad[i].col)
			fail_msg("%s: got %s:%d:%d: %s; want %d:%d: ...%s...", bad[i].yaml, e.file,
				 e.line, e.col, e.msg, bad[i].line, bad[i].col, bad[i].msg);
		assert_string_equal(e.file, "when.yaml");
	}
}

static void test_deep_nesting(void **state)
{
	(void)state;
	struct buf b;
	struct cond *c;
	struct err e;
	buf_init(&b);
	for (int i = 0; i < COND_MAX_DEPTH; i++)
		buf_puts(&b, "{not: ");
	buf_puts(&b, "{probe: tor}");
	for (int i = 0; i < COND_MAX_DEPTH; i++)
		buf_putc(&b, '}');
	assert_int_equal(parse(buf_cstr(&b), &c, &e), 0);
	cond_free(c);
	buf_reset(&b);
	for (int i = 0; i <= COND_MAX_DEPTH; i++)
		buf_puts(&b, "{not: ");
	buf_puts(&b, "{probe: tor}");
	for (int i = 0; i <= COND_MAX_DEPTH; i++)
		buf_putc(&b, '}');
	assert_int_equal(parse(buf_cstr(&b), &c, &e), -1);
	assert_non_null(strstr(e.msg, "nested"));
	buf_free(&b);
}

static void test_codes_table(void **state)
{
	(void)state;
	static const char *const ids[] = {"net.baseline", "tor.dirauth", "tor.dirport", "tor.bridge",
		"tor.bootstrap", "https.redirect", "https.hsts", "https.preload", "https.tls",
		"https.cert", "https.mixed", "https.client", "tls.intercept", "tls.truststore",
		"mail.tls"};
	assert_int_equal(codes_probe_count(), sizeof ids / sizeof ids[0]);
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		assert_int_equal(codes_probe_known(ids[i]), 1);
		/* Every probe has ok, with a meaning. */
		const struct code_info *ci = codes_find(ids[i], "ok");
		assert_non_null(ci);
		assert_true(strlen(ci->meaning) > 10);
		assert_non_null(codes_find(ids[i], "interrupted"));
	}
	assert_int_equal(codes_probe_known("tor"), 1);
	assert_int_equal(codes_probe_known("tor."), 0);
	assert_int_equal(codes_probe_known("dns"), 0);
	assert_int_equal(codes_probe_known(NULL), 0);
	assert_string_equal(codes_find("tor.bridge", "pt_missing")->probe, "tor.bridge");
	assert_null(codes_find("tor.dirauth", "pt_missing"));
	assert_null(codes_find("tor", "ok"));
	assert_string_equal(codes_find("https.cert", "timeout")->probe, "*");
	assert_string_equal(codes_find("tor.dirauth", "timeout")->probe, "tor.dirauth");
	assert_int_equal(codes_code_known("tor", "stuck"), 1);
	assert_int_equal(codes_code_known("https", "stuck"), 0);
	assert_int_equal(codes_code_known("https", "not_run"), 1);
	/* Spot checks against results.md, and no code listed twice for one probe. */
	assert_non_null(codes_find("https.preload", "redirect_not_https_same_host"));
	assert_non_null(codes_find("tls.intercept", "leaf_key_is_ca_key"));
	assert_non_null(codes_find("tor.bridge", "unsupported_transport"));
	for (size_t i = 0; i < codes_count(); i++) {
		const struct code_info *a = codes_at(i);
		assert_true(!strcmp(a->probe, "*") || codes_probe_known(a->probe));
		for (size_t j = i + 1; j < codes_count(); j++) {
			const struct code_info *b = codes_at(j);
			assert_false(!strcmp(a->probe, b->probe) && !strcmp(a->code, b->code));
		}
	}
	assert_null(codes_at(codes_count()));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atom_basics),
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_quantifiers),
		cmocka_unit_test(test_combinators),
		cmocka_unit_test(test_empty_results),
		cmocka_unit_test(test_mentions),
		cmocka_unit_test(test_selects),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_codes_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
