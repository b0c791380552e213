/* https_client.c: probe https.client — does this machine's HTTPS software refuse bad
 * certificates? A TLS handshake with libcurl exactly as other programs here use it: its
 * verification on and its default trust store — not --cafile — except that, like curl and
 * OpenSSL programs, it honours CURL_CA_BUNDLE and then SSL_CERT_FILE (that is how a test, or
 * a user, points it at another bundle without touching /etc). Targets: the targets'
 * `client_checks` list, by default badssl.com's expired, wrong.host, self-signed and
 * untrusted-root hosts. Refused → pass; accepted → fail accepts_bad_cert. */
#include <stdlib.h>
#include <string.h>

#include "easy_handle.h"
#include "https_net.h"
#include "probe.h"

struct client_job {
	struct job *job;
	const struct targets *t;
	const char *url;
	struct hreq req;
	struct curl_slist *resolve;
	char err[CURL_ERROR_SIZE];
};

/* The bundle a program here would use, and where that choice came from. */
static const char *ca_bundle(const char **source)
{
	const char *v;
	if ((v = getenv("CURL_CA_BUNDLE")) && *v) {
		*source = "CURL_CA_BUNDLE";
		return v;
	}
	if ((v = getenv("SSL_CERT_FILE")) && *v) {
		*source = "SSL_CERT_FILE";
		return v;
	}
	*source = "libcurl default";
	return NULL;
}

static void done(struct hreq *r, CURLcode rc)
{
	struct client_job *cj = r->arg;
	struct job *j = cj->job;
	CURL *e = r->easy;
	long os_errno = 0;
	curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &os_errno);
	r->easy = NULL;
	curl_easy_cleanup(e);
	if (j->finished)
		return;
	if (cj->err[0])
		result_ev_str(j->res, "error", cj->err);
	if (rc == CURLE_PEER_FAILED_VERIFICATION) {
		job_finish(j, ST_PASS, "ok", "The bad certificate was refused, as it should be");
	} else if (rc == CURLE_OK) {
		job_finish(j, ST_FAIL, "accepts_bad_cert",
			   "This machine's HTTPS software accepted a certificate it should refuse (%s)", cj->url);
	} else {
		struct hfetch f = { .rc = rc, .os_errno = os_errno };
		const char *why = hfetch_failure(&f);
		if (!strcmp(why, "tls_error"))
			job_finish(j, ST_ERROR, "tls_error", "The handshake with %s failed before any certificate check", cj->url);
		else if (!strcmp(why, "timeout"))
			job_finish(j, ST_ERROR, "timeout", "%s did not answer in time, so this was not checked", cj->url);
		else
			job_finish(j, ST_ERROR, "unreachable", "%s could not be reached (%s), so this was not checked",
				   cj->url, cj->err[0] ? cj->err : why);
	}
}

static void start(struct job *j)
{
	struct client_job *cj = j->state;
	char ep[HOST_MAX + 16];
	url_endpoint(cj->url, ep, sizeof ep);
	job_contacted(j, ep);
	const char *source, *bundle = ca_bundle(&source);
	cj->resolve = resolve_for(j->eng, &cj->t->resolve, cj->url);
	struct easy_opts eo = { .url = cj->url, .connect_only = 1, .timeout_ms = engine_remaining_ms(j->eng),
				.errbuf = cj->err, .fresh = 1, .protocols = "https", .cafile = bundle,
				.resolve = cj->resolve };
	CURL *e = easy_handle_new(&eo);
	if (!e) {
		job_finish(j, ST_ERROR, "tls_error", "Could not start a transfer");
		return;
	}
	char *dflt = NULL;
	curl_easy_getinfo(e, CURLINFO_CAINFO, &dflt);
	result_ev_str(j->res, "ca_source", source);
	result_ev_str(j->res, "ca_bundle", bundle ? bundle : dflt ? dflt : "(built in)");
	cj->req.easy = e;
	cj->req.arg = cj;
	cj->req.done = done;
	hreq_start(j->eng, &cj->req);
}

static void cleanup(struct job *j)
{
	struct client_job *cj = j->state;
	if (cj->req.easy) {
		hreq_cancel(j->eng, &cj->req);
		curl_easy_cleanup(cj->req.easy);
	}
	curl_slist_free_all(cj->resolve);
	free(cj);
}

static const struct job_ops ops = { start, NULL, cleanup };

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	(void)e;
	for (size_t i = 0; i < t->nclient_checks; i++) {
		struct client_job *cj = xcalloc(1, sizeof *cj);
		cj->t = t;
		cj->url = t->client_checks[i].url;
		cj->job = engine_job(eng, "https.client", cj->url, t->client_checks[i].name, &ops, cj);
	}
	return 0;
}

const struct probe probe_https_client = {
	.id = "https.client",
	.plan = plan,
};
