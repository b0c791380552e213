/* conn_socks.h: the SOCKS5 client's wire format (RFC 1928, username/password RFC 1929) as
 * pure functions: the messages conn.c sends and the answers it reads. No I/O. */
#ifndef TORREADY_CONN_SOCKS_H
#define TORREADY_CONN_SOCKS_H

#include <stddef.h>
#include <stdint.h>

#define SOCKS_AUTH_MAX (3 + 255 + 255)
#define SOCKS_CONNECT_MAX (4 + 1 + 255 + 2)

/* The greeting: version 5 offering "no authentication", or only username/password. */
size_t socks_greeting(uint8_t out[3], int with_auth);
/* RFC 1929 request; ulen and plen 1..255 (0 returned otherwise). */
size_t socks_auth_request(uint8_t out[SOCKS_AUTH_MAX], const uint8_t *user, size_t ulen, const uint8_t *pass,
			  size_t plen);
/* CONNECT to an IPv4/IPv6 literal or a host name (up to 255 bytes); 0 when it does not fit. */
size_t socks_connect_request(uint8_t out[SOCKS_CONNECT_MAX], const char *host, int port);

/* Each reader returns the bytes it used (> 0), 0 when more are needed, -1 on a protocol error
 * (why says what, for people). */
/* The server's method choice: *method is 0 (none) or 2 (username/password). Choosing a method
 * we did not offer, or 0xFF (none acceptable), is an error. */
long socks_read_method(const uint8_t *b, size_t n, int offered_auth, int *method, const char **why);
/* The RFC 1929 status: success, else an error. */
long socks_read_auth(const uint8_t *b, size_t n, const char **why);
/* The CONNECT reply: *rep is its code (0 succeeded); a malformed reply is an error. */
long socks_read_reply(const uint8_t *b, size_t n, int *rep, const char **why);

/* "connection refused", ... for a reply code; and the conn error code it maps to: refused (5),
 * unreachable (3, 4), timeout (6), else proxy_failed. */
const char *socks_reply_name(int rep);
const char *socks_reply_code(int rep);

#endif
