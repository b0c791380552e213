/* validate.c: value checks shared by the flag and targets-file paths (see validate.h). */
#include "validate.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static int is_b64(char c)
{
	return isalnum((unsigned char)c) || c == '+' || c == '/';
}

int check_pin_b64(const char *s, struct err *e)
{
	size_t n = strlen(s);
	size_t k = 0;
	while (k < n && is_b64(s[k]))
		k++;
	/* 32 bytes are 43 characters and one '='; the 43rd carries 4 bits, so its low 2 bits
	 * are zero in the one canonical spelling (A, E, I, ..., 4, 8). */
	static const char last[] = "AEIMQUYcgkosw048";
	if (n != 44 || k != 43 || s[43] != '=' || !strchr(last, s[42]))
		return err_set(e, "\"%.60s\" is not the base64 of a SHA-256 digest (44 characters "
			       "ending in '=', 32 bytes)", s);
	return 0;
}

static int parse_port(const char *s, size_t len)
{
	if (len == 0 || len > 5)
		return -1;
	long v = 0;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 65535 ? (int)v : -1;
}

static int host_ok(const char *s, size_t len)
{
	if (len == 0 || len >= HOST_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.' && s[i] != '_')
			return 0;
	return 1;
}

static int ip_ok(const char *s, size_t len)
{
	char tmp[64];
	unsigned char bin[16];
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
		if (len >= sizeof tmp)
			return 0;
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		return inet_pton(AF_INET6, tmp, bin) == 1;
	}
	if (len >= sizeof tmp)
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return inet_pton(AF_INET, tmp, bin) == 1 || inet_pton(AF_INET6, tmp, bin) == 1;
}

int check_resolve(const char *spec, struct err *e)
{
	const char *s = spec;
	int removal = *s == '-';
	if (*s == '+' || *s == '-')
		s++;
	const char *c1 = strchr(s, ':');
	if (!c1 || !host_ok(s, (size_t)(c1 - s)))
		return err_set(e, "\"%.80s\": expected HOST:PORT:ADDR", spec);
	const char *c2 = strchr(c1 + 1, ':');
	size_t plen = c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1);
	if (parse_port(c1 + 1, plen) < 0)
		return err_set(e, "\"%.80s\": the port must be a number from 1 to 65535", spec);
	if (removal)
		return c2 ? err_set(e, "\"%.80s\": a removal is -HOST:PORT", spec) : 0;
	if (!c2 || !c2[1])
		return err_set(e, "\"%.80s\": expected HOST:PORT:ADDR", spec);
	for (const char *a = c2 + 1;;) {
		const char *comma = strchr(a, ',');
		size_t alen = comma ? (size_t)(comma - a) : strlen(a);
		if (!ip_ok(a, alen))
			return err_set(e, "\"%.80s\": \"%.*s\" is not an IP address", spec,
				       (int)(alen > 60 ? 60 : alen), a);
		if (!comma)
			break;
		a = comma + 1;
	}
	return 0;
}

int check_url(const char *url, const char *scheme, struct err *e)
{
	size_t sl = strlen(scheme);
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return err_set(e, "the URL contains a space or a control character (CR, LF, ...)");
	if (strncmp(url, scheme, sl) || strncmp(url + sl, "://", 3))
		return err_set(e, "\"%.80s\" is not an %s:// URL", url, scheme);
	const char *auth = url + sl + 3;
	size_t alen = strcspn(auth, "/?#");
	/* Refused rather than stripped: curl would send them as Basic authentication to
	 * whatever answers — on a network that intercepts TLS, to the interception box — and
	 * they would land in results and pages that get shared. Mature clients take the same
	 * line (git's transfer.credentialsInUrl=die, browsers blocking credentials in
	 * subresource URLs); a reachability check never needs a login. The message does not
	 * repeat the URL, so the password does not reach a terminal log either. */
	if (memchr(auth, '@', alen))
		return err_set(e, "the %s:// URL carries a user name or password (user:pass@): refused, "
			       "so that they are never sent or recorded; give the URL without them", scheme);
	const char *host = auth, *port = NULL;
	size_t hlen;
	if (*auth == '[') {
		const char *close = memchr(auth, ']', alen);
		if (!close)
			return err_set(e, "\"%.80s\": missing ']' after the IPv6 address", url);
		hlen = (size_t)(close - auth) + 1;
		if (!ip_ok(auth, hlen))
			return err_set(e, "\"%.80s\": not an IPv6 address in brackets", url);
		if (close + 1 < auth + alen) {
			if (close[1] != ':')
				return err_set(e, "\"%.80s\": expected ':PORT' after ']'", url);
			port = close + 2;
		}
	} else {
		const char *colon = memchr(auth, ':', alen);
		hlen = colon ? (size_t)(colon - auth) : alen;
		if (hlen == 0)
			return err_set(e, "\"%.80s\": the URL has no host", url);
		if (!host_ok(host, hlen))
			return err_set(e, "\"%.80s\": not a host name or address", url);
		port = colon ? colon + 1 : NULL;
	}
	if (port && parse_port(port, (size_t)(auth + alen - port)) < 0)
		return err_set(e, "\"%.80s\": the port must be a number from 1 to 65535", url);
	return 0;
}

int check_bridge_addr(const char *ip, struct err *e)
{
	unsigned char a[16];
	if (inet_pton(AF_INET, ip, a) == 1) {
		if (!memcmp(a, "\0\0\0\0", 4) || !memcmp(a, "\xff\xff\xff\xff", 4) || (a[0] & 0xf0) == 0xe0 ||
		    a[0] == 0)
			return err_set(e, "%s is not an address a bridge can have (unspecified, "
				       "broadcast or multicast)", ip);
		return 0;
	}
	if (inet_pton(AF_INET6, ip, a) == 1) {
		static const unsigned char zero[16];
		if (!memcmp(a, zero, 16) || a[0] == 0xff)
			return err_set(e, "%s is not an address a bridge can have (unspecified or "
				       "multicast)", ip);
		return 0;
	}
	return err_set(e, "\"%.60s\" is not an IP address", ip);
}
