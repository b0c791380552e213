/* render_pages.c: the view models of the department site's pages — the index, one article,
 * and the printable handout — from aggregated results. They name no machine, address or
 * bridge unless hosts may be shown. */
#include "render_pages.h"

#include <stdio.h>
#include <string.h>

#include "render_qr.h"
#include "render_util.h"
#include "render_findings.h"
#include "render_guidance.h"

#define HANDOUT_FOUND_MAX 4   /* lines of status that fit beside the QR code */

static json_t *audience_json(const struct kb_article *a)
{
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < a->naudience; i++) {
		const char *s = a->audience[i];
		buf_printf(&b, "%s%s", i ? ", " : "", !strcmp(s, "it-staff") ? "IT staff"
			   : !strcmp(s, "site-operators") ? "website operators" : s);
	}
	json_t *j = json_string(buf_cstr(&b));
	buf_free(&b);
	return j;
}

static json_t *points_json(const struct view_ctx *v, const struct kb_article *a)
{
	json_t *p = json_array();
	for (size_t i = 0; i < a->nhandout; i++)
		json_array_append_new(p, rv_plain(v, a->handout[i]));
	return p;
}

/* Which kinds of bridge got through, and where: kinds only, never a bridge's address. */
static json_t *bridge_facts(const struct view_ctx *v)
{
	enum { KINDS = 12 };
	char kinds[KINDS][24];
	size_t nk = 0, tried[KINDS] = { 0 }, ok[KINDS] = { 0 };
	for (size_t m = 0; m < v->nsets; m++) {
		int t[KINDS] = { 0 }, p[KINDS] = { 0 };
		for (size_t i = 0; i < v->sets[m]->n; i++) {
			const struct result *r = v->sets[m]->items[i];
			if (strcmp(r->probe, "tor.bridge") || r->status == ST_SKIP)
				continue;
			char kind[24];
			rv_transport(r, kind);
			size_t k = 0;
			while (k < nk && strcmp(kinds[k], kind))
				k++;
			if (k == nk && nk == KINDS)
				continue;
			if (k == nk)
				strcpy(kinds[nk++], kind);
			t[k] = 1;
			p[k] |= r->status == ST_PASS;
		}
		for (size_t k = 0; k < nk; k++) {
			tried[k] += t[k];
			ok[k] += p[k];
		}
	}
	json_t *out = json_array();
	for (size_t k = 0; k < nk; k++) {
		struct buf b;
		buf_init(&b);
		if (!strcmp(kinds[k], "vanilla"))
			buf_puts(&b, "Plain bridges (no disguise)");
		else
			buf_printf(&b, "Bridges of the kind %s", kinds[k]);
		if (v->nsets <= 1)
			buf_puts(&b, ok[k] ? " got through." : " did not get through.");
		else if (tried[k] == 1)
			buf_printf(&b, " %s on the one machine that tried them.", ok[k] ? "got through" : "did not get through");
		else if (!ok[k])
			buf_printf(&b, " did not get through on any of the %zu machines that tried them.", tried[k]);
		else if (ok[k] == tried[k])
			buf_printf(&b, " got through on all %zu machines that tried them.", tried[k]);
		else
			buf_printf(&b, " got through on %zu of the %zu machines that tried them.", ok[k], tried[k]);
		json_array_append_new(out, json_pack("{s:s, s:b}", "text", buf_cstr(&b), "ok", ok[k] > 0));
		buf_free(&b);
	}
	return out;
}

static int pick_related(const struct view_ctx *v, const struct result *r, void *arg)
{
	(void)v;
	return rv_article_probe(arg, r->probe);
}

static void set_list(json_t *o, const char *key, const char *has, json_t *list)
{
	json_object_set_new(o, has, json_boolean(json_array_size(list) > 0));
	json_object_set_new(o, key, list);
}

static json_t *article_core(const struct view_ctx *v, const struct kb_article *a)
{
	json_t *o = json_object();
	struct buf href, rev;
	buf_init(&href);
	buf_init(&rev);
	rv_article_href(v, a, &href);
	rv_plain_date(a->reviewed, &rev);
	/* The date alone: "27 November 2026". */
	char *comma = strchr(rev.data ? rev.data : "", ',');
	json_object_set_new(o, "id", json_string(a->id));
	json_object_set_new(o, "title", json_string(a->title));
	json_object_set_new(o, "href", json_string(buf_cstr(&href)));
	json_object_set_new(o, "summary", rv_plain(v, a->summary));
	json_object_set_new(o, "audience", audience_json(a));
	json_object_set_new(o, "reviewed", json_stringn(buf_cstr(&rev), comma ? (size_t)(comma - rev.data) : rev.len));
	json_object_set_new(o, "status", rv_article_status(v, a));
	set_list(o, "found", "has_found", rv_sections(v, a, 0));
	buf_free(&href);
	buf_free(&rev);
	return o;
}

json_t *view_article(const struct view_ctx *v, const struct kb_article *a)
{
	json_t *view = json_object();
	rv_page_common(v, view, a->title);
	json_t *o = article_core(v, a);
	json_object_set_new(o, "body", rv_guidance(v, a, a->body));
	set_list(o, "sections", "has_sections", rv_sections(v, a, 1));
	set_list(o, "advice", "has_advice", rv_advice(v, a));
	set_list(o, "points", "has_points", points_json(v, a));
	set_list(o, "sources", "has_sources", rv_sources(v, a));
	set_list(o, "facts", "has_facts", rv_article_probe(a, "tor.bridge") ? bridge_facts(v) : json_array());
	set_list(o, "findings", "has_findings", rv_findings(v, pick_related, (void *)a));
	/* Sections without a condition are general reading: after the body. */
	json_t *general = json_array();
	for (size_t i = 0; i < a->nsections; i++)
		if (!a->sections[i].when)
			json_array_append_new(general, json_pack("{s:s, s:s, s:o}", "id", a->sections[i].id,
								 "title", a->sections[i].title,
								 "body", rv_guidance(v, a, a->sections[i].body)));
	set_list(o, "general", "has_general", general);
	json_object_set_new(view, "article", o);
	json_object_set_new(view, "checked", rv_checked(v));
	json_object_set_new(view, "show_hosts", json_boolean(v->show_hosts));
	return view;
}

static int tone_rank(json_t *art)
{
	const char *lv = json_string_value(json_object_get(json_object_get(art, "status"), "level"));
	return !strcmp(lv, "bad") ? 0 : !strcmp(lv, "caution") ? 1 : !strcmp(lv, "good") ? 2 : 3;
}

json_t *view_site_index(const struct view_ctx *v)
{
	json_t *view = json_object();
	rv_page_common(v, view, "Tor and HTTPS on this network");
	json_object_set_new(view, "has_nav_list", json_false());   /* the index is the list */
	json_object_set_new(view, "banner", rv_banner(v));
	json_object_set_new(view, "checked", rv_checked(v));
	json_t *arts = json_array(), *cores = json_array();
	for (size_t i = 0; v->kb && i < v->kb->n; i++)
		json_array_append_new(cores, article_core(v, &v->kb->articles[i]));
	/* What needs attention first; the kb's order within each level. */
	for (int rank = 0; rank < 4; rank++) {
		size_t i;
		json_t *o;
		json_array_foreach(cores, i, o)
			if (tone_rank(o) == rank)
				json_array_append(arts, o);
	}
	json_decref(cores);
	json_object_set_new(view, "articles", arts);
	if (v->service)
		json_object_set(view, "service", v->service);
	return view;
}

json_t *view_handout(const struct view_ctx *v, const struct kb_article *a, const char *url)
{
	json_t *view = json_object();
	rv_page_common(v, view, a->title);
	json_t *o = article_core(v, a);
	/* What fits on paper: the worst news first, and a count of the rest. */
	json_t *found = json_object_get(o, "found"), *sorted = json_array();
	static const char *const order[] = { "bad", "caution", "good", "info" };
	for (size_t t = 0; t < sizeof order / sizeof *order; t++) {
		size_t i;
		json_t *it;
		json_array_foreach(found, i, it)
			if (!strcmp(json_string_value(json_object_get(it, "tone")), order[t]) &&
			    json_array_size(sorted) < HANDOUT_FOUND_MAX)
				json_array_append(sorted, it);
	}
	size_t more = json_array_size(found) - json_array_size(sorted);
	json_object_set_new(o, "found", sorted);
	json_object_set_new(o, "more_found", json_integer((json_int_t)more));
	json_object_set_new(o, "has_more_found", json_boolean(more > 0));
	set_list(o, "points", "has_points", points_json(v, a));
	json_object_set_new(view, "article", o);
	json_object_set_new(view, "banner", rv_banner(v));
	json_object_set_new(view, "checked", rv_checked(v));
	/* --base-url was checked to be an http(s) URL without spaces, quotes or brackets. */
	json_object_set_new(view, "url", results_str_safe(url, strlen(url)));
	struct buf svg;
	buf_init(&svg);
	if (v->fmt == VIEW_HTML) {
		char label[160];
		snprintf(label, sizeof label, "QR code: scan it to open the full article \"%.100s\"", a->title);
		if (render_qr_svg(url, label, &svg) < 0)
			buf_reset(&svg);
	}
	json_object_set_new(view, "has_qr", json_boolean(svg.len > 0));
	json_object_set_new(view, "qr_svg", json_string(buf_cstr(&svg)));
	buf_free(&svg);
	return view;
}

json_t *view_handouts(const struct view_ctx *v, const char *base)
{
	json_t *view = json_object();
	rv_page_common(v, view, "All handouts");
	json_t *list = json_array();
	for (size_t i = 0; v->kb && i < v->kb->n; i++) {
		const struct kb_article *a = &v->kb->articles[i];
		struct buf url;
		buf_init(&url);
		buf_printf(&url, "%s%s.html", base, a->id);
		json_array_append_new(list, view_handout(v, a, buf_cstr(&url)));
		buf_free(&url);
	}
	json_object_set_new(view, "handouts", list);
	return view;
}
