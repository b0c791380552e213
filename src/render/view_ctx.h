/* view_ctx.h: what every page view is built from (results, guidance, format, site) and
 * what it may show; a plain struct, so render_view.h and the render_*.c helpers share it
 * without including each other. */
#ifndef TORREADY_VIEW_CTX_H
#define TORREADY_VIEW_CTX_H

#include <time.h>

#include <jansson.h>

#include "dated.h"
#include "kb.h"
#include "results.h"
#include "site.h"

enum view_format { VIEW_HTML, VIEW_MD };

struct rv_memo;

struct view_ctx {
	const struct results *rs;            /* merged results of every set */
	const struct results *const *sets;   /* each machine's run */
	size_t nsets;                        /* how many machines' runs were merged */
	const struct kb *kb;
	enum view_format fmt;
	const char *base_url;   /* "" or an http(s) URL ending with '/' */
	const char *page;       /* report, site, article, handout */
	int show_hosts;         /* targets, evidence, summaries and addresses may be shown */
	int nav;                /* pages of a site: links to the index and the other articles */
	const struct dated *dated;   /* kb/dated.yaml, for {dated:...} in guidance (or NULL) */
	time_t today;                /* the day the page says what holds on */
	const struct site_file *site;     /* the department publishing (or NULL) */
	long min_group;              /* public pages hide machine counts below this (0: none) */
	json_t *service;             /* `serve`'s self-check counts for the index (or NULL) */
	struct rv_memo *memo;        /* the run's once-only work (render_memo.h), or NULL */
};

#endif
