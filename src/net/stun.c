/* stun.c: STUN Binding request and answer (RFC 5389 §6, §15), pure. */
#include "stun.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

enum {
	STUN_BINDING_REQUEST = 0x0001,
	STUN_BINDING_SUCCESS = 0x0101,
	STUN_BINDING_ERROR = 0x0111,
	ATTR_MAPPED_ADDRESS = 0x0001,
	ATTR_ERROR_CODE = 0x0009,
	ATTR_XOR_MAPPED_ADDRESS = 0x0020,
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t stun_build_binding_request(uint8_t *out, const uint8_t txid[12])
{
	out[0] = STUN_BINDING_REQUEST >> 8;
	out[1] = STUN_BINDING_REQUEST & 0xff;
	out[2] = out[3] = 0;   /* no attributes */
	out[4] = STUN_MAGIC >> 24;
	out[5] = (STUN_MAGIC >> 16) & 0xff;
	out[6] = (STUN_MAGIC >> 8) & 0xff;
	out[7] = STUN_MAGIC & 0xff;
	memcpy(out + 8, txid, 12);
	return STUN_HEADER_LEN;
}

/* (XOR-)MAPPED-ADDRESS value: reserved(1) family(1) port(2) address(4 or 16). */
static int read_address(const uint8_t *v, size_t n, int xor, const uint8_t *header, struct stun_answer *a)
{
	if (n < 4)
		return -1;
	int family = v[1];
	uint16_t port = get16(v + 2);
	uint8_t addr[16];
	size_t alen = family == 1 ? 4 : family == 2 ? 16 : 0;
	if (!alen || n < 4 + alen)
		return -1;
	memcpy(addr, v + 4, alen);
	if (xor) {
		port ^= (uint16_t)(STUN_MAGIC >> 16);
		for (size_t i = 0; i < alen; i++)
			addr[i] ^= header[4 + i];   /* magic cookie, then the transaction id */
	}
	if (!inet_ntop(family == 1 ? AF_INET : AF_INET6, addr, a->mapped, sizeof a->mapped))
		return -1;
	a->mapped_port = port;
	return 0;
}

static void read_error(const uint8_t *v, size_t n, struct stun_answer *a)
{
	if (n < 4)
		return;
	int cls = v[2] & 7, num = v[3];
	if (cls >= 3 && cls <= 6 && num < 100)
		a->error_code = cls * 100 + num;
	size_t k = 0;
	for (size_t i = 4; i < n && k + 1 < sizeof a->reason; i++)
		a->reason[k++] = v[i] >= 0x20 && v[i] < 0x7f ? (char)v[i] : '?';
	a->reason[k] = '\0';
}

static enum stun_parse read_attributes(const uint8_t *buf, size_t len, struct stun_answer *a)
{
	int have_xor = 0;
	size_t pos = STUN_HEADER_LEN;
	while (pos < len) {
		if (len - pos < 4)
			return STUN_MALFORMED;
		uint16_t type = get16(buf + pos), alen = get16(buf + pos + 2);
		const uint8_t *v = buf + pos + 4;
		if (alen > len - pos - 4)
			return STUN_MALFORMED;
		if (type == ATTR_XOR_MAPPED_ADDRESS) {
			if (read_address(v, alen, 1, buf, a) < 0)
				return STUN_MALFORMED;
			have_xor = 1;
		} else if (type == ATTR_MAPPED_ADDRESS && !have_xor) {
			if (read_address(v, alen, 0, buf, a) < 0)
				return STUN_MALFORMED;
		} else if (type == ATTR_ERROR_CODE) {
			read_error(v, alen, a);
		}
		size_t padded = ((size_t)alen + 3) & ~(size_t)3;
		if (padded > len - pos - 4)
			padded = len - pos - 4;   /* the last attribute's padding may be cut */
		pos += 4 + padded;
	}
	return STUN_OK;
}

enum stun_parse stun_parse_answer(const uint8_t *buf, size_t len, const uint8_t txid[12],
				  struct stun_answer *a)
{
	memset(a, 0, sizeof *a);
	if (len < STUN_HEADER_LEN || (buf[0] & 0xc0) || get32(buf + 4) != STUN_MAGIC)
		return STUN_MALFORMED;
	uint16_t type = get16(buf), mlen = get16(buf + 2);
	if ((mlen & 3) || (size_t)mlen + STUN_HEADER_LEN != len)
		return STUN_MALFORMED;
	if (memcmp(buf + 8, txid, 12) || (type != STUN_BINDING_SUCCESS && type != STUN_BINDING_ERROR))
		return STUN_NOT_OURS;
	a->success = type == STUN_BINDING_SUCCESS;
	return read_attributes(buf, len, a);
}
