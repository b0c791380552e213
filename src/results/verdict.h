/* verdict.h: the run's one answer (../shared/spec/verdict.md), computed once from the results
 * by the rules in verdict.c, written into results.json, and read by every page, aggregate and
 * the terminal. Levels, most serious first: intercepted, offline, tor_blocked, problems, ready. */
#ifndef TORREADY_VERDICT_H
#define TORREADY_VERDICT_H

#include <jansson.h>

#include "results.h"

enum verdict_level { VL_INTERCEPTED, VL_OFFLINE, VL_TOR_BLOCKED, VL_PROBLEMS, VL_READY, VL_COUNT };

#define VERDICT_HEADLINE_MAX 400

struct verdict {
	enum verdict_level level;
	char headline[VERDICT_HEADLINE_MAX];
	char inspection_ca[200];   /* "" when unknown or not intercepted */
	/* The results that decided the level, worst first (pointers into the results). */
	const struct result **reasons;
	size_t nreasons;
	/* tor_blocked: a bridge got through (and its kind: "obfs4", "vanilla"...). */
	int bridge_ok, bridges_tried;
	char bridge_kind[24];
};

const char *verdict_level_name(enum verdict_level l);
int verdict_level_parse(const char *s, enum verdict_level *out);   /* 0 or -1 */

/* Applies the rules to one run's results. verdict_free releases reasons. */
void verdict_compute(const struct results *rs, struct verdict *v);
void verdict_free(struct verdict *v);
/* {level, headline, reasons[{probe,target,code}], inspection_ca?} */
json_t *verdict_to_json(const struct verdict *v);

/* The run's verdict as results.json carries it: the one read from the file (results_load
 * keeps a valid one), else computed now. A new reference. */
json_t *results_verdict(const struct results *rs);
/* Its level, the same way. */
enum verdict_level results_verdict_level(const struct results *rs);

/* 1 when r is one of the reasons of this verdict (its JSON: {reasons: [{probe, target, code}]}):
 * what the terminal and pages put first, since the headline rests on it. */
int verdict_is_reason(json_t *verdict, const struct result *r);
/* 1 when the run's verdict is intercepted and every reason is a chain this machine does not
 * trust (a sign-in page or a filter: browsers warn, nothing is read quietly). */
int verdict_untrusted_intercept(const struct results *rs);

/* 1 when this result is a problem a person should act on (a fail, or a warn that is more
 * than a note); what the verdict's `problems` level and the terminal's main points count. */
int verdict_is_problem(const struct results *rs, const struct result *r);
/* 1 when r says nothing on a machine at this level: a network probe's fail or warn on an
 * offline machine did not check anything, and where HTTPS is intercepted a site's own setup
 * (PF_SITE: its certificate, redirect, HSTS...) was answered by the box, not the site
 * (pages say "Could not check", not "Problem" or "Fine"). */
int verdict_result_moot(const struct result *r, enum verdict_level level);
/* Why such a result is moot, for its label: "offline" or "intercepted". */
const char *verdict_moot_reason(enum verdict_level level);

/* Counts of results by the status a reader is shown on a machine at this level: a fail the
 * verdict does not count as a problem (an authority down while Tor has another way in) as a
 * warn; a moot result (verdict_result_moot) as an error (it could not check anything). */
void verdict_shown_counts(const struct results *rs, enum verdict_level level, size_t counts[ST_COUNT]);

/* One vocabulary for a result's status, the same in the terminal, pages and Markdown:
 * "Fine", "Worth a look", "Problem", "Could not check", "Not checked"; and its state word for
 * data-state: good, look, problem, none (error and skip). */
const char *verdict_status_word(enum status s);
const char *verdict_status_state(enum status s);

/* The bridge kind of a tor.bridge or bridged tor.bootstrap result ("obfs4", "vanilla"),
 * a short lower-case word, never an address. */
void verdict_transport(const struct result *r, char out[24]);

#endif
