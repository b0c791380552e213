/* test_tpl.c: unit tests for the Mustache engine beyond the official spec: errors with line:col,
 * escaping, numbers, dotted names into arrays, limits, huge and hostile templates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tpl.h"

static struct err last_err;

/* Partials come from a JSON object mapping names to template text. */
static int json_partial(void *ud, const char *name, struct buf *out)
{
	json_t *p = json_object_get((json_t *)ud, name);
	if (!json_is_string(p))
		return -1;
	buf_append(out, json_string_value(p), json_string_length(p));
	return 0;
}

static json_t *parse_json(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!j)
		fail_msg("bad test JSON %s: %s", text, je.text);
	return j;
}

/* Renders tmpl (length len) and returns the output, or NULL with last_err filled. */
static char *render_n(const char *tmpl, size_t len, const char *data, const char *partials)
{
	json_t *d = data ? parse_json(data) : NULL;
	json_t *p = partials ? parse_json(partials) : NULL;
	struct buf out;
	buf_init(&out);
	err_clear(&last_err);
	int rc = tpl_render("t.mustache", tmpl, len, d, p ? json_partial : NULL, p, &out, &last_err);
	json_decref(d);
	json_decref(p);
	if (rc < 0) {
		buf_free(&out);
		return NULL;
	}
	return buf_steal(&out);
}

static char *render(const char *tmpl, const char *data, const char *partials)
{
	return render_n(tmpl, strlen(tmpl), data, partials);
}

#define assert_render(tmpl, data, partials, want)                  \
	do {                                                       \
		char *got_ = render(tmpl, data, partials);        \
		if (!got_)                                         \
			fail_msg("render failed: %s", last_err.msg); \
		assert_string_equal(got_, want);                   \
		free(got_);                                        \
	} while (0)

static void assert_error(const char *tmpl, int line, int col, const char *msg_part)
{
	char *got = render(tmpl, "{}", NULL);
	if (got)
		fail_msg("expected an error for \"%s\", got \"%s\"", tmpl, got);
	assert_string_equal(last_err.file, "t.mustache");
	assert_int_equal(last_err.line, line);
	assert_int_equal(last_err.col, col);
	if (!strstr(last_err.msg, msg_part))
		fail_msg("message \"%s\" lacks \"%s\"", last_err.msg, msg_part);
}

static void test_interpolation(void **state)
{
	(void)state;
	assert_render("Hi {{name}}!", "{\"name\":\"<b>\"}", NULL, "Hi &lt;b&gt;!");
	assert_render("{{{name}}}|{{&name}}", "{\"name\":\"<b>\"}", NULL, "<b>|<b>");
	assert_render("[{{missing}}][{{n}}]", "{\"n\":null}", NULL, "[][]");
	assert_render("{{ padded }}", "{\"padded\":1}", NULL, "1");
	assert_render("{{x}}", NULL, NULL, "");
	assert_render("{{.}}", "\"root\"", NULL, "root");
	assert_render("", "{}", NULL, "");
	assert_render("{{x}}", "{\"x\":\"{{x}}\"}", NULL, "{{x}}");
}

static void test_escaping(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b);
	tpl_escape_html(&b, "a&b<c>d\"e'f", 11);
	assert_string_equal(buf_cstr(&b), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	buf_reset(&b);
	tpl_escape_html(&b, "plain", 5);
	tpl_escape_html(&b, "", 0);
	assert_string_equal(buf_cstr(&b), "plain");
	buf_reset(&b);
	tpl_escape_html(&b, "<\0>", 3);
	assert_int_equal(b.len, 9);
	assert_memory_equal(b.data, "&lt;\0&gt;", 9);
	buf_free(&b);
	assert_render("{{q}}", "{\"q\":\"it's \\\"x\\\"\"}", NULL, "it&#39;s &quot;x&quot;");
	assert_render("{{{q}}}", "{\"q\":\"it's\"}", NULL, "it's");
}

static void test_numbers_and_scalars(void **state)
{
	(void)state;
	assert_render("{{a}} {{b}} {{c}} {{d}} {{e}}", "{\"a\":1.5,\"b\":3.0,\"c\":1.21,\"d\":-0.5,\"e\":85}",
		      NULL, "1.5 3 1.21 -0.5 85");
	assert_render("{{a}} {{b}} {{c}}", "{\"a\":0.1,\"b\":1e21,\"c\":9007199254740993}", NULL,
		      "0.1 1e+21 9007199254740993");
	assert_render("{{t}} {{f}}", "{\"t\":true,\"f\":false}", NULL, "true false");
	assert_render("{{o}}", "{\"o\":{\"k\":[1,\"<\"]}}", NULL,
		      "{&quot;k&quot;:[1,&quot;&lt;&quot;]}");
}

static void test_dotted_names(void **state)
{
	(void)state;
	const char *d = "{\"l\":[{\"n\":\"a\"},{\"n\":\"b\"}],\"o\":{\"k\":[true,false]},\"s\":\"str\"}";
	assert_render("{{l.0.n}}{{l.1.n}}", d, NULL, "ab");
	assert_render("[{{l.2.n}}][{{l.-1.n}}][{{l.n}}][{{s.0}}]", d, NULL, "[][][][]");
	assert_render("{{o.k.0}}/{{o.k.1}}", d, NULL, "true/false");
	assert_render("{{#o.k.0}}yes{{/o.k.0}}{{^o.k.1}}no{{/o.k.1}}", d, NULL, "yesno");
	assert_render("{{#l.1}}{{n}}{{/l.1}}", d, NULL, "b");
	/* Later parts resolve only against the earlier result, never the context stack. */
	assert_render("{{#o}}{{s}}|{{k.s}}{{/o}}", d, NULL, "str|");
	assert_render("{{a.b}}", "{\"a.b\":\"key\"}", NULL, "");
	assert_error("{{a..b}}", 1, 1, "invalid dotted name");
	assert_error("x\n {{.a}}", 2, 2, "invalid dotted name");
	assert_error("{{#a.}}{{/a.}}", 1, 1, "invalid dotted name");
}

static void test_sections(void **state)
{
	(void)state;
	const char *t = "{{#v}}T{{/v}}{{^v}}F{{/v}}";
	assert_render(t, "{\"v\":false}", NULL, "F");
	assert_render(t, "{\"v\":null}", NULL, "F");
	assert_render(t, "{\"v\":[]}", NULL, "F");
	assert_render(t, "{}", NULL, "F");
	/* The spec's falsey values are only false, null and the empty list. */
	assert_render(t, "{\"v\":\"\"}", NULL, "T");
	assert_render(t, "{\"v\":0}", NULL, "T");
	assert_render(t, "{\"v\":{}}", NULL, "T");
	assert_render("{{#l}}{{.}},{{/l}}", "{\"l\":[1,\"two\",3.5,true]}", NULL, "1,two,3.5,true,");
	assert_render("{{#l}}({{#.}}{{.}}{{/.}}){{/l}}", "{\"l\":[[1,2],[],[3]]}", NULL, "(12)()(3)");
	assert_render("{{#a}}{{#b}}{{x}}{{y}}{{/b}}{{/a}}", "{\"x\":1,\"a\":{\"y\":2,\"b\":[{},{\"y\":3}]}}",
		      NULL, "1213");
}

static void test_comments_and_delimiters(void **state)
{
	(void)state;
	assert_render("a{{! hidden }}b", "{}", NULL, "ab");
	assert_render("a\n  {{! standalone }}\nb", "{}", NULL, "a\nb");
	assert_render("{{=<% %>=}}<% x %>{{x}}<%={{ }}=%>{{x}}", "{\"x\":1}", NULL, "1{{x}}1");
	assert_render("{{=<<<<< >>>>>=}}<<<<<x>>>>>|<<<<<{x}>>>>>", "{\"x\":\"&\"}", NULL, "&amp;|&");
	assert_render("{{=| |=}}|#s||x||/s|", "{\"s\":[{\"x\":1},{\"x\":2}]}", NULL, "12");
	assert_render("a\r\n{{#s}}\r\nb\r\n{{/s}}\r\nc", "{\"s\":true}", NULL, "a\r\nb\r\nc");
}

static void test_syntax_errors(void **state)
{
	(void)state;
	assert_error("abc {{name", 1, 5, "unclosed tag");
	assert_error("line1\nline2 {{{raw}}", 2, 7, "unclosed tag");
	assert_error("a\n  {{#sec}}\nbody", 2, 3, "unclosed section 'sec'");
	assert_error("{{#a}}\n{{#b}}\n{{/a}}", 3, 1, "does not match 'b' opened at 2:1");
	assert_error("x\n\n   {{/a}}", 3, 4, "without an open section");
	assert_error("{{=a=}}", 1, 1, "bad delimiters");
	assert_error("ok\n{{= a b c =}}", 2, 1, "bad delimiters");
	assert_error("{{=a= b=}}", 1, 1, "bad delimiters");
	assert_error("{{}}", 1, 1, "empty tag name");
	assert_error("{{# }}{{/ }}", 1, 1, "empty tag name");
	assert_error("{{a b}}", 1, 1, "invalid tag name");
	assert_error("{{>}}", 1, 1, "empty tag name");
	assert_error("{{<p}}{{$b}}{{/p}}", 1, 13, "does not match 'b'");
	assert_error("{{=[ ]=}}\n  [#a]\n[/b]", 3, 1, "does not match 'a' opened at 2:3");
	assert_error("{{#a}}{{/a}}{{", 1, 13, "unclosed tag");
	/* Compile reports the same way, and renders nothing. */
	struct err e;
	err_clear(&e);
	assert_null(tpl_compile("x.mustache", "{{#a}}", 6, &e));
	assert_string_equal(e.file, "x.mustache");
	assert_int_equal(e.line, 1);
	char msg[600];
	assert_string_equal(err_str(&e, msg, sizeof msg), "x.mustache:1:1: unclosed section 'a'");
}

static void test_partials(void **state)
{
	(void)state;
	const char *p = "{\"row\":\"<{{.}}>\",\"bad\":\"ok\\n  {{#x}}\",\"list\":\"{{#l}}{{>row}}{{/l}}\"}";
	assert_render("{{>list}}", "{\"l\":[1,2]}", p, "<1><2>");
	assert_render("[{{>nope}}]", "{}", p, "[]");
	assert_render("[{{>nope}}]", "{}", NULL, "[]");
	assert_render("[{{>*which}}]", "{\"which\":\"row\"}", p, "[<{&quot;which&quot;:&quot;row&quot;}>]");
	assert_render("[{{>*which}}|{{>*n}}]", "{\"which\":\"nope\",\"n\":12}", p, "[|]");
	/* A syntax error in a partial is reported against the partial's name. */
	assert_null(render("x {{>bad}}", "{}", p));
	assert_string_equal(last_err.file, "bad");
	assert_int_equal(last_err.line, 2);
	assert_int_equal(last_err.col, 3);
}

static void test_indentation(void **state)
{
	(void)state;
	const char *p = "{\"a\":\"x\\n  {{>b}}\\ny\\n\",\"b\":\"1\\n2\\n\",\"i\":\"x {{>b}}\","
			"\"s\":\"{{#s}}\\nline\\n{{/s}}\\nend\",\"e\":\"l1\\n\\nl3\\n\"}";
	assert_render("  {{>a}}\n", "{}", p, "  x\n    1\n    2\n  y\n");
	/* An inline partial adds no indentation, even inside an indented one. */
	assert_render("  {{>i}}\n", "{}", p, "  x 1\n2\n");
	assert_render("\t{{>s}}\n", "{\"s\":true}", p, "\tline\n\tend");
	assert_render("  {{>e}}", "{}", p, "  l1\n  \n  l3\n");
	assert_render("<ul>\n  {{#l}}\n  <li>{{.}}</li>\n  {{/l}}\n</ul>\n", "{\"l\":[\"a\",\"b\"]}", NULL,
		      "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
	/* Newlines in data are not template lines, so they are not indented. */
	assert_render("  {{>v}}\n", "{\"v\":\"1\\n2\"}", "{\"v\":\"{{v}}\\n{{v}}\"}", "  1\n2\n  1\n2");
}

static void test_inheritance(void **state)
{
	(void)state;
	const char *p = "{\"layout\":\"<h1>{{$title}}Untitled{{/title}}</h1>\\n"
			"<main>\\n  {{$body}}\\n  nothing\\n  {{/body}}\\n</main>\\n\","
			"\"wrap\":\"<{{$a}}{{/a}}>\"}";
	assert_render("{{<layout}}{{$title}}Report{{/title}}{{/layout}}", "{}", p,
		      "<h1>Report</h1>\n<main>\n  nothing\n</main>\n");
	assert_render("{{<layout}}\n{{$body}}\n<p>{{x}}</p>\n<p>2</p>\n{{/body}}\n{{/layout}}\n", "{\"x\":1}", p,
		      "<h1>Untitled</h1>\n<main>\n  <p>1</p>\n  <p>2</p>\n</main>\n");
	/* An override that names its own block falls back to that block's default, not itself. */
	assert_render("{{<wrap}}{{$a}}[{{$a}}x{{/a}}]{{/a}}{{/wrap}}", "{}", p, "<[x]>");
	assert_render("{{<*w}}{{$a}}dyn{{/a}}{{/*w}}|{{<*missing}}{{/*missing}}", "{\"w\":\"wrap\"}", p,
		      "<dyn>|");
	assert_render("{{$solo}}default{{/solo}}", "{}", NULL, "default");
	assert_render("{{<nope}}{{$a}}x{{/a}}{{/nope}}", "{}", p, "");
}

static void test_recursion_limit(void **state)
{
	(void)state;
	char *got = render("{{>a}}", "{}", "{\"a\":\"x{{>a}}\"}");
	assert_non_null(got);
	assert_int_equal(strlen(got), 100);
	free(got);
	got = render("{{<a}}{{/a}}", "{}", "{\"a\":\"y{{<a}}{{$b}}{{/b}}{{/a}}\"}");
	assert_non_null(got);
	assert_int_equal(strlen(got), 100);
	free(got);
	/* Branching recursion would take 2^100 steps: it must stop with an error instead. */
	assert_null(render("{{>a}}", "{}", "{\"a\":\"{{>a}}{{>a}}\"}"));
	assert_non_null(strstr(last_err.msg, "expands too much"));
}

static void test_deep_nesting(void **state)
{
	(void)state;
	struct buf t;
	buf_init(&t);
	for (int i = 0; i < 256; i++)
		buf_puts(&t, "{{#a}}");
	buf_puts(&t, "{{x}}");
	for (int i = 0; i < 256; i++)
		buf_puts(&t, "{{/a}}");
	char *got = render(buf_cstr(&t), "{\"a\":true,\"x\":\"deep\"}", NULL);
	assert_non_null(got);
	assert_string_equal(got, "deep");
	free(got);
	buf_reset(&t);
	for (int i = 0; i < 100000; i++)
		buf_puts(&t, "{{^a}}\n");
	assert_null(render(buf_cstr(&t), "{}", NULL));
	assert_int_equal(last_err.line, 257);
	assert_non_null(strstr(last_err.msg, "nested too deeply"));
	buf_free(&t);
	/* Deeply nested data and long dotted names. */
	buf_reset(&t);
	struct buf d;
	buf_init(&d);
	buf_puts(&t, "{{");
	for (int i = 0; i < 1000; i++) {
		buf_puts(&d, "{\"k\":");
		buf_puts(&t, i ? ".k" : "k");
	}
	buf_puts(&d, "\"leaf\"");
	for (int i = 0; i < 1000; i++)
		buf_putc(&d, '}');
	buf_puts(&t, "}}");
	assert_render(buf_cstr(&t), buf_cstr(&d), NULL, "leaf");
	buf_free(&t);
	buf_free(&d);
}

static void test_huge_input(void **state)
{
	(void)state;
	struct buf t;
	buf_init(&t);
	for (int i = 0; i < 200000; i++)
		buf_puts(&t, "row {{#l}}[{{.}}]{{/l}} & {{x}}\n");
	char *got = render(buf_cstr(&t), "{\"l\":[1,2],\"x\":\"<\"}", NULL);
	assert_non_null(got);
	assert_int_equal(strlen(got), 200000 * strlen("row [1][2] & &lt;\n"));
	assert_memory_equal(got, "row [1][2] & &lt;\nrow ", 22);
	free(got);
	/* Many short lines of plain text are one node, not one per line. */
	buf_reset(&t);
	for (int i = 0; i < 4000000; i++)
		buf_putc(&t, '\n');
	buf_puts(&t, "{{#s}}\n");
	struct err e;
	struct tpl *tp = tpl_compile("big", t.data, t.len, &e);
	assert_null(tp);
	assert_int_equal(e.line, 4000001);
	buf_reset(&t);
	buf_puts(&t, "x {{");
	for (int i = 0; i < 1000000; i++)
		buf_puts(&t, "} {");
	assert_error(buf_cstr(&t), 1, 3, "unclosed tag");
	buf_free(&t);
}

static void test_nul_bytes_and_crlf(void **state)
{
	(void)state;
	char *got = render_n("a\0b{{x}}", 8, "{\"x\":1}", NULL);
	assert_non_null(got);
	assert_memory_equal(got, "a\0b1", 5);
	free(got);
	assert_null(render_n("{{a\0b}}", 7, "{}", NULL));
	assert_non_null(strstr(last_err.msg, "invalid tag name"));
	assert_render("{{x}}", "{\"x\":\"a\\u0000b\"}", NULL, "a");
}

static void test_compiled_reuse(void **state)
{
	(void)state;
	struct err e;
	struct buf out;
	buf_init(&out);
	buf_puts(&out, ">");
	struct tpl *t = tpl_compile("r", "{{#l}}{{>p}}{{/l}};", 19, &e);
	assert_non_null(t);
	json_t *parts = parse_json("{\"p\":\"{{n}}\"}");
	json_t *d1 = parse_json("{\"l\":[{\"n\":1},{\"n\":2}]}"), *d2 = parse_json("{\"l\":{\"n\":\"z\"}}");
	assert_int_equal(tpl_render_compiled(t, d1, json_partial, parts, &out, &e), 0);
	assert_int_equal(tpl_render_compiled(t, d2, json_partial, parts, &out, &e), 0);
	assert_int_equal(tpl_render_compiled(t, NULL, NULL, NULL, &out, &e), 0);
	assert_string_equal(buf_cstr(&out), ">12;z;;");
	tpl_free(t);
	tpl_free(NULL);
	json_decref(parts);
	json_decref(d1);
	json_decref(d2);
	buf_free(&out);
}

/* Counts the fetches per partial, so the test sees what a tpl_cache parsed again. */
struct counted {
	json_t *parts;
	int fetches;
};

static int counted_partial(void *ud, const char *name, struct buf *out)
{
	struct counted *c = ud;
	c->fetches++;
	return json_partial(c->parts, name, out);
}

static void test_partial_cache(void **state)
{
	(void)state;
	struct err e;
	struct buf a, b;
	buf_init(&a);
	buf_init(&b);
	struct counted c = { parse_json("{\"p\":\"<{{n}}>{{>q}}\", \"q\":\"{{#l}}[{{.}}]{{/l}}\"}"), 0 };
	struct tpl *t = tpl_compile("r", "{{>p}}|{{>missing}}|{{>p}}", 26, &e);
	assert_non_null(t);
	json_t *d1 = parse_json("{\"n\":1,\"l\":[1,2]}"), *d2 = parse_json("{\"n\":\"x&y\"}");
	struct tpl_cache *cache = tpl_cache_new(counted_partial, &c);
	assert_int_equal(tpl_render_cached(t, d1, cache, &a, &e), 0);
	assert_int_equal(tpl_render_cached(t, d2, cache, &a, &e), 0);
	/* p, q and the missing one fetched once each, however many renders use them. */
	assert_int_equal(c.fetches, 3);
	/* The same bytes as a render that parses its partials afresh. */
	assert_int_equal(tpl_render_compiled(t, d1, json_partial, c.parts, &b, &e), 0);
	assert_int_equal(tpl_render_compiled(t, d2, json_partial, c.parts, &b, &e), 0);
	assert_string_equal(buf_cstr(&a), buf_cstr(&b));
	assert_string_equal(buf_cstr(&a), "<1>[1][2]||<1>[1][2]<x&amp;y>||<x&amp;y>");
	/* A partial that does not parse fails every render that reaches it, and is not kept. */
	json_object_set_new(c.parts, "bad", json_string("{{#open}}"));
	struct tpl *tb = tpl_compile("rb", "{{>bad}}", 8, &e);
	assert_int_equal(tpl_render_cached(tb, d1, cache, &a, &e), -1);
	assert_int_equal(tpl_render_cached(tb, d1, cache, &a, &e), -1);
	tpl_free(tb);
	tpl_cache_free(cache);
	tpl_cache_free(NULL);
	tpl_free(t);
	json_decref(c.parts);
	json_decref(d1);
	json_decref(d2);
	buf_free(&a);
	buf_free(&b);
}

/* Deterministic random templates from tag fragments: every one must render or fail cleanly. */
static void test_random_templates(void **state)
{
	(void)state;
	static const char *frags[] = {
		"{{", "}}", "{{{", "}}}", "#a", "/a", "^a", "#l", "/l", ">p", ">q", "<p", "$b", "/b", "/p",
		"=", "= [ ] =", "[", "]", "!", "&", ".", "*", "a.b", "\n", "\r\n", "  ", "x", "{{.}}", "{{a}}",
		"{{#l}}", "{{/l}}", "{{>p}}", "{{<q}}", "{{/q}}", "{{$b}}", "{{/b}}", "{{>*n}}", "\t",
	};
	const size_t nf = sizeof frags / sizeof frags[0];
	json_t *data = parse_json("{\"a\":{\"b\":[1,2]},\"l\":[1,{\"a\":\"<\"},[]],\"n\":\"p\"}");
	/* Mutually recursive, but linearly: the budget for exploding templates is tested elsewhere. */
	json_t *parts = parse_json("{\"p\":\"  {{#l}}\\n{{$b}}d{{/b}}\\n{{/l}}{{>q}}\","
				   "\"q\":\"{{<p}}{{$b}}[{{a.b}}]{{/b}}{{/p}}\"}");
	uint32_t seed = 12345;
	struct buf t, out;
	buf_init(&t);
	buf_init(&out);
	for (int iter = 0; iter < 20000; iter++) {
		buf_reset(&t);
		seed = seed * 1103515245u + 12345u;
		int n = 1 + (int)(seed >> 16) % 24;
		for (int k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			buf_puts(&t, frags[(seed >> 16) % nf]);
		}
		struct err e;
		err_clear(&e);
		buf_reset(&out);
		int rc = tpl_render("fuzz", buf_cstr(&t), t.len, data, json_partial, parts, &out, &e);
		if (rc != 0) {
			assert_int_equal(rc, -1);
			assert_true(e.msg[0] != '\0');
		}
	}
	buf_free(&t);
	buf_free(&out);
	json_decref(data);
	json_decref(parts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interpolation),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_numbers_and_scalars),
		cmocka_unit_test(test_dotted_names),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_comments_and_delimiters),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_indentation),
		cmocka_unit_test(test_inheritance),
		cmocka_unit_test(test_recursion_limit),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_huge_input),
		cmocka_unit_test(test_nul_bytes_and_crlf),
		cmocka_unit_test(test_compiled_reuse),
		cmocka_unit_test(test_partial_cache),
		cmocka_unit_test(test_random_templates),
	};
	return cmocka_run_group_tests_name("tpl", tests, NULL, NULL);
}
