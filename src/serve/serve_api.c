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
#include "serve_intake.h"
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
	char msg[600];
	struct intake it;
	if (intake_prepare(body, len, !s->o.no_redact, &it, msg, sizeof msg) < 0)
		return serve_reply_error(req, 400, msg);
	int inserted = 0;
	int rc = serve_store_put(s->store, it.digest, it.machine, it.finished, it.level, it.doc,
				 &inserted, msg, sizeof msg);
	char digest[33];
	memcpy(digest, it.digest, 32);
	digest[32] = '\0';
	intake_free(&it);
	if (rc < 0) {
		fprintf(stderr, "torready serve: %s\n", msg);
		return serve_reply_error(req, 503, "the store is not available; send again later");
	}
	if (inserted)
		serve_site_changed(s);
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
