/* https_tls.c: probe https.tls — which TLS versions the site accepts: four handshakes, one
 * per version (TLS 1.0 to 1.3), concurrently, each with our OpenSSL at security level 0 so
 * an old version is detected, not refused by us. Verdict (SSL Labs' and testssl's caps, RFC
 * 8996): neither 1.2 nor 1.3 → fail (today's browsers cannot connect); 1.0 or 1.1 offered →
 * warn (works, but deprecated: SSL Labs caps the grade at B); no 1.2 (1.3 only) → warn (old
 * clients cannot connect); no 1.3 → warn. */
#include <string.h>

#include "https_site.h"
#include "probe.h"

static const char *const names[HS_NTLS] = { "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3" };

/* 1 offered, 0 refused by the server, -1 unknown (could not connect at all). */
static int offered(const struct hfetch *f)
{
	const char *why = hfetch_failure(f);
	if (!why)
		return 1;
	return !strcmp(why, "tls_error") || !strcmp(why, "reset") || !strcmp(why, "eof") ? 0 : -1;
}

static void verdict(struct job *j, struct hsite *h)
{
	int v[HS_NTLS], unknown = -1, any = 0;
	json_t *versions = json_object(), *details = json_object();
	for (int i = 0; i < HS_NTLS; i++) {
		v[i] = offered(&h->tls[i]);
		json_object_set_new(versions, names[i], v[i] < 0 ? json_null() : json_boolean(v[i]));
		if (h->tls[i].rc != CURLE_OK && h->tls[i].err[0])
			json_object_set_new(details, names[i], results_str_safe(h->tls[i].err, strlen(h->tls[i].err)));
		if (v[i] < 0 && unknown < 0)
			unknown = i;
		any |= v[i] == 1;
	}
	result_ev_set(j->res, "versions", versions);
	result_ev_set(j->res, "errors", details);
	if (h->tls_from_main >= 0)   /* that version's answer is the site's main connection */
		result_ev_str(j->res, "seen_on_main_connection", names[h->tls_from_main]);
	if (unknown >= 0) {
		hsite_fetch_failed(j, &h->tls[unknown], ST_ERROR);
		return;
	}
	if (!any) {
		job_finish(j, ST_FAIL, "tls_error", "The server completed no TLS handshake (TLS 1.0 to 1.3 all failed)");
		return;
	}
	if (!v[HS_TLS12] && !v[HS_TLS13])
		job_finish(j, ST_FAIL, "no_tls12", "The server offers neither TLS 1.2 nor TLS 1.3; today's browsers cannot connect%s",
			   v[HS_TLS10] ? " (it offers only outdated TLS 1.0/1.1)" : "");
	else if (v[HS_TLS10])
		job_finish(j, ST_WARN, "tls10_offered", "The server still accepts TLS 1.0 (deprecated since 2021, RFC 8996)%s",
			   v[HS_TLS11] ? " and TLS 1.1" : "");
	else if (v[HS_TLS11])
		job_finish(j, ST_WARN, "tls11_offered", "The server still accepts TLS 1.1 (deprecated since 2021, RFC 8996)");
	else if (!v[HS_TLS12])
		job_finish(j, ST_WARN, "no_tls12", "The server offers only TLS 1.3; older clients cannot connect");
	else if (!v[HS_TLS13])
		job_finish(j, ST_WARN, "no_tls13", "The server offers TLS 1.2 but not TLS 1.3, the current version");
	else
		job_finish(j, ST_PASS, "ok", "The server offers TLS 1.2 and 1.3 and nothing older");
}

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	return hsite_plan(eng, t, "https.tls", HS_TLS, verdict, e);
}

const struct probe probe_https_tls = {
	.id = "https.tls",
	.plan = plan,
};
