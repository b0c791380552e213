/* render_view.h: builds the data (a JSON "view") that page templates render, from results
 * (one machine's run, or many) and guidance. Peer strings stay raw for HTML (the template
 * escapes them) and are Markdown-escaped (or put in code spans) for Markdown output. */
#ifndef TORREADY_RENDER_VIEW_H
#define TORREADY_RENDER_VIEW_H

#include <jansson.h>

#include "view_ctx.h"

/* The self-assessment report. */
json_t *view_report(const struct view_ctx *v);
#endif
