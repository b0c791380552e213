/* mail_tls.c: probe mail.tls — does a mail submission server offer encryption, and does its
 * certificate hold up? libcurl's SMTP does the dance (greeting, EHLO, STARTTLS, EHLO again;
 * implicit TLS on port 465) in CONNECT_ONLY mode, so no mail is sent and no login tried;
 * tlscap records the chain and OpenSSL's verdict, and the name is checked here. */
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "certinfo.h"
#include "easy_handle.h"
#include "engine_curl.h"
#include "fdbudget.h"
#include "probe.h"
#include "tlscap.h"

#define MAIL_CAPS_MAX 4096

struct mail_job {
	struct job *job;
	const struct targets *t;
	struct endpoint ep;
	int implicit;            /* port 465: TLS from the first byte */
	CURL *easy;
	int sock_errno;          /* socket()'s errno when curl could not make one */
	struct curl_slist *resolve;
	struct tlscap cap;
	struct buf caps;         /* the server's EHLO lines, as evidence */
	char errbuf[CURL_ERROR_SIZE];
};

/* Collects what the server said (greeting, EHLO capabilities); never the TLS bytes. */
static int on_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *arg)
{
	struct mail_job *m = arg;
	(void)easy;
	if (type != CURLINFO_HEADER_IN || m->caps.len + size > MAIL_CAPS_MAX)
		return 0;
	buf_append(&m->caps, data, size);
	return 0;
}

static const struct {
	int err;
	const char *code, *summary;
} cert_codes[] = {
	{ X509_V_ERR_CERT_HAS_EXPIRED, "expired", "its certificate has expired" },
	{ X509_V_ERR_CERT_NOT_YET_VALID, "not_yet_valid", "its certificate is not valid yet (or this clock is wrong)" },
	{ X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, "self_signed", "its certificate is signed by itself" },
	{ X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, "untrusted_root", "its certificate comes from an authority this machine does not trust" },
};

/* The certificate code for an OpenSSL verify error, like https.cert's. */
static const char *cert_code(const struct tlscap *cap, const char **summary)
{
	for (size_t i = 0; i < sizeof cert_codes / sizeof *cert_codes; i++)
		if (cap->verify_err == cert_codes[i].err) {
			*summary = cert_codes[i].summary;
			return cert_codes[i].code;
		}
	if (cap->verify_err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	    cap->verify_err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT) {
		/* A lone leaf whose issuer is unknown: most likely the intermediate is missing. */
		if (cap->chain && sk_X509_num(cap->chain) == 1) {
			*summary = "it sends its certificate without the in-between certificates needed to check it";
			return "incomplete_chain";
		}
		*summary = "its certificate comes from an authority this machine does not trust";
		return "untrusted_root";
	}
	*summary = "its certificate does not check out";
	return "cert_error";
}

static int name_matches(X509 *leaf, const char *host)
{
	int rc = host_is_ip_literal(host) ? X509_check_ip_asc(leaf, host, 0) : X509_check_host(leaf, host, 0, 0, NULL);
	return rc == 1;
}

static void chain_evidence(struct mail_job *m)
{
	json_t *a = json_array();
	for (int i = 0; m->cap.chain && i < sk_X509_num(m->cap.chain); i++)
		json_array_append_new(a, certinfo_json(sk_X509_value(m->cap.chain, i), NULL));
	result_ev_set(m->job->res, "chain", a);
	if (m->cap.version[0])
		result_ev_str(m->job->res, "tls_version", m->cap.version);
}

static void tls_verdict(struct mail_job *m)
{
	struct job *j = m->job;
	chain_evidence(m);
	if (!m->cap.chain || !sk_X509_num(m->cap.chain)) {
		job_finish(j, ST_FAIL, "tls_error", "The mail server's encryption started without a certificate");
		return;
	}
	const char *what;
	if (m->cap.verify_err != X509_V_OK) {
		const char *code = cert_code(&m->cap, &what);
		result_ev_str(j->res, "verify_error", X509_verify_cert_error_string(m->cap.verify_err));
		job_finish(j, ST_FAIL, code, "The mail server offers encryption, but %s; mail programs will warn or refuse", what);
		return;
	}
	if (!name_matches(sk_X509_value(m->cap.chain, 0), m->ep.host)) {
		job_finish(j, ST_FAIL, "hostname_mismatch", "The mail server's certificate was made for another name than %s",
			   m->ep.host);
		return;
	}
	job_finish(j, ST_PASS, "ok", "The mail server %s, with a valid certificate (%s)",
		   m->implicit ? "uses encryption from the start" : "offers encryption (STARTTLS) and it works",
		   m->cap.version[0] ? m->cap.version : "TLS");
}

/* curl skips lines that are no SMTP reply and waits on: bytes that never began with one
 * ("220 ", "250-") mean something else answered. */
static int said_junk(const struct mail_job *m)
{
	const char *p = m->caps.data;
	if (!m->caps.len)
		return 0;
	return m->caps.len < 4 || !isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	       !isdigit((unsigned char)p[2]) || (p[3] != ' ' && p[3] != '-');
}

static void failed(struct mail_job *m, CURLcode rc)
{
	long oserr = 0;
	const char *detail = m->errbuf[0] ? m->errbuf : curl_easy_strerror(rc);
	result_ev_str(m->job->res, "detail", detail);
	switch (rc) {
	case CURLE_USE_SSL_FAILED:
		job_finish(m->job, ST_FAIL, "no_starttls", "The mail server does not offer encryption (no STARTTLS): "
			   "passwords and mail would cross the network readable");
		return;
	case CURLE_OPERATION_TIMEDOUT:
		if (said_junk(m))
			job_finish(m->job, ST_FAIL, "not_smtp", "The server did not answer like a mail server");
		else
			job_finish(m->job, ST_FAIL, "timeout", "The mail server did not answer in time");
		return;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(m->easy, CURLINFO_OS_ERRNO, &oserr);
		if (!oserr)
			oserr = m->sock_errno;
		if (errno_is_local((int)oserr)) {
			job_local_failure(m->job, strerror((int)oserr));
			return;
		}
		if (oserr == ECONNREFUSED) {
			job_finish(m->job, ST_FAIL, "refused", "The connection to the mail server was refused");
			return;
		}
		/* fall through */
	case CURLE_COULDNT_RESOLVE_HOST:
		job_finish(m->job, ST_FAIL, "unreachable", "The mail server cannot be reached from here");
		return;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
		if (!m->cap.chain) {
			job_finish(m->job, ST_FAIL, "not_smtp", "The server did not answer like a mail server");
			return;
		}
		/* fall through */
	default:
		chain_evidence(m);
		job_finish(m->job, ST_FAIL, "tls_error", "The mail server's encryption failed while being set up");
	}
}

/* Said when the check ends, not when it is planned: a transfer may wait its turn, and one
 * still waiting at the deadline contacted nothing. */
static void contacted(struct mail_job *m)
{
	char ep[HOST_MAX + 16];
	job_contacted(m->job, endpoint_str(&m->ep, ep, sizeof ep));
}

static void done(void *arg, CURL *easy, CURLcode rc)
{
	struct mail_job *m = arg;
	(void)easy;
	if (m->job->finished)
		return;
	contacted(m);
	if (m->caps.len)
		result_ev_str(m->job->res, "server_said", buf_cstr(&m->caps));
	result_ev_bool(m->job->res, "starttls_offered", m->implicit || strstr(buf_cstr(&m->caps), "STARTTLS"));
	if (rc == CURLE_OK)
		tls_verdict(m);
	else
		failed(m, rc);
}

/* Makes m->easy; 0 / -1. */
static int setup(struct mail_job *m, long timeout_ms)
{
	char url[HOST_MAX + 40];
	int v6 = strchr(m->ep.host, ':') != NULL;
	/* The path is the EHLO name: "localhost" rather than this machine's own host name. */
	snprintf(url, sizeof url, "%s://%s%s%s:%d/localhost", m->implicit ? "smtps" : "smtp", v6 ? "[" : "",
		 m->ep.host, v6 ? "]" : "", m->ep.port);
	/* The certificate is judged from tlscap's record, so a bad one is reported, not fatal. */
	m->resolve = easy_resolve_list(m->t->resolve.v, m->t->resolve.n);
	struct easy_opts eo = { .url = url, .connect_only = 1, .no_verify = 1, .fresh = 1, .no_reuse = 1,
				.timeout_ms = timeout_ms, .errbuf = m->errbuf, .cafile = m->t->cafile,
				.resolve = m->resolve, .sock_errno = &m->sock_errno };
	CURL *e = m->easy = easy_handle_new(&eo);
	if (!e)
		return -1;
	curl_easy_setopt(e, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(e, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(e, CURLOPT_DEBUGDATA, m);
	m->cap.verify = 1;
	m->cap.cafile = m->t->cafile;
	tlscap_attach(e, &m->cap);
	return 0;
}

static void start(struct job *j)
{
	struct mail_job *m = j->state;
	char ep[HOST_MAX + 16];
	endpoint_str(&m->ep, ep, sizeof ep);
	result_ev_str(j->res, "address", ep);
	result_ev_str(j->res, "mode", m->implicit ? "implicit TLS (port 465)" : "STARTTLS");
	if (setup(m, engine_remaining_ms(j->eng)) < 0) {
		job_finish(j, ST_ERROR, "tls_error", "Could not start the mail check (libcurl)");
		return;
	}
	if (engine_curl_add(j->eng, m->easy, done, m) < 0)
		job_finish(j, ST_ERROR, "tls_error", "Could not start the mail check (libcurl)");
}

static void cleanup(struct job *j)
{
	struct mail_job *m = j->state;
	if (m->easy) {
		engine_curl_remove(j->eng, m->easy);
		curl_easy_cleanup(m->easy);
	}
	curl_slist_free_all(m->resolve);
	tlscap_clear(&m->cap);
	buf_free(&m->caps);
	free(m);
}

static void expire(struct job *j)
{
	struct mail_job *m = j->state;
	if (engine_curl_waiting(m->easy)) {
		job_not_run(j);
		return;
	}
	contacted(m);
	if (m->caps.len)
		result_ev_str(j->res, "server_said", buf_cstr(&m->caps));
	if (said_junk(m))
		job_finish(j, ST_FAIL, "not_smtp", "The server did not answer like a mail server");
	else
		job_finish(j, ST_FAIL, "timeout", "The mail server did not finish the exchange before the deadline");
}

static const struct job_ops ops = { start, expire, cleanup };

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	for (size_t i = 0; i < t->mail.n; i++) {
		struct mail_job *m = xcalloc(1, sizeof *m);
		m->t = t;
		if (endpoint_parse(t->mail.v[i], 587, &m->ep, e) < 0) {
			free(m);
			return -1;
		}
		m->implicit = m->ep.port == 465;
		buf_init(&m->caps);
		m->job = engine_job(eng, "mail.tls", t->mail.v[i], "", &ops, m);
	}
	return 0;
}

const struct probe probe_mail_tls = {
	.id = "mail.tls",
	.plan = plan,
};
