/* test_dated.c: the dated-facts loader (src/guide/dated.c): the shipped kb/dated.yaml loads and
 * holds the CA/B Forum schedule; values switch exactly at their dates; broken files (dates
 * out of order, impossible dates, unknown keys, duplicate ids) are refused with a position. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dated.h"

static const char *write_tmp(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/test_dated_XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_shipped_file(void **state)
{
	(void)state;
	struct err e;
	err_clear(&e);
	const struct dated *d = dated_default(&e);
	if (!d)
		fail_msg("kb/dated.yaml: %s", e.msg);
	const struct dated_fact *f = dated_find(d, "cabf-max-lifetime-days");
	assert_non_null(f);
	assert_non_null(strstr(f->source, "cabforum.org"));
	long v;
	assert_int_equal(dated_value_at(f, 1773532800 - 1, &v), 0);   /* 2026-03-14T23:59:59Z */
	assert_int_equal(v, 398);
	assert_int_equal(dated_value_at(f, 1773532800, &v), 0);       /* 2026-03-15 */
	assert_int_equal(v, 200);
	assert_int_equal(dated_value_at(f, 1805068800, &v), 0);       /* 2027-03-15 */
	assert_int_equal(v, 100);
	assert_int_equal(dated_value_at(f, 1868227200, &v), 0);       /* 2029-03-15 */
	assert_int_equal(v, 47);
	assert_int_equal(dated_value_at(f, 0, &v), -1);               /* before the first rule */
	assert_null(dated_find(d, "no-such-fact"));
}

static void expect_error(const char *text, const char *want)
{
	struct dated d;
	struct err e;
	err_clear(&e);
	const char *p = write_tmp(text);
	int rc = dated_load(&d, p, &e);
	unlink(p);
	assert_int_equal(rc, -1);
	if (!strstr(e.msg, want))
		fail_msg("want \"%s\" in \"%s\"", want, e.msg);
	assert_true(e.line > 0);
}

static void test_broken_files(void **state)
{
	(void)state;
	const char *head = "facts:\n  - id: a\n    title: A\n    source: https://example.org/\n    reviewed: 2026-12-01\n";
	char buf[1024];
	snprintf(buf, sizeof buf, "%s    values:\n      - {from: 2027-01-01, value: 2}\n      - {from: 2026-01-01, value: 1}\n", head);
	expect_error(buf, "must increase");
	snprintf(buf, sizeof buf, "%s    values:\n      - {from: 2026-02-30, value: 2}\n", head);
	expect_error(buf, "date");
	snprintf(buf, sizeof buf, "%s    values:\n      - {from: 2026-02-01, value: 2, until: 2027-01-01}\n", head);
	expect_error(buf, "until");
	snprintf(buf, sizeof buf, "%s    values:\n      - {from: 2026-02-01, value: x}\n", head);
	expect_error(buf, "whole number");
	snprintf(buf, sizeof buf, "%s    values: [{from: 2026-02-01, value: 1}]\n%s    values: [{from: 2026-02-01, value: 1}]\n",
		 head, head + strlen("facts:\n"));
	expect_error(buf, "twice");
	expect_error("facts:\n  - id: a\n    title: A\n    source: http://example.org/\n    reviewed: 2026-12-01\n"
		     "    values: [{from: 2026-02-01, value: 1}]\n", "https://");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_file),
		cmocka_unit_test(test_broken_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
