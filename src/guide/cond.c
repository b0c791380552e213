/* cond.c: parsing, checking and evaluating the `when:` conditions of guidance entries. */
#include "cond.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"

enum cond_op { OP_ALWAYS, OP_ATOM, OP_ALL, OP_ANY, OP_NONE, OP_NOT };

struct cond {
	enum cond_op op;
	/* atom */
	char *probe;              /* an id or a family */
	unsigned statuses;        /* bit (1u << enum status) per status; 0 = any */
	char **codes;             /* NULL = any code */
	size_t ncodes;
	long at_least, at_most;   /* at_most < 0: no upper bound */
	int every;
	/* all, any, none (several), not (one) */
	struct cond **kids;
	size_t nkids;
};

/* Our own copy: results.c (status_name) is not needed to parse or lint guidance. */
static const char *const status_names[ST_COUNT] = {"pass", "warn", "fail", "error", "skip"};

static const char *const cond_keys[] = {"probe", "status", "code", "at_least", "at_most", "every",
					"all", "any", "none", "not", "always", NULL};
static const char *const head_keys[] = {"probe", "all", "any", "none", "not", "always", NULL};

#define COUNT_MAX 1000000L

static int parse(struct ydoc *d, yaml_node_t *n, struct cond **out, struct err *e, int depth);

static int in_list(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

/* The i-th value of a "one or a list" field. */
static yaml_node_t *one_or_list(struct ydoc *d, yaml_node_t *v, size_t i)
{
	if (v->type == YAML_SCALAR_NODE)
		return i == 0 ? v : NULL;
	return ydoc_item(d, v, i);
}

static int check_one_or_list(struct ydoc *d, yaml_node_t *v, const char *what, struct err *e)
{
	if (v->type == YAML_SCALAR_NODE)
		return 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return ydoc_fail(d, v, e, "%s must be one word or a list, not %s", what, ydoc_kind(v));
	if (!ydoc_len(v))
		return ydoc_fail(d, v, e, "%s: the list is empty", what);
	return 0;
}

static void known_probes(char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < codes_probe_count(); i++) {
		strncat(buf, codes_probe_at(i)->id, len - strlen(buf) - 1);
		strncat(buf, ", ", len - strlen(buf) - 1);
	}
	strncat(buf, "or a family: net, tor, https, tls, mail", len - strlen(buf) - 1);
}

/* The codes valid for a probe or family, each once, for messages. */
static void known_codes(const char *sel, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < codes_count(); i++) {
		const struct code_info *ci = codes_at(i);
		if (strcmp(ci->probe, "*") && !codes_probe_matches(sel, ci->probe))
			continue;
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++) {
			const struct code_info *cj = codes_at(j);
			seen = !strcmp(cj->code, ci->code) &&
			       (!strcmp(cj->probe, "*") || codes_probe_matches(sel, cj->probe));
		}
		if (seen)
			continue;
		if (buf[0])
			strncat(buf, ", ", len - strlen(buf) - 1);
		strncat(buf, ci->code, len - strlen(buf) - 1);
	}
}

static int parse_statuses(struct ydoc *d, yaml_node_t *v, struct cond *c, struct err *e)
{
	if (check_one_or_list(d, v, "status", e) < 0)
		return -1;
	yaml_node_t *it;
	for (size_t i = 0; (it = one_or_list(d, v, i)); i++) {
		const char *s;
		if (ydoc_expect_str(d, it, "status", &s, e) < 0)
			return -1;
		int k;
		for (k = 0; k < ST_COUNT && strcmp(status_names[k], s); k++)
			;
		if (k == ST_COUNT)
			return ydoc_fail(d, it, e, "unknown status \"%.40s\" (known: pass, warn, fail, error, skip)", s);
		c->statuses |= 1u << k;
	}
	return 0;
}

static int parse_codes(struct ydoc *d, yaml_node_t *v, struct cond *c, struct err *e)
{
	if (check_one_or_list(d, v, "code", e) < 0)
		return -1;
	size_t n = v->type == YAML_SCALAR_NODE ? 1 : ydoc_len(v);
	c->codes = xcalloc(n, sizeof *c->codes);
	yaml_node_t *it;
	for (size_t i = 0; (it = one_or_list(d, v, i)); i++) {
		const char *s;
		if (ydoc_expect_str(d, it, "code", &s, e) < 0)
			return -1;
		if (!codes_code_known(c->probe, s)) {
			char list[300];
			known_codes(c->probe, list, sizeof list);
			return ydoc_fail(d, it, e, "unknown code \"%.40s\" for %s (known: %s)", s, c->probe, list);
		}
		c->codes[c->ncodes++] = xstrdup(s);
	}
	return 0;
}

static int parse_quantifier(struct ydoc *d, yaml_node_t *n, struct cond *c, struct err *e)
{
	yaml_node_t *al = ydoc_get(d, n, "at_least"), *am = ydoc_get(d, n, "at_most");
	yaml_node_t *ev = ydoc_get(d, n, "every");
	c->at_least = 1;
	c->at_most = -1;
	if (ev) {
		if (ydoc_expect_bool(d, ev, "every", &c->every, e) < 0)
			return -1;
		if (!c->every)
			return ydoc_fail(d, ev, e, "every: false means nothing; leave it out");
		if (al || am)
			return ydoc_fail(d, al ? al : am, e,
					 "every: true already says how many; drop at_least and at_most");
	}
	if (am) {
		if (ydoc_expect_int(d, am, "at_most", 0, COUNT_MAX, &c->at_most, e) < 0)
			return -1;
		c->at_least = 0;   /* at_most alone puts no lower bound */
	}
	if (al && ydoc_expect_int(d, al, "at_least", 1, COUNT_MAX, &c->at_least, e) < 0)
		return -1;
	if (al && am && c->at_least > c->at_most)
		return ydoc_fail(d, al, e, "at_least (%ld) is more than at_most (%ld): this can never hold",
				 c->at_least, c->at_most);
	return 0;
}

/* Results say `ok` exactly when they say `pass`, so some pairs can never match. */
static int check_matchable(struct ydoc *d, yaml_node_t *n, const struct cond *c, struct err *e)
{
	if (!c->codes || !c->statuses)
		return 0;
	int ok = 0, other = 0;
	for (size_t i = 0; i < c->ncodes; i++) {
		if (!strcmp(c->codes[i], "ok"))
			ok = 1;
		else
			other = 1;
	}
	int pass = !!(c->statuses & (1u << ST_PASS));
	int notpass = !!(c->statuses & ~(1u << ST_PASS));
	if ((pass && ok) || (notpass && other))
		return 0;
	return ydoc_fail(d, ydoc_get(d, n, "code"), e,
			 "this status and code never occur together: code ok comes with status pass, "
			 "and only with it");
}

static int parse_atom(struct ydoc *d, yaml_node_t *n, struct cond *c, struct err *e)
{
	yaml_node_t *pv = ydoc_get(d, n, "probe"), *v;
	const char *probe;
	c->op = OP_ATOM;
	if (ydoc_expect_str(d, pv, "probe", &probe, e) < 0)
		return -1;
	if (!codes_probe_known(probe)) {
		char list[400];
		known_probes(list, sizeof list);
		return ydoc_fail(d, pv, e, "unknown probe \"%.60s\" (known: %s)", probe, list);
	}
	c->probe = xstrdup(probe);
	if ((v = ydoc_get(d, n, "status")) && parse_statuses(d, v, c, e) < 0)
		return -1;
	if ((v = ydoc_get(d, n, "code")) && parse_codes(d, v, c, e) < 0)
		return -1;
	if (parse_quantifier(d, n, c, e) < 0)
		return -1;
	return check_matchable(d, n, c, e);
}

static int parse_kids(struct ydoc *d, yaml_node_t *v, const char *key, struct cond *c,
		      struct err *e, int depth)
{
	if (v->type != YAML_SEQUENCE_NODE)
		return ydoc_fail(d, v, e, "%s: takes a list of conditions, not %s", key, ydoc_kind(v));
	size_t len = ydoc_len(v);
	if (!len)
		return ydoc_fail(d, v, e, "%s: the list is empty; give at least one condition", key);
	c->kids = xcalloc(len, sizeof *c->kids);
	yaml_node_t *it;
	for (size_t i = 0; (it = ydoc_item(d, v, i)); i++) {
		if (parse(d, it, &c->kids[i], e, depth + 1) < 0)
			return -1;
		c->nkids++;
	}
	return 0;
}

/* Finds the one key that says what kind of condition this is. */
static int find_head(struct ydoc *d, yaml_node_t *n, yaml_node_t **hk, yaml_node_t **hv,
		     struct err *e)
{
	yaml_node_t *k, *v;
	*hk = *hv = NULL;
	for (size_t i = 0; ydoc_pair(d, n, i, &k, &v); i++) {
		if (!in_list(head_keys, ydoc_str(k)))
			continue;
		if (*hk)
			return ydoc_fail(d, k, e, "a condition takes one of probe, all, any, none, not "
					 "or always, not both \"%s\" and \"%s\"; combine them with all: [...]",
					 ydoc_str(*hk), ydoc_str(k));
		*hk = k;
		*hv = v;
	}
	if (!*hk)
		return ydoc_fail(d, n, e, "a condition needs probe:, all:, any:, none:, not: or always:");
	if (strcmp(ydoc_str(*hk), "probe")) {
		for (size_t i = 0; ydoc_pair(d, n, i, &k, &v); i++)
			if (k != *hk)
				return ydoc_fail(d, k, e, "\"%s\" goes with probe:, not with %s:",
						 ydoc_str(k), ydoc_str(*hk));
	}
	return 0;
}

static int parse_into(struct ydoc *d, yaml_node_t *n, struct cond *c, struct err *e, int depth)
{
	if (ydoc_expect_map(d, n, "a condition", e) < 0 ||
	    ydoc_check_keys(d, n, cond_keys, "condition", e) < 0)
		return -1;
	yaml_node_t *hk, *hv;
	if (find_head(d, n, &hk, &hv, e) < 0)
		return -1;
	const char *head = ydoc_str(hk);
	if (!strcmp(head, "probe"))
		return parse_atom(d, n, c, e);
	if (!strcmp(head, "always")) {
		int b;
		c->op = OP_ALWAYS;
		if (ydoc_expect_bool(d, hv, "always", &b, e) < 0)
			return -1;
		return b ? 0 : ydoc_fail(d, hv, e, "always: false would never show; remove the entry instead");
	}
	if (!strcmp(head, "not")) {
		c->op = OP_NOT;
		if (hv->type != YAML_MAPPING_NODE)
			return ydoc_fail(d, hv, e, "not: takes one condition (a mapping), not %s; "
					 "for several use none: [...]", ydoc_kind(hv));
		c->kids = xcalloc(1, sizeof *c->kids);
		if (parse(d, hv, &c->kids[0], e, depth + 1) < 0)
			return -1;
		c->nkids = 1;
		return 0;
	}
	c->op = !strcmp(head, "all") ? OP_ALL : !strcmp(head, "any") ? OP_ANY : OP_NONE;
	return parse_kids(d, hv, head, c, e, depth);
}

static int parse(struct ydoc *d, yaml_node_t *n, struct cond **out, struct err *e, int depth)
{
	*out = NULL;
	if (depth > COND_MAX_DEPTH)
		return ydoc_fail(d, n, e, "conditions are nested more than %d deep", COND_MAX_DEPTH);
	struct cond *c = xcalloc(1, sizeof *c);
	if (parse_into(d, n, c, e, depth) < 0) {
		cond_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

int cond_parse(struct ydoc *d, yaml_node_t *n, struct cond **out, struct err *e)
{
	return parse(d, n, out, e, 0);
}

static int atom_matches(const struct cond *c, const struct result *r)
{
	if (!r || !codes_probe_matches(c->probe, r->probe))
		return 0;
	if (c->statuses && ((unsigned)r->status >= ST_COUNT || !(c->statuses & (1u << r->status))))
		return 0;
	if (!c->codes)
		return 1;
	for (size_t i = 0; i < c->ncodes; i++)
		if (r->code && !strcmp(r->code, c->codes[i]))
			return 1;
	return 0;
}

static int eval_atom(const struct cond *c, const struct results *rs)
{
	size_t total = 0, hits = 0;
	for (size_t i = 0; rs && i < rs->n; i++) {
		const struct result *r = rs->items[i];
		if (!r || !codes_probe_matches(c->probe, r->probe))
			continue;
		total++;
		hits += (size_t)atom_matches(c, r);
	}
	if (c->every)
		return total > 0 && hits == total;
	return hits >= (size_t)c->at_least && (c->at_most < 0 || hits <= (size_t)c->at_most);
}

int cond_eval(const struct cond *c, const struct results *rs)
{
	if (!c)
		return 1;
	switch (c->op) {
	case OP_ALWAYS:
		return 1;
	case OP_ATOM:
		return eval_atom(c, rs);
	case OP_NOT:
		return !cond_eval(c->kids[0], rs);
	case OP_ALL:
		for (size_t i = 0; i < c->nkids; i++)
			if (!cond_eval(c->kids[i], rs))
				return 0;
		return 1;
	case OP_ANY:
	case OP_NONE:
		for (size_t i = 0; i < c->nkids; i++)
			if (cond_eval(c->kids[i], rs))
				return c->op == OP_ANY;
		return c->op == OP_NONE;
	}
	return 0;
}

static int mentions(const struct cond *c, const struct result *r, int positive)
{
	switch (c->op) {
	case OP_ALWAYS:
		return 0;
	case OP_ATOM:
		return positive && c->at_least > 0 && atom_matches(c, r);
	case OP_NOT:
	case OP_NONE:
		positive = !positive;
		break;
	case OP_ALL:
	case OP_ANY:
		break;
	}
	for (size_t i = 0; i < c->nkids; i++)
		if (mentions(c->kids[i], r, positive))
			return 1;
	return 0;
}

int cond_mentions(const struct cond *c, const struct result *r)
{
	return c && r ? mentions(c, r, 1) : 0;
}

int cond_selects(const struct cond *c, const char *probe)
{
	if (!c || c->op == OP_ALWAYS)
		return 0;
	if (c->op == OP_ATOM)
		return codes_probe_matches(c->probe, probe);
	for (size_t i = 0; i < c->nkids; i++)
		if (cond_selects(c->kids[i], probe))
			return 1;
	return 0;
}

/* 1 unless every catalog probe sel names (an id or a family) is PF_LOCAL. */
static int sel_needs_network(const char *sel)
{
	for (size_t i = 0; i < codes_probe_count(); i++) {
		const struct probe_info *p = codes_probe_at(i);
		if (codes_probe_matches(sel, p->id) && !(p->flags & PF_LOCAL))
			return 1;
	}
	return 0;
}

/* 1 when sel names catalog probes and every one is a site's own setup (PF_SITE). */
static int sel_only_sites(const char *sel)
{
	int any = 0;
	for (size_t i = 0; i < codes_probe_count(); i++) {
		const struct probe_info *p = codes_probe_at(i);
		if (!codes_probe_matches(sel, p->id))
			continue;
		if (!(p->flags & PF_SITE))
			return 0;
		any = 1;
	}
	return any;
}

/* 1 when some atom of c, in any position, has a probe selector for which pred holds. */
static int any_atom(const struct cond *c, int (*pred)(const char *sel))
{
	if (!c || c->op == OP_ALWAYS)
		return 0;
	if (c->op == OP_ATOM)
		return pred(c->probe);
	for (size_t i = 0; i < c->nkids; i++)
		if (any_atom(c->kids[i], pred))
			return 1;
	return 0;
}

/* 1 when some atom of c reads only sites' own setup (a certificate, a redirect, HSTS). */
static int cond_reads_sites(const struct cond *c)
{
	return any_atom(c, sel_only_sites);
}

int cond_needs_network(const struct cond *c)
{
	return any_atom(c, sel_needs_network);
}

static void describe_atom(const struct cond *c, struct buf *out)
{
	buf_printf(out, "{probe: %s", c->probe);
	if (c->statuses) {
		int n = 0, k = 0;
		for (int s = 0; s < ST_COUNT; s++)
			n += !!(c->statuses & (1u << s));
		buf_puts(out, n > 1 ? ", status: [" : ", status: ");
		for (int s = 0; s < ST_COUNT; s++)
			if (c->statuses & (1u << s))
				buf_printf(out, "%s%s", k++ ? ", " : "", status_names[s]);
		if (n > 1)
			buf_putc(out, ']');
	}
	if (c->codes) {
		buf_puts(out, c->ncodes > 1 ? ", code: [" : ", code: ");
		for (size_t i = 0; i < c->ncodes; i++)
			buf_printf(out, "%s%s", i ? ", " : "", c->codes[i]);
		if (c->ncodes > 1)
			buf_putc(out, ']');
	}
	if (c->every)
		buf_puts(out, ", every: true");
	else if (c->at_most >= 0 && c->at_least > 0)
		buf_printf(out, ", at_least: %ld, at_most: %ld", c->at_least, c->at_most);
	else if (c->at_most >= 0)
		buf_printf(out, ", at_most: %ld", c->at_most);
	else if (c->at_least != 1)
		buf_printf(out, ", at_least: %ld", c->at_least);
	buf_putc(out, '}');
}

void cond_describe(const struct cond *c, struct buf *out)
{
	static const char *const names[] = {"always", "probe", "all", "any", "none", "not"};
	if (!c || c->op == OP_ALWAYS) {
		buf_puts(out, "{always: true}");
		return;
	}
	if (c->op == OP_ATOM) {
		describe_atom(c, out);
		return;
	}
	buf_printf(out, "{%s: ", names[c->op]);
	if (c->op != OP_NOT)
		buf_putc(out, '[');
	for (size_t i = 0; i < c->nkids; i++) {
		if (i)
			buf_puts(out, ", ");
		cond_describe(c->kids[i], out);
	}
	buf_puts(out, c->op != OP_NOT ? "]}" : "}");
}

void cond_free(struct cond *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nkids; i++)
		cond_free(c->kids[i]);
	free(c->kids);
	for (size_t i = 0; i < c->ncodes; i++)
		free(c->codes[i]);
	free(c->codes);
	free(c->probe);
	free(c);
}

int cond_holds(const struct cond *c, const struct results *rs, enum verdict_level level)
{
	/* Offline, a failed Tor or HTTPS check says nothing about Tor or HTTPS: guidance that
	 * reads those results would tell a false story. */
	if (level == VL_OFFLINE && cond_needs_network(c))
		return 0;
	/* Where HTTPS is intercepted, the box answered for every site: advice on a site's own
	 * certificate or redirect ("renew with an ACME client") would be advice about the box. */
	if (level == VL_INTERCEPTED && cond_reads_sites(c))
		return 0;
	return cond_eval(c, rs);
}
