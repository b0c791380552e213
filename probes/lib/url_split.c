/* url_split.c: URLs split by curl_url (url_split.h). */
#include "url_split.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies part into out (size len); -1 when it does not fit. */
static int put(char *out, size_t len, const char *part)
{
	int n = snprintf(out, len, "%s", part ? part : "");
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int url_split(const char *url, struct url_split *u)
{
	memset(u, 0, sizeof *u);
	CURLU *h = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL, *path = NULL, *query = NULL;
	int rc = -1;
	/* curl reads "https:///x" as the host x, as browsers do; a url= with no host is a
	 * mistake to report, not a guess to act on. */
	const char *sep = url ? strstr(url, "://") : NULL;
	if (!sep || sep[3] == '/' || sep[3] == '\\')
		goto out;
	if (!h || curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto out;
	/* Absent parts are not errors. */
	u->has_user = curl_url_get(h, CURLUPART_USER, &user, 0) == CURLUE_OK;
	curl_url_get(h, CURLUPART_QUERY, &query, 0);
	size_t n = strlen(host);
	const char *hv = host;
	if (n > 1 && host[0] == '[' && host[n - 1] == ']') {
		hv = host + 1;
		n -= 2;
	}
	if (!n || n >= sizeof u->host || put(u->scheme, sizeof u->scheme, scheme) < 0)
		goto out;
	memcpy(u->host, hv, n);
	u->host[n] = '\0';
	for (char *c = u->scheme; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	char *end;
	long p = strtol(port, &end, 10);
	if (*end || p < 0 || p > 65535)
		goto out;
	u->port = (int)p;
	int w = snprintf(u->path, sizeof u->path, "%s%s%s", path && *path ? path : "/", query ? "?" : "",
			 query ? query : "");
	if (w < 0 || (size_t)w >= sizeof u->path)
		goto out;
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_free(path);
	curl_free(query);
	curl_url_cleanup(h);
	return rc;
}

int url_split_https(const char *url, int allow_http, struct url_split *u)
{
	if (url_split(url, u) < 0 || u->has_user || u->port <= 0)
		return -1;
	if (strcmp(u->scheme, "https") && !(allow_http && !strcmp(u->scheme, "http")))
		return -1;
	/* curl 7.88 lets a space or a control character through in a host name; these hosts
	 * go to our own resolver and into reports, so they must be real names or addresses. */
	char hp[HOST_MAX + 2];
	int v6 = strchr(u->host, ':') != NULL;
	snprintf(hp, sizeof hp, "%s%s%s", v6 ? "[" : "", u->host, v6 ? "]" : "");
	struct endpoint ep;
	struct err e;
	return endpoint_parse(hp, u->port, &ep, &e) < 0 ? -1 : 0;
}
