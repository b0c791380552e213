/* serve_api.c: POST /api/results (the machines' submissions), GET /api/summary.json (public,
 * counts only) and GET /api/self-checks (the department's, with the token). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "buf.h"
#include "results.h"
#include "serve.h"
#include "verdict.h"
#include "results_redact.h"
#include "serve_store.h"

#define MAX_BODY (4u * 1024 * 1024)

int serve_authorized(struct serve *s, struct evhttp_request *req)
{
	if (!s->token_len)
		return 0;
	const char *h = evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7))
		return 0;
	h += 7;
	while (*h == ' ')
		h++;
	size_t n = strlen(h);
	/* Constant time over the token's length; a wrong length is compared too, against the
	 * token itself, so the time does not say which part was wrong. */
	int same = CRYPTO_memcmp(n == s->token_len ? h : s->token, s->token, s->token_len) == 0;
	return same && n == s->token_len;
}

static void unauthorized(struct evhttp_request *req)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
			  "Bearer realm=\"torready\"");
	serve_reply_error(req, 401, "a valid bearer token is required");
}

static void sha256_hex(const char *s, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	EVP_Digest(s, len, md, &n, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* A machine id is ours only when it is short and plain; anything else counts the document
 * as its own machine (by digest) rather than trusting odd bytes as a key. */
static const char *machine_of(json_t *doc)
{
	const char *m = json_string_value(json_object_get(json_object_get(doc, "host"), "machine_id"));
	if (!m || !*m || strlen(m) > 128)
		return NULL;
	for (const char *p = m; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      *p == '-' || *p == '_'))
			return NULL;
	return m;
}

void serve_api_results(struct serve *s, struct evhttp_request *req)
{
	if (!s->token_len)
		return serve_reply_error(req, 403, "submission is off: serve was started without --token-file");
	if (!serve_authorized(s, req))
		return unauthorized(req);
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	if (len > MAX_BODY)
		return serve_reply_error(req, 413, "the body is over 4 MiB");
	const char *body = (const char *)evbuffer_pullup(in, -1);
	json_error_t je;
	json_t *doc = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &je);
	char msg[600];
	if (!doc) {
		snprintf(msg, sizeof msg, "bad JSON at %d:%d: %s", je.line, je.column, je.text);
		return serve_reply_error(req, 400, msg);
	}
	struct results rs;
	results_init(&rs);
	struct err e;
	err_clear(&e);
	if (results_from_json(doc, "body", &rs, &e) < 0) {
		results_free(&rs);
		snprintf(msg, sizeof msg, "not a results document: %s", e.msg);
		json_decref(doc);
		return serve_reply_error(req, 400, msg);
	}
	/* The document's own verdict when it carries a valid one, else verdict.c's rules now: an
	 * older torready's results are counted at the level this one would give them. */
	const char *level = verdict_level_name(results_verdict_level(&rs));
	results_free(&rs);
	/* The digest is over the document as submitted, keys sorted: the same document sent
	 * twice (a retry, a timer firing twice) is one row. */
	char *canon = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	char digest[65];
	sha256_hex(canon ? canon : "", canon ? strlen(canon) : 0, digest);
	free(canon);
	const char *machine = machine_of(doc);
	char *machine_copy = xstrdup(machine ? machine : digest);
	const char *finished = json_string_value(json_object_get(doc, "finished"));
	char *finished_copy = xstrdup(finished ? finished : "");
	if (!s->o.no_redact)
		results_redact(doc);
	char *stored = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(doc);
	int inserted = 0;
	int rc = stored ? serve_store_put(s->store, digest, machine_copy, finished_copy, level, stored,
					  &inserted, msg, sizeof msg) : -1;
	free(stored);
	free(machine_copy);
	free(finished_copy);
	if (rc < 0) {
		fprintf(stderr, "torready serve: %s\n", msg);
		return serve_reply_error(req, 503, "the store is not available; send again later");
	}
	if (inserted)
		serve_site_changed(s);
	digest[32] = '\0';
	serve_reply_json(req, 201, json_pack("{s:s, s:b}", "id", digest, "stored", inserted));
}

void serve_api_summary(struct serve *s, struct evhttp_request *req)
{
	serve_reply_json(req, 200, serve_store_summary(s->store, s->o.min_group));
}

void serve_api_selfchecks(struct serve *s, struct evhttp_request *req)
{
	if (!serve_authorized(s, req))
		return unauthorized(req);
	int limit = 50;
	const char *q = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	struct evkeyvalq params;
	memset(&params, 0, sizeof params);
	params.tqh_last = &params.tqh_first;   /* TAILQ_INIT */
	if (q && evhttp_parse_query_str(q, &params) == 0) {
		const char *l = evhttp_find_header(&params, "limit");
		if (l) {
			char *end;
			long n = strtol(l, &end, 10);
			if (end == l || *end || n < 1 || n > 10000) {
				evhttp_clear_headers(&params);
				return serve_reply_error(req, 400, "limit: want a number from 1 to 10000");
			}
			limit = (int)n;
		}
	}
	evhttp_clear_headers(&params);
	serve_reply_json(req, 200, serve_store_selfchecks(s->store, limit));
}
