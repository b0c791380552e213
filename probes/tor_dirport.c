/* tor_dirport.c: probe tor.dirport — does each directory authority's DirPort serve what a
 * directory serves? An HTTP GET of /tor/server/authority (the authority's own router
 * descriptor, a few KB) judged on the status and on the body being a router descriptor
 * for the expected relay — where OONI counts any HTTP reply as success. */
#include <curl/curl.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "engine_curl.h"
#include "probe.h"
#include "tor_fronts.h"

#define DIR_BODY_MAX (256 * 1024)
#define DIR_PATH "/tor/server/authority"

struct dirport {
	struct job *job;
	struct endpoint ep;
	char expected[41];
	const struct targets *t;
	CURL *easy;
	struct curl_slist *resolve;
	struct buf body;
	int truncated;
	char errbuf[CURL_ERROR_SIZE];
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct dirport *d = arg;
	size_t len = size * n;
	if (d->body.len + len > DIR_BODY_MAX) {
		d->truncated = 1;
		return 0;   /* a descriptor is a few KB: this is something else */
	}
	buf_append(&d->body, p, len);
	return len;
}

/* The "fingerprint" line of a descriptor, spaces removed, into fp (41 bytes); 0 / -1. */
static int descriptor_fingerprint(const char *body, char fp[41])
{
	const char *p = strstr(body, "\nfingerprint ");
	if (!p)
		return -1;
	p += 13;
	int k = 0;
	for (; *p && *p != '\n' && k < 40; p++)
		if (isxdigit((unsigned char)*p))
			fp[k++] = (char)toupper((unsigned char)*p);
		else if (*p != ' ')
			return -1;
	fp[k] = '\0';
	return k == 40 ? 0 : -1;
}

static void judge_body(struct dirport *d, long status)
{
	struct job *j = d->job;
	const char *b = buf_cstr(&d->body);
	result_ev_int(j->res, "http_status", status);
	result_ev_int(j->res, "body_bytes", (long long)d->body.len);
	if (status != 200) {
		job_finish(j, ST_FAIL, "http_status", "The directory port answered HTTP %ld instead of the directory document",
			   status);
		return;
	}
	if (strncmp(b, "router ", 7) || d->truncated) {
		result_ev_set(j->res, "first_line", results_str_safe(b, strcspn(b, "\r\n")));
		job_finish(j, ST_FAIL, "not_tor", "Something answered at the directory port, but not with a Tor directory document");
		return;
	}
	result_ev_set(j->res, "router_line", results_str_safe(b, strcspn(b, "\r\n")));
	char fp[41];
	if (descriptor_fingerprint(b, fp) == 0) {
		result_ev_str(j->res, "fingerprint_seen", fp);
		if (d->expected[0] && strcmp(fp, d->expected)) {
			job_finish(j, ST_FAIL, "identity_mismatch",
				   "The directory port served the descriptor of another relay (fingerprint %s)", fp);
			return;
		}
	}
	job_finish(j, ST_PASS, "ok", "The directory port served the authority's own descriptor");
}

/* Said when the check ends: a transfer may wait its turn, and one still waiting at the
 * deadline contacted nothing. */
static void contacted(struct dirport *d)
{
	char ep[HOST_MAX + 16];
	job_contacted(d->job, endpoint_str(&d->ep, ep, sizeof ep));
}

static void done(void *arg, CURL *easy, CURLcode rc)
{
	struct dirport *d = arg;
	if (d->job->finished)
		return;
	contacted(d);
	long status = 0;
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
	if (status > 0 && (rc == CURLE_OK || d->truncated)) {
		judge_body(d, status);
		return;
	}
	const char *code = tor_curl_code(easy, rc);
	result_ev_str(d->job->res, "detail", d->errbuf[0] ? d->errbuf : curl_easy_strerror(rc));
	if (!strcmp(code, "local_resource")) {
		job_local_failure(d->job, d->errbuf[0] ? d->errbuf : curl_easy_strerror(rc));
		return;
	}
	static const struct { const char *code, *summary; } s[] = {
		{ "refused", "The connection to the directory port was refused" },
		{ "timeout", "The directory port did not answer in time" },
		{ "reset", "The connection to the directory port was cut off part way" },
		{ "eof", "The directory port closed the connection before answering" },
	};
	const char *summary = "There is no network route to the directory port";
	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		if (!strcmp(s[i].code, code))
			summary = s[i].summary;
	if (!strcmp(code, "tls_error") || !strcmp(code, "dns_error"))
		code = "unreachable";
	job_finish(d->job, ST_FAIL, code, "%s", summary);
}

static void start(struct job *j)
{
	struct dirport *d = j->state;
	char ep[HOST_MAX + 16], url[HOST_MAX + 64];
	endpoint_str(&d->ep, ep, sizeof ep);
	snprintf(url, sizeof url, "http://%s%s", ep, DIR_PATH);
	result_ev_str(j->res, "url", url);
	d->easy = tor_curl_new(j->eng, d->t, url, d->errbuf, &d->resolve);
	if (d->easy) {
		curl_easy_setopt(d->easy, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(d->easy, CURLOPT_WRITEDATA, d);
	}
	if (!d->easy || engine_curl_add(j->eng, d->easy, done, d) < 0)
		job_finish(j, ST_ERROR, "not_run", "Cannot start the HTTP request");
}

static void expire(struct job *j)
{
	struct dirport *d = j->state;
	if (engine_curl_waiting(d->easy)) {
		job_not_run(j);
		return;
	}
	contacted(d);
	job_finish(j, ST_FAIL, "timeout", "The directory port did not answer before the deadline");
}

static void cleanup(struct job *j)
{
	struct dirport *d = j->state;
	if (d->easy) {
		engine_curl_remove(j->eng, d->easy);
		curl_easy_cleanup(d->easy);
	}
	curl_slist_free_all(d->resolve);
	buf_free(&d->body);
	free(d);
}

static const struct job_ops ops = { start, expire, cleanup };

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	(void)e;
	for (size_t i = 0; i < t->ndirauths; i++) {
		const struct dirauth *da = &t->dirauths[i];
		if (!da->dir_addr.port)
			continue;
		struct dirport *d = xcalloc(1, sizeof *d);
		d->ep = da->dir_addr;
		d->t = t;
		snprintf(d->expected, sizeof d->expected, "%s", da->fp);
		char ep[HOST_MAX + 16];
		d->job = engine_job(eng, "tor.dirport", endpoint_str(&da->dir_addr, ep, sizeof ep), da->name, &ops, d);
	}
	return 0;
}

const struct probe probe_tor_dirport = {
	.id = "tor.dirport",
	.plan = plan,
};
