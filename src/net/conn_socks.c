/* conn_socks.c: SOCKS5 client messages and answers, pure (see conn_socks.h). */
#include "conn_socks.h"

#include <arpa/inet.h>
#include <string.h>

size_t socks_greeting(uint8_t out[3], int with_auth)
{
	out[0] = 5;
	out[1] = 1;
	out[2] = with_auth ? 2 : 0;   /* only username/password: a PT needs the bridge's arguments */
	return 3;
}

size_t socks_auth_request(uint8_t out[SOCKS_AUTH_MAX], const uint8_t *user, size_t ulen, const uint8_t *pass,
			  size_t plen)
{
	if (ulen < 1 || ulen > 255 || plen < 1 || plen > 255)
		return 0;
	size_t k = 0;
	out[k++] = 1;
	out[k++] = (uint8_t)ulen;
	memcpy(out + k, user, ulen);
	k += ulen;
	out[k++] = (uint8_t)plen;
	memcpy(out + k, pass, plen);
	return k + plen;
}

size_t socks_connect_request(uint8_t out[SOCKS_CONNECT_MAX], const char *host, int port)
{
	size_t k = 0;
	if (port < 1 || port > 65535)
		return 0;
	out[k++] = 5;
	out[k++] = 1;   /* CONNECT */
	out[k++] = 0;
	if (inet_pton(AF_INET, host, out + k + 1) == 1) {
		out[k] = 1;
		k += 1 + 4;
	} else if (inet_pton(AF_INET6, host, out + k + 1) == 1) {
		out[k] = 4;
		k += 1 + 16;
	} else {
		size_t n = strlen(host);
		if (n < 1 || n > 255)
			return 0;
		out[k++] = 3;
		out[k++] = (uint8_t)n;
		memcpy(out + k, host, n);
		k += n;
	}
	out[k++] = (uint8_t)(port >> 8);
	out[k++] = (uint8_t)(port & 0xff);
	return k;
}

long socks_read_method(const uint8_t *b, size_t n, int offered_auth, int *method, const char **why)
{
	if (n < 2)
		return 0;
	if (b[0] != 5) {
		*why = "the proxy does not speak SOCKS5";
		return -1;
	}
	*method = b[1];
	if (b[1] == (offered_auth ? 2 : 0))
		return 2;
	*why = b[1] == 0xff ? "the SOCKS proxy accepts none of our authentication methods"
			    : "the SOCKS proxy chose a method we did not offer";
	return -1;
}

long socks_read_auth(const uint8_t *b, size_t n, const char **why)
{
	if (n < 2)
		return 0;
	if (b[0] != 1 || b[1] != 0) {
		*why = "the SOCKS proxy refused our authentication (the bridge's arguments)";
		return -1;
	}
	return 2;
}

long socks_read_reply(const uint8_t *b, size_t n, int *rep, const char **why)
{
	if (n < 5)
		return 0;
	if (b[0] != 5 || b[2] != 0 || (b[3] != 1 && b[3] != 3 && b[3] != 4)) {
		*why = "the SOCKS proxy's reply is malformed";
		return -1;
	}
	*rep = b[1];
	size_t need = 4 + (b[3] == 1 ? 4 : b[3] == 4 ? 16 : 1 + (size_t)b[4]) + 2;
	if (*rep != 0)
		return (long)(n < need ? n : need);   /* a failure: the address does not matter */
	return n < need ? 0 : (long)need;
}

const char *socks_reply_name(int rep)
{
	static const char *const names[] = { "succeeded", "general failure", "not allowed by its rules",
		"network unreachable", "host unreachable", "connection refused", "TTL expired",
		"command not supported", "address type not supported" };
	return rep >= 0 && rep < 9 ? names[rep] : "an unknown error";
}

const char *socks_reply_code(int rep)
{
	return rep == 5 ? "refused" : rep == 3 || rep == 4 ? "unreachable" : rep == 6 ? "timeout" : "proxy_failed";
}
