/* url_split.h: the probes' one URL parser, libcurl's URL API (the parser the transfers
 * themselves use, so a URL is read the same way when it is checked and when it is fetched). */
#ifndef TORREADY_URL_SPLIT_H
#define TORREADY_URL_SPLIT_H

#include "endpoint.h"

struct url_split {
	char scheme[16];       /* lower case */
	char host[HOST_MAX];   /* an IPv6 literal without its brackets */
	int port;              /* the scheme's default when the URL names none */
	int has_user;          /* "user@" (or user:password@) was given */
	char path[1024];       /* path and ?query, "/" when empty; never the #fragment */
};

/* Splits an absolute URL; 0, or -1 when it is not one or a part does not fit. Pure. */
int url_split(const char *url, struct url_split *u);

/* url_split, for a URL the Tor probes will connect to: https (or http when allow_http), a
 * valid host name or address (endpoint_parse), no user info, a port above 0. 0 / -1. Pure. */
int url_split_https(const char *url, int allow_http, struct url_split *u);

#endif
