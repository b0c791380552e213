/* test_https_html.c: mixed-content scanning (probes/lib/https_html.c) — which tags and
 * attributes count as active or passive, URL resolution (<base>, protocol-relative),
 * srcset, broken markup, and the evidence bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "https_html.h"

#define PAGE "https://site.test/dir/page.html"

static void scan(const char *html, struct mixed_report *r)
{
	mixed_scan(html, strlen(html), PAGE, r);
}

static void counts(const char *html, size_t active, size_t passive)
{
	struct mixed_report r;
	scan(html, &r);
	if (r.nactive != active || r.npassive != passive)
		fail_msg("%s: want %zu active %zu passive, got %zu %zu", html, active, passive, r.nactive, r.npassive);
	mixed_report_clear(&r);
}

static const char *url_at(const json_t *list, size_t i)
{
	return json_string_value(json_object_get(json_array_get(list, i), "url"));
}

static void test_active_tags(void **state)
{
	(void)state;
	counts("<script src=\"http://a.test/x.js\"></script>", 1, 0);
	counts("<iframe src=\"http://a.test/\"></iframe>", 1, 0);
	counts("<frameset><frame src=\"http://a.test/f\"></frameset>", 1, 0);
	counts("<link rel=\"stylesheet\" href=\"http://a.test/s.css\">", 1, 0);
	counts("<link rel=\"preload StyleSheet\" href=\"http://a.test/s.css\">", 1, 0);
	counts("<form action=\"http://a.test/post\"><input></form>", 1, 0);
	counts("<object data=\"http://a.test/o.swf\"></object>", 1, 0);
	counts("<embed src=\"http://a.test/e.swf\">", 1, 0);
}

static void test_passive_tags(void **state)
{
	(void)state;
	counts("<img src=\"http://a.test/i.png\">", 0, 1);
	counts("<audio src=\"http://a.test/a.ogg\"></audio>", 0, 1);
	counts("<video src=\"http://a.test/v.webm\" poster=\"http://a.test/p.jpg\"></video>", 0, 2);
	counts("<video><source src=\"http://a.test/v.webm\"></video>", 0, 1);
	counts("<picture><source srcset=\"http://a.test/a.webp 1x\"><img src=\"/x.png\"></picture>", 0, 1);
}

static void test_not_mixed(void **state)
{
	(void)state;
	counts("<script src=\"https://a.test/x.js\"></script><img src=\"/logo.png\">", 0, 0);
	counts("<script src=\"//cdn.test/x.js\"></script>", 0, 0);   /* https, like the page */
	counts("<a href=\"http://a.test/\">a link is not a subresource</a>", 0, 0);
	counts("<link rel=\"icon\" href=\"http://a.test/favicon.ico\">", 0, 0);
	counts("<script>var u = \"http://a.test/x.js\";</script>", 0, 0);   /* text, not markup */
	counts("<!-- <script src=\"http://a.test/x.js\"></script> -->", 0, 0);
	counts("<img data-src=\"http://a.test/lazy.png\" src=\"data:image/png;base64,AAAA\">", 0, 0);
}

static void test_case_and_whitespace(void **state)
{
	(void)state;
	struct mixed_report r;
	scan("<SCRIPT SRC=\"  HTTP://A.test/X.js \n\"></SCRIPT>", &r);
	assert_int_equal(r.nactive, 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(r.active, 0), "tag")), "script");
	assert_string_equal(url_at(r.active, 0), "HTTP://A.test/X.js");
	mixed_report_clear(&r);
}

static void test_base_href(void **state)
{
	(void)state;
	struct mixed_report r;
	scan("<html><head><base href=\"http://cdn.test/assets/\"></head>"
	     "<body><img src=\"i.png\"><script src=\"/s.js\"></script></body></html>", &r);
	assert_int_equal(r.npassive, 1);
	assert_int_equal(r.nactive, 1);
	assert_string_equal(url_at(r.passive, 0), "http://cdn.test/assets/i.png");
	assert_string_equal(url_at(r.active, 0), "http://cdn.test/s.js");
	mixed_report_clear(&r);
	counts("<base href=\"/other/\"><img src=\"i.png\">", 0, 0);   /* relative base: still https */
}

static void test_srcset(void **state)
{
	(void)state;
	struct mixed_report r;
	scan("<img src=\"/a.png\" srcset=\"https://a.test/1.png 1x, http://a.test/2.png 2x,"
	     "http://a.test/3.png 640w\">", &r);
	assert_int_equal(r.npassive, 2);
	assert_string_equal(url_at(r.passive, 0), "http://a.test/2.png");
	assert_string_equal(url_at(r.passive, 1), "http://a.test/3.png");
	mixed_report_clear(&r);
	counts("<img srcset=\"http://a.test/x.png,https://a.test/y.png\">", 0, 1);
}

static void test_broken_markup(void **state)
{
	(void)state;
	counts("<div><p>unclosed <b>tags <img src=http://a.test/i.png><table><tr><td>"
	       "<script src='http://a.test/s.js'></script></div>", 1, 1);
	/* An unquoted value runs to the next space: "<script" is then an attribute name, for a
	 * browser too, so nothing active is loaded here. */
	counts("<img src=http://a.test/i.png <script src='http://a.test/s.js'>", 0, 1);
	counts("", 0, 0);
	counts("\x00\x01\x02 garbage \xff\xfe", 0, 0);
	struct mixed_report r;
	mixed_scan(NULL, 0, PAGE, &r);
	assert_int_equal(r.parsed, 0);
	mixed_report_clear(&r);
}

static void test_evidence_is_bounded(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 50; i++)
		buf_printf(&b, "<img src=\"http://a.test/%d.png\">", i);
	struct mixed_report r;
	scan(buf_cstr(&b), &r);
	assert_int_equal(r.npassive, 50);
	assert_int_equal(json_array_size(r.passive), MIXED_KEEP);
	assert_string_equal(url_at(r.passive, 0), "http://a.test/0.png");
	mixed_report_clear(&r);
	buf_free(&b);
}

static void test_deep_nesting(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	for (int i = 0; i < 5000; i++)
		buf_puts(&b, "<div>");
	buf_puts(&b, "<script src=\"http://a.test/deep.js\"></script>");
	struct mixed_report r;
	scan(buf_cstr(&b), &r);   /* must not crash; libxml2 may stop nesting at its limit */
	assert_true(r.nactive <= 1);
	mixed_report_clear(&r);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_active_tags),
		cmocka_unit_test(test_passive_tags),
		cmocka_unit_test(test_not_mixed),
		cmocka_unit_test(test_case_and_whitespace),
		cmocka_unit_test(test_base_href),
		cmocka_unit_test(test_srcset),
		cmocka_unit_test(test_broken_markup),
		cmocka_unit_test(test_evidence_is_bounded),
		cmocka_unit_test(test_deep_nesting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
