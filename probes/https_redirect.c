/* https_redirect.c: probe https.redirect — does the site's http:// address send visitors to
 * https://, by MDN HTTP Observatory's rules: nothing on http:// is fine; otherwise the
 * chain (at most 10 redirects) must end on https://, its first hop should already be
 * https://, and on the same host (else HSTS cannot be set for the name people type). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "https_site.h"
#include "probe.h"

static json_t *chain_json(const struct hchain *c)
{
	json_t *a = json_array();
	for (size_t i = 0; i < c->n; i++) {
		const struct hfetch *f = c->hop[i];
		json_t *o = json_object();
		json_object_set_new(o, "url", results_str_safe(f->url, strlen(f->url)));
		if (f->status)
			json_object_set_new(o, "status", json_integer(f->status));
		if (f->location)
			json_object_set_new(o, "location", results_str_safe(f->location, strlen(f->location)));
		if (hfetch_failure(f))
			json_object_set_new(o, "error", json_string(hfetch_failure(f)));
		json_array_append_new(a, o);
	}
	return a;
}

/* Nothing listens, or connecting never completes: there is no http:// site to redirect. */
static int no_listener(const struct hfetch *f)
{
	const char *why = hfetch_failure(f);
	return why && (!strcmp(why, "refused") || (!strcmp(why, "timeout") && !f->connected));
}

static void verdict(struct job *j, struct hsite *h)
{
	const struct hchain *c = &h->http;
	const struct hfetch *first = c->hop[0], *last = c->hop[c->n - 1];
	result_ev_str(j->res, "http_url", h->http_url);
	result_ev_set(j->res, "chain", chain_json(c));
	if (no_listener(first)) {
		result_ev_str(j->res, "error", first->err);
		job_finish(j, ST_PASS, "no_http", "Nothing answers at %s, so there is no plain-http site to redirect",
			   h->http_url);
		return;
	}
	if (hsite_fetch_failed(j, first, ST_ERROR))
		return;
	if (!hfetch_is_redirect(first)) {
		job_finish(j, ST_FAIL, "no_redirect", "%s answers (status %ld) instead of redirecting to https://",
			   h->http_url, first->status);
		return;
	}
	if (c->too_many) {
		job_finish(j, ST_FAIL, "too_many_redirects", "%s still redirects after %d redirects",
			   h->http_url, HSITE_MAX_HOPS);
		return;
	}
	result_ev_str(j->res, "final_url", last->url);
	result_ev_int(j->res, "redirects", (long long)c->n - 1);
	if (strncasecmp(last->url, "https:", 6)) {
		job_finish(j, ST_FAIL, "redirect_insecure", "%s redirects, but ends on plain http (%s)",
			   h->http_url, last->url);
		return;
	}
	if (strncasecmp(first->location, "https:", 6)) {
		job_finish(j, ST_WARN, "redirect_insecure",
			   "%s ends on https://, but its first redirect is to plain http (%s)", h->http_url,
			   first->location);
		return;
	}
	if (!same_host(first->location, h->http_url)) {
		job_finish(j, ST_WARN, "redirect_other_host_first",
			   "%s first redirects to another host (%s), so HSTS cannot be set for the name people type",
			   h->http_url, first->location);
		return;
	}
	job_finish(j, ST_PASS, "ok", "%s redirects to https:// on the same host", h->http_url);
}

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	return hsite_plan(eng, t, "https.redirect", HS_HTTP, verdict, e);
}

const struct probe probe_https_redirect = {
	.id = "https.redirect",
	.plan = plan,
};
