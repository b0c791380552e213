/* render_lookup.h: lookup pages — one page per result code a reader can meet (probe +
 * code), like a linter's rule pages: what it means, how often it was seen here, what to do
 * (the guidance's own advice for it) and which articles say more — plus their index and
 * the "all handouts" page. Built from the one probe catalog (codes.c). */
#ifndef TORREADY_RENDER_LOOKUP_H
#define TORREADY_RENDER_LOOKUP_H

#include <jansson.h>

#include "buf.h"
#include "codes.h"
#include "view_ctx.h"

/* The file name without extension: "code-tor.dirauth-timeout". */
void rv_lookup_name(const char *probe, const char *code, struct buf *out);
/* Where a finding's lookup page is, or 0 (nothing written) when the page has no site to
 * link into (a local report without --base-url). */
int rv_lookup_href(const struct view_ctx *v, const char *probe, const char *code, struct buf *out);

/* The (probe, code) pairs that get a page: every catalog code of every probe, the codes any
 * probe may end with included. Iterate i from 0 while it returns 1. */
int lookup_pair_at(size_t i, const char **probe, const struct code_info **ci);

json_t *view_lookup(const struct view_ctx *v, const char *probe, const struct code_info *ci);
json_t *view_lookup_index(const struct view_ctx *v);
/* The site index's links to the lookup index and to the printable handouts (when the site
 * has a base URL, so handouts exist): codes_href, has_handouts, handout_links,
 * all_handouts_href. */
void rv_site_links(const struct view_ctx *v, json_t *view);

#endif
