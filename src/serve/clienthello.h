/* clienthello.h: a TLS ClientHello, as bytes from an unknown client, taken apart into the
 * features a browser rule looks at (cipher suites, extensions in order, GREASE, groups,
 * signature algorithms, ALPN, supported versions), and its JA4 fingerprint (FoxIO's JA4
 * spec, technical_details/JA4.md). Pure code: no I/O, no allocation. */
#ifndef TORREADY_CLIENTHELLO_H
#define TORREADY_CLIENTHELLO_H

#include <stddef.h>
#include <stdint.h>

/* Bounds on what is kept. A ClientHello of real browsers has < 20 ciphers and < 25 extensions;
 * a longer list is still parsed and counted, only the first CH_MAX_* entries are kept. */
#define CH_MAX_CIPHERS 256
#define CH_MAX_EXTS 128
#define CH_MAX_LIST 64
#define CH_MAX_ALPN 8
#define CH_ALPN_LEN 32

struct clienthello {
	uint16_t legacy_version;
	size_t nciphers, nexts, ngroups, nsigalgs, nversions, nalpn;   /* totals as received */
	uint16_t ciphers[CH_MAX_CIPHERS];   /* in order, GREASE included */
	uint16_t exts[CH_MAX_EXTS];         /* in order, GREASE included */
	uint16_t groups[CH_MAX_LIST];
	uint16_t sigalgs[CH_MAX_LIST];
	uint16_t versions[CH_MAX_LIST];     /* supported_versions, when sent */
	char alpn[CH_MAX_ALPN][CH_ALPN_LEN + 1];   /* NUL-terminated, truncated; bytes as sent */
	size_t alpn0_len;                   /* the first ALPN value's real length */
	uint8_t alpn0_first, alpn0_last;    /* its first and last bytes (JA4 looks at them) */
	int has_sni, has_versions_ext, has_sigalgs_ext;
	int grease_ciphers, grease_exts, grease_groups, grease_versions;   /* counts */
};

/* Parses a handshake message (type 1, 3-byte length, body) as OpenSSL's message callback or
 * a capture gives it. 0 on success; -1 when it is not a well-formed ClientHello (truncated,
 * lengths that disagree, trailing bytes, duplicated lists inside an extension are fine). */
int clienthello_parse(const uint8_t *msg, size_t len, struct clienthello *ch);

/* RFC 8701 reserved values: 0x?A?A with both bytes equal. */
int clienthello_is_grease(uint16_t v);

/* The JA4 fingerprint ("t13d1516h2_8daaf6152771_d8a2da3f94cd"), always TCP ("t").
 * out must hold CH_JA4_LEN + 1 bytes. */
#define CH_JA4_LEN 36
void clienthello_ja4(const struct clienthello *ch, char out[CH_JA4_LEN + 1]);

/* Index of ext type in the extension list, or -1. */
int clienthello_ext_index(const struct clienthello *ch, uint16_t type);

#endif
