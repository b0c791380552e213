/* fuzz_torcell.c: the Tor cell parser as tor_link drives it — a relay's first flight of
 * cells (VERSIONS, then CERTS checked with torcerts_check against a real peer certificate,
 * AUTH_CHALLENGE, NETINFO) — fed arbitrary bytes. Byte 0 picks the clock and whether the
 * TLS peer certificate is known; the rest is the byte stream from the relay. */
#include <openssl/x509.h>

#include "fuzz_util.h"
#include "torcell.h"
#include "torcerts.h"
#include "torcell_fixtures.h"

static X509 *peer;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const unsigned char *p = real_tor_peer;
	peer = d2i_X509(NULL, &p, sizeof real_tor_peer);
	if (!peer)
		abort();
	return 0;
}

static void check_certs(const struct torcell *c, uint8_t mode)
{
	struct torcerts_info info;
	time_t now = mode & 2 ? REAL_TOR_CAPTURED : (time_t)0x7fffffff;
	enum torcerts_verdict v = torcerts_check(c->payload, c->len, mode & 1 ? NULL : peer, now, &info);
	FUZZ_ASSERT(strlen(torcerts_verdict_name(v)) > 0);
	FUZZ_ASSERT(info.fingerprint[0] == '\0' || fuzz_is_fp(info.fingerprint));
	FUZZ_ASSERT(info.ntypes >= 0 && info.ntypes <= 16);
	FUZZ_ASSERT(memchr(info.detail, '\0', sizeof info.detail) != NULL);
}

static void check_netinfo(const struct torcell *c)
{
	struct torcell_netinfo ni;
	uint32_t t;
	char other[TORCELL_ADDRSTRLEN];
	if (torcell_parse_netinfo_full(c->payload, c->len, &ni) == 0) {
		FUZZ_ASSERT(memchr(ni.other_addr, '\0', sizeof ni.other_addr) != NULL);
		FUZZ_ASSERT(ni.nmyaddr >= 0);
		/* Our answer to it, addressed to what the relay says it saw. */
		uint8_t out[TORCELL_FIXED_MAX];
		if (ni.other_addr[0])
			FUZZ_ASSERT(torcell_build_netinfo(out, sizeof out, 4, ni.other_addr) <= sizeof out);
	}
	if (torcell_parse_netinfo(c->payload, c->len, &t, other, sizeof other) == 0)
		FUZZ_ASSERT(memchr(other, '\0', sizeof other) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	const uint8_t *p = data + 1;
	size_t left = size - 1;
	int circid_len = 2;   /* before VERSIONS is negotiated */
	for (int n = 0; n < 256 && left > 0; n++) {
		struct torcell c;
		long used = torcell_parse(p, left, circid_len, &c);
		if (used <= 0)
			break;
		FUZZ_ASSERT((size_t)used <= left);
		FUZZ_ASSERT(c.len == 0 || (c.payload >= p && c.payload + c.len <= p + used));
		FUZZ_ASSERT(strlen(torcell_cmd_name(c.cmd)) > 0);
		if (c.cmd == TORCELL_VERSIONS) {
			int v = torcell_negotiate(c.payload, c.len);
			FUZZ_ASSERT(v == -1 || v == 0 || (v >= 3 && v <= 5));
			if (v > 0)
				circid_len = torcell_circid_len(v);
		} else if (c.cmd == TORCELL_CERTS) {
			check_certs(&c, mode);
		} else if (c.cmd == TORCELL_NETINFO) {
			check_netinfo(&c);
		} else if (c.cmd == TORCELL_AUTH_CHALLENGE) {
			int nm;
			uint16_t methods[4];
			if (torcell_parse_auth_challenge(c.payload, c.len, &nm, methods, 4) == 0)
				FUZZ_ASSERT(nm >= 0);
		}
		p += used;
		left -= (size_t)used;
	}
	return 0;
}
