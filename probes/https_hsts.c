/* https_hsts.c: probe https.hsts — does the site tell browsers to use only HTTPS? Read from
 * a verified HTTPS response only (RFC 6797 8.1: a header over a connection with certificate
 * errors, or over plain http, is ignored); exactly one header; parsed strictly (hsts.c);
 * max-age of at least six months, Observatory's 15552000 s. */
#include <stdio.h>
#include <string.h>

#include "hsts.h"
#include "https_site.h"
#include "probe.h"

#define SIX_MONTHS 15552000LL

static void note_http_headers(struct job *j, const struct hsite *h)
{
	const struct hfetch *f = h->http.hop[0];
	if (!h->http.n || !f->done || !f->nsts)
		return;
	json_t *a = json_array();
	for (int i = 0; i < f->nsts && i < HFETCH_STS_MAX; i++)
		json_array_append_new(a, results_str_safe(f->sts[i], strlen(f->sts[i])));
	result_ev_set(j->res, "ignored_over_http", a);
	result_ev_str(j->res, "note", "An HSTS header sent over plain http:// is ignored by browsers (RFC 6797 8.1)");
}

static void record_policy(struct job *j, const struct hsts_policy *p)
{
	if (p->error != HSTS_OK) {
		result_ev_str(j->res, "parse_error", hsts_error_name(p->error));
		result_ev_int(j->res, "parse_error_at", (long long)p->error_at);
		if (p->duplicate[0])
			result_ev_str(j->res, "duplicate_directive", p->duplicate);
		return;
	}
	result_ev_int(j->res, "max_age", p->max_age);
	result_ev_bool(j->res, "include_subdomains", p->include_subdomains);
	result_ev_bool(j->res, "preload", p->preload);
}

static void verdict(struct job *j, struct hsite *h)
{
	const struct hfetch *m = &h->main;
	note_http_headers(j, h);
	if (!h->have_cert && hsite_fetch_failed(j, m, ST_ERROR))
		return;
	if (!h->have_cert || !h->cert.verified) {
		if (h->have_cert)
			result_ev_set(j->res, "certificate_problems", cert_problems_json(&h->cert));
		job_finish(j, ST_FAIL, "invalid_cert",
			   "Browsers ignore HSTS from %s: its certificate is not valid (%s)", h->https_url,
			   h->have_cert ? cert_verdict_code(&h->cert) : "none seen");
		return;
	}
	if (hsite_fetch_failed(j, m, ST_ERROR))
		return;
	result_ev_int(j->res, "headers", m->nsts);
	if (m->nsts == 0) {
		/* A weakness, not a broken site: testssl.sh and the Observatory rate it low too. */
		job_finish(j, ST_WARN, "missing", "%s sends no Strict-Transport-Security header", h->https_url);
		return;
	}
	result_ev_str(j->res, "header", m->sts[0]);
	struct hsts_policy p;
	int rc = hsts_parse(m->sts[0], strlen(m->sts[0]), &p);
	record_policy(j, &p);
	if (rc < 0) {
		job_finish(j, ST_FAIL, "invalid", "The HSTS header is malformed (%s), so browsers ignore it",
			   hsts_error_name(p.error));
		return;
	}
	if (m->nsts > 1) {
		json_t *all = json_array();
		for (int i = 0; i < m->nsts && i < HFETCH_STS_MAX; i++)
			json_array_append_new(all, results_str_safe(m->sts[i], strlen(m->sts[i])));
		result_ev_set(j->res, "all_headers", all);
		job_finish(j, ST_WARN, "multiple_headers",
			   "The site sends %d HSTS headers; browsers use only the first (max-age=%lld)", m->nsts,
			   p.max_age);
		return;
	}
	if (p.max_age == 0) {
		job_finish(j, ST_FAIL, "max_age_below_6_months",
			   "The HSTS header has max-age=0, which tells browsers to forget HSTS for this site");
		return;
	}
	if (p.max_age < SIX_MONTHS) {
		job_finish(j, ST_WARN, "max_age_below_6_months",
			   "The HSTS promise lasts %lld s (%lld days); at least six months (15552000 s) is recommended",
			   p.max_age, p.max_age / 86400);
		return;
	}
	job_finish(j, ST_PASS, "ok", "The site sends HSTS for %lld days%s", p.max_age / 86400,
		   p.include_subdomains ? ", subdomains included" : "");
}

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	return hsite_plan(eng, t, "https.hsts", HS_MAIN | HS_HTTP, verdict, e);
}

const struct probe probe_https_hsts = {
	.id = "https.hsts",
	.plan = plan,
};
