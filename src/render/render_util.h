/* render_util.h: pieces every page view uses: untrusted text for HTML or Markdown, guidance
 * Markdown with numbered citations, on how many machines a condition holds, article status,
 * where an article lives, and dates in plain words. Internal to the render_*.c files. */
#ifndef TORREADY_RENDER_UTIL_H
#define TORREADY_RENDER_UTIL_H

#include <jansson.h>

#include "buf.h"
#include "kb.h"
#include "view_ctx.h"
#include "results.h"
#include "verdict.h"

/* Untrusted text: as is for HTML (templates escape it), Markdown-escaped for Markdown. */
json_t *rv_text(const struct view_ctx *v, const char *s);
/* Our guidance Markdown (with [^id] citations) as HTML, or as Markdown. md is the kb's own
 * text, alive for the whole run: with a memo, its address is the key of the converted text
 * (this and rv_plain). */
json_t *rv_guidance(const struct view_ctx *v, const struct kb_article *a, const char *md);
/* The same for one paragraph, without its <p> wrapper (HTML) or line breaks (Markdown). */
json_t *rv_guidance_inline(const struct view_ctx *v, const struct kb_article *a, const char *md);
/* Plain text of guidance Markdown for one-line uses (no markup, citations dropped). */
json_t *rv_plain(const struct view_ctx *v, const char *md);

/* Whether c holds on machine m (NULL holds everywhere); never, on an offline machine, for a
 * condition about a probe that needs a network. */
int rv_holds(const struct view_ctx *v, const struct cond *c, size_t m);
/* On how many machines c holds (NULL holds everywhere), as rv_holds says. */
size_t rv_holds_on(const struct view_ctx *v, const struct cond *c);
/* Machine m's verdict level (remembered per run). */
enum verdict_level rv_level(const struct view_ctx *v, size_t m);
/* Machines whose results read alike to every condition, in groups (one machine a group
 * without a memo): how many groups, a machine of group g, and how many it holds. */
size_t rv_groups(const struct view_ctx *v);
size_t rv_group_rep(const struct view_ctx *v, size_t g);
size_t rv_group_size(const struct view_ctx *v, size_t g);
/* "31 of 40 machines", "all 40 machines", "this machine"... as an object
 * {n, of, text, all, none, some}. */
json_t *rv_machines(const struct view_ctx *v, size_t n);
void rv_machines_text(const struct view_ctx *v, size_t n, struct buf *out);

/* "27 November 2026, 10:00 UTC" from RFC 3339; the input itself when it does not parse. */
void rv_plain_date(const char *rfc3339, struct buf *out);
/* The site's navigation: every article's id, title and href (empty unless v->nav, and
 * when the kb has more than RV_NAV_LIST_MAX articles: pages then link to the index only). */
#define RV_NAV_LIST_MAX 50
json_t *rv_nav(const struct view_ctx *v);
/* Keys every page has: lang, version, page, title, nav. */
void rv_page_common(const struct view_ctx *v, json_t *view, const char *title);
/* When and where the checks ran: {machines, first, last, host_os, ...}. */
json_t *rv_checked(const struct view_ctx *v);
/* Per-verdict machine counts and the headline banner for the whole set. */
json_t *rv_banner(const struct view_ctx *v);

/* Where the article lives: base_url + id.html, id.html (site), or #article-id. */
void rv_article_href(const struct view_ctx *v, const struct kb_article *a, struct buf *out);

/* 1 when a public page must not show this count of machines (under the site's min_group). */
int rv_count_hidden(const struct view_ctx *v, size_t n);
/* The publishing department (site.md) for templates: department, contact, contact_url,
 * policy_url, logo (a data: URI, HTML only) and `named` when any is set. */
json_t *rv_site(const struct view_ctx *v);

#endif
