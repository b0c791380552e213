/* https_cert.c: probe https.cert — is the site's certificate valid, trusted (system store
 * plus --cafile / tls.cafile), made for its name, signed with a strong hash, on a strong key,
 * within the CA/B Forum's maximum lifetime (publicly trusted chains only: kb/dated.yaml holds
 * the schedule), and not about to expire (testssl's thresholds)?
 * The judging is https_verify.c's; this file turns it into a result with evidence. */
#include <stdio.h>
#include <string.h>

#include "https_site.h"
#include "probe.h"

static void evidence(struct job *j, const struct hsite *h)
{
	const struct cert_verdict *v = &h->cert;
	json_t *o = cert_chain_json(h->main.chain);
	const char *k;
	json_t *val;
	json_object_foreach(o, k, val)
		result_ev_set(j->res, k, json_incref(val));
	json_decref(o);
	result_ev_int(j->res, "days_left", v->days_left);
	result_ev_int(j->res, "lifetime_days", v->lifetime_days);
	result_ev_int(j->res, "max_lifetime_days", v->max_lifetime_days);
	if (v->lifetime_rule)
		result_ev_str(j->res, "lifetime_rule", v->lifetime_rule);
	result_ev_int(j->res, "expiry_warn_days", v->warn_days);
	result_ev_bool(j->res, "lets_encrypt", v->lets_encrypt);
	result_ev_int(j->res, "chain_sent", sk_X509_num(h->main.chain));
	result_ev_set(j->res, "problems", cert_problems_json(v));
	if (json_array_size(v->errors))
		result_ev_set(j->res, "verify_errors", json_incref(v->errors));
	if (h->main.tls_version[0])
		result_ev_str(j->res, "tls_version", h->main.tls_version);
	result_ev_str(j->res, "trust", h->t->cafile ? "system store + cafile" : "system store");
	if (h->t->cafile)
		result_ev_str(j->res, "cafile", h->t->cafile);
}

static void summary(struct job *j, const struct hsite *h, enum status st, const char *code)
{
	const struct cert_verdict *v = &h->cert;
	long long d = v->days_left;
	if (!strcmp(code, "ok") && v->lifetime_rule && !strcmp(v->lifetime_rule, "private_root"))
		job_finish(j, st, code, "The certificate for %s is valid and trusted (%lld days left); note: its "
			   "%lld-day lifetime is over the %lld days public CAs may issue, a limit that does not "
			   "bind a private CA like this one", h->host, d, v->lifetime_days, v->max_lifetime_days);
	else if (!strcmp(code, "ok"))
		job_finish(j, st, code, "The certificate for %s is valid and trusted (%lld days left)", h->host, d);
	else if (!strcmp(code, "expired"))
		job_finish(j, st, code, "The certificate expired %lld day%s ago", -d, d == -1 ? "" : "s");
	else if (!strcmp(code, "not_yet_valid"))
		job_finish(j, st, code, "The certificate is not valid yet (or this machine's clock is wrong)");
	else if (!strcmp(code, "expiring_soon"))
		job_finish(j, st, code, "The certificate expires in %lld day%s (warning from %lld days before)", d,
			   d == 1 ? "" : "s", v->warn_days);
	else if (!strcmp(code, "hostname_mismatch"))
		job_finish(j, st, code, "The certificate is not made for %s", h->host);
	else if (!strcmp(code, "self_signed"))
		job_finish(j, st, code, "The certificate is self-signed: no authority vouches for it");
	else if (!strcmp(code, "untrusted_root"))
		job_finish(j, st, code, "The certificate chain ends at an authority this machine does not trust");
	else if (!strcmp(code, "incomplete_chain"))
		job_finish(j, st, code, "The server does not send the intermediate certificate; curl and OpenSSL "
			   "refuse it (browsers that fetch it themselves may not notice)");
	else if (!strcmp(code, "sha1_signature"))
		job_finish(j, st, code, "The certificate chain is signed with SHA-1, which is broken and refused");
	else if (!strcmp(code, "weak_key"))
		job_finish(j, st, code, "The certificate's key is too small (RSA under 2048 bits)");
	else if (!strcmp(code, "lifetime_too_long"))
		job_finish(j, st, code, "The certificate is valid for %lld days; certificates issued then may last "
			   "at most %lld", v->lifetime_days, v->max_lifetime_days);
	else
		job_finish(j, st, code, "The certificate chain does not verify (see the evidence)");
}

static void verdict(struct job *j, struct hsite *h)
{
	if (!h->have_cert) {
		if (!hsite_fetch_failed(j, &h->main, ST_FAIL))
			job_finish(j, ST_ERROR, "tls_error", "No certificate was seen from %s", h->https_url);
		return;
	}
	evidence(j, h);
	const char *code = cert_verdict_code(&h->cert);
	enum status st = !strcmp(code, "ok") ? ST_PASS
			 : (h->cert.problems & ((1u << CP_FIRST_WARNING) - 1)) ? ST_FAIL : ST_WARN;
	summary(j, h, st, code);
}

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	return hsite_plan(eng, t, "https.cert", HS_MAIN, verdict, e);
}

const struct probe probe_https_cert = {
	.id = "https.cert",
	.plan = plan,
};
