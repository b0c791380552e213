/* render.c: `render` and the pages of `check` — loads guidance and templates, builds each
 * page's view, renders every requested format in memory, then writes each file atomically. */
#include "render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "dated_text.h"
#include "kb.h"
#include "pageset.h"
#include "paths.h"
#include "render_lookup.h"
#include "render_memo.h"
#include "render_util.h"
#include "render_view.h"
#include "tpl.h"
#include "render_guidance.h"
#include "render_pages.h"

#define TEMPLATE_MAX_BYTES (1u << 20)

struct tpl_dir {
	const char *dir;
};

/* Partials: NAME.mustache in the templates dir; a name with a dot (style.css) is a file
 * included as is. Names never leave the directory. */
static int load_partial(void *ud, const char *name, struct buf *out)
{
	const struct tpl_dir *td = ud;
	if (!*name || strchr(name, '/') || name[0] == '.')
		return -1;
	struct buf path;
	buf_init(&path);
	buf_printf(&path, "%s/%s%s", td->dir, name, strchr(name, '.') ? "" : ".mustache");
	int rc = read_file(path.data, TEMPLATE_MAX_BYTES, out) < 0 ? -1 : 0;
	buf_free(&path);
	return rc;
}

/* A run's templates, each read and parsed once however many pages it renders. */
struct tpl_set {
	struct tpl_dir td;
	struct tpl_cache *partials;
	struct page_tpl { char name[128]; struct tpl *t; } *page;
	size_t n;
};

static void tpl_set_free(struct tpl_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		tpl_free(s->page[i].t);
	free(s->page);
	tpl_cache_free(s->partials);
}

static const struct tpl *page_template(struct tpl_set *s, const char *name, struct err *e)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->page[i].name, name))
			return s->page[i].t;
	struct buf src, path;
	buf_init(&src);
	buf_init(&path);
	buf_printf(&path, "%s/%s.mustache", s->td.dir, name);
	struct tpl *t = NULL;
	if (read_file(path.data, TEMPLATE_MAX_BYTES, &src) < 0)
		err_set(e, "cannot read template %s: %s", path.data, file_strerror(errno));
	else
		t = tpl_compile(path.data, src.data, src.len, e);
	buf_free(&src);
	buf_free(&path);
	if (t) {
		s->page = xrealloc(s->page, (s->n + 1) * sizeof *s->page);
		snprintf(s->page[s->n].name, sizeof s->page[0].name, "%s", name);
		s->page[s->n++].t = t;
	}
	return t;
}

static int render_template(struct tpl_set *s, const char *name, json_t *view, struct buf *out,
			   struct err *e)
{
	const struct tpl *t = page_template(s, name, e);
	if (!t)
		return -1;
	return tpl_render_cached(t, view, s->partials, out, e);
}

static const struct format {
	const char *name, *tpl_suffix, *file_suffix;
	enum view_format fmt;
} formats[] = {
	{ "html", "", ".html", VIEW_HTML },
	{ "md", ".md", ".md", VIEW_MD },
	{ "fragment", ".fragment", ".fragment.html", VIEW_HTML },
};
#define NFORMATS (sizeof formats / sizeof *formats)

/* Which formats the comma-separated list asks for (a bit per entry of formats[]). */
static int parse_formats(const char *list, unsigned *want, struct err *e)
{
	*want = 0;
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, ","), f = 0;
		while (f < NFORMATS && !(strlen(formats[f].name) == k && !strncmp(p, formats[f].name, k)))
			f++;
		if (f == NFORMATS)
			return err_set(e, "--format: unknown format \"%.*s\" (use html, md, fragment)",
				       (int)(k > 20 ? 20 : k), p);
		*want |= 1u << f;
		p += k;
		if (*p == ',')
			p++;
	}
	return *want ? 0 : err_set(e, "--format: name at least one of html, md, fragment");
}

/* One page to make: its template's base name, its file's base name, what it shows. */
struct page {
	const char *tpl;
	char out[96];
	const struct kb_article *article;   /* NULL for the report and the index */
	const char *probe;                  /* lookup pages: the probe and its code */
	const struct code_info *code;
};

static json_t *build_view(const struct view_ctx *v, const struct page *p, const char *qr_url)
{
	if (!strcmp(p->tpl, "report"))
		return view_report(v);
	if (!strcmp(p->tpl, "site-index")) {
		json_t *view = view_site_index(v);
		rv_site_links(v, view);
		return view;
	}
	if (!strcmp(p->tpl, "handout")) {
		/* Each article's handout links to its own page: base_url + id.html. */
		struct buf url;
		buf_init(&url);
		buf_printf(&url, "%s%s.html", v->base_url, p->article->id);
		json_t *view = view_handout(v, p->article, qr_url && *qr_url ? qr_url : buf_cstr(&url));
		buf_free(&url);
		return view;
	}
	if (!strcmp(p->tpl, "lookup"))
		return view_lookup(v, p->probe, p->code);
	if (!strcmp(p->tpl, "codes"))
		return view_lookup_index(v);
	if (!strcmp(p->tpl, "handouts"))
		return view_handouts(v, v->base_url);
	return view_article(v, p->article);
}

/* Renders pages × formats in memory; writes them only when every one rendered, so a failed
 * run leaves no half-set of files. */
static int render_pages(const struct view_ctx *base, const char *tdir, const char *out_dir,
			const struct page *pages, size_t npages, unsigned want, const char *qr_url,
			struct err *e)
{
	size_t n = npages * NFORMATS;
	struct buf *out = xcalloc(n, sizeof *out);
	struct tpl_set ts = { .td = { tdir } };
	ts.partials = tpl_cache_new(load_partial, &ts.td);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct page *p = &pages[i / NFORMATS];
		const struct format *f = &formats[i % NFORMATS];
		if (!(want & (1u << (i % NFORMATS))))
			continue;
		struct view_ctx v = *base;
		v.fmt = f->fmt;
		json_t *view = build_view(&v, p, qr_url);
		char tpl[128];
		snprintf(tpl, sizeof tpl, "%s%s", p->tpl, f->tpl_suffix);
		rc = render_template(&ts, tpl, view, &out[i], e);
		json_decref(view);
	}
	tpl_set_free(&ts);
	struct pageset_file *files = xcalloc(n + 1, sizeof *files);
	char (*names)[160] = xcalloc(n + 1, sizeof *names);
	size_t nf = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!(want & (1u << (i % NFORMATS))))
			continue;
		snprintf(names[nf], sizeof names[nf], "%s%s", pages[i / NFORMATS].out,
			 formats[i % NFORMATS].file_suffix);
		files[nf] = (struct pageset_file){ names[nf], buf_cstr(&out[i]), out[i].len };
		nf++;
	}
	if (rc == 0)
		rc = pageset_write(out_dir, files, nf, e);   /* the whole set, or nothing */
	free(files);
	free(names);
	for (size_t i = 0; i < n; i++)
		buf_free(&out[i]);
	free(out);
	return rc;
}

/* Every set's results in one document: conditions and counts then speak for all machines. */
static void merge_sets(const struct results *const *sets, size_t nsets, struct results *all)
{
	results_init(all);
	for (size_t s = 0; s < nsets; s++) {
		const struct results *rs = sets[s];
		if (s == 0) {
			all->started = xstrdup(rs->started ? rs->started : "");
			all->finished = xstrdup(rs->finished ? rs->finished : "");
			all->duration_ms = rs->duration_ms;
			all->deadline_ms = rs->deadline_ms;
			json_object_update(all->host, rs->host);
		}
		all->interrupted |= rs->interrupted;
		for (size_t i = 0; i < rs->ncontacted; i++)
			results_contacted(all, rs->contacted[i]);
		for (size_t i = 0; i < rs->n; i++) {
			const struct result *r = rs->items[i];
			struct result *c = results_add(all, r->probe, r->target, r->name);
			result_set(c, r->status, r->code, "%s", r->summary);
			c->duration_ms = r->duration_ms;
			json_decref(c->evidence);
			c->evidence = json_deep_copy(r->evidence);
		}
	}
}

static const char *const page_kinds[] = { "report", "site", "article", "handout", "handouts", NULL };

static int check_opts(const struct render_opts *o, const struct kb *kb, struct err *e)
{
	size_t k = 0;
	while (page_kinds[k] && strcmp(page_kinds[k], o->page))
		k++;
	if (!page_kinds[k])
		return err_set(e, "--page %.40s: unknown page (use report, site, article, handout, handouts)", o->page);
	int topical = !strcmp(o->page, "article") || !strcmp(o->page, "handout");
	if (topical && !o->topic)
		return err_set(e, "--page %s needs --topic ARTICLE_ID", o->page);
	if (!topical && o->topic)
		return err_set(e, "--topic goes with --page article or --page handout");
	if (topical && !kb_find(kb, o->topic)) {
		struct buf ids;
		buf_init(&ids);
		for (size_t i = 0; i < kb->n; i++)
			buf_printf(&ids, "%s%s", i ? ", " : "", kb->articles[i].id);
		err_set(e, "--topic %.64s: no such article (known: %.300s)", o->topic, buf_cstr(&ids));
		buf_free(&ids);
		return -1;
	}
	const char *why;
	if (o->base_url && *o->base_url && (why = kb_url_problem(o->base_url)))
		return err_set(e, "--base-url %.80s: %s", o->base_url, why);
	if (!strcmp(o->page, "handouts") && (!o->base_url || !*o->base_url))
		return err_set(e, "--page handouts needs --base-url URL (or base_url in --site): each QR code "
			       "links to URL/ARTICLE.html");
	if (!strcmp(o->page, "handout") && (!o->base_url || !*o->base_url))
		return err_set(e, "--page handout needs --base-url URL: its QR code links to URL%s.html",
			       o->topic);
	return 0;
}

/* The pages a --page asks for. */
static size_t plan_pages(const struct render_opts *o, const struct kb *kb, struct page *pages)
{
	size_t n = 0;
	if (!strcmp(o->page, "report")) {
		pages[n++] = (struct page){ .tpl = "report", .out = "report" };
	} else if (!strcmp(o->page, "site")) {
		pages[n++] = (struct page){ .tpl = "site-index", .out = "index" };
		for (size_t i = 0; i < kb->n; i++) {
			pages[n] = (struct page){ .tpl = "article", .article = &kb->articles[i] };
			snprintf(pages[n++].out, sizeof pages[0].out, "%s", kb->articles[i].id);
		}
		/* Lookup pages: one per result code, and their index. */
		pages[n++] = (struct page){ .tpl = "codes", .out = "codes" };
		const char *probe;
		const struct code_info *ci;
		for (size_t i = 0; lookup_pair_at(i, &probe, &ci); i++) {
			struct buf name;
			buf_init(&name);
			rv_lookup_name(probe, ci->code, &name);
			pages[n] = (struct page){ .tpl = "lookup", .probe = probe, .code = ci };
			snprintf(pages[n++].out, sizeof pages[0].out, "%s", buf_cstr(&name));
			buf_free(&name);
		}
		/* Printable handouts need the site's address for their QR codes. */
		if (o->base_url && *o->base_url) {
			for (size_t i = 0; i < kb->n; i++) {
				pages[n] = (struct page){ .tpl = "handout", .article = &kb->articles[i] };
				snprintf(pages[n++].out, sizeof pages[0].out, "handout-%s", kb->articles[i].id);
			}
			pages[n++] = (struct page){ .tpl = "handouts", .out = "handouts" };
		}
	} else if (!strcmp(o->page, "handouts")) {
		pages[n++] = (struct page){ .tpl = "handouts", .out = "handouts" };
	} else {
		const struct kb_article *a = kb_find(kb, o->topic);
		int handout = !strcmp(o->page, "handout");
		pages[n] = (struct page){ .tpl = handout ? "handout" : "article", .article = a };
		snprintf(pages[n++].out, sizeof pages[0].out, "%s%s", handout ? "handout-" : "", a->id);
	}
	return n;
}

int render_run(const struct results *const *sets, size_t nsets, const struct render_opts *o,
	       struct err *e)
{
	struct render_opts opts = *o;
	rv_article_probe_forget();
	if (!opts.page)
		opts.page = "report";
	if (!opts.formats)
		opts.formats = "html,md";
	if (opts.site && opts.site->base_url && (!opts.base_url || !*opts.base_url))
		opts.base_url = opts.site->base_url;   /* --base-url wins over the site file */
	unsigned want;
	if (parse_formats(opts.formats, &want, e) < 0)
		return -1;
	char kdir[4096], tdir[4096];
	if (opts.kb_dir)
		snprintf(kdir, sizeof kdir, "%s", opts.kb_dir);
	else
		paths_data("kb", kdir, sizeof kdir);
	if (opts.templates_dir)
		snprintf(tdir, sizeof tdir, "%s", opts.templates_dir);
	else
		paths_data("templates", tdir, sizeof tdir);
	struct kb kb = { 0 };
	if (kb_load(kdir, &kb, e) < 0)
		return -1;
	if (check_opts(&opts, &kb, e) < 0) {
		kb_free(&kb);
		return -1;
	}
	struct results all;
	merge_sets(sets, nsets, &all);
	struct buf base, qr;
	buf_init(&base);
	buf_init(&qr);
	if (opts.base_url && *opts.base_url)
		buf_printf(&base, "%s%s", opts.base_url,
			   opts.base_url[strlen(opts.base_url) - 1] == '/' ? "" : "/");
	if (opts.topic)
		buf_printf(&qr, "%s%s.html", buf_cstr(&base), opts.topic);
	int report = !strcmp(opts.page, "report");
	/* One machine's own report names what it contacted; pages meant for the public never
	 * name a machine, an address or a private bridge unless asked to. */
	struct view_ctx v = { .rs = &all, .sets = sets, .nsets = nsets, .kb = &kb,
			      .base_url = buf_cstr(&base), .page = opts.page,
			      .show_hosts = opts.show_hosts || (report && nsets == 1),
			      .nav = !strcmp(opts.page, "site"), .service = opts.service };
	/* The kb directory's own dated facts when it has them (--kb), else the installed ones. */
	struct dated dated = { 0 };
	struct buf dpath;
	buf_init(&dpath);
	buf_printf(&dpath, "%s/dated.yaml", kdir);
	struct err de;
	err_clear(&de);
	if (access(dpath.data, F_OK) == 0 && dated_load(&dated, dpath.data, &de) == 0)
		v.dated = &dated;
	else
		v.dated = dated_default(&de);
	buf_free(&dpath);
	v.today = dated_today();
	v.site = opts.site;
	/* A one-machine report is that machine's own; every other page may be public. */
	v.min_group = opts.site && (!report || nsets > 1) ? opts.site->min_group : 0;
	v.memo = rv_memo_new(sets, nsets);
	size_t nlookup = 0;
	const char *lp;
	const struct code_info *lc;
	while (lookup_pair_at(nlookup, &lp, &lc))
		nlookup++;
	struct page *pages = xcalloc(2 * kb.n + nlookup + 4, sizeof *pages);
	size_t npages = plan_pages(&opts, &kb, pages);
	int rc = render_pages(&v, tdir, opts.out_dir, pages, npages, want, buf_cstr(&qr), e);
	free(pages);
	rv_memo_free(v.memo);
	buf_free(&base);
	buf_free(&qr);
	results_free(&all);
	kb_free(&kb);
	dated_free(&dated);
	return rc;
}
