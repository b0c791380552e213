/* test_kb.c: unit tests for the guidance loader and `kb lint` — the good and broken
 * fixtures under tests/unit/, the real kb/, and the content rules. Run from the repo root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>

#include <cmocka.h>

#include "kb.h"

#define GOOD "tests/unit/kb-good"
#define BAD "tests/unit/kb-bad"

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

/* kb_lint's output and count, captured. */
static int lint(const char *dir, char **text)
{
	size_t len;
	FILE *f = open_memstream(text, &len);
	int n = kb_lint(dir, f);
	fclose(f);
	return n;
}

static void test_load_good(void **state)
{
	(void)state;
	struct kb kb;
	struct err e;
	if (kb_load(GOOD, &kb, &e) < 0)
		fail_msg("%s:%d:%d: %s", e.file, e.line, e.col, e.msg);
	assert_int_equal(kb.n, 2);   /* targets.yaml and README.txt are skipped */
	assert_string_equal(kb.articles[0].id, "minimal");
	assert_string_equal(kb.articles[1].id, "tor-blocked-at-work");
	const struct kb_article *a = kb_find(&kb, "tor-blocked-at-work");
	assert_ptr_equal(a, &kb.articles[1]);
	assert_null(kb_find(&kb, "nope"));
	assert_string_equal(a->file, GOOD "/tor-blocked-at-work.yaml");
	assert_string_equal(a->title, "Tor does not connect at work");
	assert_int_equal(a->naudience, 2);
	assert_string_equal(a->audience[1], "it-staff");
	assert_string_equal(a->summary, "Some networks block Tor. A bridge often gets through.");
	assert_string_equal(a->reviewed, "2026-11-27");
	assert_int_equal(a->nsources, 1);
	assert_string_equal(a->sources[0].url, "https://tb-manual.torproject.org/bridges/");
	assert_non_null(strstr(a->body, "[^tb-bridges]"));
	assert_int_equal(a->nsections, 1);
	assert_non_null(a->sections[0].when);
	assert_int_equal(a->nadvice, 1);
	assert_string_equal(a->advice[0].id, "try-a-bridge");
	assert_int_equal(a->nhandout, 1);

	const struct kb_article *m = &kb.articles[0];
	assert_int_equal(m->nsections + m->nadvice + m->nhandout, 0);
	assert_string_equal(m->sources[0].url, "http://example.org/one");

	struct results rs;
	memset(&rs, 0, sizeof rs);
	add(&rs, "net.baseline", ST_PASS, "ok");
	add(&rs, "tor.dirauth", ST_FAIL, "timeout");
	assert_int_equal(cond_eval(a->sections[0].when, &rs), 1);
	assert_int_equal(cond_mentions(a->advice[0].when, rs.items[1]), 1);
	assert_int_equal(cond_mentions(a->advice[0].when, rs.items[0]), 0);
	add(&rs, "tor.dirauth", ST_PASS, "ok");
	assert_int_equal(cond_eval(a->sections[0].when, &rs), 0);
	clear(&rs);
	kb_free(&kb);
	assert_int_equal(kb.n, 0);
}

static void test_lint_good(void **state)
{
	(void)state;
	char *out;
	/* The fixtures' review dates are fixed: judge them on a fixed day, so the test does
	 * not start failing a year after it was written. */
	setenv("TORREADY_TODAY", "2024-06-01", 1);
	int n = lint(GOOD, &out);
	unsetenv("TORREADY_TODAY");
	assert_int_equal(n, 0);
	assert_string_equal(out, "");
	free(out);
}

/* Which sections and advice of an article a results document selects, as "id id ...". */
static void selected(const struct kb_article *a, const struct results *rs, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < a->nsections; i++)
		if (cond_eval(a->sections[i].when, rs))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s ", a->sections[i].id);
	strncat(buf, "| ", len - strlen(buf) - 1);
	for (size_t i = 0; i < a->nadvice; i++)
		if (cond_eval(a->advice[i].when, rs))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s ", a->advice[i].id);
}

static void test_real_kb(void **state)
{
	(void)state;
	char *out, sel[512];
	struct kb kb;
	struct err e;
	struct results rs;
	int n = lint("kb", &out);
	if (n)
		fail_msg("kb/ has %d problems:\n%s", n, out);
	free(out);
	if (kb_load("kb", &kb, &e) < 0)
		fail_msg("%s:%d:%d: %s", e.file, e.line, e.col, e.msg);
	const struct kb_article *a = kb_find(&kb, "why-run-tor");
	assert_non_null(a);
	/* The real articles are re-reviewed over time: a real date, not a fixed one. */
	assert_null(kb_date_problem(a->reviewed, NULL));
	for (size_t i = 0; i < a->nsources; i++)
		assert_int_equal(strncmp(a->sources[i].url, "https://", 8), 0);

	memset(&rs, 0, sizeof rs);
	add(&rs, "net.baseline", ST_PASS, "ok");
	add(&rs, "tor.dirauth", ST_PASS, "ok");
	add(&rs, "tor.dirauth", ST_FAIL, "timeout");
	selected(a, &rs, sel, sizeof sel);
	assert_string_equal(sel, "direct-works | get-tor-browser ");
	clear(&rs);

	add(&rs, "net.baseline", ST_PASS, "ok");
	add(&rs, "tor.dirauth", ST_FAIL, "timeout");
	add(&rs, "tor.dirauth", ST_FAIL, "reset");
	selected(a, &rs, sel, sizeof sel);
	assert_string_equal(sel, "direct-blocked | try-bridges ask-it-staff ");
	add(&rs, "tor.bridge", ST_FAIL, "timeout");
	selected(a, &rs, sel, sizeof sel);
	assert_string_equal(sel, "direct-blocked nothing-works | try-bridges ask-it-staff ");
	add(&rs, "tor.bridge", ST_PASS, "ok");
	selected(a, &rs, sel, sizeof sel);
	assert_string_equal(sel, "direct-blocked bridge-works | use-working-bridge ask-it-staff ");
	clear(&rs);

	add(&rs, "net.baseline", ST_FAIL, "offline");
	add(&rs, "tor.dirauth", ST_FAIL, "unreachable");
	selected(a, &rs, sel, sizeof sel);
	assert_string_equal(sel, "offline | check-connection ");
	clear(&rs);
	kb_free(&kb);
}

struct bad {
	const char *file;
	int line, col;
	const char *msg;
};

/* One fixture per problem; test_bad_fixtures checks this table covers the directory. */
static const struct bad bad[] = {
	{"advice-two-paragraphs", 15, 11, "one short paragraph"},
	{"bad-audience", 4, 22, "unknown audience \"deans\""},
	{"bad-date", 6, 11, "\"2026-02-30\" is not a real date"},
	{"bad-section-id", 14, 9, "id \"Blocked_Here\" must be lower-case"},
	{"bad-url", 10, 10, "url must start with https:// or http://"},
	{"citation-in-summary", 5, 10, "put citations in the body"},
	{"date-format", 6, 11, "must be a date written YYYY-MM-DD"},
	{"duplicate-advice-id", 18, 9, "id \"blocked\" is already used"},
	{"duplicate-section-id", 17, 9, "id \"one\" is already used"},
	{"duplicate-source-id", 11, 9, "source id \"src\" is used twice"},
	{"empty-body", 11, 7, "body is empty"},
	{"empty-file", 1, 1, "the file is empty"},
	{"empty-section-body", 16, 11, "body is empty"},
	{"footnote-definition", 14, 3, "footnote definitions are made from sources"},
	{"future-date", 6, 11, "\"2099-01-01\" is in the future"},
	{"h1-heading", 14, 3, "level-1 heading"},
	{"handout-too-long", 14, 3, "handout has 6 points"},
	{"id-mismatch", 2, 5, "id \"another-name\" must equal the file name \"id-mismatch\""},
	{"long-summary", 5, 10, "summary has 4 sentences"},
	{"missing-sources", 2, 1, "no \"sources\" (required)"},
	{"missing-title", 2, 1, "no \"title\" (required)"},
	{"never-matches", 16, 52, "never occur together"},
	{"not-a-mapping", 2, 1, "an article must be a mapping, not a list"},
	{"raw-html", 14, 12, "raw HTML is dropped"},
	{"title-two-lines", 3, 8, "title must be one line"},
	{"two-documents", 14, 1, "only one YAML document"},
	{"uncited-source", 11, 9, "source \"other\" is never cited"},
	{"unknown-citation", 14, 16, "citation [^nope] names no source"},
	{"unknown-code", 18, 48, "unknown code \"blocked\" for tor.dirauth"},
	{"unknown-key", 13, 1, "unknown key \"author\" in an article"},
	{"unknown-probe", 16, 19, "unknown probe \"tor.dirauths\""},
	{"unknown-status", 15, 40, "unknown status \"failed\""},
	{"unsafe-link", 12, 25, "links must be https://, http:// or mailto:"},
	{"wrong-type-audience", 4, 11, "audience must be a list"},
	{"wrong-type-title", 3, 8, "title must be a string, not a mapping"},
	{"yaml-syntax", 4, 9, "YAML syntax error"},
};
#define NBAD (sizeof bad / sizeof bad[0])

static void test_bad_fixtures(void **state)
{
	(void)state;
	for (size_t i = 0; i < NBAD; i++) {
		char path[256];
		struct kb_article a;
		struct err e;
		snprintf(path, sizeof path, BAD "/%s.yaml", bad[i].file);
		memset(&e, 0, sizeof e);
		if (kb_load_file(path, &a, &e) == 0)
			fail_msg("%s loaded but should fail with \"%s\"", path, bad[i].msg);
		assert_null(a.id);
		assert_null(a.file);
		if (strcmp(e.file, path) || e.line != bad[i].line || e.col != bad[i].col ||
		    !strstr(e.msg, bad[i].msg))
			fail_msg("got %s:%d:%d: %s\nwant %s:%d:%d: ...%s...", e.file, e.line, e.col,
				 e.msg, path, bad[i].line, bad[i].col, bad[i].msg);
	}
	/* Every fixture file is in the table. */
	DIR *d = opendir(BAD);
	struct dirent *de;
	size_t files = 0;
	assert_non_null(d);
	while ((de = readdir(d)))
		files += de->d_name[0] != '.';
	closedir(d);
	assert_int_equal(files, NBAD);
}

static void test_lint_bad(void **state)
{
	(void)state;
	char *out;
	int n = lint(BAD, &out);
	/* Lint goes on past each problem: exactly one line per fixture, in file order. */
	assert_int_equal(n, (int)NBAD);
	char *line = out;
	for (size_t i = 0; i < NBAD; i++) {
		char want[256];
		snprintf(want, sizeof want, BAD "/%s.yaml:%d:%d: ", bad[i].file, bad[i].line, bad[i].col);
		if (strncmp(line, want, strlen(want)))
			fail_msg("line %zu: %.120s\nwant it to start with %s", i + 1, line, want);
		line = strchr(line, '\n');
		assert_non_null(line);
		line++;
	}
	assert_string_equal(line, "");
	free(out);

	struct kb kb;
	struct err e;
	assert_int_equal(kb_load(BAD, &kb, &e), -1);
	assert_string_equal(e.file, BAD "/advice-two-paragraphs.yaml");
	assert_int_equal(kb.n, 0);
}

/* A scratch directory with the given files ("name", "text", ... NULL). */
static char *scratch(const char *first, ...)
{
	char *dir = xstrdup("/tmp/test_kb.XXXXXX");
	assert_non_null(mkdtemp(dir));
	va_list ap;
	va_start(ap, first);
	for (const char *name = first; name; name = va_arg(ap, const char *)) {
		const char *text = va_arg(ap, const char *);
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, name);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
	}
	va_end(ap);
	return dir;
}

static void rm_scratch(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	while ((de = readdir(d))) {
		char path[512];
		if (de->d_name[0] == '.' && (!de->d_name[1] || !strcmp(de->d_name, "..")))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
	free(dir);
}

static const char many[] =
	"id: many\n"
	"title: Many problems\n"
	"audience: [everyone, everyone]\n"
	"summary: One. Two. Three. Four.\n"
	"reviewed: 2026-13-01\n"
	"colour: blue\n"
	"sources:\n"
	"  - {id: a, title: A, url: \"gopher://x\"}\n"
	"  - {id: b, title: B, url: \"https://example.org/\"}\n"
	"body: |\n"
	"  Fact.[^a] Another.[^c]\n"
	"sections:\n"
	"  - {id: s, title: S, body: Text, when: {probe: tor, status: fine}}\n"
	"  - {id: s, title: S2, body: Text}\n"
	"advice:\n"
	"  - {id: x, when: {probe: nope}}\n";

static void test_lint_keeps_going(void **state)
{
	(void)state;
	char *dir = scratch("many.yaml", many, ".hidden.yaml", "not: [yaml", "targets-lab.yaml",
			    "not: [yaml", "old.yml", "id: old\n", "notes.md", "# notes\n", NULL);
	char *out;
	int n = lint(dir, &out);
	static const char *const want[] = {
		"many.yaml:6:1: unknown key \"colour\"",
		"many.yaml:3:22: audience \"everyone\" is listed twice",
		"many.yaml:4:10: summary has 4 sentences",
		"many.yaml:5:11: reviewed: \"2026-13-01\" is not a real date",
		"many.yaml:8:28: url must start with https://",
		"many.yaml:13:62: unknown status \"fine\"",
		"many.yaml:14:10: id \"s\" is already used",
		"many.yaml:16:27: unknown probe \"nope\"",
		"many.yaml:16:5: an advice item has no \"text\"",
		"many.yaml:11:21: citation [^c] names no source",
		"many.yaml:9:10: source \"b\" is never cited",
		"old.yml:1:1: ignored: guidance entries must end in .yaml",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(out, want[i]))
			fail_msg("missing \"%s\" in:\n%s", want[i], out);
	assert_int_equal(n, (int)(sizeof want / sizeof want[0]));
	assert_null(strstr(out, "hidden"));
	assert_null(strstr(out, "targets-lab"));
	free(out);
	rm_scratch(dir);
}

static void test_dirs(void **state)
{
	(void)state;
	struct kb kb;
	struct err e;
	char *out;
	assert_int_equal(kb_load("tests/unit/no-such-dir", &kb, &e), -1);
	assert_non_null(strstr(e.msg, "cannot open"));
	assert_int_equal(lint("tests/unit/no-such-dir", &out), 1);
	assert_non_null(strstr(out, "cannot open"));
	free(out);
	char *dir = scratch("targets.yaml", "dirauths: []\n", NULL);
	assert_int_equal(kb_load(dir, &kb, &e), -1);
	assert_non_null(strstr(e.msg, "no guidance entries"));
	assert_int_equal(lint(dir, &out), 1);
	assert_non_null(strstr(out, "no guidance entries"));
	free(out);
	rm_scratch(dir);
	struct kb_article a;
	assert_int_equal(kb_load_file("tests/unit/kb-good/absent.yaml", &a, &e), -1);
	assert_non_null(strstr(e.msg, "cannot read"));
}

static void test_rules(void **state)
{
	(void)state;
	assert_true(kb_id_valid("why-run-tor"));
	assert_true(kb_id_valid("tls13"));
	assert_false(kb_id_valid(""));
	assert_false(kb_id_valid("-a"));
	assert_false(kb_id_valid("a-"));
	assert_false(kb_id_valid("a--b"));
	assert_false(kb_id_valid("A"));
	assert_false(kb_id_valid("a_b"));
	assert_false(kb_id_valid("a b"));

	assert_null(kb_date_problem("2024-02-29", "2026-11-28"));
	assert_null(kb_date_problem("2000-02-29", NULL));
	assert_non_null(kb_date_problem("2100-02-29", NULL));
	assert_non_null(kb_date_problem("2026-02-29", NULL));
	assert_non_null(kb_date_problem("2026-04-31", NULL));
	assert_non_null(kb_date_problem("2026-00-10", NULL));
	assert_non_null(kb_date_problem("1999-12-31", NULL));
	assert_non_null(kb_date_problem("2026-11-27T10:00", NULL));
	assert_non_null(kb_date_problem("2026/11/27", NULL));
	assert_null(kb_date_problem("2026-11-28", "2026-11-28"));
	assert_string_equal(kb_date_problem("2026-11-29", "2026-11-28"), "is in the future");

	char latest[11];
	kb_set_today("2026-11-27");
	kb_latest_date(latest);
	assert_string_equal(latest, "2026-11-28");
	kb_set_today("2028-02-28");
	kb_latest_date(latest);
	assert_string_equal(latest, "2028-02-29");
	kb_set_today("2026-12-31");
	kb_latest_date(latest);
	assert_string_equal(latest, "2027-01-01");
	kb_set_today(NULL);
	kb_latest_date(latest);
	assert_int_equal(strlen(latest), 10);

	assert_null(kb_url_problem("https://support.torproject.org/"));
	assert_null(kb_url_problem("http://example.org"));
	assert_non_null(kb_url_problem("ftp://example.org/"));
	assert_non_null(kb_url_problem("https://"));
	assert_non_null(kb_url_problem("https:///path"));
	assert_non_null(kb_url_problem("https://exa mple.org/"));
	assert_non_null(kb_url_problem("www.torproject.org"));
	assert_non_null(kb_url_problem("javascript:alert(1)"));
}

static void test_sentences(void **state)
{
	(void)state;
	assert_int_equal(kb_sentences(""), 0);
	assert_int_equal(kb_sentences("One"), 1);
	assert_int_equal(kb_sentences("One."), 1);
	assert_int_equal(kb_sentences("One. Two! Three? Four"), 4);
	assert_int_equal(kb_sentences("Use Tor 13.5 on e.g. a laptop."), 1);
	assert_int_equal(kb_sentences("It said \"stop.\" Then it went on."), 2);
	assert_int_equal(kb_sentences("Wait... What?!"), 2);
	assert_int_equal(kb_sentences("See torproject.org. Then go."), 2);
	assert_int_equal(kb_sentences("  \n "), 0);
}

static int cites(const char *md, char *out, size_t len)
{
	size_t pos = 0, st, l;
	int n = 0;
	out[0] = '\0';
	while (kb_next_cite(md, &pos, &st, &l)) {
		snprintf(out + strlen(out), len - strlen(out), "%s%.*s", n ? "," : "", (int)l, md + st);
		n++;
	}
	return n;
}

static void test_citations(void **state)
{
	(void)state;
	char ids[200];
	assert_int_equal(cites("A.[^a] B.[^b-2][^a]", ids, sizeof ids), 3);
	assert_string_equal(ids, "a,b-2,a");
	assert_int_equal(cites("`[^a]` and ``x [^b] y`` but [^c]", ids, sizeof ids), 1);
	assert_string_equal(ids, "c");
	assert_int_equal(cites("```\n[^a]\n```\n[^b]\n~~~~\n[^c]\n", ids, sizeof ids), 1);
	assert_string_equal(ids, "b");
	assert_int_equal(cites("[^a]: a definition\n[^ b] [^] [^c", ids, sizeof ids), 0);
	assert_int_equal(cites("An unclosed ` backtick [^a]", ids, sizeof ids), 1);

	struct kb_article a;
	struct kb_source s[2] = {{"a", "Title A", "https://a.example/"}, {"b", NULL, "https://b.example/"}};
	memset(&a, 0, sizeof a);
	a.sources = s;
	a.nsources = 2;
	struct buf b;
	buf_init(&b);
	kb_footnotes(&a, &b);
	assert_string_equal(buf_cstr(&b), "[^a]: [Title A](https://a.example/)\n[^b]: [b](https://b.example/)\n");
	buf_free(&b);
}

static const char *md_problem(const char *md, size_t *at)
{
	*at = 0;
	return kb_markdown_problem(md, at);
}

static void test_markdown(void **state)
{
	(void)state;
	size_t at;
	assert_null(md_problem("## Fine\n\nText with a < b, <https://x.org/> and <me@x.org>.\n", &at));
	assert_null(md_problem("Use `<b>` or\n\n```html\n<b>bold</b>\n# not a heading\n```\n", &at));
	assert_null(md_problem("[ok](https://x.org/) [rel](../a) [frag](#top) [m](mailto:a@b.c)", &at));
	assert_null(md_problem("#hashtag is not a heading\n\n===\n", &at));
	assert_non_null(md_problem("Hi <span>x</span>", &at));
	assert_int_equal(at, 3);
	assert_non_null(md_problem("<!-- note -->", &at));
	assert_non_null(md_problem("Title\n=====\n", &at));
	assert_int_equal(at, 6);
	assert_non_null(md_problem("Text\n\n  # Heading\n", &at));
	assert_non_null(md_problem("[x](javascript:alert(1))", &at));
	assert_int_equal(at, 4);
	assert_non_null(md_problem("[x]( data:text/html,hi)", &at));
	assert_non_null(md_problem("<javascript:alert(1)>", &at));
	assert_non_null(md_problem("Fact.\n[^a]: defined by hand\n", &at));
	/* Scanning resumes from *at, so every problem can be listed. */
	const char *two = "<b>x</b>";
	at = 0;
	assert_non_null(kb_markdown_problem(two, &at));
	assert_int_equal(at, 0);
	at++;
	assert_non_null(kb_markdown_problem(two, &at));
	assert_int_equal(at, 4);
	at++;
	assert_null(kb_markdown_problem(two, &at));
}

static void test_future_pinned(void **state)
{
	(void)state;
	const char *tmpl = "id: dated\ntitle: T\naudience: [everyone]\nsummary: S.\nreviewed: %s\n"
			   "sources: [{id: a, title: A, url: \"https://a.example/\"}]\nbody: B.[^a]\n";
	char text[400];
	struct kb_article a;
	struct err e;
	kb_set_today("2026-11-27");
	snprintf(text, sizeof text, tmpl, "2026-11-28");
	char *dir = scratch("dated.yaml", text, NULL);
	char path[512];
	snprintf(path, sizeof path, "%s/dated.yaml", dir);
	assert_int_equal(kb_load_file(path, &a, &e), 0);
	kb_article_free(&a);
	rm_scratch(dir);
	snprintf(text, sizeof text, tmpl, "2026-11-29");
	dir = scratch("dated.yaml", text, NULL);
	snprintf(path, sizeof path, "%s/dated.yaml", dir);
	assert_int_equal(kb_load_file(path, &a, &e), -1);
	assert_non_null(strstr(e.msg, "is in the future"));
	assert_int_equal(e.line, 5);
	rm_scratch(dir);
	kb_set_today(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_good),
		cmocka_unit_test(test_lint_good),
		cmocka_unit_test(test_real_kb),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_lint_bad),
		cmocka_unit_test(test_lint_keeps_going),
		cmocka_unit_test(test_dirs),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_sentences),
		cmocka_unit_test(test_citations),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_future_pinned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
