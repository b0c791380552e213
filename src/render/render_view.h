/* render_view.h: builds the data (a JSON "view") that page templates render, from results
 * (one machine's run, or many) and guidance. Peer strings stay raw for HTML (the template
 * escapes them) and are Markdown-escaped (or put in code spans) for Markdown output. */
#ifndef TORREADY_RENDER_VIEW_H
#define TORREADY_RENDER_VIEW_H

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

/* The self-assessment report. */
json_t *view_report(const struct view_ctx *v);
/* The department site's index: the network's status and every article with its own. */
json_t *view_site_index(const struct view_ctx *v);
/* One article with the sections and advice that hold here. */
json_t *view_article(const struct view_ctx *v, const struct kb_article *a);
/* A printable page for one article: its key points, today's status and a QR code to url. */
json_t *view_handout(const struct view_ctx *v, const struct kb_article *a, const char *url);

#endif
