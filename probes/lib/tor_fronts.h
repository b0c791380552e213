/* tor_fronts.h: the front doors of meek_lite and snowflake bridges. A meek line works when
 * HTTPS to its front= host, asking for the url= host (domain fronting), gets an HTTP answer;
 * a snowflake line works when its broker answers through at least one of its fronts= and at
 * least one STUN server in ice= answers over UDP. Lines with the same door share one check. */
#ifndef TORREADY_TOR_FRONTS_H
#define TORREADY_TOR_FRONTS_H

#include <curl/curl.h>

#include "engine.h"
#include "targets.h"

struct tor_doors;   /* the doors planned in one plan() call, so identical ones are shared */

struct tor_doors *tor_doors_new(void);
/* Frees the index only; the doors belong to their jobs. */
void tor_doors_free(struct tor_doors *dd);
/* One job for bridge b (transport meek_lite or snowflake), named name. */
void tor_fronts_plan(struct engine *eng, const struct targets *t, const struct bridge *b, const char *name,
		     struct tor_doors *dd);

/* The results code for a failed libcurl transfer: refused, unreachable, timeout, tls_error,
 * reset, eof, dns_error. */
const char *tor_curl_code(CURL *easy, CURLcode rc);
/* A handle for url with the run's resolve entries (*resolve: free it after the transfer),
 * trust anchors (system roots plus tls.cafile), a timeout of the time left, no redirects and
 * no proxy; NULL when libcurl cannot make one. errbuf: CURL_ERROR_SIZE bytes. */
CURL *tor_curl_new(struct engine *eng, const struct targets *t, const char *url, char *errbuf,
		   struct curl_slist **resolve);

#endif
