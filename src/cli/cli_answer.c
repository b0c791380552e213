/* cli_answer.c: what `check` prints — the verdict's headline first, then at most a handful
 * of main points with results of one cause folded into one line (offline, 25 unreachable
 * authority addresses are one line), then where the report is. `--verbose` adds every
 * result that is not a pass, one line each. Words as on the pages (verdict.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "codes.h"
#include "safetext.h"
#include "verdict.h"

#define MAIN_POINTS 5

struct point {
	const struct result *rep;   /* the first result of this cause */
	size_t n;                   /* results folded into it */
	int rank;                   /* 0 = shown first */
	int problem;                /* verdict_is_problem: a fail that is not reads as worth a look */
	char kind[24];              /* tor.bridge / bootstrap: the bridge kind */
};

static const char *colour_of(const char *state)
{
	return !strcmp(state, "problem") ? "\033[31m" : !strcmp(state, "look") ? "\033[33m"
	       : !strcmp(state, "good") ? "\033[32m" : "\033[2m";
}

/* How much a reader needs this line: the verdict's reasons, other problems, fails and warns
 * that are not problems, then what could not be checked. Passes and skips are not main points. */
static int rank_of(const struct results *rs, json_t *verdict, const struct result *r,
		   enum verdict_level level)
{
	const struct probe_info *p = codes_probe(r->probe);
	if (level == VL_OFFLINE && !(p && (p->flags & PF_LOCAL)))
		return -1;   /* folded into the one "needs a network" line */
	if (level == VL_INTERCEPTED && verdict_result_moot(r, level))
		return -1;   /* folded into the one "answered by the box" line */
	if (r->status == ST_PASS || r->status == ST_SKIP)
		return -1;
	/* The headline rests on these: a captive portal's certificate must not come after
	 * five Tor lines cut off by "... and 5 more". */
	if (verdict_is_reason(verdict, r))
		return 0;
	if (r->status == ST_FAIL)
		return verdict_is_problem(rs, r) ? 1 : 3;
	if (r->status == ST_WARN)
		return verdict_is_problem(rs, r) ? 2 : 3;
	return 4;
}

static size_t fold(const struct results *rs, json_t *verdict, enum verdict_level level, struct point **out,
		   size_t *moot)
{
	struct point *ps = NULL;
	size_t n = 0;
	*moot = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = rs->items[i];
		int rank = rank_of(rs, verdict, r, level);
		if (rank < 0) {
			*moot += level == VL_OFFLINE ? r->status != ST_PASS && r->status != ST_SKIP
						     : verdict_result_moot(r, level);
			continue;
		}
		char kind[24] = "";
		if (!strcmp(r->probe, "tor.bridge") || !strcmp(r->probe, "tor.bootstrap"))
			verdict_transport(r, kind);
		size_t k = 0;
		while (k < n && !(ps[k].rep->status == r->status && !strcmp(ps[k].rep->probe, r->probe) &&
				  !strcmp(ps[k].rep->code, r->code) && !strcmp(ps[k].kind, kind)))
			k++;
		if (k == n) {
			ps = xrealloc(ps, (n + 1) * sizeof *ps);
			ps[n] = (struct point){ .rep = r, .rank = rank, .problem = verdict_is_problem(rs, r) };
			memcpy(ps[n].kind, kind, sizeof kind);
			n++;
		}
		ps[k].n++;
		if (rank < ps[k].rank)
			ps[k].rank = rank;   /* a cause ranks as its most needed result */
	}
	*out = ps;
	return n;
}

static void print_point(const struct point *p, int col)
{
	const struct result *r = p->rep;
	const struct code_info *c = codes_find(r->probe, r->code);
	const char *title = codes_probe_title(r->probe);
	/* A fail the verdict does not count reads as worth a look, as on the pages. */
	enum status shown = r->status == ST_FAIL && !p->problem ? ST_WARN : r->status;
	const char *state = verdict_status_state(shown);
	struct buf line;
	buf_init(&line);
	buf_printf(&line, "%s", title ? title : "A check torready does not know");
	if (p->kind[0])   /* "direct" too: beside a bridge that got through, say which attempt is meant */
		buf_printf(&line, " (%s)", p->kind);
	buf_printf(&line, " — %s", c ? c->label : "an unknown result");
	if (p->n > 1)
		buf_printf(&line, " (%zu results)", p->n);
	printf("  %s%s%s: %s\n", col ? colour_of(state) : "", verdict_status_word(shown), col ? "\033[0m" : "",
	       text_term(0, buf_cstr(&line)));
	buf_free(&line);
}

/* Every result that is not a pass, one line each: what `check` printed before the verdict. */
static void print_every(const struct results *rs, int col)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = rs->items[i];
		if (r->status == ST_PASS)
			continue;
		/* Every field may come from a peer or a targets file: text_term keeps ESC, BEL, CR
		 * and their like from acting on the terminal (a fake "all passed" line). */
		printf("%s%-5s%s %s %s%s%s%s: %s (%s)\n", col ? colour_of(verdict_status_state(r->status)) : "",
		       status_name(r->status), col ? "\033[0m" : "", text_term(0, r->probe), text_term(1, r->name),
		       r->name[0] ? " (" : "", text_term(2, r->target), r->name[0] ? ")" : "",
		       text_term(3, r->summary), text_term(4, r->code));
	}
	size_t n[ST_COUNT];
	results_count(rs, n);
	printf("%zu pass, %zu warn, %zu fail, %zu error, %zu skip%s\n", n[ST_PASS], n[ST_WARN], n[ST_FAIL],
	       n[ST_ERROR], n[ST_SKIP], rs->interrupted ? " (interrupted)" : "");
}

void cli_print_answer(const struct results *rs, const char *out_dir, int verbose, int col)
{
	json_t *v = results_verdict(rs);
	enum verdict_level level = VL_READY;
	verdict_level_parse(json_string_value(json_object_get(v, "level")), &level);
	/* The headline may name a CA from a peer's certificate. */
	printf("%s%s%s\n", col ? "\033[1m" : "", text_term(0, json_string_value(json_object_get(v, "headline"))),
	       col ? "\033[0m" : "");
	struct point *ps;
	size_t moot, n = fold(rs, v, level, &ps, &moot), shown = 0;
	json_decref(v);
	for (int rank = 0; rank <= 4; rank++)
		for (size_t k = 0; k < n; k++)
			if (ps[k].rank == rank && shown++ < MAIN_POINTS)
				print_point(&ps[k], col);
	if (moot && level == VL_INTERCEPTED)
		printf("  %sCould not check%s: %zu site check%s answered by the box, not the site\n",
		       col ? colour_of("none") : "", col ? "\033[0m" : "", moot, moot == 1 ? " was" : "s were");
	else if (moot)
		printf("  %sCould not check%s: %zu other check%s need%s a network\n", col ? colour_of("none") : "",
		       col ? "\033[0m" : "", moot, moot == 1 ? "" : "s", moot == 1 ? "s" : "");
	if (shown > MAIN_POINTS)
		printf("  ... and %zu more (--verbose lists every result)\n", shown - MAIN_POINTS);
	if (rs->interrupted)
		printf("  The run was stopped before every check finished.\n");
	free(ps);
	if (verbose) {
		putchar('\n');
		print_every(rs, col);
	}
	printf("Report: %s/report.html (also report.md and results.json)\n", text_term(0, out_dir));
}
