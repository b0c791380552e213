/* tpl.h: a Mustache template engine (spec v1.x with dynamic names and inheritance, no lambdas). */
#ifndef TORREADY_TPL_H
#define TORREADY_TPL_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "err.h"

/* Returns 0 and fills *out when the partial exists; -1 when it does not (renders as ""). */
typedef int (*tpl_partial_fn)(void *ud, const char *name, struct buf *out);

/* Renders template text with data. name is used in error messages ("report.mustache").
 * Syntax errors (unclosed tag, unclosed/mismatched section, bad delimiters) → -1 with
 * err_at(e, name, line, col, ...); errors in a partial name the partial. Output appended to out.
 * partials may be NULL; names from {{>*x}} come from the data, so the callback must not trust
 * them as paths. Hostile templates are bounded: sections nest at most 256 deep (syntax error),
 * partials beyond 100 deep render as "", and a render that expands over 1e6 partials, 2e7 nodes
 * or 64 MiB of output fails with line 0. */
int tpl_render(const char *name, const char *tmpl, size_t len, json_t *data,
	       tpl_partial_fn partials, void *ud, struct buf *out, struct err *e);

/* HTML-escape helper used by renderers too: & < > " ' → entities. */
void tpl_escape_html(struct buf *out, const char *s, size_t len);

/* A parsed template, reusable across renders and safe to share read-only between threads. */
struct tpl;

/* NULL with err_at(e, name, line, col, ...) on a syntax error. text need not be NUL-terminated
 * and is copied, so it may be freed after the call. */
struct tpl *tpl_compile(const char *name, const char *text, size_t len, struct err *e);
/* Same contract as tpl_render. Partials are fetched and parsed once per call. On failure out
 * may hold partial output. */
int tpl_render_compiled(const struct tpl *t, json_t *data, tpl_partial_fn partials, void *ud,
			struct buf *out, struct err *e);
void tpl_free(struct tpl *t);

/* Partials fetched and parsed once, then kept for every render that uses the cache (a site
 * renders thousands of pages from the same few partials). Not thread-safe. */
struct tpl_cache;
struct tpl_cache *tpl_cache_new(tpl_partial_fn partials, void *ud);
/* tpl_render_compiled with c's partials callback, parsing each partial once per cache. */
int tpl_render_cached(const struct tpl *t, json_t *data, struct tpl_cache *c, struct buf *out,
		      struct err *e);
void tpl_cache_free(struct tpl_cache *c);

#endif
