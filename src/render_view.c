/* render_view.c: the view model of the report page: banner, counts, findings with their
 * evidence and advice, the adaptive guidance, and what was contacted. */
#include "render_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codes.h"
#include "markdown.h"

static json_t *text(const struct view_ctx *v, const char *s)
{
	if (!s)
		s = "";
	if (v->fmt == VIEW_HTML)
		return json_string_safe(s, strlen(s));
	struct buf b;
	buf_init(&b);
	markdown_escape(&b, s);
	json_t *j = json_string_safe(buf_cstr(&b), b.len);
	buf_free(&b);
	return j;
}

/* Citations [^id] become a numbered link to the article's source list: one list per
 * article reads better on a page that shows only some of its sections. */
static void resolve_citations(const struct kb_article *a, const char *md, struct buf *out)
{
	size_t pos = 0, from = 0, start, len;
	while (a && kb_next_cite(md, &pos, &start, &len)) {
		size_t k = 0;
		while (k < a->nsources && (strlen(a->sources[k].id) != len ||
					   strncmp(a->sources[k].id, md + start, len)))
			k++;
		buf_append(out, md + from, start - 2 - from);
		if (k < a->nsources)
			buf_printf(out, "[\\[%zu\\]](#source-%s-%zu)", k + 1, a->id, k + 1);
		from = pos;
	}
	buf_puts(out, md + from);
}

/* Guidance Markdown is ours (kb/), so it goes to HTML through cmark, or stays Markdown. */
static json_t *guidance(const struct view_ctx *v, const struct kb_article *a, const char *md)
{
	struct buf cited, b;
	buf_init(&cited);
	buf_init(&b);
	resolve_citations(a, md ? md : "", &cited);
	if (v->fmt == VIEW_MD)
		buf_puts(&b, buf_cstr(&cited));
	else
		markdown_to_html(buf_cstr(&cited), cited.len, &b);
	json_t *j = json_string(buf_cstr(&b));
	buf_free(&cited);
	buf_free(&b);
	return j;
}

static int is_tor_reach(const struct result *r)
{
	return !strcmp(r->probe, "tor.dirauth") || !strcmp(r->probe, "tor.bridge");
}

const char *view_verdict(const struct results *rs)
{
	int tor_seen = 0, tor_ok = 0, offline = 0, bad = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = rs->items[i];
		if (!strcmp(r->probe, "net.baseline") && !strcmp(r->code, "offline"))
			offline = 1;
		if (is_tor_reach(r)) {
			tor_seen = 1;
			tor_ok |= r->status == ST_PASS;
		}
		bad |= r->status == ST_FAIL || r->status == ST_WARN || r->status == ST_ERROR;
	}
	if (offline && !tor_ok)
		return "offline";
	if (tor_seen && !tor_ok)
		return "blocked";
	return bad ? "problems" : "ready";
}

static const struct banner {
	const char *level, *symbol, *headline, *text;
} banners[] = {
	{ "ready", "✓", "Ready: every check passed",
	  "This machine reached everything it tried, and every answer was what it should be." },
	{ "problems", "!", "Some checks found problems",
	  "Most things work, but some checks did not pass. Each one is listed below with what it means and what to do." },
	{ "blocked", "✗", "Tor looks blocked from here",
	  "This machine is online, but no Tor relay or bridge we tried answered as it should. A bridge may still get you through." },
	{ "offline", "?", "This machine looks offline",
	  "We could not reach any well-known website, so a failed Tor check here says nothing about Tor. Connect to a network and run the check again." },
};

static json_t *banner_json(const struct results *rs)
{
	const char *level = view_verdict(rs);
	for (size_t i = 0; i < sizeof banners / sizeof *banners; i++)
		if (!strcmp(banners[i].level, level))
			return json_pack("{s:s, s:s, s:s, s:s}", "level", level, "symbol", banners[i].symbol,
					 "headline", banners[i].headline, "text", banners[i].text);
	return json_object();
}

static const char *const status_labels[ST_COUNT] = { "Passed", "Weak", "Failed", "Could not run", "Skipped" };

static json_t *counts_json(const struct results *rs)
{
	size_t n[ST_COUNT];
	results_count(rs, n);
	json_t *a = json_array();
	for (int s = 0; s < ST_COUNT; s++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "status", status_name((enum status)s),
						   "label", status_labels[s], "n", (json_int_t)n[s]));
	return a;
}

static void evidence_value(const json_t *val, struct buf *b)
{
	if (json_is_string(val)) {
		buf_puts(b, json_string_value(val));
	} else if (json_is_array(val)) {
		size_t i;
		json_t *it;
		json_array_foreach(val, i, it) {
			if (i)
				buf_puts(b, ", ");
			evidence_value(it, b);
		}
	} else {
		char *s = json_dumps(val, JSON_ENCODE_ANY | JSON_COMPACT);
		if (s)
			buf_puts(b, s);
		free(s);
	}
}

static json_t *evidence_json(const struct view_ctx *v, const struct result *r)
{
	json_t *a = json_array();
	const char *key;
	json_t *val;
	json_object_foreach(r->evidence, key, val) {
		struct buf b;
		buf_init(&b);
		evidence_value(val, &b);
		json_t *o = json_object();
		json_object_set_new(o, "key", text(v, key));
		json_object_set_new(o, "value", text(v, buf_cstr(&b)));
		json_array_append_new(a, o);
		buf_free(&b);
	}
	return a;
}

static void advice_for(const struct view_ctx *v, const struct result *r, json_t *out)
{
	for (size_t i = 0; v->kb && i < v->kb->n; i++) {
		const struct kb_article *art = &v->kb->articles[i];
		for (size_t k = 0; k < art->nadvice; k++) {
			const struct kb_advice *ad = &art->advice[k];
			if (!ad->when || !cond_mentions(ad->when, r) || !cond_eval(ad->when, v->rs))
				continue;
			json_array_append_new(out, json_pack("{s:o, s:s, s:s}", "text", guidance(v, art, ad->text),
							     "article_id", art->id, "article_title", art->title));
		}
	}
}

static json_t *finding_json(const struct view_ctx *v, const struct result *r)
{
	const struct code_info *ci = codes_find(r->probe, r->code);
	json_t *o = json_object();
	json_object_set_new(o, "probe", json_string(r->probe));
	json_object_set_new(o, "target", text(v, r->target));
	json_object_set_new(o, "name", text(v, r->name));
	json_object_set_new(o, "label", text(v, r->name[0] ? r->name : r->target));
	json_object_set_new(o, "status", json_string(status_name(r->status)));
	json_object_set_new(o, "status_label", json_string(status_labels[r->status]));
	json_object_set_new(o, "code", json_string(r->code));
	json_object_set_new(o, "meaning", text(v, ci ? ci->meaning : ""));
	json_object_set_new(o, "summary", text(v, r->summary));
	json_object_set_new(o, "duration_ms", json_integer(r->duration_ms));
	json_object_set_new(o, "evidence", evidence_json(v, r));
	json_t *adv = json_array();
	advice_for(v, r, adv);
	json_object_set_new(o, "has_advice", json_boolean(json_array_size(adv) > 0));
	json_object_set_new(o, "advice", adv);
	return o;
}

static json_t *article_json(const struct view_ctx *v, const struct kb_article *a)
{
	json_t *secs = json_array();
	for (size_t i = 0; i < a->nsections; i++) {
		const struct kb_section *s = &a->sections[i];
		if (s->when && !cond_eval(s->when, v->rs))
			continue;
		json_array_append_new(secs, json_pack("{s:s, s:s, s:o}", "id", s->id, "title", s->title,
						      "body", guidance(v, a, s->body)));
	}
	json_t *srcs = json_array();
	for (size_t i = 0; i < a->nsources; i++) {
		char anchor[128];
		snprintf(anchor, sizeof anchor, "source-%.64s-%zu", a->id, i + 1);
		json_array_append_new(srcs, json_pack("{s:s, s:s, s:s, s:s, s:I, s:b}", "id", a->sources[i].id,
						       "title", a->sources[i].title, "url", a->sources[i].url,
						       "anchor", anchor, "n", (json_int_t)(i + 1),
						       "last", i + 1 == a->nsources));
	}
	struct buf href;
	buf_init(&href);
	if (v->base_url && *v->base_url)
		buf_printf(&href, "%s%s.html", v->base_url, a->id);
	else
		buf_printf(&href, "#article-%s", a->id);
	json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:s}", "id", a->id, "title", a->title,
			      "summary", guidance(v, a, a->summary), "reviewed", a->reviewed,
			      "sections", secs, "sources", srcs, "href", buf_cstr(&href));
	json_object_set_new(o, "has_sections", json_boolean(json_array_size(secs) > 0));
	buf_free(&href);
	return o;
}

static void add_findings(const struct view_ctx *v, json_t *view)
{
	json_t *bad = json_array(), *good = json_array();
	for (size_t i = 0; i < v->rs->n; i++) {
		const struct result *r = v->rs->items[i];
		json_array_append_new(r->status == ST_PASS || r->status == ST_SKIP ? good : bad,
				      finding_json(v, r));
	}
	json_object_set_new(view, "has_findings", json_boolean(json_array_size(bad) > 0));
	json_object_set_new(view, "findings", bad);
	json_object_set_new(view, "has_passes", json_boolean(json_array_size(good) > 0));
	json_object_set_new(view, "passes", good);
}

json_t *view_report(const struct view_ctx *v)
{
	const struct results *rs = v->rs;
	json_t *view = json_object();
	json_object_set_new(view, "lang", json_string("en"));
	json_object_set_new(view, "title", json_string("Is this machine ready for Tor and HTTPS?"));
	json_object_set_new(view, "version", json_string(TORREADY_VERSION));
	json_object_set_new(view, "started", text(v, rs->started));
	json_object_set_new(view, "finished", text(v, rs->finished));
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%.1f", rs->duration_ms / 1000.0);
	json_object_set_new(view, "duration_s", json_string(tmp));
	json_object_set_new(view, "deadline_s", json_integer(rs->deadline_ms / 1000));
	json_t *os = json_object_get(rs->host, "os");
	json_object_set_new(view, "host_os", text(v, json_is_string(os) ? json_string_value(os) : "unknown"));
	json_object_set_new(view, "interrupted", json_boolean(rs->interrupted));
	json_object_set_new(view, "banner", banner_json(rs));
	json_object_set_new(view, "counts", counts_json(rs));
	add_findings(v, view);
	json_t *arts = json_array();
	for (size_t i = 0; v->kb && i < v->kb->n; i++)
		json_array_append_new(arts, article_json(v, &v->kb->articles[i]));
	json_object_set_new(view, "articles", arts);
	json_t *c = json_array();
	for (size_t i = 0; v->show_hosts && i < rs->ncontacted; i++)
		json_array_append_new(c, text(v, rs->contacted[i]));
	json_object_set_new(view, "has_contacted", json_boolean(json_array_size(c) > 0));
	json_object_set_new(view, "contacted", c);
	return view;
}
