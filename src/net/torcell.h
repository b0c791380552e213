/* torcell.h: pure logic of the Tor link handshake (cells, VERSIONS, CERTS, NETINFO, fingerprints); no I/O. */
#ifndef TORREADY_TORCELL_H
#define TORREADY_TORCELL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

enum {
	TORCELL_PADDING = 0,
	TORCELL_VERSIONS = 7,
	TORCELL_NETINFO = 8,
	TORCELL_VPADDING = 128,
	TORCELL_CERTS = 129,
	TORCELL_AUTH_CHALLENGE = 130,
	TORCELL_AUTHENTICATE = 131,
	TORCELL_AUTHORIZE = 132,
};

#define TORCELL_MAX_VAR 65535
#define TORCELL_PAYLOAD_LEN 509           /* payload of a fixed-length cell */
#define TORCELL_VERSIONS_LEN 11           /* our VERSIONS cell */
#define TORCELL_FIXED_MAX (4 + 1 + TORCELL_PAYLOAD_LEN)  /* 514: fixed cell with a 4-byte circ id */
#define TORCELL_ADDRSTRLEN 46             /* INET6_ADDRSTRLEN */

struct torcell {
	uint32_t circid;
	uint8_t cmd;
	const uint8_t *payload;   /* points into the input buffer */
	size_t len;
};

/* 1 when cmd is a variable-length cell (VERSIONS or >= 128; link protocol >= 3). */
int torcell_is_var(uint8_t cmd);
/* Circ id width for a negotiated link protocol: 4 for >= 4, else 2. */
int torcell_circid_len(int link_version);
/* "VERSIONS", "CERTS", ...; "UNKNOWN" for others. */
const char *torcell_cmd_name(uint8_t cmd);

/* Writes the client VERSIONS cell (3, 4, 5) into out (>= 11 bytes); returns its length. */
size_t torcell_build_versions(uint8_t *out);
/* Parses one cell from buf. circid_len is 2 before VERSIONS is negotiated, 4 after.
 * Returns bytes consumed (>0), 0 when more bytes are needed, -1 when malformed
 * (including a circid_len other than 2 or 4). */
long torcell_parse(const uint8_t *buf, size_t len, int circid_len, struct torcell *cell);
/* Highest version in both lists (ours: 3,4,5); 0 when no common version; -1 malformed (odd length). */
int torcell_negotiate(const uint8_t *payload, size_t len);

/* The relay's NETINFO. Addresses of unknown types are kept as "". */
#define TORCELL_NETINFO_MAXADDR 8
struct torcell_netinfo {
	uint32_t time;                                   /* relay's clock, seconds since the epoch */
	char other_addr[TORCELL_ADDRSTRLEN];             /* the relay's view of our address */
	int nmyaddr;                                     /* how many addresses the relay claims */
	char my_addrs[TORCELL_NETINFO_MAXADDR][TORCELL_ADDRSTRLEN];  /* the first few of them */
};
/* Parses a NETINFO payload fully (all addresses must be in bounds). 0 / -1. */
int torcell_parse_netinfo_full(const uint8_t *payload, size_t len, struct torcell_netinfo *ni);
/* NETINFO: parse the relay's; fills other_addr ("203.0.113.5" / "2001:db8::1", "" for an
 * address type we don't know) and its time. -1 when malformed or addrlen is too small. */
int torcell_parse_netinfo(const uint8_t *payload, size_t len, uint32_t *time, char *other_addr,
			  size_t addrlen);
/* Builds our NETINFO as a fixed-length cell (circid_len 4 -> 514 bytes, 2 -> 512) into out;
 * returns its length, 0 when outlen is too small, circid_len is wrong or peer_addr isn't an
 * IPv4/IPv6 literal. peer_addr: the relay's IP. TIME is 0, as tor clients send. */
size_t torcell_build_netinfo(uint8_t *out, size_t outlen, int circid_len, const char *peer_addr);
/* AUTH_CHALLENGE: 32-byte challenge, N methods. Fills the method count and up to maxmethods
 * methods. 0 / -1 when truncated. */
int torcell_parse_auth_challenge(const uint8_t *payload, size_t len, int *nmethods,
				 uint16_t *methods, int maxmethods);

/* Normalises a fingerprint given by a user (spaces allowed, any case, optional leading '$'):
 * 0 ok (out = 40 upper hex + NUL), -1 invalid. */
int tor_fingerprint_normalise(const char *in, char out[41]);

#endif
