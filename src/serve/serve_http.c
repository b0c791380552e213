/* serve_http.c: which handler answers which request, and the few answer helpers every
 * handler uses. evhttp parses HTTP; nothing here reads raw request bytes. */
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "serve.h"

void serve_reply(struct evhttp_request *req, int code, const char *type, const char *body,
		 size_t len)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "no-referrer");
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_add_header(h, "Strict-Transport-Security", "max-age=31536000");
	if (!strncmp(type, "text/html", 9))
		evhttp_add_header(h, "Content-Security-Policy",
				  "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
	struct evbuffer *b = evbuffer_new();
	if (b && len)
		evbuffer_add(b, body, len);
	const char *reason = code == 200 ? "OK" : code == 201 ? "Created" : code == 400 ? "Bad Request"
		: code == 401 ? "Unauthorized" : code == 404 ? "Not Found" : code == 405 ? "Method Not Allowed"
		: code == 413 ? "Payload Too Large" : code == 503 ? "Service Unavailable" : NULL;
	evhttp_send_reply(req, code, reason, b);
	if (b)
		evbuffer_free(b);
}

void serve_reply_json(struct evhttp_request *req, int code, void *json)
{
	json_t *j = json;
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	if (!s)
		serve_reply(req, 500, "application/json", "{\"error\":\"internal\"}", 20);
	else
		serve_reply(req, code, "application/json", s, strlen(s));
	free(s);
	json_decref(j);
}

void serve_reply_error(struct evhttp_request *req, int code, const char *msg)
{
	serve_reply_json(req, code, json_pack("{s:s}", "error", msg));
}

void serve_route(struct evhttp_request *req, void *arg)
{
	struct serve *s = arg;
	/* The request is whole and ours now: its bytes leave the budget of unanswered ones (every
	 * answer is given before this returns, and evhttp frees the request once it is sent). */
	if (serve_conn_dispatched(serve_conn_of(req)) < 0)
		return serve_reply_error(req, 503, "too many unfinished requests; send again later");
	enum evhttp_cmd_type m = evhttp_request_get_command(req);
	const struct evhttp_uri *u = evhttp_request_get_evhttp_uri(req);
	const char *path = u ? evhttp_uri_get_path(u) : NULL;
	if (!path || !*path)
		path = "/";
	int get = m == EVHTTP_REQ_GET || m == EVHTTP_REQ_HEAD;

	if (!strcmp(path, "/self-check") || !strcmp(path, "/self-check.json")) {
		if (!get)
			return serve_reply_error(req, 405, "use GET");
		return serve_selfcheck(s, req, path[11] == '.');
	}
	if (!strcmp(path, "/api/results")) {
		if (m != EVHTTP_REQ_POST)
			return serve_reply_error(req, 405, "use POST");
		return serve_api_results(s, req);
	}
	if (!strcmp(path, "/api/summary.json")) {
		if (!get)
			return serve_reply_error(req, 405, "use GET");
		return serve_api_summary(s, req);
	}
	if (!strcmp(path, "/api/self-checks")) {
		if (!get)
			return serve_reply_error(req, 405, "use GET");
		return serve_api_selfchecks(s, req);
	}
	if (!get)
		return serve_reply_error(req, 405, "use GET");
	serve_site_get(s, req, path);
}
