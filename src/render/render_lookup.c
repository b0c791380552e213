/* render_lookup.c: the lookup pages (render_lookup.h). "What to do" is not written twice:
 * it is the advice of the guidance articles whose conditions hold for a result with this
 * probe and code, so a lookup page and a report say the same thing. */
#include "render_lookup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "markdown.h"
#include "render_memo.h"
#include "render_util.h"
#include "verdict.h"
#include "render_guidance.h"

void rv_lookup_name(const char *probe, const char *code, struct buf *out)
{
	buf_printf(out, "code-%s-%s", probe, code);
}

int rv_lookup_href(const struct view_ctx *v, const char *probe, const char *code, struct buf *out)
{
	if (!codes_find(probe, code) || !codes_probe(probe))
		return 0;   /* an unknown probe or code has no page */
	if (v->base_url && *v->base_url && v->fmt == VIEW_MD)
		markdown_link_dest(out, v->base_url);   /* may hold ( ) [ ] */
	else if (v->base_url && *v->base_url)
		buf_puts(out, v->base_url);
	else if (!v->page || !strcmp(v->page, "report"))
		return 0;   /* a local report: the lookup pages are not beside it */
	rv_lookup_name(probe, code, out);
	buf_puts(out, v->fmt == VIEW_MD ? ".md" : ".html");
	return 1;
}

/* Probes first in catalog order, each with its own codes, then the generic ("*") codes it
 * has no own entry for. The catalog is static, so the list is made once. */
struct pair {
	const char *probe;
	const struct code_info *ci;
};
static struct pair *pairs;
static size_t npairs;

static void make_pairs(void)
{
	size_t cap = 0;
	for (size_t p = 0; p < codes_probe_count(); p++) {
		const struct probe_info *pi = codes_probe_at(p);
		for (int generic = 0; generic < 2; generic++)
			for (size_t c = 0; c < codes_count(); c++) {
				const struct code_info *x = codes_at(c);
				if (generic ? strcmp(x->probe, "*") || codes_find(pi->id, x->code) != x
					    : strcmp(x->probe, pi->id))
					continue;
				if (npairs == cap) {
					cap = cap ? 2 * cap : 256;
					pairs = xrealloc(pairs, cap * sizeof *pairs);
				}
				pairs[npairs++] = (struct pair){ pi->id, x };
			}
	}
}

int lookup_pair_at(size_t i, const char **probe, const struct code_info **ci)
{
	if (!pairs)
		make_pairs();
	if (i >= npairs)
		return 0;
	*probe = pairs[i].probe;
	*ci = pairs[i].ci;
	return 1;
}

/* The most serious status the code comes with: the advice for the worst case. */
static enum status first_status(unsigned statuses)
{
	static const enum status order[] = { ST_FAIL, ST_WARN, ST_ERROR, ST_SKIP, ST_PASS };
	for (size_t i = 0; i < sizeof order / sizeof *order; i++)
		if (statuses & (1u << order[i]))
			return order[i];
	return ST_ERROR;
}

static json_t *statuses_json(unsigned statuses)
{
	json_t *a = json_array();
	for (int s = 0; s < ST_COUNT; s++)
		if (statuses & (1u << s))
			json_array_append_new(a, json_pack("{s:s, s:s}", "status", status_name((enum status)s),
							   "label", verdict_status_word((enum status)s)));
	return a;
}

/* Advice and articles that speak to a result with this probe and code. */
static void guidance_for(const struct view_ctx *v, const char *probe, const struct code_info *ci,
			 json_t *advice, json_t *articles)
{
	struct results fake;
	results_init(&fake);
	/* A machine that is online and met this one result: what the guidance says to it. */
	if (strcmp(probe, "net.baseline"))
		result_set(results_add(&fake, "net.baseline", "", ""), ST_PASS, "ok", "online");
	struct result *r = results_add(&fake, probe, "", "");
	result_set(r, first_status(ci->statuses), ci->code, "%s", ci->meaning);
	for (size_t i = 0; v->kb && i < v->kb->n; i++) {
		const struct kb_article *a = &v->kb->articles[i];
		int about = 0;
		if (!rv_article_probe(a, probe))
			continue;   /* (remembered per run) talks of no result of this probe */
		for (size_t k = 0; k < a->nsections; k++)
			about |= a->sections[k].when && cond_mentions(a->sections[k].when, r);
		for (size_t k = 0; k < a->nadvice; k++) {
			const struct cond *c = a->advice[k].when;
			if (!c || !cond_mentions(c, r))
				continue;
			about = 1;
			if (cond_eval(c, &fake))
				json_array_append_new(advice, rv_plain(v, a->advice[k].text));
		}
		if (!about)
			continue;
		struct buf href;
		buf_init(&href);
		rv_article_href(v, a, &href);
		json_array_append_new(articles, json_pack("{s:o, s:s}", "title", rv_text(v, a->title), "href",
							  buf_cstr(&href)));
		buf_free(&href);
	}
	results_free(&fake);
}

static void seen_key(struct buf *k, const char *probe, const char *code)
{
	buf_reset(k);
	buf_printf(k, "%zu %s%s", strlen(probe), probe, code);   /* no two pairs alike */
}

/* Per probe and code, on how many machines it was seen: one pass over every machine's
 * results for the run (asked afresh by each lookup page, 10,000 machines took seconds). */
static json_t *seen_counts(const struct view_ctx *v)
{
	json_t *counts = v->memo ? rv_memo_get(v->memo, "lookup-seen") : NULL;
	if (counts)
		return json_incref(counts);
	counts = json_object();
	struct buf k;
	buf_init(&k);
	for (size_t m = 0; m < v->nsets; m++) {
		json_t *here = json_object();   /* each machine counts once */
		for (size_t i = 0; i < v->sets[m]->n; i++) {
			seen_key(&k, v->sets[m]->items[i]->probe, v->sets[m]->items[i]->code);
			if (json_object_get(here, buf_cstr(&k)))
				continue;
			json_object_set_new_nocheck(here, buf_cstr(&k), json_true());
			json_t *n = json_object_get(counts, buf_cstr(&k));
			json_object_set_new_nocheck(counts, buf_cstr(&k), json_integer(n ? json_integer_value(n) + 1 : 1));
		}
		json_decref(here);
	}
	buf_free(&k);
	return v->memo ? json_incref(rv_memo_put(v->memo, "lookup-seen", counts)) : counts;
}

/* On how many machines this result was seen (none named; small counts hidden). */
static json_t *seen_json(const struct view_ctx *v, const char *probe, const char *code)
{
	json_t *counts = seen_counts(v);
	struct buf k;
	buf_init(&k);
	seen_key(&k, probe, code);
	size_t n = (size_t)json_integer_value(json_object_get(counts, buf_cstr(&k)));
	buf_free(&k);
	json_decref(counts);
	struct buf b;
	buf_init(&b);
	rv_machines_text(v, n, &b);
	json_t *o = json_pack("{s:b, s:s}", "any", n > 0, "text", buf_cstr(&b));
	buf_free(&b);
	return o;
}

json_t *view_lookup(const struct view_ctx *v, const char *probe, const struct code_info *ci)
{
	const struct probe_info *pi = codes_probe(probe);
	struct buf title;
	buf_init(&title);
	buf_printf(&title, "%s: %s", pi ? pi->title : probe, ci->label);
	json_t *view = json_object();
	rv_page_common(v, view, buf_cstr(&title));
	json_t *advice = json_array(), *articles = json_array();
	guidance_for(v, probe, ci, advice, articles);
	json_t *o = json_object();
	json_object_set_new(o, "title", rv_text(v, buf_cstr(&title)));
	json_object_set_new(o, "probe", json_string(probe));
	json_object_set_new(o, "code", json_string(ci->code));
	json_object_set_new(o, "probe_title", rv_text(v, pi ? pi->title : probe));
	json_object_set_new(o, "checks", rv_text(v, pi && pi->checks ? pi->checks : ""));
	json_object_set_new(o, "label", rv_text(v, ci->label));
	json_object_set_new(o, "meaning", rv_text(v, ci->meaning));
	json_object_set_new(o, "statuses", statuses_json(ci->statuses));
	json_object_set_new(o, "generic", json_boolean(!strcmp(ci->probe, "*")));
	json_object_set_new(o, "seen", seen_json(v, probe, ci->code));
	json_object_set_new(o, "has_advice", json_boolean(json_array_size(advice) > 0));
	json_object_set_new(o, "advice", advice);
	json_object_set_new(o, "has_articles", json_boolean(json_array_size(articles) > 0));
	json_object_set_new(o, "articles", articles);
	json_object_set_new(view, "lookup", o);
	json_object_set_new(view, "index_lookup_href", json_string(v->fmt == VIEW_MD ? "codes.md" : "codes.html"));
	buf_free(&title);
	return view;
}

json_t *view_lookup_index(const struct view_ctx *v)
{
	json_t *view = json_object();
	rv_page_common(v, view, "Every result code, explained");
	json_t *probes = json_array(), *cur = NULL, *codes = NULL;
	const char *last = NULL, *probe;
	const struct code_info *ci;
	for (size_t i = 0; lookup_pair_at(i, &probe, &ci); i++) {
		if (!last || strcmp(last, probe)) {
			const struct probe_info *pi = codes_probe(probe);
			codes = json_array();
			cur = json_pack("{s:s, s:o, s:o}", "probe", probe, "title", rv_text(v, pi ? pi->title : probe),
					"codes", codes);
			json_array_append_new(probes, cur);
			last = probe;
		}
		struct buf href;
		buf_init(&href);
		rv_lookup_name(probe, ci->code, &href);
		buf_puts(&href, v->fmt == VIEW_MD ? ".md" : ".html");
		json_array_append_new(codes, json_pack("{s:s, s:o, s:s}", "code", ci->code, "label",
						       rv_text(v, ci->label), "href", buf_cstr(&href)));
		buf_free(&href);
	}
	json_object_set_new(view, "probes", probes);
	return view;
}

void rv_site_links(const struct view_ctx *v, json_t *view)
{
	const char *ext = v->fmt == VIEW_MD ? "md" : "html";
	char href[160];
	snprintf(href, sizeof href, "codes.%s", ext);
	json_object_set_new(view, "codes_href", json_string(href));
	json_t *list = json_array();
	/* Handouts are written with the site only when it knows its address (QR codes). */
	for (size_t i = 0; v->base_url && *v->base_url && v->kb && i < v->kb->n; i++) {
		const struct kb_article *a = &v->kb->articles[i];
		snprintf(href, sizeof href, "handout-%.80s.%s", a->id, ext);
		json_array_append_new(list, json_pack("{s:o, s:s}", "title", rv_text(v, a->title), "href", href));
	}
	json_object_set_new(view, "has_handouts", json_boolean(json_array_size(list) > 0));
	json_object_set_new(view, "handout_links", list);
	snprintf(href, sizeof href, "handouts.%s", ext);
	json_object_set_new(view, "all_handouts_href", json_string(href));
}
