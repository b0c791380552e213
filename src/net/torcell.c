/* torcell.c: framing and parsing of Tor link cells: VERSIONS, NETINFO, AUTH_CHALLENGE, fingerprints as text. */
#include "torcell.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

/* Our link protocol versions, lowest first. 3 is the oldest with the in-protocol handshake. */
static const uint16_t our_versions[] = { 3, 4, 5 };

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

int torcell_is_var(uint8_t cmd)
{
	return cmd == TORCELL_VERSIONS || cmd >= 128;
}

int torcell_circid_len(int link_version)
{
	return link_version >= 4 ? 4 : 2;
}

const char *torcell_cmd_name(uint8_t cmd)
{
	static const char *const low[] = {
		"PADDING", "CREATE", "CREATED", "RELAY", "DESTROY", "CREATE_FAST", "CREATED_FAST",
		"VERSIONS", "NETINFO", "RELAY_EARLY", "CREATE2", "CREATED2", "PADDING_NEGOTIATE",
	};
	static const char *const high[] = {
		"VPADDING", "CERTS", "AUTH_CHALLENGE", "AUTHENTICATE", "AUTHORIZE",
	};
	if (cmd < sizeof low / sizeof low[0])
		return low[cmd];
	if (cmd >= 128 && cmd - 128 < (int)(sizeof high / sizeof high[0]))
		return high[cmd - 128];
	return "UNKNOWN";
}

size_t torcell_build_versions(uint8_t *out)
{
	size_t n = sizeof our_versions / sizeof our_versions[0];
	put16(out, 0);
	out[2] = TORCELL_VERSIONS;
	put16(out + 3, (uint16_t)(2 * n));
	for (size_t i = 0; i < n; i++)
		put16(out + 5 + 2 * i, our_versions[i]);
	return 5 + 2 * n;
}

long torcell_parse(const uint8_t *buf, size_t len, int circid_len, struct torcell *cell)
{
	if ((circid_len != 2 && circid_len != 4) || !cell || (!buf && len))
		return -1;
	size_t hdr = (size_t)circid_len + 1;
	if (len < hdr)
		return 0;
	uint8_t cmd = buf[circid_len];
	size_t off = hdr, plen = TORCELL_PAYLOAD_LEN;
	if (torcell_is_var(cmd)) {
		if (len < hdr + 2)
			return 0;
		plen = get16(buf + hdr);
		off = hdr + 2;
	}
	if (len - off < plen)
		return 0;
	cell->circid = circid_len == 2 ? get16(buf) : get32(buf);
	cell->cmd = cmd;
	cell->payload = buf + off;
	cell->len = plen;
	return (long)(off + plen);
}

int torcell_negotiate(const uint8_t *payload, size_t len)
{
	if (len % 2 || (!payload && len))
		return -1;
	int best = 0;
	for (size_t i = 0; i < len; i += 2) {
		uint16_t v = get16(payload + i);
		for (size_t j = 0; j < sizeof our_versions / sizeof our_versions[0]; j++)
			if (v == our_versions[j] && v > best)
				best = v;
	}
	return best;
}

/* One NETINFO address {type, len, bytes}. Returns bytes used or -1. out may be NULL;
 * unknown types are skipped like tor does and give "". */
static long parse_addr(const uint8_t *p, size_t len, char *out, size_t outlen)
{
	if (len < 2 || len - 2 < p[1])
		return -1;
	uint8_t type = p[0], alen = p[1];
	int af = -1;
	if (type == 4 || type == 6) {
		if (alen != (type == 4 ? 4 : 16))
			return -1;
		af = type == 4 ? AF_INET : AF_INET6;
	}
	if (out && outlen > 0) {
		out[0] = '\0';
		if (af != -1 && !inet_ntop(af, p + 2, out, (socklen_t)outlen))
			return -1;
	}
	return 2 + (long)alen;
}

int torcell_parse_netinfo_full(const uint8_t *payload, size_t len, struct torcell_netinfo *ni)
{
	if (!payload || !ni || len < 4)
		return -1;
	memset(ni, 0, sizeof *ni);
	ni->time = get32(payload);
	size_t off = 4;
	long n = parse_addr(payload + off, len - off, ni->other_addr, sizeof ni->other_addr);
	if (n < 0)
		return -1;
	off += (size_t)n;
	if (off >= len)
		return -1;
	ni->nmyaddr = payload[off++];
	for (int i = 0; i < ni->nmyaddr; i++) {
		char *slot = i < TORCELL_NETINFO_MAXADDR ? ni->my_addrs[i] : NULL;
		n = parse_addr(payload + off, len - off, slot, TORCELL_ADDRSTRLEN);
		if (n < 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

int torcell_parse_netinfo(const uint8_t *payload, size_t len, uint32_t *time, char *other_addr,
			  size_t addrlen)
{
	struct torcell_netinfo ni;
	if (torcell_parse_netinfo_full(payload, len, &ni) < 0)
		return -1;
	if (other_addr) {
		size_t n = strlen(ni.other_addr);
		if (n >= addrlen)
			return -1;
		memcpy(other_addr, ni.other_addr, n + 1);
	}
	if (time)
		*time = ni.time;
	return 0;
}

/* Text address to NETINFO {type, len, bytes}; accepts "[v6]". Returns bytes written or 0. */
static size_t encode_addr(const char *text, uint8_t *out)
{
	char tmp[TORCELL_ADDRSTRLEN];
	size_t n = strlen(text);
	if (n >= 2 && text[0] == '[' && text[n - 1] == ']') {
		if (n - 2 >= sizeof tmp)
			return 0;
		memcpy(tmp, text + 1, n - 2);
		tmp[n - 2] = '\0';
		text = tmp;
	}
	if (inet_pton(AF_INET, text, out + 2) == 1) {
		out[0] = 4;
		out[1] = 4;
		return 6;
	}
	if (inet_pton(AF_INET6, text, out + 2) == 1) {
		out[0] = 6;
		out[1] = 16;
		return 18;
	}
	return 0;
}

size_t torcell_build_netinfo(uint8_t *out, size_t outlen, int circid_len, const char *peer_addr)
{
	if ((circid_len != 2 && circid_len != 4) || !out || !peer_addr)
		return 0;
	size_t total = (size_t)circid_len + 1 + TORCELL_PAYLOAD_LEN;
	if (outlen < total)
		return 0;
	memset(out, 0, total);
	out[circid_len] = TORCELL_NETINFO;
	uint8_t *p = out + circid_len + 1;
	/* TIME stays 0: tor clients send 0 so their clock can't fingerprint them. */
	size_t n = encode_addr(peer_addr, p + 4);
	if (!n)
		return 0;
	p[4 + n] = 0;   /* NMYADDR */
	return total;
}

int torcell_parse_auth_challenge(const uint8_t *payload, size_t len, int *nmethods,
				 uint16_t *methods, int maxmethods)
{
	if (!payload || len < 34)
		return -1;
	size_t n = get16(payload + 32);
	if ((len - 34) / 2 < n)
		return -1;
	for (size_t i = 0; i < n && methods && (int)i < maxmethods; i++)
		methods[i] = get16(payload + 34 + 2 * i);
	if (nmethods)
		*nmethods = (int)n;
	return 0;
}

int tor_fingerprint_normalise(const char *in, char out[41])
{
	if (!out)
		return -1;
	out[0] = '\0';
	if (!in)
		return -1;
	char hex[41];
	size_t n = 0;
	int seen_any = 0;
	for (const char *p = in; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == ' ' || c == '\t')
			continue;
		if (c == '$' && !seen_any) {
			seen_any = 1;
			continue;
		}
		seen_any = 1;
		if (!isxdigit(c) || n == 40)
			return -1;
		hex[n++] = (char)toupper(c);
	}
	if (n != 40)
		return -1;
	hex[40] = '\0';
	memcpy(out, hex, sizeof hex);
	return 0;
}
