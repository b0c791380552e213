/* engine_curl.h: libcurl's multi-socket interface on the engine's loop, so HTTP(S) work
 * (HTTPS probes, the baseline, fronts) runs concurrently with everything else. */
#ifndef TORREADY_ENGINE_CURL_H
#define TORREADY_ENGINE_CURL_H

#include <curl/curl.h>

#include "engine.h"

typedef void (*engine_curl_done_fn)(void *arg, CURL *easy, CURLcode rc);

/* Starts a transfer; done is called once from the loop when it ends. The easy handle stays
 * the caller's: remove it with engine_curl_remove (safe inside done) and clean it up. */
int engine_curl_add(struct engine *eng, CURL *easy, engine_curl_done_fn done, void *arg);
void engine_curl_remove(struct engine *eng, CURL *easy);
/* 1 while an added transfer still waits for its turn (it has contacted nothing yet): at the
 * deadline such a check is error/not_run, not a timeout of the network. */
int engine_curl_waiting(CURL *easy);

#endif
