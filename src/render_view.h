/* render_view.h: builds the data (a JSON "view") that page templates render, from results
 * and guidance. Peer strings stay raw for HTML (the template escapes them) and are
 * Markdown-escaped for Markdown output. */
#ifndef TORREADY_RENDER_VIEW_H
#define TORREADY_RENDER_VIEW_H

#include <jansson.h>

#include "kb.h"
#include "results.h"

enum view_format { VIEW_HTML, VIEW_MD };

struct view_ctx {
	const struct results *rs;     /* merged results of every set */
	size_t nsets;                 /* how many machines' runs were merged */
	const struct kb *kb;
	enum view_format fmt;
	const char *base_url;         /* "" or ends with '/' */
	int show_hosts;
};

json_t *view_report(const struct view_ctx *v);

/* The overall verdict: "ready", "problems", "blocked", "offline". */
const char *view_verdict(const struct results *rs);

#endif
