/* test_hsts.c: the Strict-Transport-Security parser against RFC 6797's grammar — what real
 * sites send, and every way a header can be malformed (browsers then ignore it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hsts.h"

static int parse(const char *s, struct hsts_policy *p)
{
	return hsts_parse(s, strlen(s), p);
}

static void expect_valid(const char *s, long long max_age, int sub, int preload)
{
	struct hsts_policy p;
	if (parse(s, &p) != 0)
		fail_msg("\"%s\" should be valid, got %s at %zu", s, hsts_error_name(p.error), p.error_at);
	assert_int_equal(p.error, HSTS_OK);
	assert_int_equal(p.max_age, max_age);
	assert_int_equal(p.include_subdomains, sub);
	assert_int_equal(p.preload, preload);
}

static void expect_invalid(const char *s, enum hsts_error want)
{
	struct hsts_policy p;
	if (parse(s, &p) != -1)
		fail_msg("\"%s\" should be invalid (%s)", s, hsts_error_name(want));
	if (p.error != want)
		fail_msg("\"%s\": want %s, got %s", s, hsts_error_name(want), hsts_error_name(p.error));
}

static void test_common_headers(void **state)
{
	(void)state;
	expect_valid("max-age=31536000", 31536000, 0, 0);
	expect_valid("max-age=63072000; includeSubDomains; preload", 63072000, 1, 1);
	expect_valid("max-age=15552000; includeSubDomains", 15552000, 1, 0);
	expect_valid("max-age=0", 0, 0, 0);
}

static void test_case_and_order(void **state)
{
	(void)state;
	expect_valid("MAX-AGE=100;INCLUDESUBDOMAINS;PRELOAD", 100, 1, 1);
	expect_valid("preload; includesubdomains; Max-Age=5", 5, 1, 1);
}

static void test_whitespace_and_empty_directives(void **state)
{
	(void)state;
	expect_valid("  max-age = 300 ;  includeSubDomains  ", 300, 1, 0);
	expect_valid("\tmax-age=300\t;\tpreload", 300, 0, 1);
	expect_valid("max-age=300;", 300, 0, 0);
	expect_valid(";;max-age=300;;includeSubDomains;;", 300, 1, 0);
}

static void test_quoted_values(void **state)
{
	(void)state;
	expect_valid("max-age=\"31536000\"", 31536000, 0, 0);
	expect_valid("max-age=\"3\\1\"", 31, 0, 0);   /* a quoted-pair is the character itself */
	expect_valid("max-age=10; foo=\"a;b=c\"", 10, 0, 0);   /* ';' inside quotes is data */
	expect_invalid("max-age=\"100", HSTS_SYNTAX);
	expect_invalid("max-age=\"10 0\"", HSTS_MAX_AGE_BAD);
	expect_invalid("max-age=\"\"", HSTS_MAX_AGE_BAD);
}

static void test_unknown_directives_ignored(void **state)
{
	(void)state;
	struct hsts_policy p;
	assert_int_equal(parse("max-age=10; report-uri=\"https://x.test/r\"; fancy", &p), 0);
	assert_int_equal(p.unknown_directives, 2);
	/* preload with a value is not the preload token; Chromium ignores it like any unknown. */
	assert_int_equal(parse("max-age=10; preload=yes", &p), 0);
	assert_int_equal(p.preload, 0);
	assert_int_equal(p.unknown_directives, 1);
}

static void test_duplicates(void **state)
{
	(void)state;
	struct hsts_policy p;
	expect_invalid("max-age=10; max-age=20", HSTS_DUPLICATE);
	expect_invalid("max-age=10; includeSubDomains; INCLUDESUBDOMAINS", HSTS_DUPLICATE);
	expect_invalid("max-age=10; preload; Preload", HSTS_DUPLICATE);
	assert_int_equal(parse("max-age=10; foo; FOO", &p), -1);
	assert_int_equal(p.error, HSTS_DUPLICATE);
	assert_string_equal(p.duplicate, "FOO");
}

static void test_comma_joined_is_invalid(void **state)
{
	(void)state;
	/* Two headers folded into one by a proxy: Observatory calls this "set twice". */
	expect_invalid("max-age=31536000, max-age=31536000", HSTS_SYNTAX);
	expect_invalid("max-age=31536000; includeSubDomains, max-age=1", HSTS_SYNTAX);
}

static void test_max_age_problems(void **state)
{
	(void)state;
	expect_invalid("includeSubDomains", HSTS_MAX_AGE_MISSING);
	expect_invalid("max-age", HSTS_MAX_AGE_BAD);
	expect_invalid("max-age=", HSTS_MAX_AGE_BAD);
	expect_invalid("max-age=-1", HSTS_MAX_AGE_BAD);
	expect_invalid("max-age=+5", HSTS_MAX_AGE_BAD);
	expect_invalid("max-age=1e6", HSTS_MAX_AGE_BAD);
	expect_invalid("max-age=12abc", HSTS_MAX_AGE_BAD);
	expect_invalid("max-age=0x10", HSTS_MAX_AGE_BAD);
}

static void test_huge_max_age_is_capped(void **state)
{
	(void)state;
	expect_valid("max-age=99999999999999999999999999999999999", HSTS_MAX_AGE_CAP, 0, 0);
	expect_valid("max-age=000000000000000000000000000000010", 10, 0, 0);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_invalid("", HSTS_EMPTY);
	expect_invalid("   ", HSTS_EMPTY);
	expect_invalid(";;", HSTS_EMPTY);
	expect_invalid("max-age=10 includeSubDomains", HSTS_SYNTAX);
	expect_invalid("max-age=10; =5", HSTS_SYNTAX);
	expect_invalid("max-age=10; foo=", HSTS_SYNTAX);
	expect_invalid("max-age=10; inc/lude", HSTS_SYNTAX);
	expect_invalid("max-age=10; includeSubDomains=yes", HSTS_UNEXPECTED_VALUE);
	expect_invalid("max-age=10\r\n", HSTS_SYNTAX);   /* callers strip the line end */
}

static void test_error_position_and_bytes(void **state)
{
	(void)state;
	struct hsts_policy p;
	assert_int_equal(parse("max-age=10; b@d", &p), -1);
	assert_int_equal(p.error, HSTS_SYNTAX);
	assert_int_equal(p.error_at, 13);
	/* Embedded NUL and high bytes are data, never a crash; len bounds the value. */
	const char raw[] = { 'm', 'a', 'x', '-', 'a', 'g', 'e', '=', '1', '\0', ';' };
	assert_int_equal(hsts_parse(raw, sizeof raw, &p), -1);
	assert_int_equal(hsts_parse(raw, 9, &p), 0);
	assert_int_equal(p.max_age, 1);
	assert_int_equal(parse("max-age=10; x=\"\xc3\xa9\"", &p), 0);
	assert_int_equal(hsts_parse(NULL, 0, &p), -1);
	assert_int_equal(p.error, HSTS_EMPTY);
}

static void test_error_names(void **state)
{
	(void)state;
	assert_string_equal(hsts_error_name(HSTS_OK), "ok");
	assert_string_equal(hsts_error_name(HSTS_DUPLICATE), "duplicate_directive");
	assert_string_equal(hsts_error_name(HSTS_MAX_AGE_MISSING), "max_age_missing");
	assert_string_equal(hsts_error_name((enum hsts_error)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_common_headers),
		cmocka_unit_test(test_case_and_order),
		cmocka_unit_test(test_whitespace_and_empty_directives),
		cmocka_unit_test(test_quoted_values),
		cmocka_unit_test(test_unknown_directives_ignored),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_comma_joined_is_invalid),
		cmocka_unit_test(test_max_age_problems),
		cmocka_unit_test(test_huge_max_age_is_capped),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_error_position_and_bytes),
		cmocka_unit_test(test_error_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
