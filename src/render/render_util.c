/* render_util.c: text for HTML or Markdown, guidance Markdown with citations, machine counts,
 * plain dates, and the verdict banner shared by every page. */
#include "render_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dated_text.h"
#include "markdown.h"
#include "render_memo.h"
#include "safetext.h"
#include "verdict.h"


json_t *rv_text(const struct view_ctx *v, const char *s)
{
	/* Bounded and valid UTF-8 first, then escaped whole: a cut never splits an escape.
	 * C0 controls and bidi overrides (U+202E turns "exe.txt" around) show as visible
	 * \u202e text on every page, HTML and Markdown alike: this is the one place. */
	json_t *j = results_str_safe(s ? s : "", s ? strlen(s) : 0);
	struct buf vis;
	buf_init(&vis);
	text_put_safe(&vis, json_string_value(j), json_string_length(j), TEXT_KEEP_NL);
	json_decref(j);
	if (v->fmt == VIEW_HTML) {
		j = json_stringn(buf_cstr(&vis), vis.len);
		buf_free(&vis);
		return j ? j : json_string("?");
	}
	struct buf b;
	buf_init(&b);
	markdown_escape(&b, buf_cstr(&vis));
	buf_free(&vis);
	j = json_stringn(buf_cstr(&b), b.len);
	buf_free(&b);
	return j ? j : json_string("?");
}

/* Our own text (guidance, templates' data): not bounded like a peer's string. */
static json_t *own_string(const char *s, size_t len)
{
	json_t *j = json_stringn(s, len);
	return j ? j : results_str_safe(s, len);
}

/* Citations [^id] become a numbered link to the article's source list: one list per
 * article reads better on a page that shows only some of its sections. */
static void resolve_citations(const struct kb_article *a, const char *md, int keep, int link,
			      struct buf *out)
{
	size_t pos = 0, from = 0, start, len;
	while (kb_next_cite(md, &pos, &start, &len)) {
		size_t k = 0;
		while (a && k < a->nsources && (strlen(a->sources[k].id) != len ||
						strncmp(a->sources[k].id, md + start, len)))
			k++;
		buf_append(out, md + from, start - 2 - from);
		/* Markdown has no anchors of ours: there the number links to the source itself. */
		if (keep && a && k < a->nsources && link)
			buf_printf(out, "[\\[%zu\\]](#source-%s-%zu)", k + 1, a->id, k + 1);
		else if (keep && a && k < a->nsources)
			buf_printf(out, "[\\[%zu\\]](%s)", k + 1, a->sources[k].url);
		from = pos;
	}
	buf_puts(out, md + from);
}

/* Dated facts say what holds on the day of rendering: expanded before anything else. */
static void expand_dated(const struct view_ctx *v, const char *md, struct buf *out)
{
	dated_text_expand(v->dated, v->today ? v->today : dated_today(), md ? md : "", out);
}

static json_t *guidance_uncached(const struct view_ctx *v, const struct kb_article *a, const char *md);

/* The same guidance text shows on many pages (advice beside each finding, on every article
 * page): converted once a run per format. The kb stays loaded, so its addresses are keys. */
json_t *rv_guidance(const struct view_ctx *v, const struct kb_article *a, const char *md)
{
	if (!v->memo)
		return guidance_uncached(v, a, md);
	char key[80];
	snprintf(key, sizeof key, "md:%d:%p:%p", (int)v->fmt, (const void *)a, (const void *)md);
	json_t *j = rv_memo_get(v->memo, key);
	return json_incref(j ? j : rv_memo_put(v->memo, key, guidance_uncached(v, a, md)));
}

static json_t *guidance_uncached(const struct view_ctx *v, const struct kb_article *a, const char *md)
{
	struct buf cited, b, dt;
	buf_init(&cited);
	buf_init(&b);
	buf_init(&dt);
	expand_dated(v, md, &dt);
	resolve_citations(a, buf_cstr(&dt), 1, v->fmt == VIEW_HTML, &cited);
	buf_free(&dt);
	if (v->fmt == VIEW_MD)
		buf_puts(&b, buf_cstr(&cited));
	else
		markdown_to_html(buf_cstr(&cited), cited.len, &b);
	json_t *j = own_string(buf_cstr(&b), b.len);
	buf_free(&cited);
	buf_free(&b);
	return j;
}

json_t *rv_guidance_inline(const struct view_ctx *v, const struct kb_article *a, const char *md)
{
	json_t *j = rv_guidance(v, a, md);
	const char *s = json_string_value(j);
	size_t len = strlen(s);
	/* One paragraph: drop its <p> so a template can add words after it on the same line. */
	if (v->fmt == VIEW_HTML && !strncmp(s, "<p>", 3) && len >= 8 && !strcmp(s + len - 5, "</p>\n") &&
	    !strstr(s + 3, "<p>")) {
		json_t *k = own_string(s + 3, len - 8);
		json_decref(j);
		return k;
	}
	if (v->fmt == VIEW_MD) {
		/* A list item holds one line: fold the paragraph's line breaks. */
		char *t = xstrdup(s);
		for (char *q = t; *q; q++)
			if (*q == '\n')
				*q = ' ';
		size_t n = strlen(t);
		while (n && t[n - 1] == ' ')
			t[--n] = '\0';
		json_t *k = own_string(t, n);
		free(t);
		json_decref(j);
		return k;
	}
	return j;
}

static json_t *plain_uncached(const struct view_ctx *v, const char *md);

/* As rv_guidance: the same advice and summaries show on many pages, made once a run. */
json_t *rv_plain(const struct view_ctx *v, const char *md)
{
	if (!v->memo || !md)
		return plain_uncached(v, md);
	char key[80];
	snprintf(key, sizeof key, "plain:%d:%p", (int)v->fmt, (const void *)md);
	json_t *j = rv_memo_get(v->memo, key);
	return json_incref(j ? j : rv_memo_put(v->memo, key, plain_uncached(v, md)));
}

static json_t *plain_uncached(const struct view_ctx *v, const char *md)
{
	struct buf cited, dt;
	buf_init(&cited);
	buf_init(&dt);
	expand_dated(v, md, &dt);
	resolve_citations(NULL, buf_cstr(&dt), 0, 0, &cited);
	buf_free(&dt);
	/* One line: fold newlines; the text is ours, so Markdown stays Markdown in .md pages. */
	for (char *p = cited.data; p && *p; p++)
		if (*p == '\n')
			*p = ' ';
	size_t n = cited.len;
	while (n && cited.data[n - 1] == ' ')
		cited.data[--n] = '\0';
	json_t *j = v->fmt == VIEW_MD ? own_string(buf_cstr(&cited), n) : NULL;
	if (!j) {
		struct buf html;
		buf_init(&html);
		markdown_to_html(buf_cstr(&cited), n, &html);
		/* Drop the paragraph wrapper: the template puts the text where it wants. */
		const char *s = buf_cstr(&html);
		size_t len = html.len;
		if (!strncmp(s, "<p>", 3) && len >= 8 && !strcmp(s + len - 5, "</p>\n")) {
			s += 3;
			len -= 8;
		}
		j = own_string(s, len);
		buf_free(&html);
	}
	buf_free(&cited);
	return j;
}

enum verdict_level rv_level(const struct view_ctx *v, size_t m)
{
	return v->memo ? rv_memo_level(v->memo, m) : results_verdict_level(v->sets[m]);
}

static int holds_uncached(const struct view_ctx *v, const struct cond *c, size_t m)
{
	return cond_holds(c, v->sets[m], rv_level(v, m));
}

int rv_holds(const struct view_ctx *v, const struct cond *c, size_t m)
{
	if (!c)
		return 1;
	if (!v->memo)
		return holds_uncached(v, c, m);
	/* Machines of one group answer alike: ask the condition once per group. */
	size_t g = rv_memo_group_of(v->memo, m);
	int a = rv_memo_cond_get(v->memo, c, g);
	if (a < 0) {
		a = holds_uncached(v, c, rv_memo_group_rep(v->memo, g));
		rv_memo_cond_put(v->memo, c, g, a);
	}
	return a;
}

size_t rv_holds_on(const struct view_ctx *v, const struct cond *c)
{
	size_t n = 0;
	for (size_t g = 0; g < rv_groups(v); g++)
		if (rv_holds(v, c, rv_group_rep(v, g)))
			n += rv_group_size(v, g);
	return n;
}

size_t rv_groups(const struct view_ctx *v)
{
	return v->memo ? rv_memo_groups(v->memo) : v->nsets;
}

size_t rv_group_rep(const struct view_ctx *v, size_t g)
{
	return v->memo ? rv_memo_group_rep(v->memo, g) : g;
}

size_t rv_group_size(const struct view_ctx *v, size_t g)
{
	return v->memo ? rv_memo_group_size(v->memo, g) : 1;
}

int rv_count_hidden(const struct view_ctx *v, size_t n)
{
	return v->min_group > 1 && n > 0 && n < (size_t)v->min_group;
}

/* A count on a public page: the number, or "fewer than K" under the site's min_group, so a
 * small group of machines (one person's laptop) cannot be picked out. */
static void count_words(const struct view_ctx *v, size_t n, struct buf *out)
{
	if (rv_count_hidden(v, n))
		buf_printf(out, "fewer than %ld", v->min_group);
	else
		buf_printf(out, "%zu", n);
}

void rv_machines_text(const struct view_ctx *v, size_t n, struct buf *out)
{
	if (v->min_group > 1 && (rv_count_hidden(v, n) || rv_count_hidden(v, v->nsets))) {
		if (!n) {
			buf_puts(out, "no machine");
		} else if (n == v->nsets) {
			buf_puts(out, "all of ");
			count_words(v, n, out);
			buf_puts(out, " machines");
		} else {
			count_words(v, n, out);
			buf_puts(out, " of ");
			count_words(v, v->nsets, out);
			buf_puts(out, " machines");
		}
		return;
	}
	if (v->nsets <= 1)
		buf_puts(out, n ? "this machine" : "no machine");
	else if (n == v->nsets)
		buf_printf(out, "all %zu machines", n);
	else
		buf_printf(out, "%zu of %zu machines", n, v->nsets);
}

json_t *rv_machines(const struct view_ctx *v, size_t n)
{
	struct buf b;
	buf_init(&b);
	rv_machines_text(v, n, &b);
	json_t *o = json_pack("{s:I, s:I, s:s, s:b, s:b, s:b, s:b}", "n", (json_int_t)n, "of",
			      (json_int_t)v->nsets, "text", buf_cstr(&b), "all", n == v->nsets,
			      "none", n == 0, "some", n > 0 && n < v->nsets, "aggregate", v->nsets > 1);
	buf_free(&b);
	return o;
}

void rv_plain_date(const char *s, struct buf *out)
{
	static const char *const months[] = { "January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December" };
	int y, mo, d, h = 0, mi = 0, used = 0;
	int n = s ? sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &used) : 0;
	if (n == 3 && strlen(s) == 10 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31) {
		buf_printf(out, "%d %s %d", d, months[mo - 1], y);   /* a date alone */
		return;
	}
	if (n != 5 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) {
		buf_puts(out, s && *s ? s : "an unknown time");
		return;
	}
	const char *zone = s + used;
	if (*zone == ':')
		zone += 3;   /* seconds */
	while (*zone == '.' || (*zone >= '0' && *zone <= '9'))
		zone++;
	buf_printf(out, "%d %s %d, %02d:%02d", d, months[mo - 1], y, h, mi);
	if (!strcmp(zone, "Z") || !*zone)
		buf_puts(out, " UTC");
	else
		buf_printf(out, " (UTC%.6s)", zone);
}

void rv_page_common(const struct view_ctx *v, json_t *view, const char *title)
{
	json_object_set_new(view, "lang", json_string("en"));
	json_object_set_new(view, "version", json_string(TORREADY_VERSION));
	json_object_set_new(view, "page", json_string(v->page ? v->page : "report"));
	json_object_set_new(view, "title", json_string(title));
	json_object_set_new(view, "aggregate", json_boolean(v->nsets > 1));
	json_object_set_new(view, "machines", json_integer((json_int_t)v->nsets));
	json_t *nav = rv_nav(v);
	/* "All topics" (the index) on every page of a site; the list itself only when short. */
	json_object_set_new(view, "has_nav", json_boolean(v->nav && v->kb && v->kb->n > 0));
	json_object_set_new(view, "has_nav_list", json_boolean(json_array_size(nav) > 0));
	json_object_set_new(view, "nav", nav);
	json_object_set_new(view, "index_href", json_string(v->fmt == VIEW_MD ? "index.md" : "index.html"));
	json_object_set_new(view, "site", rv_site(v));
}

/* The site's list of articles: the same on every page of a format, so built once a run. */
json_t *rv_nav(const struct view_ctx *v)
{
	char key[32];
	snprintf(key, sizeof key, "nav:%d", (int)v->fmt);
	json_t *nav = v->memo ? rv_memo_get(v->memo, key) : NULL;
	if (nav)
		return json_incref(nav);
	nav = json_array();
	/* A long list on every page made a site quadratic (1,000 articles: 94 KB of each 109 KB
	 * page, 117 MB in all) and is no help to a reader: past RV_NAV_LIST_MAX the index,
	 * linked from every page, is the list. */
	for (size_t i = 0; v->nav && v->kb && v->kb->n <= RV_NAV_LIST_MAX && i < v->kb->n; i++) {
		const struct kb_article *a = &v->kb->articles[i];
		struct buf href;
		buf_init(&href);
		rv_article_href(v, a, &href);
		json_array_append_new(nav, json_pack("{s:s, s:s, s:s}", "id", a->id, "title", a->title,
						     "href", buf_cstr(&href)));
		buf_free(&href);
	}
	return v->memo ? json_incref(rv_memo_put(v->memo, key, nav)) : nav;
}

json_t *rv_site(const struct view_ctx *v)
{
	const struct site_file *s = v->site;
	json_t *o = json_object();
	if (!s)
		return o;
	/* Our own department's words, but still text: escaped for Markdown like a peer's. */
	if (s->department)
		json_object_set_new(o, "department", rv_text(v, s->department));
	if (s->contact)
		json_object_set_new(o, "contact", rv_text(v, s->contact));
	if (s->contact_url)
		json_object_set_new(o, "contact_url", json_string(s->contact_url));
	if (s->policy_url)
		json_object_set_new(o, "policy_url", json_string(s->policy_url));
	if (s->logo_uri && v->fmt == VIEW_HTML)
		json_object_set_new(o, "logo", json_string(s->logo_uri));
	json_object_set_new(o, "named", json_boolean(s->department || s->contact || s->contact_url ||
						      s->policy_url || (s->logo_uri && v->fmt == VIEW_HTML)));
	return o;
}

json_t *rv_checked(const struct view_ctx *v)
{
	const char *first = NULL, *last = NULL;
	for (size_t m = 0; m < v->nsets; m++) {
		const char *s = v->sets[m]->started, *f = v->sets[m]->finished;
		if (s && *s && (!first || strcmp(s, first) < 0))
			first = s;
		if (f && *f && (!last || strcmp(f, last) > 0))
			last = f;
	}
	struct buf a, b;
	buf_init(&a);
	buf_init(&b);
	rv_plain_date(first, &a);
	rv_plain_date(last ? last : first, &b);
	const struct results *rs = v->rs;
	json_t *os = json_object_get(rs->host, "os");
	char dur[32];
	snprintf(dur, sizeof dur, "%.1f", rs->duration_ms / 1000.0);
	json_t *o = json_object();
	json_object_set_new(o, "started", rv_text(v, buf_cstr(&a)));
	json_object_set_new(o, "last", rv_text(v, buf_cstr(&b)));
	json_object_set_new(o, "started_raw", rv_text(v, first ? first : ""));
	json_object_set_new(o, "single", json_boolean(v->nsets <= 1));
	json_object_set_new(o, "machines", rv_machines(v, v->nsets));
	/* One machine's own report may say what it runs; aggregate pages name no machine. */
	json_object_set_new(o, "host_os", rv_text(v, json_is_string(os) && v->nsets <= 1 ? json_string_value(os) : ""));
	json_object_set_new(o, "duration_s", json_string(dur));
	json_object_set_new(o, "deadline_s", json_integer(rs->deadline_ms / 1000));
	buf_free(&a);
	buf_free(&b);
	return o;
}

/* Per verdict level (verdict.h order): how a banner shows it, and for one machine what to
 * read next; the headline itself comes from the verdict. */
static const struct banner {
	const char *symbol, *label, *counted, *text;
} banners[VL_COUNT] = {
	[VL_INTERCEPTED] = { "⚠", "HTTPS intercepted", "with HTTPS intercepted",
	  "Something between this machine and the sites it visits (or on this machine itself) opens "
	  "HTTPS connections, reads them, and signs them again with its own certificate. Passwords, "
	  "mail and pages sent over HTTPS here can be read by whoever runs it. What to do is below." },
	[VL_OFFLINE] = { "?", "Offline", "offline",
	  "We could not reach any well-known website, so none of the other checks says anything "
	  "about Tor or HTTPS here. Connect to a network and run the check again." },
	[VL_TOR_BLOCKED] = { "✗", "Tor blocked", "with Tor blocked",
	  "This machine is online, but Tor's usual way in does not work from here. Bridges are "
	  "the way around a block: below is which kinds we tried and what happened." },
	[VL_PROBLEMS] = { "!", "Problems found", "with problems",
	  "The checks below found things to fix, worst first. Each says what we saw, what it means "
	  "and what to do." },
	[VL_READY] = { "✓", "Ready", "ready",
	  "Every check that could run here gave the answer it should. Anything that could not be "
	  "checked here is listed below." },
};

static const char untrusted_text[] =
	"Something between this machine and the sites it visits answers HTTPS with its own "
	"certificate, and this machine does not trust that certificate, so browsers show a warning. "
	"As long as you do not click through the warning, it cannot read what you send. What to do is below.";

json_t *rv_banner(const struct view_ctx *v)
{
	size_t n[VL_COUNT] = { 0 }, parts = 0;
	enum verdict_level worst = VL_READY;
	for (size_t m = 0; m < v->nsets; m++) {
		enum verdict_level l = rv_level(v, m);
		n[l]++;
		worst = l < worst ? l : worst;
	}
	const struct banner *b = &banners[worst];
	json_t *o = json_pack("{s:s, s:s, s:s}", "level", verdict_level_name(worst), "symbol", b->symbol,
			      "label", b->label);
	json_t *verdicts = json_array();
	struct buf head;
	buf_init(&head);
	if (v->nsets > 1) {
		count_words(v, v->nsets, &head);
		buf_puts(&head, " machines checked:");
	}
	for (int k = 0; k < VL_COUNT; k++) {
		if (!n[k])
			continue;
		struct buf mt;
		buf_init(&mt);
		rv_machines_text(v, n[k], &mt);
		json_array_append_new(verdicts, json_pack("{s:s, s:s, s:s, s:I, s:s}", "level",
							  verdict_level_name((enum verdict_level)k), "symbol", banners[k].symbol,
							  "label", banners[k].label, "n", (json_int_t)n[k],
							  "machines", buf_cstr(&mt)));
		if (v->nsets > 1) {
			buf_puts(&head, parts++ ? ", " : " ");
			count_words(v, n[k], &head);
			buf_printf(&head, " %s", banners[k].counted);
		}
		buf_free(&mt);
	}
	/* Machines per level, every level present (0 included): for scripts and aggregates;
	 * null where the site's min_group hides a small count. */
	json_t *counts = json_object();
	for (int k = 0; k < VL_COUNT; k++)
		json_object_set_new(counts, verdict_level_name((enum verdict_level)k),
				    rv_count_hidden(v, n[k]) ? json_null() : json_integer((json_int_t)n[k]));
	json_object_set_new(o, "counts", counts);
	if (v->nsets > 1) {
		json_object_set_new(o, "headline", json_string(buf_cstr(&head)));
		json_object_set_new(o, "text", json_string("Each machine ran the same checks on its own "
			"network. The counts below add up what they saw; no machine or address is named."));
	} else if (v->nsets) {
		json_t *vd = results_verdict(v->sets[0]);
		json_object_set_new(o, "headline", rv_text(v, json_string_value(json_object_get(vd, "headline"))));
		json_decref(vd);
		/* A certificate this machine does not trust (a sign-in page, a filter): browsers
		 * warn, so "can be read by whoever runs it" would contradict the headline. */
		json_object_set_new(o, "text", json_string(worst == VL_INTERCEPTED && verdict_untrusted_intercept(v->sets[0])
							   ? untrusted_text : b->text));
	}
	json_object_set_new(o, "verdicts", verdicts);
	json_object_set_new(o, "aggregate", json_boolean(v->nsets > 1));
	/* data-machines="N": machines counted once each (site.md), for scripts and tests. */
	if (rv_count_hidden(v, v->nsets))
		json_object_set_new(o, "machines", json_string(""));
	else
		json_object_set_new(o, "machines", json_integer((json_int_t)v->nsets));
	buf_free(&head);
	return o;
}

void rv_article_href(const struct view_ctx *v, const struct kb_article *a, struct buf *out)
{
	if (v->base_url && *v->base_url && v->fmt == VIEW_MD) {
		markdown_link_dest(out, v->base_url);   /* the user's URL may hold ( ) [ ] */
		markdown_link_dest(out, a->id);
		buf_puts(out, ".html");
	} else if (v->base_url && *v->base_url)
		buf_printf(out, "%s%s.html", v->base_url, a->id);
	else if (v->page && !strcmp(v->page, "report") && v->fmt == VIEW_MD)
		;   /* a Markdown report has no anchors of ours: name the article, link nothing */
	else if (v->page && !strcmp(v->page, "report"))
		buf_printf(out, "#article-%s", a->id);
	else
		buf_printf(out, "%s.%s", a->id, v->fmt == VIEW_MD ? "md" : "html");
}
