/* submit.c: see submit.h. One HTTPS POST with libcurl, bounded in time (connect 10 s, all
 * 60 s) and answer size; https only, since the bearer token travels with it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "buf.h"
#include "easy_handle.h"
#include "submit.h"
#include "token_file.h"

#define MAX_RESULTS_BYTES (4u << 20)   /* serve refuses bigger documents (413) */
#define MAX_ANSWER 4096

static size_t keep_answer(char *p, size_t size, size_t n, void *ud)
{
	struct buf *b = ud;
	size_t len = size * n;
	if (b->len < MAX_ANSWER)
		buf_append(b, p, len < MAX_ANSWER - b->len ? len : MAX_ANSWER - b->len);
	return len;
}

int results_submit(const char *url, const char *token_file, const char *results_path,
		   const char *cafile, struct err *e)
{
	if (strncmp(url, "https://", 8))
		return err_set(e, "--submit %.200s: must be an https:// address (the token goes with it)", url);
	char token[512];
	if (token_file_read(token_file, token, sizeof token, e) < 0)
		return -1;
	struct buf body, answer, full, auth;
	buf_init(&body);
	buf_init(&answer);
	buf_init(&full);
	buf_init(&auth);
	int rc = -1;
	if (read_file(results_path, MAX_RESULTS_BYTES, &body) < 0) {
		err_set(e, "cannot read %s: %s", results_path, strerror(errno));
		goto out;
	}
	size_t ul = strlen(url);
	if (ul >= 12 && !strcmp(url + ul - 12, "/api/results"))
		buf_puts(&full, url);
	else
		buf_printf(&full, "%s%sapi/results", url, url[ul - 1] == '/' ? "" : "/");
	buf_printf(&auth, "Authorization: Bearer %s", token);
	struct easy_opts eo = { .url = full.data, .protocols = "https", .cafile = cafile,
				.connect_timeout_ms = 10000, .timeout_ms = 60000 };
	CURL *c = easy_handle_new(&eo);
	if (!c) {
		err_internal(e, "cannot start libcurl");
		goto out;
	}
	struct curl_slist *h = curl_slist_append(NULL, auth.data);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "torready/" TORREADY_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_answer);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
	CURLcode cc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	memset(token, 0, sizeof token);
	if (cc != CURLE_OK) {
		err_set(e, "cannot reach %.200s: %s", full.data, curl_easy_strerror(cc));
		goto out;
	}
	if (status != 201) {
		json_t *j = json_loadb(answer.data, answer.len, 0, NULL);
		const char *msg = json_string_value(json_object_get(j, "error"));
		err_set(e, "%.200s answered HTTP %ld%s%.300s", full.data, status, msg ? ": " : "",
			msg ? msg : "");
		json_decref(j);
		goto out;
	}
	rc = 0;
out:
	if (auth.data)
		memset(auth.data, 0, auth.len);
	buf_free(&body);
	buf_free(&answer);
	buf_free(&full);
	buf_free(&auth);
	return rc;
}
