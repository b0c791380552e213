/* easy_handle.h: the one place libcurl easy handles are made. Every transfer (probes, the
 * TLS fetches, submit) wants the same base — no signals, our socket callback, a deadline,
 * the run's resolve entries, a CA file — so it is set here once and each caller adds only
 * what is its own (write callbacks, headers, TLS options). */
#ifndef TORREADY_EASY_HANDLE_H
#define TORREADY_EASY_HANDLE_H

#include <stddef.h>

#include <curl/curl.h>

/* Zero is the default for every field. */
struct easy_opts {
	const char *url;
	/* "HOST:PORT:ADDR" entries (easy_resolve_list); the caller frees it after cleanup. */
	struct curl_slist *resolve;
	const char *cafile;       /* NULL: curl's default store */
	const char *capath;       /* a directory of anchors beside cafile; NULL: none set */
	int no_verify;            /* 1: we judge the chain ourselves, so curl must not refuse it */
	long timeout_ms;          /* the whole transfer; <= 0 (deadline passed) becomes 1 ms */
	long connect_timeout_ms;  /* 0: not set */
	int connect_only;
	int fresh;                /* a new connection, never one from the cache */
	int no_reuse;             /* the connection is not kept for another transfer */
	const char *protocols;    /* CURLOPT_PROTOCOLS_STR, e.g. "https"; NULL: not restricted */
	const char *proxy;        /* NULL: not set */
	char *errbuf;             /* CURL_ERROR_SIZE bytes, or NULL */
	int *sock_errno;          /* socket()'s errno when one fails (curl_sock.h), or NULL */
};

/* A new handle set up from o, or NULL when libcurl cannot make one. */
CURL *easy_handle_new(const struct easy_opts *o);

/* n strings v (a strlist's v and n) as a curl list; NULL when there are none. */
struct curl_slist *easy_resolve_list(char *const *v, size_t n);

#endif
