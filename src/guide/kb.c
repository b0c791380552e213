/* kb.c: loading guidance entries into articles, checking them against the schema in
 * kb/README.md, and `kb lint` over a directory. */
#include "kb.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dated_text.h"
#include "kb_internal.h"
#include "safetext.h"
#include "ydoc.h"

#define KB_MAX_BYTES (4u << 20)
#define TITLE_MAX 120
#define SUMMARY_SENTENCES 3
#define ADVICE_MAX 600
#define HANDOUT_ITEMS 5
#define HANDOUT_ITEM_MAX 200
#define MD_PROBLEMS_MAX 10   /* per text: enough to fix, not a flood */

static const char *const article_keys[] = {"id", "title", "audience", "summary", "reviewed",
					   "sources", "body", "sections", "advice", "handout", NULL};
static const char *const source_keys[] = {"id", "title", "url", NULL};
static const char *const section_keys[] = {"id", "title", "when", "tone", "body", NULL};
static const char *const tones[] = {"info", "good", "caution", "bad", NULL};   /* enum kb_tone */
static const char *const advice_keys[] = {"id", "when", "text", NULL};
static const char *const audiences[] = {"everyone", "faculty", "students", "it-staff",
					"site-operators", NULL};

/* Markdown to scan for citations once all sources are known. */
struct mdtext {
	yaml_node_t *n;
	const char *text;
};

/* One file being checked: problems are counted, the first kept, each printed when linting. */
struct chk {
	struct ydoc d;
	const char *text;           /* the file's bytes, to place problems inside block scalars */
	struct err *first;
	FILE *out;
	int problems;
	struct mdtext *md;
	size_t nmd;
	yaml_node_t **srcnodes;     /* parallel to the article's sources */
	const char **anchors;       /* section and advice ids: one namespace, one page */
	size_t nanchors;
};

static void report(struct chk *c, const struct err *e)
{
	if (++c->problems == 1 && c->first)
		*c->first = *e;
	if (c->out) {
		char b[1024];
		fprintf(c->out, "%s\n", text_term(0, err_str(e, b, sizeof b)));
	}
}

static void failv(struct chk *c, const yaml_node_t *n, int line, int col, const char *fmt,
		  va_list ap)
{
	char msg[400];
	struct err e;
	vsnprintf(msg, sizeof msg, fmt, ap);
	memset(&e, 0, sizeof e);
	if (line)
		err_at(&e, c->d.file, line, col, "%s", msg);
	else
		ydoc_fail(&c->d, n, &e, "%s", msg);
	report(c, &e);
}

__attribute__((format(printf, 3, 4)))
static void fail(struct chk *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	failv(c, n, 0, 0, fmt, ap);
	va_end(ap);
}

/* Where byte off of a literal (|) scalar's value is in the file; the node's own position for
 * other styles, whose folding loses the mapping. */
static void text_pos(struct chk *c, const yaml_node_t *n, size_t off, int *line, int *col)
{
	*line = (int)n->start_mark.line + 1;
	*col = (int)n->start_mark.column + 1;
	if (n->data.scalar.style != YAML_LITERAL_SCALAR_STYLE || !c->text)
		return;
	const char *v = (const char *)n->data.scalar.value;
	size_t nl = 0, ls = 0;
	for (size_t i = 0; i < off && v[i]; i++)
		if (v[i] == '\n') {
			nl++;
			ls = i + 1;
		}
	int want = (int)n->start_mark.line + 2 + (int)nl;   /* content starts below the '|' */
	const char *p = c->text;
	for (int k = 1; k < want && p; k++)
		if ((p = strchr(p, '\n')))
			p++;
	if (!p)
		return;
	size_t flen = strcspn(p, "\r\n"), clen = strcspn(v + ls, "\n");
	if (flen < clen)
		return;
	*line = want;
	*col = (int)(flen - clen + off - ls) + 1;
}

__attribute__((format(printf, 4, 5)))
static void fail_in(struct chk *c, const yaml_node_t *n, size_t off, const char *fmt, ...)
{
	int line, col;
	va_list ap;
	text_pos(c, n, off, &line, &col);
	va_start(ap, fmt);
	failv(c, n, line, col, fmt, ap);
	va_end(ap);
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (!strchr(" \t\r\n", *s))
			return 0;
	return 1;
}

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The string at key, copied; NULL when absent or not a string (reported when required). */
static char *get_str(struct chk *c, yaml_node_t *map, const char *key, const char *where,
		     int required, yaml_node_t **node)
{
	yaml_node_t *v = ydoc_get(&c->d, map, key);
	const char *s;
	struct err e;
	if (node)
		*node = NULL;
	if (!v) {
		if (required)
			fail(c, map, "%s has no \"%s\" (required)", where, key);
		return NULL;
	}
	if (ydoc_expect_str(&c->d, v, key, &s, &e) < 0) {
		report(c, &e);
		return NULL;
	}
	if (blank(s))
		fail(c, v, "%s is empty", key);
	if (node)
		*node = v;
	return xstrdup(s);
}

static void check_title(struct chk *c, yaml_node_t *map, const char *where, char **out)
{
	yaml_node_t *n;
	*out = get_str(c, map, "title", where, 1, &n);
	if (!*out || blank(*out))
		return;
	if (strchr(*out, '\n'))
		fail(c, n, "title must be one line");
	else if (utf8_len(*out) > TITLE_MAX)
		fail(c, n, "title is longer than %d characters", TITLE_MAX);
}

/* Ids of sections and advice share one page, so one namespace. */
static void check_anchor(struct chk *c, yaml_node_t *n, const char *id)
{
	for (size_t i = 0; i < c->nanchors; i++)
		if (!strcmp(c->anchors[i], id)) {
			fail(c, n, "id \"%s\" is already used by another section or advice item", id);
			return;
		}
	c->anchors = xrealloc(c->anchors, (c->nanchors + 1) * sizeof *c->anchors);
	c->anchors[c->nanchors++] = id;
}

static char *get_id(struct chk *c, yaml_node_t *map, const char *where, yaml_node_t **node)
{
	char *id = get_str(c, map, "id", where, 1, node);
	if (id && !blank(id) && !kb_id_valid(id))
		fail(c, *node, "id \"%.60s\" must be lower-case letters and digits joined by single "
		     "'-' (at most 64)", id);
	return id;
}

/* Markdown text: not empty, nothing our pages would drop; kept for the citation check. */
static void check_md(struct chk *c, yaml_node_t *n, const char *text, const char *what)
{
	size_t at = 0;
	const char *why;
	if (!text || blank(text))
		return;
	for (int k = 0; k < MD_PROBLEMS_MAX && (why = kb_markdown_problem(text, &at)); k++, at++)
		fail_in(c, n, at, "%s: %s", what, why);
	c->md = xrealloc(c->md, (c->nmd + 1) * sizeof *c->md);
	c->md[c->nmd].n = n;
	c->md[c->nmd++].text = text;
}

static int has_cite(const char *s)
{
	size_t pos = 0, st, len;
	return kb_next_cite(s, &pos, &st, &len);
}

static void parse_audience(struct chk *c, yaml_node_t *root, struct kb_article *a)
{
	yaml_node_t *v = ydoc_get(&c->d, root, "audience"), *it;
	if (!v) {
		fail(c, root, "the article has no \"audience\" (required)");
		return;
	}
	if (v->type != YAML_SEQUENCE_NODE || !ydoc_len(v)) {
		fail(c, v, "audience must be a list of: everyone, faculty, students, it-staff, "
		     "site-operators");
		return;
	}
	a->audience = xcalloc(ydoc_len(v), sizeof *a->audience);
	for (size_t i = 0; (it = ydoc_item(&c->d, v, i)); i++) {
		const char *s = ydoc_str(it);
		size_t k;
		for (k = 0; audiences[k] && (!s || strcmp(s, audiences[k])); k++)
			;
		if (!audiences[k]) {
			fail(c, it, "unknown audience \"%.40s\" (known: everyone, faculty, students, "
			     "it-staff, site-operators)", s ? s : "");
			continue;
		}
		for (k = 0; k < a->naudience && strcmp(a->audience[k], s); k++)
			;
		if (k < a->naudience)
			fail(c, it, "audience \"%s\" is listed twice", s);
		else
			a->audience[a->naudience++] = xstrdup(s);
	}
}

static void parse_meta(struct chk *c, yaml_node_t *root, struct kb_article *a, const char *want)
{
	yaml_node_t *n;
	a->id = get_id(c, root, "the article", &n);
	if (a->id && kb_id_valid(a->id) && strcmp(a->id, want))
		fail(c, n, "id \"%s\" must equal the file name \"%s\"", a->id, want);
	check_title(c, root, "the article", &a->title);
	parse_audience(c, root, a);
	a->summary = get_str(c, root, "summary", "the article", 1, &n);
	if (n && kb_sentences(a->summary) > SUMMARY_SENTENCES)
		fail(c, n, "summary has %zu sentences; keep it to %d", kb_sentences(a->summary),
		     SUMMARY_SENTENCES);
	if (n && has_cite(a->summary))
		fail(c, n, "summary is shown on its own; put citations in the body");
	a->reviewed = get_str(c, root, "reviewed", "the article", 1, &n);
	if (n) {
		char latest[11];
		const char *why;
		kb_latest_date(latest);
		if ((why = kb_date_problem(a->reviewed, latest)))
			fail(c, n, "reviewed: \"%.20s\" %s", a->reviewed, why);
	}
}

static void parse_source(struct chk *c, yaml_node_t *m, struct kb_article *a)
{
	struct err e;
	yaml_node_t *idn, *un;
	if (ydoc_expect_map(&c->d, m, "a source", &e) < 0 ||
	    ydoc_check_keys(&c->d, m, source_keys, "a source", &e) < 0) {
		report(c, &e);
		if (m->type != YAML_MAPPING_NODE)
			return;
	}
	struct kb_source s = {get_id(c, m, "a source", &idn), NULL, NULL};
	check_title(c, m, "a source", &s.title);
	s.url = get_str(c, m, "url", "a source", 1, &un);
	const char *why;
	if (un && (why = kb_url_problem(s.url)))
		fail(c, un, "url %s", why);
	for (size_t i = 0; s.id && i < a->nsources; i++)
		if (!strcmp(a->sources[i].id, s.id)) {
			fail(c, idn, "source id \"%s\" is used twice", s.id);
			free(s.id);
			s.id = NULL;
			break;
		}
	if (!s.id) {
		free(s.title);
		free(s.url);
		return;
	}
	c->srcnodes[a->nsources] = idn;
	a->sources[a->nsources++] = s;
}

static void parse_sources(struct chk *c, yaml_node_t *root, struct kb_article *a)
{
	yaml_node_t *v = ydoc_get(&c->d, root, "sources"), *it;
	if (!v) {
		fail(c, root, "the article has no \"sources\" (required): list what its facts "
		     "rest on");
		return;
	}
	if (v->type != YAML_SEQUENCE_NODE || !ydoc_len(v)) {
		fail(c, v, "sources must be a list of {id, title, url}");
		return;
	}
	a->sources = xcalloc(ydoc_len(v), sizeof *a->sources);
	c->srcnodes = xcalloc(ydoc_len(v), sizeof *c->srcnodes);
	for (size_t i = 0; (it = ydoc_item(&c->d, v, i)); i++)
		parse_source(c, it, a);
}

static void parse_when(struct chk *c, yaml_node_t *m, struct cond **out)
{
	yaml_node_t *w = ydoc_get(&c->d, m, "when");
	struct err e;
	*out = NULL;
	if (w && cond_parse(&c->d, w, out, &e) < 0)
		report(c, &e);
}

/* The mapping checks shared by sections and advice items; 0 when m is not a mapping. */
static int item_map(struct chk *c, yaml_node_t *m, const char *const *keys, const char *what)
{
	struct err e;
	if (ydoc_expect_map(&c->d, m, what, &e) < 0) {
		report(c, &e);
		return 0;
	}
	if (ydoc_check_keys(&c->d, m, keys, what, &e) < 0)
		report(c, &e);
	return 1;
}

static void parse_section(struct chk *c, yaml_node_t *m, struct kb_article *a)
{
	yaml_node_t *n;
	if (!item_map(c, m, section_keys, "a section"))
		return;
	struct kb_section *s = &a->sections[a->nsections++];
	s->id = get_id(c, m, "a section", &n);
	if (s->id)
		check_anchor(c, n, s->id);
	check_title(c, m, "a section", &s->title);
	parse_when(c, m, &s->when);
	char *tone = get_str(c, m, "tone", "a section", 0, &n);
	for (size_t k = 0; tone && tones[k]; k++)
		if (!strcmp(tone, tones[k]))
			s->tone = (enum kb_tone)k;
	if (tone && strcmp(tone, tones[s->tone]))
		fail(c, n, "tone \"%.40s\" must be one of: info, good, caution, bad", tone);
	free(tone);
	s->body = get_str(c, m, "body", "a section", 1, &n);
	if (n)
		check_md(c, n, s->body, "section body");
}

static void parse_advice(struct chk *c, yaml_node_t *m, struct kb_article *a)
{
	yaml_node_t *n;
	if (!item_map(c, m, advice_keys, "an advice item"))
		return;
	struct kb_advice *ad = &a->advice[a->nadvice++];
	ad->id = get_id(c, m, "an advice item", &n);
	if (ad->id)
		check_anchor(c, n, ad->id);
	parse_when(c, m, &ad->when);
	ad->text = get_str(c, m, "text", "an advice item", 1, &n);
	if (!n || blank(ad->text))
		return;
	char *t = ad->text + strspn(ad->text, " \t\n");
	char *gap = strstr(t, "\n\n");
	if (gap && !blank(gap))
		fail(c, n, "advice text is one short paragraph; put detail in a section");
	else if (utf8_len(ad->text) > ADVICE_MAX)
		fail(c, n, "advice text is longer than %d characters; put detail in a section",
		     ADVICE_MAX);
	check_md(c, n, ad->text, "advice text");
}

/* An optional list at key: the list, or NULL when absent or not a list (reported). */
static yaml_node_t *opt_list(struct chk *c, yaml_node_t *root, const char *key)
{
	yaml_node_t *v = ydoc_get(&c->d, root, key);
	struct err e;
	if (v && ydoc_expect_seq(&c->d, v, key, &e) < 0) {
		report(c, &e);
		return NULL;
	}
	return v;
}

static void parse_handout(struct chk *c, yaml_node_t *root, struct kb_article *a)
{
	yaml_node_t *v = opt_list(c, root, "handout"), *it;
	struct err e;
	if (!v)
		return;
	if (ydoc_len(v) > HANDOUT_ITEMS)
		fail(c, v, "handout has %zu points; a one-pager takes at most %d", ydoc_len(v),
		     HANDOUT_ITEMS);
	a->handout = xcalloc(ydoc_len(v), sizeof *a->handout);
	for (size_t i = 0; (it = ydoc_item(&c->d, v, i)); i++) {
		const char *s;
		if (ydoc_expect_str(&c->d, it, "a handout point", &s, &e) < 0) {
			report(c, &e);
			continue;
		}
		if (blank(s))
			fail(c, it, "handout point is empty");
		else if (utf8_len(s) > HANDOUT_ITEM_MAX)
			fail(c, it, "handout point is longer than %d characters", HANDOUT_ITEM_MAX);
		else if (has_cite(s))
			fail(c, it, "handout points are printed alone; put citations in the body");
		a->handout[a->nhandout++] = xstrdup(s);
	}
}

static void check_citations(struct chk *c, struct kb_article *a)
{
	char *cited = xcalloc(a->nsources + 1, 1);
	for (size_t m = 0; m < c->nmd; m++) {
		const char *t = c->md[m].text;
		size_t pos = 0, st, len, k;
		while (kb_next_cite(t, &pos, &st, &len)) {
			for (k = 0; k < a->nsources; k++)
				if (strlen(a->sources[k].id) == len && !strncmp(a->sources[k].id, t + st, len))
					break;
			if (k < a->nsources)
				cited[k] = 1;
			else
				fail_in(c, c->md[m].n, st - 2, "citation [^%.*s] names no source in "
					"sources:", (int)(len > 60 ? 60 : len), t + st);
		}
	}
	for (size_t k = 0; k < a->nsources; k++)
		if (!cited[k])
			fail(c, c->srcnodes[k], "source \"%s\" is never cited; cite it as [^%s] or "
			     "remove it", a->sources[k].id, a->sources[k].id);
	free(cited);
}

static void parse_article(struct chk *c, struct kb_article *a, const char *want)
{
	yaml_node_t *root = ydoc_root(&c->d), *n;
	struct err e;
	if (!root) {
		err_at(&e, c->d.file, 1, 1, "the file is empty; an article needs id, title, "
		       "audience, summary, reviewed, sources and body");
		report(c, &e);
		return;
	}
	if (ydoc_expect_map(&c->d, root, "an article", &e) < 0) {
		report(c, &e);
		return;
	}
	if (ydoc_check_keys(&c->d, root, article_keys, "an article", &e) < 0)
		report(c, &e);
	parse_meta(c, root, a, want);
	parse_sources(c, root, a);
	a->body = get_str(c, root, "body", "the article", 1, &n);
	if (n)
		check_md(c, n, a->body, "body");
	if ((n = opt_list(c, root, "sections"))) {
		a->sections = xcalloc(ydoc_len(n), sizeof *a->sections);
		for (size_t i = 0; ydoc_item(&c->d, n, i); i++)
			parse_section(c, ydoc_item(&c->d, n, i), a);
	}
	if ((n = opt_list(c, root, "advice"))) {
		a->advice = xcalloc(ydoc_len(n), sizeof *a->advice);
		for (size_t i = 0; ydoc_item(&c->d, n, i); i++)
			parse_advice(c, ydoc_item(&c->d, n, i), a);
	}
	parse_handout(c, root, a);
	check_citations(c, a);
}

/* The id a file must carry: its name without directories and ".yaml". */
static char *file_id(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		n -= 5;
	return xstrndup(base, n);
}

/* Checks one file into a; returns the number of problems (the first in *first). */
static int check_file(const char *path, struct kb_article *a, struct err *first, FILE *out)
{
	struct chk c;
	struct buf b;
	struct err e;
	memset(&c, 0, sizeof c);
	memset(a, 0, sizeof *a);
	c.first = first;
	c.out = out;
	a->file = xstrdup(path);
	buf_init(&b);
	if (read_file(path, KB_MAX_BYTES, &b) < 0) {
		err_set(&e, "%s: cannot read: %s", path, file_strerror(errno));
		report(&c, &e);
	} else {
		c.text = buf_cstr(&b);
		if (ydoc_load(&c.d, path, c.text, b.len, &e) < 0) {
			report(&c, &e);
		} else {
			char *want = file_id(path);
			parse_article(&c, a, want);
			free(want);
		}
		ydoc_free(&c.d);
	}
	buf_free(&b);
	free(c.md);
	free(c.srcnodes);
	free(c.anchors);
	return c.problems;
}

int kb_load_file(const char *path, struct kb_article *a, struct err *e)
{
	if (check_file(path, a, e, NULL)) {
		kb_article_free(a);
		return -1;
	}
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n > k && !strcmp(s + n - k, suffix);
}

static int cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Entry files in dir, sorted: *.yaml (and *.yml when yml, for lint to point out), neither
 * hidden nor targets*. */
static int list_dir(const char *dir, char ***out, size_t *n, int yml, struct err *e)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	*n = 0;
	if (!dp)
		return err_set(e, "%s: cannot open: %s", dir, strerror(errno));
	while ((de = readdir(dp))) {
		const char *nm = de->d_name;
		if (nm[0] == '.' || !strncmp(nm, "targets", 7) || !strcmp(nm, "dated.yaml"))
			continue;
		if (!ends_with(nm, ".yaml") && !(yml && ends_with(nm, ".yml")))
			continue;
		v = xrealloc(v, (*n + 1) * sizeof *v);
		v[(*n)++] = xstrdup(nm);
	}
	closedir(dp);
	if (*n)
		qsort(v, *n, sizeof *v, cmp_names);
	*out = v;
	return 0;
}

static char *join(const char *dir, const char *name)
{
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "%s%s%s", dir, ends_with(dir, "/") || !*dir ? "" : "/", name);
	return buf_steal(&b);
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int kb_load(const char *dir, struct kb *kb, struct err *e)
{
	char **names;
	size_t n;
	memset(kb, 0, sizeof *kb);
	if (list_dir(dir, &names, &n, 0, e) < 0)
		return -1;
	if (!n) {
		free_strs(names, n);
		return err_set(e, "%s: no guidance entries (*.yaml) found", dir);
	}
	kb->articles = xcalloc(n, sizeof *kb->articles);
	for (size_t i = 0; i < n; i++) {
		char *path = join(dir, names[i]);
		int rc = kb_load_file(path, &kb->articles[kb->n], e);
		free(path);
		if (rc < 0) {
			free_strs(names, n);
			kb_free(kb);
			return -1;
		}
		kb->n++;
	}
	free_strs(names, n);
	return 0;
}

int kb_lint(const char *dir, FILE *out)
{
	char **names;
	size_t n, entries = 0;
	int problems = 0;
	struct err e;
	if (list_dir(dir, &names, &n, 1, &e) < 0) {
		fprintf(out, "%s\n", text_term(0, e.msg));
		return 1;
	}
	/* The directory's dated facts, which its articles may quote ({dated:ID}). */
	struct dated dl = { 0 };
	const struct dated *dated = NULL;
	char *dpath = join(dir, "dated.yaml");
	if (access(dpath, F_OK) == 0) {
		struct err de;
		if (dated_load(&dl, dpath, &de) < 0) {
			fprintf(out, "%s\n", text_term(0, de.msg));
			problems++;
		} else {
			dated = &dl;
		}
	}
	free(dpath);
	for (size_t i = 0; i < n; i++) {
		char *path = join(dir, names[i]);
		if (ends_with(path, ".yml")) {
			fprintf(out, "%s:1:1: ignored: guidance entries must end in .yaml\n", text_term(0, path));
			problems++;
		} else {
			struct kb_article a;
			entries++;
			int p = check_file(path, &a, NULL, out);
			if (!p)
				p = kb_lint_dated(&a, dated, dated_today(), out);
			problems += p;
			kb_article_free(&a);
		}
		free(path);
	}
	dated_free(&dl);
	if (!entries) {
		fprintf(out, "%s: no guidance entries (*.yaml) found\n", text_term(0, dir));
		problems++;
	}
	free_strs(names, n);
	return problems;
}

const char *kb_tone_name(enum kb_tone t)
{
	return (unsigned)t < sizeof tones / sizeof *tones - 1 ? tones[t] : "info";
}

const struct kb_article *kb_find(const struct kb *kb, const char *id)
{
	for (size_t i = 0; kb && id && i < kb->n; i++)
		if (kb->articles[i].id && !strcmp(kb->articles[i].id, id))
			return &kb->articles[i];
	return NULL;
}

void kb_article_free(struct kb_article *a)
{
	if (!a)
		return;
	free(a->id);
	free(a->title);
	free(a->summary);
	free(a->reviewed);
	free(a->body);
	free(a->file);
	free_strs(a->audience, a->naudience);
	for (size_t i = 0; i < a->nsources; i++) {
		free(a->sources[i].id);
		free(a->sources[i].title);
		free(a->sources[i].url);
	}
	free(a->sources);
	for (size_t i = 0; i < a->nsections; i++) {
		free(a->sections[i].id);
		free(a->sections[i].title);
		free(a->sections[i].body);
		cond_free(a->sections[i].when);
	}
	free(a->sections);
	for (size_t i = 0; i < a->nadvice; i++) {
		free(a->advice[i].id);
		free(a->advice[i].text);
		cond_free(a->advice[i].when);
	}
	free(a->advice);
	free_strs(a->handout, a->nhandout);
	memset(a, 0, sizeof *a);
}

void kb_free(struct kb *kb)
{
	if (!kb)
		return;
	for (size_t i = 0; i < kb->n; i++)
		kb_article_free(&kb->articles[i]);
	free(kb->articles);
	memset(kb, 0, sizeof *kb);
}
