/* curl_sock.h: libcurl's sockets made by us, so a failed socket() keeps its errno (curl
 * 7.88 reports "Couldn't connect" with no errno when it runs out of descriptors, which
 * would read as a network that is down) and no socket leaks into tor or a transport
 * program (close-on-exec). */
#ifndef TORREADY_CURL_SOCK_H
#define TORREADY_CURL_SOCK_H

#include <curl/curl.h>

/* Makes easy's sockets through our callback; *err gets socket()'s errno when one fails
 * (left alone otherwise). err must outlive the transfer. */
void easy_own_sockets(CURL *easy, int *err);

#endif
