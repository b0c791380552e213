/* render_guidance.h: an article's parts as the results select them (render_guidance.c).
 * Internal to the render_*.c files. */
#ifndef TORREADY_RENDER_GUIDANCE_H
#define TORREADY_RENDER_GUIDANCE_H

#include <jansson.h>

#include "kb.h"
#include "view_ctx.h"

/* 1 when the article's conditions talk about this probe id. */
int rv_article_probe(const struct kb_article *a, const char *probe);
/* Forgets rv_article_probe's remembered answers: called when a kb is loaded (its articles'
 * addresses may be reused by the next one). */
void rv_article_probe_forget(void);
/* The article's status here: {level: bad|caution|good|none, symbol, label, text}. */
json_t *rv_article_status(const struct view_ctx *v, const struct kb_article *a);
/* The article's sections whose condition holds on some machine, each with where. */
json_t *rv_sections(const struct view_ctx *v, const struct kb_article *a, int with_body);
/* Its advice items that hold on some machine. */
json_t *rv_advice(const struct view_ctx *v, const struct kb_article *a);
/* Its sources with anchors and numbers. */
json_t *rv_sources(const struct view_ctx *v, const struct kb_article *a);

#endif
