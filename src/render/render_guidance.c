/* render_guidance.c: an article's parts as the results select them — which probes it talks
 * about, its sections and advice that hold (and on how many machines), its status badge,
 * its sources and where it lives. */
#include "render_guidance.h"

#include <stdio.h>
#include <string.h>

#include <stdint.h>
#include <stdlib.h>
#include "buf.h"
#include "codes.h"
#include "markdown.h"
#include "render_util.h"

static int mentions(const struct kb_article *a, const struct result *r)
{
	for (size_t i = 0; i < a->nsections; i++)
		if (a->sections[i].when && cond_mentions(a->sections[i].when, r))
			return 1;
	for (size_t i = 0; i < a->nadvice; i++)
		if (a->advice[i].when && cond_mentions(a->advice[i].when, r))
			return 1;
	return 0;
}

/* rv_article_probe is asked once per result per page (thousands of times for a department's
 * machines, a thousand articles) but its answer depends only on the article and the probe
 * id: remember it in an open-addressing table. */
#define PROBE_MEMO_SLOTS 65536u   /* a power of two; caching stops at three quarters full */
struct probe_memo {
	const struct kb_article *a;
	char probe[48];
	int answer;
};
static struct probe_memo *probe_memo;
static size_t probe_memo_used;

void rv_article_probe_forget(void)
{
	free(probe_memo);
	probe_memo = NULL;
	probe_memo_used = 0;
}

static size_t memo_slot(const struct kb_article *a, const char *probe)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)a;
	for (const char *p = probe; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return (size_t)(h & (PROBE_MEMO_SLOTS - 1));
}

static int article_probe_uncached(const struct kb_article *a, const char *probe);

int rv_article_probe(const struct kb_article *a, const char *probe)
{
	if (!probe_memo)
		probe_memo = xcalloc(PROBE_MEMO_SLOTS, sizeof *probe_memo);
	size_t i = memo_slot(a, probe);
	for (; probe_memo[i].a; i = (i + 1) & (PROBE_MEMO_SLOTS - 1))
		if (probe_memo[i].a == a && !strcmp(probe_memo[i].probe, probe))
			return probe_memo[i].answer;
	int answer = article_probe_uncached(a, probe);
	if (probe_memo_used < PROBE_MEMO_SLOTS / 4 * 3 && strlen(probe) < sizeof probe_memo[i].probe) {
		probe_memo[i].a = a;
		strcpy(probe_memo[i].probe, probe);
		probe_memo[i].answer = answer;
		probe_memo_used++;
	}
	return answer;
}

/* Asks the conditions about every result this probe could give: the article talks about
 * the probe when one of its positive atoms would match one of them. */
static int article_probe_uncached(const struct kb_article *a, const char *probe)
{
	/* Most articles name a few probes: those that name no atom of this one are done
	 * without asking about each of its codes and statuses. */
	int named = 0;
	for (size_t i = 0; i < a->nsections && !named; i++)
		named = cond_selects(a->sections[i].when, probe);
	for (size_t i = 0; i < a->nadvice && !named; i++)
		named = cond_selects(a->advice[i].when, probe);
	if (!named)
		return 0;
	struct result r;
	memset(&r, 0, sizeof r);
	r.probe = (char *)probe;
	for (size_t i = 0; i < codes_count(); i++) {
		const struct code_info *ci = codes_at(i);
		if (strcmp(ci->probe, probe) && strcmp(ci->probe, "*"))
			continue;
		r.code = (char *)ci->code;
		for (int s = 0; s < ST_COUNT; s++) {
			r.status = (enum status)s;
			if (mentions(a, &r))
				return 1;
		}
	}
	return 0;
}

/* The words of verdict_status_word (verdict.h), so a section reads like a finding. */
static const struct { const char *symbol, *label, *state; } tone_words[] = {
	[KB_TONE_INFO] = { "i", "Note", "none" },
	[KB_TONE_GOOD] = { "✓", "Fine", "good" },
	[KB_TONE_CAUTION] = { "!", "Worth a look", "look" },
	[KB_TONE_BAD] = { "✗", "Problem", "problem" },
};

json_t *rv_sections(const struct view_ctx *v, const struct kb_article *a, int with_body)
{
	json_t *out = json_array();
	for (size_t i = 0; i < a->nsections; i++) {
		const struct kb_section *s = &a->sections[i];
		if (!s->when)
			continue;
		size_t n = rv_holds_on(v, s->when);
		if (!n)
			continue;
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", s->id, "title", s->title,
				      "tone", kb_tone_name(s->tone), "tone_symbol", tone_words[s->tone].symbol,
				      "tone_label", tone_words[s->tone].label, "state", tone_words[s->tone].state,
				      "where", rv_machines(v, n));
		/* Unique on a page that shows several articles (the report). */
		char anchor[140];
		snprintf(anchor, sizeof anchor, "%.64s--%.64s", a->id, s->id);
		json_object_set_new(o, "anchor", json_string(anchor));
		json_object_set_new(o, "article_title", json_string(a->title));
		if (with_body)
			json_object_set_new(o, "body", rv_guidance(v, a, s->body));
		json_array_append_new(out, o);
	}
	return out;
}

json_t *rv_advice(const struct view_ctx *v, const struct kb_article *a)
{
	json_t *out = json_array();
	for (size_t i = 0; i < a->nadvice; i++) {
		const struct kb_advice *ad = &a->advice[i];
		size_t n = rv_holds_on(v, ad->when);
		if (n)
			json_array_append_new(out, json_pack("{s:s, s:o, s:o, s:b}", "id", ad->id,
							     "text", rv_guidance_inline(v, a, ad->text),
							     "where", rv_machines(v, n), "always", !ad->when));
	}
	return out;
}

json_t *rv_sources(const struct view_ctx *v, const struct kb_article *a)
{
	(void)v;
	json_t *srcs = json_array();
	for (size_t i = 0; i < a->nsources; i++) {
		char anchor[128];
		snprintf(anchor, sizeof anchor, "source-%.64s-%zu", a->id, i + 1);
		json_array_append_new(srcs, json_pack("{s:s, s:s, s:s, s:s, s:I}", "id", a->sources[i].id,
						       "title", a->sources[i].title, "url", a->sources[i].url,
						       "anchor", anchor, "n", (json_int_t)(i + 1)));
	}
	return srcs;
}

/* Per machine, the worst tone among the article's sections that hold there (-1: none that
 * says good or bad). */
static int machine_tone(const struct view_ctx *v, const struct kb_article *a, size_t m)
{
	int worst = -1;
	for (size_t i = 0; i < a->nsections; i++) {
		const struct kb_section *s = &a->sections[i];
		if (s->when && s->tone != KB_TONE_INFO && (int)s->tone > worst && rv_holds(v, s->when, m))
			worst = (int)s->tone;
	}
	return worst;
}

json_t *rv_article_status(const struct view_ctx *v, const struct kb_article *a)
{
	size_t n[4] = { 0 };
	for (size_t g = 0; g < rv_groups(v); g++) {
		int t = machine_tone(v, a, rv_group_rep(v, g));
		if (t >= 0)
			n[t] += rv_group_size(v, g);
	}
	static const struct { int tone; const char *level, *state, *symbol, *one, *many; } levels[] = {
		{ KB_TONE_BAD, "bad", "problem", "✗", "Problem here", "Problem on" },
		{ KB_TONE_CAUTION, "caution", "look", "!", "Worth a look here", "Worth a look on" },
		{ KB_TONE_GOOD, "good", "good", "✓", "Fine here", "Fine on" },
	};
	for (size_t k = 0; k < sizeof levels / sizeof *levels; k++) {
		size_t c = n[levels[k].tone];
		if (!c)
			continue;
		struct buf b;
		buf_init(&b);
		if (v->nsets > 1) {
			buf_printf(&b, "%s ", levels[k].many);
			rv_machines_text(v, c, &b);
		} else {
			buf_puts(&b, levels[k].one);
		}
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:b}", "level", levels[k].level, "state", levels[k].state,
				      "symbol", levels[k].symbol, "label", buf_cstr(&b), "measured", 1);
		buf_free(&b);
		return o;
	}
	/* Offline, an article that still speaks here (a note such as "we could not tell,
	 * because this machine looks offline") covers checks that ran and could say nothing:
	 * the finding cards' words, "Could not check", not "Not checked" (never ran). */
	size_t offline = 0;
	for (size_t m = 0; m < v->nsets; m++) {
		int notes = 0;
		for (size_t i = 0; i < a->nsections && !notes; i++)
			notes = a->sections[i].when && rv_holds(v, a->sections[i].when, m);
		offline += notes && rv_level(v, m) == VL_OFFLINE;
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:b}", "level", "none", "state", "none", "symbol", "–", "label",
			 !offline || offline < v->nsets ? "Not checked here"
			 : v->nsets == 1 ? "Could not check here" : "Could not check: every machine was offline",
			 "measured", 0);
}
