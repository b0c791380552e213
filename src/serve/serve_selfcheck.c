/* serve_selfcheck.c: GET /self-check (a page for people, no JavaScript) and
 * GET /self-check.json: the verdict on the visitor's own connection to this server, built
 * from the ClientHello the TLS front kept and the User-Agent, and the certificate this server
 * sends, so the visitor can compare it with what their browser shows. Each visit is recorded
 * without the visitor's address. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <jansson.h>

#include "browser.h"
#include "buf.h"
#include "serve.h"
#include "serve_store.h"
#include "site.h"
#include "tpl.h"

#define TEMPLATE_MAX_BYTES (1u << 20)

/* Partials from the templates directory; a name with a slash or a leading dot never reads
 * outside it. style.css is taken as is (base.mustache includes it). */
static int load_partial(void *ud, const char *name, struct buf *out)
{
	const struct serve *s = ud;
	if (!*name || strchr(name, '/') || name[0] == '.')
		return -1;
	struct buf path;
	buf_init(&path);
	buf_printf(&path, "%s/%s%s", s->o.templates_dir, name, strchr(name, '.') ? "" : ".mustache");
	int rc = read_file(path.data, TEMPLATE_MAX_BYTES, out) < 0 ? -1 : 0;
	buf_free(&path);
	return rc;
}

int serve_selfcheck_init(struct serve *s, char *errbuf, size_t errlen)
{
	struct buf path, src;
	buf_init(&path);
	buf_init(&src);
	buf_printf(&path, "%s/self-check.mustache", s->o.templates_dir);
	struct err e;
	err_clear(&e);
	int rc = 0;
	if (read_file(path.data, TEMPLATE_MAX_BYTES, &src) < 0) {
		snprintf(errbuf, errlen, "cannot read template %s: %s", path.data, file_strerror(errno));
		rc = -1;
	} else if (!(s->selfcheck_tpl = tpl_compile(path.data, src.data, src.len, &e))) {
		err_str(&e, errbuf, errlen);
		rc = -1;
	}
	buf_free(&path);
	buf_free(&src);
	return rc;
}

static const char *family_label(enum browser_family f)
{
	switch (f) {
	case BR_CHROMIUM: return "Chrome or another Chromium-based browser (Edge, Opera, Brave)";
	case BR_FIREFOX: return "Firefox";
	case BR_SAFARI: return "Safari";
	default: return "a program this check does not know";
	}
}

/* What the person reads first, and what to do, per verdict. */
static void verdict_words(enum selfcheck_verdict v, const char **headline, json_t *todo)
{
	switch (v) {
	case SC_INTERCEPTED:
		*headline = "Something between you and this server opened your secure connection";
		json_array_append_new(todo, json_string(
			"Assume that whoever runs it (a campus or company proxy, or antivirus "
			"\"web protection\" on this computer) can read what you send over HTTPS here."));
		json_array_append_new(todo, json_string(
			"Compare the certificate your browser shows for this page with the one below: "
			"a different issuer or key confirms it."));
		json_array_append_new(todo, json_string(
			"Ask your IT help desk whether TLS inspection is on, and do not log in to "
			"private accounts from this network until you know."));
		break;
	case SC_CLEAR:
		*headline = "Your browser's secure connection reached this server unchanged";
		json_array_append_new(todo, json_string(
			"Nothing to do. To be thorough, compare the certificate your browser shows "
			"with the one below: they should match."));
		break;
	default:
		*headline = "This check cannot tell whether your connection was opened on the way";
		json_array_append_new(todo, json_string(
			"Compare the certificate your browser shows with the one below: that is the "
			"check that works with every browser."));
		json_array_append_new(todo, json_string(
			"Or open this page in a current Chrome, Edge, Firefox or Safari."));
		break;
	}
}

void serve_selfcheck(struct serve *s, struct evhttp_request *req, int as_json)
{
	struct serve_conn *c = serve_conn_of(req);
	const char *ua = evhttp_find_header(evhttp_request_get_input_headers(req), "User-Agent");
	struct browser_judgement j;
	browser_judge(ua, c && c->parsed ? &c->ch : NULL, &j);
	const char *ja4 = c && c->parsed ? c->ja4 : "";
	const char *verdict = selfcheck_verdict_name(j.verdict);

	/* One record per page view; the JSON twin is what scripts and tests read. */
	if (s->store && serve_store_selfcheck(s->store, browser_family_name(j.family), j.version,
						verdict, ja4) == 0)
		serve_site_checks_changed(s);

	json_t *signals = json_array();
	for (size_t i = 0; i < j.nsignals; i++)
		json_array_append_new(signals, json_string(j.signals[i]));
	json_t *cert = json_pack("{s:s, s:s, s:s}", "issuer", s->cert_issuer, "subject",
				 s->cert_subject, "spki_sha256", s->cert_pin);
	json_t *client = json_pack("{s:s, s:s, s:s}", "family", browser_family_name(j.family),
				   "version", j.version, "ja4", ja4);
	if (as_json) {
		json_t *doc = json_pack("{s:s, s:o, s:o, s:o, s:s}", "verdict", verdict, "client",
					client, "signals", signals, "certificate", cert, "why", j.why);
		return serve_reply_json(req, 200, doc);
	}

	const char *headline;
	json_t *todo = json_array();
	verdict_words(j.verdict, &headline, todo);
	json_object_set_new(client, "label", json_string(family_label(j.family)));
	json_t *view = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:o, s:o, s:o, s:o,"
				 " s:b, s:s, s:s, s:s, s:b}",
		"lang", "en", "version", TORREADY_VERSION, "page", "self-check",
		"verdict", verdict, "headline", headline, "why", j.why,
		"is_clear", j.verdict == SC_CLEAR, "is_intercepted", j.verdict == SC_INTERCEPTED,
		"is_unknown", j.verdict == SC_UNKNOWN,
		"todo", todo, "client", client, "signals", signals, "certificate", cert,
		"has_signals", j.nsignals > 0,
		"article_href", j.verdict == SC_INTERCEPTED ? "tls-inspection.html" : "verify-a-certificate.html",
		"article_title", j.verdict == SC_INTERCEPTED
			? "Is something on this network opening your secure connections?"
			: "Check a site's certificate yourself",
		"index_href", "./", "has_nav", 1);
	const struct site_file *site = s->o.site_file;
	if (site && site->department)
		json_object_set_new(view, "department", json_string(site->department));
	if (site && site->contact)
		json_object_set_new(view, "contact", json_string(site->contact));
	if (site && site->contact_url)
		json_object_set_new(view, "contact_url", json_string(site->contact_url));
	struct buf out;
	buf_init(&out);
	struct err e;
	err_clear(&e);
	if (!view || tpl_render_compiled(s->selfcheck_tpl, view, load_partial, s, &out, &e) < 0) {
		char msg[600];
		fprintf(stderr, "torready serve: self-check page: %s\n", err_str(&e, msg, sizeof msg));
		serve_reply(req, 500, "text/plain; charset=utf-8", "internal error\n", 15);
	} else {
		serve_reply(req, 200, "text/html; charset=utf-8", out.data, out.len);
	}
	buf_free(&out);
	json_decref(view);
}
