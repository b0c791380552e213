/* render_view.c: the view model of the self-assessment report: banner, counts, findings with
 * what was seen, what it means and what to do, the guidance that fits, and what was
 * contacted, when and from where. */
#include "render_view.h"

#include <stdio.h>
#include <string.h>

#include "cond.h"
#include "markdown.h"
#include "render_util.h"
#include "verdict.h"
#include "render_findings.h"
#include "render_guidance.h"

/* What the cards below say, added up over every machine (verdict_shown_counts). */
static json_t *counts_json(const struct view_ctx *v)
{
	size_t n[ST_COUNT] = { 0 }, one[ST_COUNT];
	for (size_t m = 0; m < v->nsets; m++) {
		verdict_shown_counts(v->sets[m], rv_level(v, m), one);
		for (int s = 0; s < ST_COUNT; s++)
			n[s] += one[s];
	}
	json_t *a = json_array();
	static const int order[ST_COUNT] = { ST_FAIL, ST_WARN, ST_ERROR, ST_PASS, ST_SKIP };
	for (int i = 0; i < ST_COUNT; i++) {
		int s = order[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I}", "status", status_name((enum status)s),
						   "label", verdict_status_word((enum status)s),
						   "state", verdict_status_state((enum status)s), "n", (json_int_t)n[s]));
	}
	return a;
}

static int pick_bad(const struct view_ctx *v, const struct result *r, void *arg)
{
	(void)v;
	(void)arg;
	return r->status != ST_PASS && r->status != ST_SKIP;
}

static int pick_good(const struct view_ctx *v, const struct result *r, void *arg)
{
	return !pick_bad(v, r, arg);
}

/* 1 when the findings already show this advice item. */
static int shown(json_t *findings, const char *article, const char *id)
{
	size_t i, k;
	json_t *f, *ad;
	json_array_foreach(findings, i, f) {
		json_array_foreach(json_object_get(f, "advice"), k, ad) {
			if (!strcmp(json_string_value(json_object_get(ad, "article_id")), article) &&
			    !strcmp(json_string_value(json_object_get(ad, "id")), id))
				return 1;
		}
	}
	return 0;
}

/* The articles whose sections or advice hold here, with advice the findings did not show. */
static json_t *articles_json(const struct view_ctx *v, json_t *findings)
{
	json_t *arts = json_array();
	for (size_t i = 0; v->kb && i < v->kb->n; i++) {
		const struct kb_article *a = &v->kb->articles[i];
		json_t *secs = rv_sections(v, a, 1), *all = rv_advice(v, a), *adv = json_array();
		size_t k;
		json_t *ad;
		json_array_foreach(all, k, ad) {
			if (!shown(findings, a->id, json_string_value(json_object_get(ad, "id"))))
				json_array_append(adv, ad);
		}
		/* An article belongs in the report when something measured here speaks to it:
		 * advice that always holds is not enough (every article would qualify). Advice
		 * shown with a finding cites this article's sources: keep it on the page then. */
		int cited = 0;
		for (size_t m = 0; m < a->nadvice && !cited; m++)
			cited = a->advice[m].when && rv_holds_on(v, a->advice[m].when) > 0;
		json_decref(all);
		if (!json_array_size(secs) && !cited) {
			json_decref(secs);
			json_decref(adv);
			continue;
		}
		struct buf href;
		buf_init(&href);
		if (v->base_url && *v->base_url && v->fmt == VIEW_MD) {
			markdown_link_dest(&href, v->base_url);   /* may hold ( ) [ ] */
			markdown_link_dest(&href, a->id);
			buf_puts(&href, ".html");
		} else if (v->base_url && *v->base_url) {
			buf_printf(&href, "%s%s.html", v->base_url, a->id);
		}
		json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:s, s:b}", "id", a->id, "title", a->title,
				      "summary", rv_plain(v, a->summary), "reviewed", a->reviewed,
				      "sections", secs, "sources", rv_sources(v, a), "status", rv_article_status(v, a),
				      "full_href", buf_cstr(&href), "has_full", href.len > 0);
		json_object_set_new(o, "nsources", json_integer((json_int_t)a->nsources));
		json_object_set_new(o, "has_advice", json_boolean(json_array_size(adv) > 0));
		json_object_set_new(o, "advice", adv);
		json_array_append_new(arts, o);
		buf_free(&href);
	}
	return arts;
}

/* 1 when section sid of a speaks of a result the verdict rests on (one machine's page). */
static int about_reason(const struct view_ctx *v, const struct kb_article *a, const char *sid)
{
	if (v->nsets != 1 || !sid)
		return 0;
	const struct kb_section *sec = NULL;
	for (size_t i = 0; i < a->nsections && !sec; i++)
		if (!strcmp(a->sections[i].id, sid))
			sec = &a->sections[i];
	if (!sec || !sec->when)
		return 0;
	json_t *vd = results_verdict(v->sets[0]);
	int hit = 0;
	for (size_t i = 0; i < v->sets[0]->n && !hit; i++)
		hit = verdict_is_reason(vd, v->sets[0]->items[i]) && cond_mentions(sec->when, v->sets[0]->items[i]);
	json_decref(vd);
	return hit;
}

/* The main points for the banner: first the sections about what the headline rests on (a
 * captive portal's certificate before advice for site operators), then those that hold here
 * with bad news, then those worth a look, each once (several articles may say the same). */
static json_t *highlights(const struct view_ctx *v)
{
	json_t *out = json_array();
	static const char *const order[] = { "bad", "caution", "bad", "caution" };
	size_t taken[64] = { 0 };   /* per article: no one article crowds out the others */
	for (size_t t = 0; t < 4; t++)
		for (size_t i = 0; v->kb && i < v->kb->n; i++) {
			json_t *secs = rv_sections(v, &v->kb->articles[i], 0);
			size_t k;
			json_t *s;
			json_array_foreach(secs, k, s) {
				/* Passes 0 and 1: only sections about the verdict's reasons. */
				int fits = !strcmp(json_string_value(json_object_get(s, "tone")), order[t]) &&
					   (t >= 2 || about_reason(v, &v->kb->articles[i],
								     json_string_value(json_object_get(s, "id"))));
				if (!fits || json_array_size(out) >= 8 || taken[i % 64] >= 2)
					continue;
				size_t j;
				json_t *h;
				int dup = 0;
				json_array_foreach(out, j, h)
					dup |= !strcmp(json_string_value(json_object_get(h, "title")),
						       json_string_value(json_object_get(s, "title")));
				if (!dup) {
					json_array_append(out, s);
					taken[i % 64]++;
				}
			}
			json_decref(secs);
		}
	return out;
}

/* Each advice item once: under the first finding it fits; later ones point back to it. */
static void dedupe_advice(json_t *findings)
{
	json_t *seen = json_object();
	size_t i;
	json_t *f;
	json_array_foreach(findings, i, f) {
		json_t *adv = json_object_get(f, "advice"), *keep = json_array();
		size_t k;
		json_t *ad;
		int dropped = 0;
		json_array_foreach(adv, k, ad) {
			char key[200];
			snprintf(key, sizeof key, "%s#%s", json_string_value(json_object_get(ad, "article_id")),
				 json_string_value(json_object_get(ad, "id")));
			if (json_object_get(seen, key)) {
				dropped = 1;
				continue;
			}
			json_object_set_new(seen, key, json_true());
			json_array_append(keep, ad);
		}
		json_object_set(f, "advice", keep);
		json_object_set_new(f, "has_advice", json_boolean(json_array_size(keep) > 0));
		json_object_set_new(f, "see_above", json_boolean(dropped));
		json_decref(keep);
	}
	json_decref(seen);
}

static int only_points_back(json_t *f)
{
	return !json_is_true(json_object_get(f, "has_advice")) && json_is_true(json_object_get(f, "see_above"));
}

/* Cards whose only advice is "the advice above applies here too", when there are several,
 * become one card ({folded: true, state, also: [...]}) where the first of them was. */
static void fold_repeats(json_t *findings)
{
	size_t i, n = 0;
	json_t *f;
	json_array_foreach(findings, i, f)
		n += only_points_back(f);
	if (n < 2)
		return;
	json_t *kept = json_array(), *also = json_array();
	json_array_foreach(findings, i, f) {
		if (!only_points_back(f)) {
			json_array_append(kept, f);
			continue;
		}
		if (!json_array_size(also))
			json_array_append_new(kept, json_pack("{s:b, s:O, s:O}", "folded", 1, "state",
							      json_object_get(f, "state"), "also", also));
		json_array_append(also, f);
	}
	json_array_clear(findings);
	json_array_extend(findings, kept);
	json_decref(kept);
	json_decref(also);
}

json_t *view_report(const struct view_ctx *v)
{
	const struct results *rs = v->rs;
	json_t *view = json_object();
	rv_page_common(v, view, v->nsets > 1 ? "Are these machines ready for Tor and HTTPS?"
					    : "Is this machine ready for Tor and HTTPS?");
	json_object_set_new(view, "checked", rv_checked(v));
	json_object_set_new(view, "interrupted", json_boolean(rs->interrupted));
	json_object_set_new(view, "banner", rv_banner(v));
	json_t *hl = highlights(v);
	json_object_set_new(view, "has_highlights", json_boolean(json_array_size(hl) > 0));
	json_object_set_new(view, "highlights", hl);
	json_object_set_new(view, "counts", counts_json(v));
	json_t *bad = rv_findings(v, pick_bad, NULL), *good = rv_findings(v, pick_good, NULL);
	json_object_set_new(view, "has_findings", json_boolean(json_array_size(bad) > 0));
	json_object_set_new(view, "has_passes", json_boolean(json_array_size(good) > 0));
	json_t *arts = articles_json(v, bad);
	dedupe_advice(bad);
	fold_repeats(bad);
	json_object_set_new(view, "findings", bad);
	json_object_set_new(view, "passes", good);
	json_object_set_new(view, "has_articles", json_boolean(json_array_size(arts) > 0));
	json_object_set_new(view, "articles", arts);
	json_t *c = json_array();
	for (size_t i = 0; v->show_hosts && i < rs->ncontacted; i++)
		json_array_append_new(c, rv_text(v, rs->contacted[i]));
	json_object_set_new(view, "has_contacted", json_boolean(json_array_size(c) > 0));
	json_object_set_new(view, "contacted", c);
	json_object_set_new(view, "show_hosts", json_boolean(v->show_hosts));
	return view;
}
