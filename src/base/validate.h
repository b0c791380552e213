/* validate.h: checks for values that come from flags and targets files alike (pins, curl
 * --resolve entries, site URLs, bridge addresses), so a typo is a usage error (exit 2)
 * instead of a false finding. Each returns 0, or -1 with a message that does not repeat
 * secrets (a URL's password is never echoed). */
#ifndef TORREADY_VALIDATE_H
#define TORREADY_VALIDATE_H

#include "err.h"

/* Room for a host name or address, with its NUL (targets, endpoints, checks). */
#define HOST_MAX 256

/* base64 of a SHA-256 digest: 43 characters and one '=' (32 bytes), no "sha256//". */
int check_pin_b64(const char *b64, struct err *e);
/* [+]HOST:PORT:ADDR[,ADDR...] with IP addresses (IPv6 may be in brackets), or -HOST:PORT. */
int check_resolve(const char *spec, struct err *e);
/* SCHEME://HOST[:PORT][/...] with a host, a port from 1 to 65535, no user:password@, and
 * no spaces or control characters anywhere. scheme is "https" or "http". */
int check_url(const char *url, const char *scheme, struct err *e);
/* An address a bridge can have: not unspecified (0.0.0.0, ::), broadcast or multicast. */
int check_bridge_addr(const char *ip, struct err *e);

#endif
