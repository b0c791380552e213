/* render.c: `render` and the pages of `check` — loads guidance and templates, builds the
 * view, renders every requested format in memory, then writes each file atomically. */
#include "render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "kb.h"
#include "paths.h"
#include "render_view.h"
#include "tpl.h"

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

static int render_template(const char *dir, const char *name, json_t *view, struct buf *out,
			   struct err *e)
{
	struct tpl_dir td = { dir };
	struct buf src, path;
	buf_init(&src);
	buf_init(&path);
	buf_printf(&path, "%s/%s.mustache", dir, name);
	int rc;
	if (read_file(path.data, TEMPLATE_MAX_BYTES, &src) < 0)
		rc = err_set(e, "cannot read template %s: %s", path.data, strerror(errno));
	else
		rc = tpl_render(path.data, src.data, src.len, view, load_partial, &td, out, e);
	buf_free(&src);
	buf_free(&path);
	return rc;
}

static int has_format(const char *formats, const char *f)
{
	size_t n = strlen(f);
	for (const char *p = formats; *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && !strncmp(p, f, n))
			return 1;
		p += k;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int check_formats(const char *formats, struct err *e)
{
	for (const char *p = formats; *p;) {
		size_t k = strcspn(p, ",");
		if (!((k == 4 && !strncmp(p, "html", 4)) || (k == 2 && !strncmp(p, "md", 2)) ||
		      (k == 8 && !strncmp(p, "fragment", 8))))
			return err_set(e, "--format: unknown format \"%.*s\" (use html, md, fragment)",
				       (int)(k > 20 ? 20 : k), p);
		p += k;
		if (*p == ',')
			p++;
	}
	return 0;
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

struct output {
	const char *format, *template, *suffix;
	enum view_format fmt;
};

static const struct output report_outputs[] = {
	{ "html", "report", "report.html", VIEW_HTML },
	{ "md", "report.md", "report.md", VIEW_MD },
	{ "fragment", "report.fragment", "report.fragment.html", VIEW_HTML },
};

static int render_report(const struct view_ctx *base, const char *tdir, const struct render_opts *o,
			 struct err *e)
{
	const size_t n = sizeof report_outputs / sizeof *report_outputs;
	struct buf pages[sizeof report_outputs / sizeof *report_outputs];
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		buf_init(&pages[i]);
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!has_format(o->formats, report_outputs[i].format))
			continue;
		struct view_ctx v = *base;
		v.fmt = report_outputs[i].fmt;
		json_t *view = view_report(&v);
		rc = render_template(tdir, report_outputs[i].template, view, &pages[i], e);
		json_decref(view);
	}
	/* Only once every page rendered: a failed run leaves no half-set of files. */
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!has_format(o->formats, report_outputs[i].format))
			continue;
		struct buf path;
		buf_init(&path);
		buf_printf(&path, "%s/%s", o->out_dir, report_outputs[i].suffix);
		rc = write_atomic(path.data, buf_cstr(&pages[i]), pages[i].len, e);
		buf_free(&path);
	}
	for (size_t i = 0; i < n; i++)
		buf_free(&pages[i]);
	return rc;
}

int render_run(const struct results *const *sets, size_t nsets, const struct render_opts *o,
	       struct err *e)
{
	struct render_opts opts = *o;
	if (!opts.page)
		opts.page = "report";
	if (!opts.formats)
		opts.formats = "html,md";
	if (check_formats(opts.formats, e) < 0)
		return -1;
	if (strcmp(opts.page, "report"))
		return err_set(e, "--page %s: this build renders the report page only", opts.page);
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
	struct results all;
	merge_sets(sets, nsets, &all);
	struct buf base;
	buf_init(&base);
	if (opts.base_url && *opts.base_url)
		buf_printf(&base, "%s%s", opts.base_url,
			   opts.base_url[strlen(opts.base_url) - 1] == '/' ? "" : "/");
	struct view_ctx v = { .rs = &all, .nsets = nsets, .kb = &kb, .base_url = buf_cstr(&base),
			      .show_hosts = opts.show_hosts || nsets == 1 };
	int rc = render_report(&v, tdir, &opts, e);
	buf_free(&base);
	results_free(&all);
	kb_free(&kb);
	return rc;
}
