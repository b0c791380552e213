/* render_findings.h: findings for pages, one by one or grouped (render_findings.c).
 * Internal to the render_*.c files. */
#ifndef TORREADY_RENDER_FINDINGS_H
#define TORREADY_RENDER_FINDINGS_H

#include <jansson.h>

#include "results.h"
#include "view_ctx.h"

/* Findings: every result (show_hosts) or results grouped by probe, status, code and bridge
 * kind with machine counts (no targets, summaries or evidence). keep(r) picks results, and
 * must answer alike for all results of a group (it may look at their probe, status, code
 * and bridge kind only): a group's piece is made once a run and shown on every page. */
typedef int (*rv_pick_fn)(const struct view_ctx *v, const struct result *r, void *arg);
json_t *rv_findings(const struct view_ctx *v, rv_pick_fn keep, void *arg);
/* "Tor bridges", "Certificates"... for a probe id (the id itself when unknown). */
const char *rv_probe_label(const char *probe);
/* The bridge kind of a tor.bridge result ("obfs4", "vanilla"), never an address. */
void rv_transport(const struct result *r, char out[24]);

#endif
