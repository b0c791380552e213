/* test_mustache_spec.c: runs the official Mustache spec files (core, dynamic names, inheritance)
 * through tpl_render, one cmocka test per file, and prints how many spec cases passed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tpl.h"

#define DEFAULT_SPEC_DIR "../shared/conformance/mustache-spec"

struct spec_file {
	const char *name;
	int total, passed;
};

/* Lambdas are out of scope: ~lambdas.json is deliberately not listed. */
static struct spec_file files[] = {
	{ "comments.json", 0, 0 },     { "delimiters.json", 0, 0 }, { "interpolation.json", 0, 0 },
	{ "inverted.json", 0, 0 },     { "partials.json", 0, 0 },   { "sections.json", 0, 0 },
	{ "~dynamic-names.json", 0, 0 }, { "~inheritance.json", 0, 0 },
};
#define NFILES (sizeof files / sizeof files[0])

static const char *spec_dir;

static int spec_partial(void *ud, const char *name, struct buf *out)
{
	json_t *p = json_object_get((json_t *)ud, name);
	if (!json_is_string(p))
		return -1;
	buf_append(out, json_string_value(p), json_string_length(p));
	return 0;
}

static void print_quoted(const char *label, const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);
	char *q = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	printf("    %-9s %s\n", label, q ? q : "(unprintable)");
	free(q);
	json_decref(j);
}

/* Returns 1 when the case passes; prints why when it does not. */
static int run_case(const char *file, json_t *tc)
{
	const char *name = json_string_value(json_object_get(tc, "name"));
	json_t *tmpl = json_object_get(tc, "template"), *want = json_object_get(tc, "expected");
	if (!name || !json_is_string(tmpl) || !json_is_string(want)) {
		printf("FAIL %s: malformed test case\n", file);
		return 0;
	}
	struct buf out;
	struct err e;
	char msg[1024];
	buf_init(&out);
	err_clear(&e);
	int rc = tpl_render(name, json_string_value(tmpl), json_string_length(tmpl),
			    json_object_get(tc, "data"), spec_partial, json_object_get(tc, "partials"),
			    &out, &e);
	int ok = rc == 0 && out.len == json_string_length(want) &&
		 memcmp(buf_cstr(&out), json_string_value(want), out.len) == 0;
	if (!ok) {
		printf("FAIL %s: %s\n", file, name);
		print_quoted("template", json_string_value(tmpl), json_string_length(tmpl));
		print_quoted("expected", json_string_value(want), json_string_length(want));
		if (rc == 0)
			print_quoted("got", buf_cstr(&out), out.len);
		else
			printf("    %-9s %s\n", "error", err_str(&e, msg, sizeof msg));
	}
	buf_free(&out);
	return ok;
}

static void test_spec_file(void **state)
{
	struct spec_file *f = *state;
	char path[4096];
	json_error_t jerr;
	snprintf(path, sizeof path, "%s/%s", spec_dir, f->name);
	json_t *doc = json_load_file(path, 0, &jerr);
	if (!doc)
		fail_msg("%s: %s (line %d)", path, jerr.text, jerr.line);
	json_t *tests = json_object_get(doc, "tests");
	size_t i;
	json_t *tc;
	json_array_foreach(tests, i, tc) {
		f->total++;
		f->passed += run_case(f->name, tc);
	}
	json_decref(doc);
	printf("  %s: %d/%d passed\n", f->name, f->passed, f->total);
	assert_true(f->total > 0);
	assert_int_equal(f->passed, f->total);
}

int main(void)
{
	struct stat st;
	spec_dir = getenv("MUSTACHE_SPEC_DIR");
	if (!spec_dir || !*spec_dir)
		spec_dir = DEFAULT_SPEC_DIR;
	if (stat(spec_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("mustache spec: SKIPPED (%s not found)\n", spec_dir);
		return 0;
	}
	struct CMUnitTest tests[NFILES];
	for (size_t i = 0; i < NFILES; i++) {
		struct CMUnitTest t = { files[i].name, test_spec_file, NULL, NULL, &files[i] };
		tests[i] = t;
	}
	int rc = cmocka_run_group_tests_name("mustache spec", tests, NULL, NULL);
	int total = 0, passed = 0;
	for (size_t i = 0; i < NFILES; i++) {
		total += files[i].total;
		passed += files[i].passed;
	}
	printf("mustache spec: %d/%d passed\n", passed, total);
	return rc;
}
