/* verdict.c: the rules that turn one run's results into its one answer (verdict.md). They
 * read what each probe and code means from the catalog (codes.h), never from a renderer:
 * the terminal, every page and every aggregate show what these rules say. */
#include "verdict.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codes.h"

static const char *const level_names[VL_COUNT] = { "intercepted", "offline", "tor_blocked", "problems", "ready" };

const char *verdict_level_name(enum verdict_level l)
{
	return l < VL_COUNT ? level_names[l] : "ready";
}

int verdict_level_parse(const char *s, enum verdict_level *out)
{
	for (int i = 0; s && i < VL_COUNT; i++)
		if (!strcmp(s, level_names[i])) {
			*out = (enum verdict_level)i;
			return 0;
		}
	return -1;
}

const char *verdict_status_word(enum status s)
{
	static const char *const words[ST_COUNT] = { "Fine", "Worth a look", "Problem", "Could not check", "Not checked" };
	return s < ST_COUNT ? words[s] : "Not checked";
}

const char *verdict_status_state(enum status s)
{
	static const char *const states[ST_COUNT] = { "good", "look", "problem", "none", "none" };
	return s < ST_COUNT ? states[s] : "none";
}

static unsigned probe_flags(const struct result *r)
{
	const struct probe_info *p = codes_probe(r->probe);
	return p ? p->flags : 0;
}

static unsigned code_flags(const struct result *r)
{
	const struct code_info *c = codes_find(r->probe, r->code);
	return c ? c->flags : 0;
}

/* A real tor connecting directly, not through a bridge. */
static int direct_bootstrap(const struct result *r)
{
	return (probe_flags(r) & PF_TOR_BOOTSTRAP) && (!strcmp(r->name, "direct") || !strcmp(r->target, "tor"));
}

/* A kind is a short lower-case word; anything else (it could be an address) is "other". */
static void kind_word(const char *s, size_t n, char out[24])
{
	int ok = n > 0 && n < 24 && !isdigit((unsigned char)s[0]);
	for (size_t i = 0; ok && i < n; i++)
		ok = islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_';
	if (ok) {
		memcpy(out, s, n);
		out[n] = '\0';
	} else {
		strcpy(out, "other");
	}
}

void verdict_transport(const struct result *r, char out[24])
{
	json_t *t = json_object_get(r->evidence, "transport");
	const char *s = json_is_string(t) ? json_string_value(t) : NULL;
	if (!s) {
		/* A bridge line starts with its transport unless it is a plain address. */
		s = r->target;
		if (!strncmp(s, "Bridge ", 7))
			s += 7;
		size_t n = strcspn(s, " ");
		if (n && !isdigit((unsigned char)s[0]) && s[0] != '[') {
			kind_word(s, n, out);
			return;
		}
		s = "";
	}
	if (!*s || !strcmp(s, "vanilla") || !strcmp(s, "none"))
		strcpy(out, "vanilla");
	else
		kind_word(s, strlen(s), out);
}

/* What the run says about Tor's direct ways in. */
struct tor_state {
	int dir_tried, dir_ok;        /* directory authorities: answered at all / any proved itself */
	int boot_ok, boot_stuck;      /* the direct bootstrap */
	int bridge_ok;                /* a bridge answered, or tor got through one */
};

static void tor_state(const struct results *rs, struct tor_state *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = rs->items[i];
		int judged = r->status == ST_PASS || r->status == ST_WARN || r->status == ST_FAIL;
		if ((probe_flags(r) & PF_TOR_DIRECT) && judged) {
			t->dir_tried = 1;
			t->dir_ok |= r->status != ST_FAIL;
		}
		if (direct_bootstrap(r)) {
			t->boot_ok |= r->status == ST_PASS;
			t->boot_stuck |= r->status == ST_FAIL;
		} else if (probe_flags(r) & (PF_TOR_BRIDGE | PF_TOR_BOOTSTRAP)) {
			t->bridge_ok |= r->status == ST_PASS;
		}
	}
}

static int tor_blocked(const struct tor_state *t)
{
	return !t->boot_ok && ((t->dir_tried && !t->dir_ok) || t->boot_stuck);
}

static int problem_in(const struct tor_state *t, const struct result *r)
{
	/* One authority, directory port or bridge not answering is no problem while Tor has
	 * another way in. */
	if (r->status == ST_FAIL && (code_flags(r) & CF_REDUNDANT))
		return !(t->dir_ok || t->boot_ok || t->bridge_ok);
	if (r->status == ST_FAIL)
		return !(code_flags(r) & CF_NOTE);
	if (r->status != ST_WARN || (code_flags(r) & CF_NOTE))
		return 0;
	/* A bootstrap still going at the deadline is a note (run longer), unless the authorities
	 * did not answer either: then Tor is blocked, which outranks problems anyway. */
	if ((probe_flags(r) & PF_TOR_BOOTSTRAP) && !strcmp(r->code, "timeout"))
		return t->dir_tried && !t->dir_ok;
	return 1;
}

int verdict_is_problem(const struct results *rs, const struct result *r)
{
	struct tor_state t;
	tor_state(rs, &t);
	return problem_in(&t, r);
}

void verdict_shown_counts(const struct results *rs, enum verdict_level level, size_t counts[ST_COUNT])
{
	struct tor_state t;
	tor_state(rs, &t);
	memset(counts, 0, ST_COUNT * sizeof *counts);
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = rs->items[i];
		enum status st = r->status;
		if (verdict_result_moot(r, level))
			st = ST_ERROR;
		else if (st == ST_FAIL && !problem_in(&t, r))
			st = ST_WARN;
		counts[st < ST_COUNT ? st : ST_ERROR]++;
	}
}

static void add_reason(struct verdict *v, const struct result *r)
{
	v->reasons = xrealloc(v->reasons, (v->nreasons + 1) * sizeof *v->reasons);
	v->reasons[v->nreasons++] = r;
}

/* "CN=Campus Inspection CA, O=Example University" -> "Campus Inspection CA". */
static void ca_name(const char *dn, char *out, size_t size)
{
	const char *cn = strstr(dn, "CN=");
	if (cn && (cn == dn || cn[-1] == ' ' || cn[-1] == ',' || cn[-1] == '/')) {
		cn += 3;
		size_t n = strcspn(cn, ",/");
		snprintf(out, size, "%.*s", (int)n, cn);
	} else {
		snprintf(out, size, "%s", dn);
	}
}

static void find_ca(struct verdict *v)
{
	static const char *const keys[] = { "inspection_ca", "issuer", "root", "direct_issuer" };
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
		for (size_t i = 0; i < v->nreasons; i++) {
			json_t *s = json_object_get(v->reasons[i]->evidence, keys[k]);
			if (json_is_string(s) && *json_string_value(s)) {
				ca_name(json_string_value(s), v->inspection_ca, sizeof v->inspection_ca);
				return;
			}
		}
}

static void bridges(const struct results *rs, struct verdict *v)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = rs->items[i];
		int bridged = (probe_flags(r) & PF_TOR_BRIDGE) ||
			      ((probe_flags(r) & PF_TOR_BOOTSTRAP) && !direct_bootstrap(r));
		if (!bridged || r->status == ST_SKIP || r->status == ST_ERROR)
			continue;
		v->bridges_tried = 1;
		/* A bootstrap through a bridge is the stronger proof: prefer its kind. */
		if (r->status == ST_PASS && (!v->bridge_ok || (probe_flags(r) & PF_TOR_BOOTSTRAP))) {
			v->bridge_ok = 1;
			verdict_transport(r, v->bridge_kind);
		}
	}
}

/* Every interception reason is a chain this machine does not trust (tls.intercept's
 * root_trusted_here): a captive portal or a filter. Browsers warn there, so nobody reads
 * HTTPS quietly; saying "is being opened and re-signed" alone would overstate it. */
static int untrusted_only(const struct verdict *v)
{
	size_t n = 0;
	for (size_t i = 0; i < v->nreasons; i++) {
		if (strcmp(v->reasons[i]->probe, "tls.intercept"))
			return 0;
		json_t *t = json_object_get(v->reasons[i]->evidence, "root_trusted_here");
		if (!json_is_false(t))
			return 0;
		n++;
	}
	return n > 0;
}

static void headline(const struct results *rs, struct verdict *v)
{
	char *h = v->headline;
	size_t hs = sizeof v->headline;
	switch (v->level) {
	case VL_INTERCEPTED:
		if (v->inspection_ca[0] && untrusted_only(v))
			snprintf(h, hs, "Something on this network answers HTTPS in place of real sites, with a certificate "
				 "this machine does not trust (\"%.120s\"): a sign-in page, a filter or an inspection box. "
				 "Sign in if asked and check again; never click through a certificate warning", v->inspection_ca);
		else if (v->inspection_ca[0])
			snprintf(h, hs, "HTTPS on this network is being opened and re-signed by \"%s\"", v->inspection_ca);
		else if (v->nreasons && !strcmp(v->reasons[0]->probe, "https.client"))
			snprintf(h, hs, "This machine accepts HTTPS certificates it should refuse: others on the network could read your HTTPS");
		else
			snprintf(h, hs, "HTTPS on this network is being opened and re-signed by someone in the middle");
		break;
	case VL_OFFLINE:
		snprintf(h, hs, "This machine looks offline: nothing else could be checked");
		break;
	case VL_TOR_BLOCKED:
		if (v->bridge_ok)
			snprintf(h, hs, "Tor is blocked on this network, but a bridge got through (%s)", v->bridge_kind);
		else if (v->bridges_tried)
			snprintf(h, hs, "Tor is blocked on this network, and no bridge tried got through");
		else
			snprintf(h, hs, "Tor is blocked on this network; a bridge is the usual way around it");
		break;
	case VL_PROBLEMS: {
		const struct result *r = v->reasons[0];
		const struct code_info *c = codes_find(r->probe, r->code);
		const char *title = codes_probe_title(r->probe);
		snprintf(h, hs, "%zu problem%s to look at%s: %s (%s)", v->nreasons, v->nreasons == 1 ? "" : "s",
			 v->nreasons == 1 ? "" : "; the first", title ? title : "an unknown check",
			 c ? c->label : "an unknown result");
		break;
	}
	default: {
		size_t checked = 0;
		for (size_t i = 0; i < rs->n; i++)
			checked += rs->items[i]->status <= ST_FAIL;   /* it answered: pass, warn, fail */
		struct tor_state t;
		tor_state(rs, &t);
		snprintf(h, hs, "Ready: %snothing checked needs fixing (%zu check%s)",
			 t.boot_ok || t.dir_ok ? "Tor works from here and " : "", checked, checked == 1 ? "" : "s");
	}
	}
}

void verdict_compute(const struct results *rs, struct verdict *v)
{
	memset(v, 0, sizeof *v);
	struct tor_state t;
	tor_state(rs, &t);
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = rs->items[i];
		if (r->status == ST_FAIL && (code_flags(r) & CF_INTERCEPT))
			add_reason(v, r);
	}
	if (v->nreasons) {
		v->level = VL_INTERCEPTED;
		find_ca(v);
		headline(rs, v);
		return;
	}
	for (size_t i = 0; i < rs->n; i++)
		if (rs->items[i]->status == ST_FAIL && (code_flags(rs->items[i]) & CF_OFFLINE))
			add_reason(v, rs->items[i]);
	if (v->nreasons) {
		v->level = VL_OFFLINE;
		headline(rs, v);
		return;
	}
	if (tor_blocked(&t)) {
		v->level = VL_TOR_BLOCKED;
		for (size_t i = 0; i < rs->n; i++) {
			const struct result *r = rs->items[i];
			if (r->status == ST_FAIL && ((probe_flags(r) & PF_TOR_DIRECT) || direct_bootstrap(r)))
				add_reason(v, r);
		}
		bridges(rs, v);
		headline(rs, v);
		return;
	}
	/* Worst first: fails, then the warns to act on. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < rs->n; i++) {
			const struct result *r = rs->items[i];
			if ((r->status == (pass ? ST_WARN : ST_FAIL)) && problem_in(&t, r))
				add_reason(v, r);
		}
	v->level = v->nreasons ? VL_PROBLEMS : VL_READY;
	headline(rs, v);
}

void verdict_free(struct verdict *v)
{
	free(v->reasons);
	v->reasons = NULL;
	v->nreasons = 0;
}

json_t *verdict_to_json(const struct verdict *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "level", json_string(verdict_level_name(v->level)));
	json_object_set_new(o, "headline", results_str_safe(v->headline, strlen(v->headline)));
	json_t *a = json_array();
	for (size_t i = 0; i < v->nreasons; i++) {
		const struct result *r = v->reasons[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o}", "probe", results_str_safe(r->probe, strlen(r->probe)),
						   "target", results_str_safe(r->target, strlen(r->target)),
						   "code", results_str_safe(r->code, strlen(r->code))));
	}
	json_object_set_new(o, "reasons", a);
	if (v->inspection_ca[0])
		json_object_set_new(o, "inspection_ca", results_str_safe(v->inspection_ca, strlen(v->inspection_ca)));
	return o;
}

json_t *results_verdict(const struct results *rs)
{
	if (rs->verdict)
		return json_incref(rs->verdict);
	struct verdict v;
	verdict_compute(rs, &v);
	json_t *o = verdict_to_json(&v);
	verdict_free(&v);
	return o;
}

enum verdict_level results_verdict_level(const struct results *rs)
{
	enum verdict_level l = VL_READY;
	json_t *o = results_verdict(rs);
	verdict_level_parse(json_string_value(json_object_get(o, "level")), &l);
	json_decref(o);
	return l;
}

int verdict_result_moot(const struct result *r, enum verdict_level level)
{
	const struct probe_info *pi = codes_probe(r->probe);
	unsigned flags = pi ? pi->flags : 0;
	if (level == VL_OFFLINE)
		return (r->status == ST_FAIL || r->status == ST_WARN) && !(flags & PF_LOCAL);
	/* A pass too: the box's valid certificate is not the site's. */
	if (level == VL_INTERCEPTED)
		return (r->status == ST_FAIL || r->status == ST_WARN || r->status == ST_PASS) &&
		       (flags & PF_SITE);
	return 0;
}

const char *verdict_moot_reason(enum verdict_level level)
{
	return level == VL_INTERCEPTED ? "intercepted" : "offline";
}

int verdict_is_reason(json_t *verdict, const struct result *r)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(verdict, "reasons"), i, x) {
		const char *p = json_string_value(json_object_get(x, "probe")),
			   *t = json_string_value(json_object_get(x, "target")),
			   *c = json_string_value(json_object_get(x, "code"));
		if (p && t && c && !strcmp(p, r->probe) && !strcmp(t, r->target) && !strcmp(c, r->code))
			return 1;
	}
	return 0;
}

int verdict_untrusted_intercept(const struct results *rs)
{
	json_t *v = results_verdict(rs);
	const char *lv = json_string_value(json_object_get(v, "level"));
	int level_ok = lv && !strcmp(lv, "intercepted");
	size_t n = 0, bad = 0;
	for (size_t i = 0; level_ok && i < rs->n; i++) {
		const struct result *r = rs->items[i];
		if (!verdict_is_reason(v, r))
			continue;
		n++;
		/* As untrusted_only: every reason a tls.intercept chain this machine does not trust. */
		bad += strcmp(r->probe, "tls.intercept") || !json_is_false(json_object_get(r->evidence, "root_trusted_here"));
	}
	json_decref(v);
	return n > 0 && !bad;
}
