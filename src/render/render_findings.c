/* render_findings.c: findings for pages — each result with its evidence (one machine's own
 * report), or results grouped by what they found with machine counts (aggregate pages, which
 * must never name a machine, an address or a private bridge) — with the advice that fits. */
#include "render_findings.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "render_lookup.h"
#include "render_memo.h"
#include "strmap.h"
#include "render_util.h"
#include "verdict.h"

const char *rv_probe_label(const char *probe)
{
	const char *t = codes_probe_title(probe);
	return t ? t : probe;
}

void rv_transport(const struct result *r, char out[24])
{
	verdict_transport(r, out);
}

static const int severity[ST_COUNT] = { 4, 2, 0, 1, 3 };   /* fail, error, warn, skip, pass */

struct group {
	const struct result *rep;
	const char *probe, *code;   /* as shown: "unknown" for what the catalog does not know */
	char kind[24];
	size_t nresults, nmachines, seen_order;
	unsigned char *on;   /* per machine: this group occurs there */
	json_t *items;       /* the results themselves, when hosts may be shown */
};

static int group_cmp(const void *a, const void *b)
{
	const struct group *x = a, *y = b;
	int d = severity[x->rep->status] - severity[y->rep->status];
	return d ? d : (x->seen_order > y->seen_order) - (x->seen_order < y->seen_order);
}

/* Evidence as words, never raw JSON: objects as "key: value; ...", true/false as yes/no.
 * depth bounds a hostile file's nesting (the reader bounds it too). */
static void evidence_text(const json_t *val, struct buf *b, int depth)
{
	if (depth > 8) {
		buf_puts(b, "...");
	} else if (json_is_string(val)) {
		buf_puts(b, json_string_value(val));
	} else if (json_is_array(val)) {
		size_t i;
		json_t *it;
		json_array_foreach(val, i, it) {
			if (i)
				buf_puts(b, ", ");
			evidence_text(it, b, depth + 1);
		}
	} else if (json_is_object(val)) {
		const char *key;
		json_t *it;
		int n = 0;
		json_object_foreach((json_t *)val, key, it) {
			buf_puts(b, n++ ? "; " : "");
			for (const char *p = key; *p; p++)
				buf_putc(b, *p == '_' ? ' ' : *p);
			buf_puts(b, ": ");
			evidence_text(it, b, depth + 1);
		}
	} else if (json_is_boolean(val)) {
		buf_puts(b, json_is_true(val) ? "yes" : "no");
	} else if (json_is_null(val)) {
		buf_puts(b, "none");
	} else {
		char *t = json_dumps(val, JSON_ENCODE_ANY | JSON_COMPACT);   /* a number */
		if (t)
			buf_puts(b, t);
		free(t);
	}
}

static void evidence_value(const json_t *val, struct buf *b)
{
	evidence_text(val, b, 0);
}

static json_t *evidence_json(const struct view_ctx *v, const struct result *r)
{
	json_t *a = json_array();
	const char *key;
	json_t *val;
	json_object_foreach(r->evidence, key, val) {
		struct buf k, b;
		buf_init(&k);
		buf_init(&b);
		for (const char *p = key; *p; p++)
			buf_putc(&k, *p == '_' ? ' ' : *p);
		evidence_value(val, &b);
		json_t *item = json_pack("{s:o, s:o}", "key", rv_text(v, buf_cstr(&k)),
					 "value", rv_text(v, buf_cstr(&b)));
		/* A list (a chain, one certificate a line) reads better one item a line. */
		if (json_is_array(val) && json_array_size(val) > 1) {
			json_t *lines = json_array(), *it;
			size_t i;
			json_array_foreach(val, i, it) {
				struct buf one;
				buf_init(&one);
				evidence_value(it, &one);
				json_array_append_new(lines, rv_text(v, buf_cstr(&one)));
				buf_free(&one);
			}
			json_object_set_new(item, "lines", lines);
		}
		json_array_append_new(a, item);
		buf_free(&k);
		buf_free(&b);
	}
	return a;
}

/* One result, named: only on pages that may show hosts. */
static json_t *item_json(const struct view_ctx *v, const struct result *r, size_t machine)
{
	json_t *ev = evidence_json(v, r);
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:b, s:o, s:I}", "target", rv_text(v, r->target),
			      "name", rv_text(v, r->name), "label", rv_text(v, r->name[0] ? r->name : r->target),
			      "summary", rv_text(v, r->summary), "has_evidence", json_array_size(ev) > 0,
			      "evidence", ev, "machine", (json_int_t)machine + 1);
	json_object_set_new(o, "multi", json_boolean(v->nsets > 1));
	return o;
}

/* Whether an advice's condition holds on a machine does not depend on the group asking:
 * remembered per (advice, machine) for one rv_findings() call. Evaluated afresh per group,
 * each evaluation scanning every result, 20,000 groups of one probe were quadratic. */
static struct {
	size_t *first;        /* per article: index of its first advice */
	signed char *holds;   /* per advice and machine: 0 unknown, 1 no, 2 yes */
} memo;

static void memo_init(const struct view_ctx *v)
{
	size_t n = 0, na = v->kb ? v->kb->n : 0;
	memo.first = xcalloc(na + 1, sizeof *memo.first);
	for (size_t i = 0; i < na; i++) {
		memo.first[i] = n;
		n += v->kb->articles[i].nadvice;
	}
	memo.holds = xcalloc(n * v->nsets + 1, 1);
}

static void memo_free(void)
{
	free(memo.first);
	free(memo.holds);
	memset(&memo, 0, sizeof memo);
}

static int advice_holds(const struct view_ctx *v, size_t i, size_t k, size_t m)
{
	signed char *h = &memo.holds[(memo.first[i] + k) * v->nsets + m];
	if (!*h)
		*h = rv_holds(v, v->kb->articles[i].advice[k].when, m) ? 2 : 1;
	return *h == 2;
}

/* Advice that mentions this kind of result and holds on a machine where it occurs. */
static json_t *group_advice(const struct view_ctx *v, const struct group *g, json_t *arts)
{
	json_t *out = json_array();
	for (size_t i = 0; v->kb && i < v->kb->n; i++) {
		const struct kb_article *a = &v->kb->articles[i];
		int linked = 0;
		for (size_t k = 0; k < a->nadvice; k++) {
			const struct kb_advice *ad = &a->advice[k];
			if (!ad->when || !cond_mentions(ad->when, g->rep))
				continue;
			size_t m = 0;
			while (m < v->nsets && !(g->on[m] && advice_holds(v, i, k, m)))
				m++;
			if (m == v->nsets)
				continue;
			struct buf href;
			buf_init(&href);
			rv_article_href(v, a, &href);
			json_array_append_new(out, json_pack("{s:s, s:o, s:s, s:s, s:s}", "id", ad->id,
							     "text", rv_guidance(v, a, ad->text), "article_id", a->id, "article_title", a->title,
							     "href", buf_cstr(&href)));
			if (!linked++)
				json_array_append_new(arts, json_pack("{s:s, s:s, s:b}", "title", a->title, "href",
								      buf_cstr(&href), "has_href", href.len > 0));
			buf_free(&href);
		}
	}
	return out;
}

/* A results file may come from another version or a hand: a probe or code the catalog does
 * not know is folded into one visible "unknown", never shown as a heading of its own. */
static void shown_ids(const struct result *r, const char **probe, const char **code)
{
	int known = codes_probe_known(r->probe) && !codes_is_family(r->probe);
	*probe = known ? r->probe : "unknown";
	*code = known && codes_find(r->probe, r->code) ? r->code : "unknown";
}

static json_t *group_json(const struct view_ctx *v, const struct group *g)
{
	const struct result *r = g->rep;
	const struct code_info *ci = codes_find(g->probe, g->code);
	struct buf label, count;
	buf_init(&label);
	buf_init(&count);
	buf_puts(&label, strcmp(g->probe, "unknown") ? rv_probe_label(g->probe) : "Checks torready does not know");
	if (!strcmp(r->probe, "tor.bridge"))
		buf_printf(&label, " (%s)", g->kind);
	if (rv_count_hidden(v, g->nmachines))
		buf_puts(&count, "seen");   /* how many results would count the few machines */
	else
		buf_printf(&count, "%zu result%s", g->nresults, g->nresults == 1 ? "" : "s");
	if (v->nsets > 1 || v->min_group > 1) {
		buf_puts(&count, " on ");
		rv_machines_text(v, g->nmachines, &count);
	}
	json_t *arts = json_array();
	json_t *adv = group_advice(v, g, arts);
	json_t *o = json_object();
	json_object_set_new(o, "probe", rv_text(v, g->probe));
	json_object_set_new(o, "label", rv_text(v, buf_cstr(&label)));
	/* Moot when it is on every machine where it says nothing (verdict_result_moot); the
	 * label says why (offline wins: on no machine could it check anything). */
	int moot = verdict_result_moot(r, VL_OFFLINE) || verdict_result_moot(r, VL_INTERCEPTED);
	enum verdict_level why = VL_INTERCEPTED;
	for (size_t m = 0; moot && m < v->nsets; m++) {
		if (!g->on[m])
			continue;
		enum verdict_level l = rv_level(v, m);
		moot = verdict_result_moot(r, l);
		if (l == VL_OFFLINE)
			why = VL_OFFLINE;
	}
	char moot_label[48];
	snprintf(moot_label, sizeof moot_label, "Could not check (%s)", verdict_moot_reason(why));
	/* A fail the verdict does not count (one authority down while others answer) is worth
	 * a look, not a problem: the card must not contradict the banner. */
	enum status shown = r->status;
	if (shown == ST_FAIL && !moot) {
		shown = ST_WARN;
		for (size_t m = 0; shown == ST_WARN && m < v->nsets; m++)
			if (g->on[m] && verdict_is_problem(v->sets[m], r))
				shown = ST_FAIL;
	}
	/* The card's colour (status-*, tag-*) says what its word says. */
	json_object_set_new(o, "status", json_string(status_name(moot ? ST_ERROR : shown)));
	json_object_set_new(o, "status_label", json_string(moot ? moot_label : verdict_status_word(shown)));
	json_object_set_new(o, "state", json_string(moot ? "none" : verdict_status_state(shown)));
	json_object_set_new(o, "code", rv_text(v, g->code));
	json_object_set_new(o, "code_label", rv_text(v, ci ? ci->label : "Unknown result"));
	json_object_set_new(o, "meaning", rv_text(v, ci ? ci->meaning : "This version of torready does not know this "
						  "result (it may come from another version, or the file was edited)."));
	json_object_set_new(o, "count_text", json_string(buf_cstr(&count)));
	struct buf lookup;   /* the code's lookup page, when the page has a site to link into */
	buf_init(&lookup);
	if (rv_lookup_href(v, r->probe, r->code, &lookup))
		json_object_set_new(o, "lookup_href", json_string(buf_cstr(&lookup)));
	buf_free(&lookup);
	json_object_set_new(o, "where", rv_machines(v, g->nmachines));
	json_object_set_new(o, "detail", json_boolean(v->show_hosts));
	json_object_set_new(o, "items", g->items ? json_incref(g->items) : json_array());
	json_object_set_new(o, "has_advice", json_boolean(json_array_size(adv) > 0));
	json_object_set_new(o, "advice", adv);
	json_object_set_new(o, "has_articles", json_boolean(json_array_size(arts) > 0));
	json_object_set_new(o, "articles", arts);
	buf_free(&label);
	buf_free(&count);
	return o;
}

/* A group's piece is the same on every page that shows it (a site's article pages each show
 * the groups of their probes, and every group looks through all advice): made once a run.
 * Its key is what makes the group, which is all that keep() may look at (render_findings.h). */
static json_t *group_json_memo(const struct view_ctx *v, const struct group *g)
{
	if (!v->memo)
		return group_json(v, g);
	struct buf key;
	buf_init(&key);
	buf_printf(&key, "group %d %d %zu %zu %s%s%s", (int)v->fmt, (int)g->rep->status,
		   strlen(g->rep->probe), strlen(g->rep->code), g->rep->probe, g->rep->code, g->kind);
	json_t *j = rv_memo_get(v->memo, buf_cstr(&key));
	if (!j)
		j = rv_memo_put(v->memo, buf_cstr(&key), group_json(v, g));
	buf_free(&key);
	/* A page may set its own keys on a finding (the report's dedupe_advice): its own copy of
	 * the top level, sharing the rest. */
	return json_copy(j);
}

/* Results are grouped even when hosts may be shown: each group then lists its results. */
json_t *rv_findings(const struct view_ctx *v, rv_pick_fn keep, void *arg)
{
	struct group *gs = NULL;
	size_t n = 0, cap = 0;
	struct strmap index;
	strmap_init(&index);
	struct buf key;
	buf_init(&key);
	for (size_t m = 0; m < v->nsets; m++) {
		for (size_t i = 0; i < v->sets[m]->n; i++) {
			const struct result *r = v->sets[m]->items[i];
			if (!keep(v, r, arg))
				continue;
			char kind[24] = "";
			if (!strcmp(r->probe, "tor.bridge"))
				rv_transport(r, kind);
			/* Looked up by key, not by a scan of the groups so far: 20,000 distinct codes
			 * in a crafted file took 35 s that way. Lengths first, so that no probe id
			 * or code, whatever it holds, makes two different keys the same. */
			const char *probe, *code;
			shown_ids(r, &probe, &code);
			buf_reset(&key);
			buf_printf(&key, "%d %zu %zu %s%s%s", (int)r->status, strlen(probe), strlen(code),
				   probe, code, kind);
			size_t k = n;
			strmap_add(&index, buf_cstr(&key), n, &k);
			if (k == n) {
				if (n == cap)
					gs = xrealloc(gs, (cap = cap ? 2 * cap : 16) * sizeof *gs);
				gs[n] = (struct group){ .rep = r, .probe = probe, .code = code, .seen_order = n,
							.on = xcalloc(v->nsets, 1),
							.items = v->show_hosts ? json_array() : NULL };
				strcpy(gs[n].kind, kind);
				n++;
			}
			gs[k].nresults++;
			gs[k].nmachines += !gs[k].on[m];
			gs[k].on[m] = 1;
			if (gs[k].items)
				json_array_append_new(gs[k].items, item_json(v, r, m));
		}
	}
	strmap_free(&index);
	buf_free(&key);
	if (n)
		qsort(gs, n, sizeof *gs, group_cmp);
	json_t *out = json_array();
	memo_init(v);
	for (size_t k = 0; k < n; k++) {
		json_array_append_new(out, group_json_memo(v, &gs[k]));
		free(gs[k].on);
		json_decref(gs[k].items);
	}
	memo_free();
	free(gs);
	return out;
}
