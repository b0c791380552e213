/* https_mixed.c: probe https.mixed — does the page (after https redirects, at most 2 MiB)
 * load parts of itself over plain http://? Active content (scripts, frames, stylesheets,
 * forms, plugins) is blocked by browsers: fail; passive content (images, media): warn. */
#include <string.h>
#include <strings.h>

#include "https_html.h"
#include "https_site.h"
#include "probe.h"

static int looks_html(const char *ct)
{
	return !ct || !*ct || strcasestr(ct, "html") != NULL;
}

static void no_page(struct job *j, const struct hsite *h, const char *why)
{
	result_ev_str(j->res, "reason", why);
	job_finish(j, ST_SKIP, "no_page", "No HTML page to check at %s: %s", h->https_url, why);
}

static void verdict(struct job *j, struct hsite *h)
{
	if (hsite_fetch_failed(j, &h->main, ST_ERROR))
		return;
	const struct hfetch *p = h->page_final;
	if (!p) {
		const struct hchain *c = &h->page;
		if (c->left_https)
			no_page(j, h, "it redirects to plain http://");
		else if (c->too_many)
			no_page(j, h, "too many redirects");
		else if (c->n && hsite_fetch_failed(j, c->hop[c->n - 1], ST_ERROR))
			return;
		else
			no_page(j, h, "no page came back");
		return;
	}
	result_ev_str(j->res, "page_url", p->effective_url ? p->effective_url : p->url);
	result_ev_int(j->res, "status", p->status);
	result_ev_int(j->res, "bytes", (long long)p->body.len);
	result_ev_bool(j->res, "truncated", p->truncated);
	if (!looks_html(p->content_type)) {
		result_ev_str(j->res, "content_type", p->content_type);
		no_page(j, h, "the answer is not HTML");
		return;
	}
	struct mixed_report r;
	mixed_scan(p->body.data, p->body.len, p->effective_url ? p->effective_url : p->url, &r);
	result_ev_int(j->res, "active_count", (long long)r.nactive);
	result_ev_int(j->res, "passive_count", (long long)r.npassive);
	result_ev_set(j->res, "active", json_incref(r.active));
	result_ev_set(j->res, "passive", json_incref(r.passive));
	if (!r.parsed)
		no_page(j, h, "the page is empty or could not be parsed");
	else if (r.nactive)
		job_finish(j, ST_FAIL, "mixed_active", "The page loads %zu script%s or other active part%s over plain "
			   "http:// (browsers block them)", r.nactive, r.nactive == 1 ? "" : "s", r.nactive == 1 ? "" : "s");
	else if (r.npassive)
		job_finish(j, ST_WARN, "mixed_passive", "The page loads %zu image%s or media file%s over plain http://",
			   r.npassive, r.npassive == 1 ? "" : "s", r.npassive == 1 ? "" : "s");
	else
		job_finish(j, ST_PASS, "ok", "The page loads all its parts over HTTPS");
	mixed_report_clear(&r);
}

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	return hsite_plan(eng, t, "https.mixed", HS_PAGE, verdict, e);
}

const struct probe probe_https_mixed = {
	.id = "https.mixed",
	.plan = plan,
};
