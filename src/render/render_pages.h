/* render_pages.h: the view models of the department site's pages (render_pages.c). */
#ifndef TORREADY_RENDER_PAGES_H
#define TORREADY_RENDER_PAGES_H

#include <jansson.h>

#include "kb.h"
#include "view_ctx.h"

/* The department site's index: the network's status and every article with its own. */
json_t *view_site_index(const struct view_ctx *v);
/* One article with the sections and advice that hold here. */
json_t *view_article(const struct view_ctx *v, const struct kb_article *a);
/* A printable page for one article: its key points, today's status and a QR code to url. */
json_t *view_handout(const struct view_ctx *v, const struct kb_article *a, const char *url);

/* Every article's handout on one document, one printed page each. base ends with '/'. */
json_t *view_handouts(const struct view_ctx *v, const char *base);

#endif
