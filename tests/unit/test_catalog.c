/* test_catalog.c: the probe catalog (src/results/codes.c) is whole — every registered probe is in it,
 * every row has statuses and words for people — and every code a probe's source ends a job
 * with (a literal in job_finish) is listed for that probe's family with that status. Codes
 * chosen at run time are checked by job_finish itself under TORREADY_CHECK_CODES=1. */
#include <dirent.h>
#include <sys/stat.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "codes.h"
#include "probe.h"
#include "registry.h"

static void test_registry_in_catalog(void **state)
{
	(void)state;
	size_t n = 0;
	for (size_t i = 0; probe_registry[i]; i++, n++) {
		const struct probe_info *p = codes_probe(probe_registry[i]->id);
		assert_non_null(p);
		assert_true(codes_is_family(p->family));
		assert_true(codes_probe_matches(p->family, p->id));
		assert_non_null(codes_find(p->id, "ok"));
	}
	assert_int_equal(n, codes_probe_count());
}

static void test_rows_complete(void **state)
{
	(void)state;
	for (size_t i = 0; i < codes_probe_count(); i++) {
		const struct probe_info *p = codes_probe_at(i);
		assert_true(p->title && *p->title && p->checks && *p->checks);
		assert_int_equal(p->flags & PF_INTERNAL, 0);
	}
	for (size_t i = 0; i < codes_count(); i++) {
		const struct code_info *c = codes_at(i);
		assert_true(c->statuses != 0 && c->statuses < (1u << ST_COUNT));
		assert_true(c->label && *c->label && strlen(c->label) < 60);
		assert_true(c->meaning && *c->meaning);
		/* ok is a pass and only a pass (results.md). */
		if (!strcmp(c->code, "ok"))
			assert_int_equal(c->statuses, CS_PASS);
		if (c->flags & CF_INTERCEPT)
			assert_true(c->statuses & CS_FAIL);
	}
	assert_true(codes_allowed("net.baseline", ST_FAIL, "offline"));
	assert_false(codes_allowed("net.baseline", ST_WARN, "offline"));
	assert_false(codes_allowed("net.baseline", ST_FAIL, "no_such_code"));
	assert_true(codes_allowed("https.cert", ST_ERROR, "interrupted"));
	assert_true(codes_allowed("pins.capture", ST_PASS, "ok"));
	assert_false(codes_probe_known("pins.capture"));   /* internal: not for --only or kb */
	assert_null(codes_probe_title("no.such"));
}

/* The family a source file's jobs belong to: by its name (tor_link.c serves tor.dirauth and
 * tor.bridge, so a code there must belong to one probe of the family). */
static const char *family_of(const char *file)
{
	static const struct { const char *prefix, *family; } m[] = {
		{ "tor_", "tor" }, { "https_", "https" }, { "tls_", "tls" }, { "mail_", "mail" },
		{ "net_", "net" }, { "cli_pins", "pins.capture" }, { "engine", "*" },
	};
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		if (!strncmp(file, m[i].prefix, strlen(m[i].prefix)))
			return m[i].family;
	return NULL;
}

static int listed(const char *family, unsigned st_bit, const char *code)
{
	/* Every probe may end with the engine's codes; internal ids are found directly. */
	if (codes_probe(family)) {
		const struct code_info *c = codes_find(family, code);
		return c && (c->statuses & st_bit);
	}
	for (size_t i = 0; i < codes_count(); i++) {
		const struct code_info *c = codes_at(i);
		if (strcmp(c->code, code) || !(c->statuses & st_bit))
			continue;
		if (!strcmp(c->probe, "*") || !strcmp(family, "*") || codes_probe_matches(family, c->probe))
			return 1;
	}
	return 0;
}

static size_t walk_dir(const char *dir, regex_t *re, size_t *bad)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t seen = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		const char *family = family_of(de->d_name);
		if (len < 3 || strcmp(de->d_name + len - 2, ".c") || !family)
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		struct buf b;
		buf_init(&b);
		FILE *f = fopen(path, "r");
		assert_non_null(f);
		char chunk[4096];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_append(&b, chunk, n);
		fclose(f);
		regmatch_t m[4];
		for (const char *p = buf_cstr(&b); !regexec(re, p, 4, m, 0); p += m[0].rm_eo) {
			/* The status part may be a choice: "asks ? ST_WARN : ST_SKIP". */
			char code[64], sts[128];
			snprintf(code, sizeof code, "%.*s", (int)(m[3].rm_eo - m[3].rm_so), p + m[3].rm_so);
			snprintf(sts, sizeof sts, "%.*s", (int)(m[2].rm_eo - m[2].rm_so), p + m[2].rm_so);
			static const char *const names[ST_COUNT] = { "ST_PASS", "ST_WARN", "ST_FAIL", "ST_ERROR", "ST_SKIP" };
			for (int s = 0; s < ST_COUNT; s++) {
				const char *at = strstr(sts, names[s]);
				if (!at || at[strlen(names[s])] == '_')
					continue;
				seen++;
				if (!listed(family, 1u << s, code)) {
					print_error("%s: %s %s is not in the catalog for %s\n", path, names[s], code, family);
					(*bad)++;
				}
			}
		}
		buf_free(&b);
	}
	closedir(d);
	return seen;
}

static void test_sources_use_catalogued_codes(void **state)
{
	(void)state;
	regex_t re;
	assert_int_equal(regcomp(&re, "job_finish\\(([^,;]+), *([A-Za-z_ ?:!>]*ST_[A-Z_ ?:]+), *\"([a-z_0-9]+)\"",
				 REG_EXTENDED), 0);
	size_t bad = 0, seen = walk_dir("probes", &re, &bad) + walk_dir("probes/lib", &re, &bad);
	/* src/ is one folder per layer (base, run, net, ...): walk each. */
	DIR *top = opendir("src");
	assert_non_null(top);
	struct dirent *de;
	while ((de = readdir(top))) {
		char sub[300];
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "src/%s", de->d_name);
		struct stat st;
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			seen += walk_dir(sub, &re, &bad);
	}
	closedir(top);
	regfree(&re);
	print_message("%zu literal codes checked\n", seen);
	assert_true(seen > 80);   /* the walk found the calls (89 when written) */
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_in_catalog),
		cmocka_unit_test(test_rows_complete),
		cmocka_unit_test(test_sources_use_catalogued_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
