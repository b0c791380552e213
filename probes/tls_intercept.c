/* tls_intercept.c: probe tls.intercept — does something between this machine and an HTTPS
 * site decrypt the traffic and re-sign it with its own CA? For each host:port of the pins
 * targets (the defaults' reference sites plus --pin and targets files) the chain is fetched
 * directly, and through --socks (Tor) when given, and judged (intercept_judge.c). All hosts
 * are judged together, since one signal (a key reused on unrelated sites) spans hosts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "intercept_judge.h"
#include "probe.h"
#include "tlsfetch.h"

struct icpt_job;

struct icpt_run {
	const struct targets *t;
	struct truststore ts;
	STACK_OF(X509) *cafile;
	struct icpt_job **jobs;
	size_t n, started, pending, refs;
	int judged;
};

struct icpt_job {
	struct icpt_run *run;
	struct job *job;
	char *host;
	int port;
	char **pins, **issuers;   /* borrowed strings from the targets */
	size_t npins, nissuers;
	struct tlsfetch *direct, *vantage;
};

static void judge_all(struct icpt_run *run);

static void fetched(void *arg, struct tlsfetch *f)
{
	struct icpt_job *ij = arg;
	(void)f;
	ij->run->pending--;
	if (ij->run->started == ij->run->n && !ij->run->pending)
		judge_all(ij->run);
}

static void start(struct job *j)
{
	struct icpt_job *ij = j->state;
	struct icpt_run *run = ij->run;
	struct tlsfetch_opts o = { .host = ij->host, .port = ij->port, .resolve = &run->t->resolve,
				   .cafile = run->t->cafile, .timeout_ms = engine_remaining_ms(j->eng) };
	if ((ij->direct = tlsfetch_start(j->eng, &o, fetched, ij)))
		run->pending++;
	if (run->t->socks) {
		o.socks = run->t->socks;
		if ((ij->vantage = tlsfetch_start(j->eng, &o, fetched, ij)))
			run->pending++;
	}
	run->started++;
	if (run->started == run->n && !run->pending)
		judge_all(run);
}

static void fill_obs(struct icpt_obs *o, struct tlsfetch *f, struct icpt_run *run)
{
	memset(o, 0, sizeof *o);
	if (!f || !tlsfetch_finished(f) || tlsfetch_code(f))
		return;
	const struct tlscap *cap = tlsfetch_cap(f);
	if (!cap->chain || !sk_X509_num(cap->chain))
		return;
	o->ok = 1;
	chain_path_build(&o->path, cap->chain, run->ts.found ? &run->ts : NULL, run->cafile);
	o->embedded_scts = certinfo_embedded_scts(sk_X509_value(cap->chain, 0), NULL, 0);
	o->tls_scts = cap->tls_scts;
}

static json_t *strings(char *const *v, size_t n, const char *prefix)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		char tmp[600];
		snprintf(tmp, sizeof tmp, "%s%s", strncmp(v[i], prefix, strlen(prefix)) ? prefix : "", v[i]);
		json_array_append_new(a, results_str_safe(tmp, strlen(tmp)));
	}
	return a;
}

static void join(struct buf *b, char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? (i + 1 == n ? " or " : ", ") : "", v[i]);
}

/* What the chain should have been: the Tor view when there is one, else the expectations. */
static void expected_evidence(struct result *r, const struct icpt_job *ij, const struct icpt_host *h)
{
	if (h->vantage.ok) {
		result_ev_set(r, "chain_expected", chain_path_json(&h->vantage.path));
		char via[HOST_MAX + 40];
		snprintf(via, sizeof via, "through the SOCKS proxy %s (Tor)", ij->run->t->socks);
		result_ev_str(r, "chain_expected_seen", via);
	} else if (ij->npins || ij->nissuers) {
		json_t *a = json_array();
		struct buf b;
		buf_init(&b);
		if (ij->nissuers) {
			buf_puts(&b, "issued by ");
			join(&b, ij->issuers, ij->nissuers);
			json_array_append_new(a, results_str_safe(buf_cstr(&b), b.len));
			buf_reset(&b);
		}
		if (ij->npins) {
			buf_puts(&b, "a certificate in the chain with one of the keys ");
			json_t *p = strings(ij->pins, ij->npins, "sha256//");
			for (size_t i = 0; i < json_array_size(p); i++)
				buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(json_array_get(p, i)));
			json_decref(p);
			json_array_append_new(a, results_str_safe(buf_cstr(&b), b.len));
		}
		buf_free(&b);
		result_ev_set(r, "chain_expected", a);
	}
	if (ij->npins) {
		result_ev_set(r, "expected_pins", strings(ij->pins, ij->npins, "sha256//"));
	}
	if (ij->nissuers)
		result_ev_set(r, "expected_issuers", strings(ij->issuers, ij->nissuers, ""));
	if (ij->vantage && !h->vantage.ok)
		result_ev_str(r, "vantage_error", tlsfetch_detail(ij->vantage));
}

static int root_trusted_here(const struct chain_path *p);

static const char *root_kind(const char *cls)
{
	if (!strcmp(cls, "mozilla"))
		return "a public root certificate (Mozilla's set)";
	if (!strcmp(cls, "local"))
		return "a root certificate added to this machine, not a public one";
	if (!strcmp(cls, "cafile"))
		return "a root certificate given with --cafile";
	if (!strcmp(cls, "not_trusted"))
		return "a root certificate this machine does not trust";
	return "unknown: the issuer was neither sent nor found in this machine's trust store";
}

static void root_evidence(struct result *r, const struct chain_path *p)
{
	char name[300];
	X509 *last = p->cert[p->n - 1];
	/* The path's last certificate is the root, unless its issuer was nowhere to be found. */
	int is_root = p->root_entry || certinfo_self_signed(last);
	certinfo_display_name(is_root ? X509_get_subject_name(last) : X509_get_issuer_name(last), name, sizeof name);
	result_ev_str(r, "root", name);
	result_ev_str(r, "root_kind", root_kind(p->root_class));
	result_ev_bool(r, "root_trusted_here", root_trusted_here(p));
	if (p->root_entry)
		result_ev_str(r, "root_file", p->root_entry->file);
}

static void evidence(struct icpt_job *ij, const struct icpt_host *h, const struct icpt_verdict *v)
{
	struct result *r = ij->job->res;
	const struct tlscap *cap = tlsfetch_cap(ij->direct);
	json_t *sig = json_array();
	for (int s = 0; s < SIG_COUNT; s++)
		if (v->fired & (1u << s))
			json_array_append_new(sig, json_string(icpt_signal_code(s)));
	result_ev_set(r, "signals", sig);
	if (v->intercepted)
		result_ev_str(r, "inspection_ca", v->inspection_ca);
	result_ev_set(r, "chain_seen", chain_path_json(&h->direct.path));
	expected_evidence(r, ij, h);
	if (h->npins)
		result_ev_bool(r, "pin_matched", v->pin_matched);
	root_evidence(r, &h->direct.path);
	result_ev_int(r, "scts_embedded", h->direct.embedded_scts < 0 ? 0 : h->direct.embedded_scts);
	result_ev_int(r, "scts_in_tls", h->direct.tls_scts);
	if (v->fired & (1u << SIG_SPKI_REUSED))
		result_ev_str(r, "same_key_as", v->reused_with);
	if (v->fired & (1u << SIG_NO_SCTS))
		result_ev_str(r, "caveat", "Certificates from a private certificate authority (a company's or "
			      "university's own) carry no SCTs either; that alone does not prove interception.");
	if (cap->version[0])
		result_ev_str(r, "tls_version", cap->version);
}

/* Whether this machine would accept the chain on its own: a root it does not trust (or one
 * nowhere to be found) means a browser warns, so the box re-signs but cannot read quietly. */
static int root_trusted_here(const struct chain_path *p)
{
	return strcmp(p->root_class, "not_trusted") && strcmp(p->root_class, "unknown");
}

static void summarise_fail(struct icpt_job *ij, const struct icpt_host *h, const struct icpt_verdict *v,
			   const char *where)
{
	struct buf why;
	buf_init(&why);
	switch (v->top) {
	case SIG_PIN_MISMATCH: buf_puts(&why, "and none of its keys is one this site is known to use"); break;
	case SIG_ISSUER_UNEXPECTED:
		buf_puts(&why, "not by the site's usual authority (");
		join(&why, ij->issuers, ij->nissuers);
		buf_puts(&why, ")");
		break;
	case SIG_LOCAL_ROOT: buf_puts(&why, "a root certificate added to this machine, not a public one"); break;
	case SIG_LEAF_KEY_IS_CA_KEY: buf_puts(&why, "which gave the site its own key, the mark of an interception proxy"); break;
	case SIG_SPKI_REUSED: buf_printf(&why, "which uses the same key for unrelated sites (also %s)", v->reused_with); break;
	case SIG_VANTAGE_MISMATCH: buf_puts(&why, "while through Tor the site shows a different certificate"); break;
	}
	const char *who = v->top == SIG_LOCAL_ROOT ? "Something on this machine or its network" : "This network";
	if (!root_trusted_here(&h->direct.path))
		job_finish(ij->job, ST_FAIL, icpt_signal_code(v->top), "Something on this network answers for %s with its "
			   "own certificate, made by \"%s\", %s. This machine does not trust it, so browsers warn: a "
			   "sign-in page, a filter, or an inspection box whose certificate is not installed here. "
			   "Anything sent past the warning can be read", where, v->inspection_ca, buf_cstr(&why));
	else
		job_finish(ij->job, ST_FAIL, icpt_signal_code(v->top), "%s decrypts HTTPS to %s: the certificate was made by \"%s\", %s",
			   who, where, v->inspection_ca, buf_cstr(&why));
	buf_free(&why);
}

static void summarise(struct icpt_job *ij, const struct icpt_host *h, const struct icpt_verdict *v)
{
	char where[HOST_MAX + 16];
	struct endpoint ep = { .port = ij->port };
	snprintf(ep.host, sizeof ep.host, "%s", ij->host);
	endpoint_str(&ep, where, sizeof where);
	if (v->status == ST_FAIL) {
		summarise_fail(ij, h, v, where);
	} else if (v->top == SIG_PIN_MISMATCH || v->top == SIG_ISSUER_UNEXPECTED) {
		job_finish(ij->job, ST_WARN, icpt_signal_code(v->top),
			   "The certificate of %s is publicly trusted and logged but %s; the site may simply have "
			   "changed certificate authority", where,
			   v->top == SIG_PIN_MISMATCH ? "matches none of the pinned keys" : "comes from an unexpected authority");
	} else if (v->top == SIG_NO_SCTS) {
		job_finish(ij->job, ST_WARN, "no_scts",
			   "The certificate of %s lacks the public-log proofs (SCTs) every public site's certificate "
			   "has: an inspection box, or a private company CA, which has none either", where);
	} else {
		const char *how = v->pin_matched ? "it has a pinned key"
				  : h->vantage.ok ? "it matches what the site shows through Tor"
				  : h->nissuers ? "it comes from the expected authority" : "no sign of interception";
		job_finish(ij->job, ST_PASS, "ok", "The certificate of %s looks genuine: %s", where, how);
	}
}

/* Said when the checks are judged, not when planned: a fetch may wait its turn, and one still
 * waiting at the deadline contacted nothing. */
static void contacted(struct icpt_job *ij)
{
	if (ij->direct && strcmp(tlsfetch_code(ij->direct) ?: "", "not_run"))
		job_contacted(ij->job, tlsfetch_contacted(ij->direct));
	if (ij->vantage && strcmp(tlsfetch_code(ij->vantage) ?: "", "not_run"))
		job_contacted(ij->job, tlsfetch_contacted(ij->vantage));
}

static void report_error(struct icpt_job *ij)
{
	const char *code = ij->direct ? tlsfetch_code(ij->direct) : "unreachable";
	if (code && !strcmp(code, "not_run")) {
		job_not_run(ij->job);
		return;
	}
	const char *detail = ij->direct ? tlsfetch_detail(ij->direct) : "the transfer could not start";
	if (!code)
		code = "tls_error";   /* a handshake without certificates */
	if (!strcmp(code, "eof"))
		code = "tls_error";   /* closed during the handshake */
	else if (!strcmp(code, "proxy_error"))
		code = "unreachable";
	result_ev_str(ij->job->res, "detail", detail);
	job_finish(ij->job, ST_ERROR, code, "Could not look at the certificate of %s:%d (%s), so interception "
		   "could not be checked there", ij->host, ij->port, code);
}

static void judge_all(struct icpt_run *run)
{
	if (run->judged)
		return;
	run->judged = 1;
	struct icpt_host *hosts = xcalloc(run->n, sizeof *hosts);
	struct icpt_verdict *v = xcalloc(run->n, sizeof *v);
	for (size_t i = 0; i < run->n; i++) {
		struct icpt_job *ij = run->jobs[i];
		hosts[i] = (struct icpt_host){ .host = ij->host, .port = ij->port, .pins = ij->pins,
					       .npins = ij->npins, .issuers = ij->issuers, .nissuers = ij->nissuers };
		fill_obs(&hosts[i].direct, ij->direct, run);
		fill_obs(&hosts[i].vantage, ij->vantage, run);
	}
	icpt_judge(hosts, run->n, v);
	for (size_t i = 0; i < run->n; i++) {
		struct icpt_job *ij = run->jobs[i];
		if (ij->job->finished)
			continue;
		contacted(ij);
		char where[HOST_MAX + 16];
		struct endpoint ep = { .port = ij->port };
		snprintf(ep.host, sizeof ep.host, "%s", ij->host);
		result_ev_str(ij->job->res, "address", endpoint_str(&ep, where, sizeof where));
		if (!hosts[i].direct.ok) {
			report_error(ij);
			continue;
		}
		evidence(ij, &hosts[i], &v[i]);
		summarise(ij, &hosts[i], &v[i]);
	}
	free(hosts);
	free(v);
}

static void expire(struct job *j)
{
	struct icpt_job *ij = j->state;
	judge_all(ij->run);
}

static void run_unref(struct icpt_run *run)
{
	if (--run->refs)
		return;
	truststore_free(&run->ts);
	sk_X509_pop_free(run->cafile, X509_free);
	free(run->jobs);
	free(run);
}

static void cleanup(struct job *j)
{
	struct icpt_job *ij = j->state;
	tlsfetch_free(j->eng, ij->direct);
	tlsfetch_free(j->eng, ij->vantage);
	free(ij->host);
	free(ij->pins);
	free(ij->issuers);
	struct icpt_run *run = ij->run;
	free(ij);
	run_unref(run);
}

static const struct job_ops ops = { start, expire, cleanup };

static void append(char ***v, size_t *n, char *const *add, size_t k)
{
	*v = xrealloc(*v, (*n + k + 1) * sizeof **v);
	for (size_t i = 0; i < k; i++)
		(*v)[(*n)++] = add[i];
	(*v)[*n] = NULL;
}

/* One job per host:port; several pins entries for the same one add up. */
static struct icpt_job *job_for(struct icpt_run *run, const struct pin *p)
{
	for (size_t i = 0; i < run->n; i++)
		if (!strcasecmp(run->jobs[i]->host, p->host) && run->jobs[i]->port == p->port)
			return run->jobs[i];
	struct icpt_job *ij = xcalloc(1, sizeof *ij);
	ij->run = run;
	ij->host = xstrdup(p->host);
	ij->port = p->port;
	run->jobs = xrealloc(run->jobs, (run->n + 1) * sizeof *run->jobs);
	run->jobs[run->n++] = ij;
	return ij;
}

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	if (!t->npins)
		return 0;
	struct icpt_run *run = xcalloc(1, sizeof *run);
	run->t = t;
	if (truststore_load(&run->ts, t->store_root, e) < 0) {
		free(run);
		return -1;
	}
	run->cafile = chainpath_load_pem(t->cafile);
	for (size_t i = 0; i < t->npins; i++) {
		struct icpt_job *ij = job_for(run, &t->pins[i]);
		append(&ij->pins, &ij->npins, t->pins[i].spki, t->pins[i].nspki);
		append(&ij->issuers, &ij->nissuers, t->pins[i].issuers, t->pins[i].nissuers);
	}
	run->refs = run->n;
	for (size_t i = 0; i < run->n; i++) {
		struct icpt_job *ij = run->jobs[i];
		char target[HOST_MAX + 16];
		struct endpoint ep = { .port = ij->port };
		snprintf(ep.host, sizeof ep.host, "%s", ij->host);
		ij->job = engine_job(eng, "tls.intercept", endpoint_str(&ep, target, sizeof target), "", &ops, ij);
	}
	return 0;
}

const struct probe probe_tls_intercept = {
	.id = "tls.intercept",
	.plan = plan,
};
