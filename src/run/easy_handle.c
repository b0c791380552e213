/* easy_handle.c: the common setup of easy_handle.h. */
#include "easy_handle.h"

#include "curl_sock.h"

CURL *easy_handle_new(const struct easy_opts *o)
{
	CURL *e = curl_easy_init();
	if (!e)
		return NULL;
	/* Threads and a loop of our own: curl must not use alarm() for its resolver. */
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	/* A resolver that never answers must not hold the run past its deadline: without this,
	 * cleaning up a handle waits for curl's resolver thread (the system resolver's own
	 * timeouts, 10 s to minutes). With it the thread is left behind and dies with us. */
#if LIBCURL_VERSION_NUM >= 0x075700
	curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
#endif
	easy_own_sockets(e, o->sock_errno);
	if (o->url)
		curl_easy_setopt(e, CURLOPT_URL, o->url);
	if (o->protocols)
		curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, o->protocols);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 1L);
	if (o->connect_timeout_ms > 0)
		curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	if (o->errbuf)
		curl_easy_setopt(e, CURLOPT_ERRORBUFFER, o->errbuf);
	if (o->resolve)
		curl_easy_setopt(e, CURLOPT_RESOLVE, o->resolve);
	if (o->cafile)
		curl_easy_setopt(e, CURLOPT_CAINFO, o->cafile);
	if (o->capath)
		curl_easy_setopt(e, CURLOPT_CAPATH, o->capath);
	if (o->no_verify) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (o->connect_only)
		curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
	if (o->fresh)
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	if (o->no_reuse)
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	if (o->proxy)
		curl_easy_setopt(e, CURLOPT_PROXY, o->proxy);
	return e;
}

struct curl_slist *easy_resolve_list(char *const *v, size_t n)
{
	struct curl_slist *l = NULL;
	for (size_t i = 0; i < n; i++)
		l = curl_slist_append(l, v[i]);
	return l;
}
