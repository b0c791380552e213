/* https_preload.c: probe https.preload — would hstspreload.org accept the site? Its rules
 * and error names (github.com/chromium/hstspreload): a valid certificate; exactly one HSTS
 * header with max-age >= 1 year, includeSubDomains and preload; http:// (when it answers)
 * first redirecting to https:// on the same host, that target carrying a preloadable header,
 * and no later hop to http://. Since 2025 the list's maintainers recommend HSTS but not
 * preloading (leaving the list is slow), so a site that does not ask to be preloaded only
 * gets a `skip` — the code still says which rule it would miss. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hsts.h"
#include "https_site.h"
#include "probe.h"

#define ONE_YEAR 31536000LL
#define TEN_YEARS 315360000LL

static const char note[] =
	"hstspreload.org (2025): HSTS is recommended, HSTS preloading is not (removal from the "
	"list takes months to reach users). Check the live list at https://hstspreload.org/";

struct findings {
	json_t *errors, *warnings;
	const char *code;   /* the first error's torready code */
};

static void err_add(struct findings *f, const char *name, const char *code)
{
	json_array_append_new(f->errors, json_string(name));
	if (!f->code)
		f->code = code;
}

/* PreloadableResponse: the header of one HTTPS response. Returns 1 when it has preload. */
static int check_header(struct findings *f, const struct hfetch *r)
{
	if (r->nsts == 0) {
		err_add(f, "response.no_header", "no_hsts");
		return 0;
	}
	if (r->nsts > 1) {
		err_add(f, "response.multiple_headers", "no_hsts");
		return 0;
	}
	struct hsts_policy p;
	if (hsts_parse(r->sts[0], strlen(r->sts[0]), &p) < 0) {
		err_add(f, p.error == HSTS_MAX_AGE_BAD ? "header.parse.max_age.non_digit_characters" : "header.parse",
			"no_hsts");
		return 0;
	}
	if (p.max_age == 0)
		err_add(f, "header.preloadable.max_age.zero", "max_age_below_1_year");
	else if (p.max_age < ONE_YEAR)
		err_add(f, "header.preloadable.max_age.below_1_year", "max_age_below_1_year");
	else if (p.max_age > TEN_YEARS)
		json_array_append_new(f->warnings, json_string("header.preloadable.max_age.over_10_years"));
	if (!p.include_subdomains)
		err_add(f, "header.preloadable.include_sub_domains.missing", "include_sub_domains_missing");
	if (!p.preload)
		err_add(f, "header.preloadable.preload.missing", "preload_missing");
	return p.preload;
}

static int www_of(const char *url, const char *host)
{
	char h[HOST_MAX];
	int port, https;
	if (url_parts(url, h, sizeof h, &port, &https) < 0)
		return 0;
	return !strncasecmp(h, "www.", 4) && !strcasecmp(h + 4, host);
}

/* preloadableHTTPRedirects: the http:// twin's chain, when something answers there. */
static void check_http_redirects(struct findings *f, const struct hsite *h)
{
	const struct hchain *c = &h->http;
	const struct hfetch *first = c->hop[0];
	const char *why = hfetch_failure(first);
	if (why) {
		if (strcmp(why, "refused") && !(!strcmp(why, "timeout") && !first->connected))
			json_array_append_new(f->warnings, json_string("internal.redirects.http.first_probe_failed"));
		return;   /* no http:// site: nothing to redirect */
	}
	if (!hfetch_is_redirect(first)) {
		err_add(f, "redirects.http.no_redirect", "redirect_not_https_same_host");
		return;
	}
	if (c->too_many || c->n > 4)
		err_add(f, "redirects.too_many", "redirect_not_https_same_host");
	int https = !strncasecmp(first->location, "https:", 6);
	if (https && same_host(first->location, h->http_url)) {
		struct findings sub = { json_array(), json_array(), NULL };
		if (c->n > 1 && hfetch_failure(c->hop[1])) {
			err_add(f, "redirects.http.first_redirect.invalid", "redirect_not_https_same_host");
		} else if (c->n > 1) {
			check_header(&sub, c->hop[1]);
			if (sub.code)
				err_add(f, "redirects.http.first_redirect.no_hsts", "redirect_not_https_same_host");
		}
		json_decref(sub.errors);
		json_decref(sub.warnings);
		for (size_t i = 1; i < c->n; i++)
			if (c->hop[i]->location && strncasecmp(c->hop[i]->location, "https:", 6)) {
				err_add(f, "redirects.insecure.subsequent", "redirect_not_https_same_host");
				break;
			}
		return;
	}
	if (www_of(first->location, h->host))
		err_add(f, "redirects.http.www_first", "redirect_not_https_same_host");
	else
		err_add(f, "redirects.http.first_redirect.insecure", "redirect_not_https_same_host");
}

static void verdict(struct job *j, struct hsite *h)
{
	const struct hfetch *m = &h->main;
	if (!h->have_cert && hsite_fetch_failed(j, m, ST_ERROR))
		return;
	struct findings f = { json_array(), json_array(), NULL };
	if (!h->have_cert || !h->cert.verified) {
		err_add(&f, "domain.tls.invalid_cert_chain", "invalid_cert");
		if (h->have_cert && (h->cert.problems & (1u << CP_SHA1_SIGNATURE)))
			err_add(&f, "domain.tls.sha1", "invalid_cert");
	}
	int asks = hsite_fetch_failed(j, m, ST_ERROR) ? -1 : check_header(&f, m);
	if (asks < 0) {
		json_decref(f.errors);
		json_decref(f.warnings);
		return;
	}
	if (h->page.left_https)
		err_add(&f, "redirects.insecure.initial", "redirect_not_https_same_host");
	check_http_redirects(&f, h);
	json_array_append_new(f.warnings, json_string("not checked here: subdomains (including www) over HTTPS, "
						      "domain.is_subdomain (only registrable domains are accepted)"));
	result_ev_set(j->res, "errors", f.errors);
	result_ev_set(j->res, "warnings", f.warnings);
	result_ev_str(j->res, "note", note);
	char link[HOST_MAX + 40];
	snprintf(link, sizeof link, "https://hstspreload.org/?domain=%s", h->host);
	result_ev_str(j->res, "check_url", link);
	if (!f.code) {
		job_finish(j, ST_PASS, "ok", "%s meets the HSTS preload list's rules (preloading is no longer "
			   "recommended by the list's maintainers)", h->host);
		return;
	}
	/* Asking to be preloaded while missing a rule is a real problem; not asking is a choice. */
	job_finish(j, asks ? ST_WARN : ST_SKIP, f.code, "%s %s the preload list's rules (first: %s); preloading "
		   "is no longer recommended, HSTS is", h->host, asks ? "asks to be preloaded but misses" : "does not ask to be preloaded; it misses",
		   json_string_value(json_array_get(f.errors, 0)));
}

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	return hsite_plan(eng, t, "https.preload", HS_MAIN | HS_HTTP | HS_PAGE, verdict, e);
}

const struct probe probe_https_preload = {
	.id = "https.preload",
	.plan = plan,
};
