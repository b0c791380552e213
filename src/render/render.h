/* render.h: results (one run, or many machines' runs) + kb guidance + Mustache templates →
 * pages: self-contained HTML, Markdown, an HTML fragment. Rendering never probes. */
#ifndef TORREADY_RENDER_H
#define TORREADY_RENDER_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"
#include "results.h"
#include "site.h"

struct render_opts {
	const char *out_dir;
	const char *page;           /* report (default), site, handout, article */
	const char *topic;          /* article id, for handout / article */
	const char *formats;        /* "html,md,fragment"; default "html,md" */
	const char *kb_dir;         /* default: datadir/kb */
	const char *templates_dir;  /* default: datadir/templates */
	const char *base_url;       /* for handout QR codes and links */
	int show_hosts;             /* aggregate pages name machines/addresses only when set */
	const struct site_file *site;    /* --site: who publishes (NULL: nobody named) */
	json_t *service;            /* serve's own figures for the site index (NULL: none) */
};

int render_run(const struct results *const *sets, size_t nsets, const struct render_opts *o,
	       struct err *e);

#endif
