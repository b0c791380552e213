/* stun.h: pure STUN (RFC 5389) for reachability checks: build a Binding request and read the
 * answer (success with the mapped address, or an error code). No I/O. */
#ifndef TORREADY_STUN_H
#define TORREADY_STUN_H

#include <stddef.h>
#include <stdint.h>

#define STUN_HEADER_LEN 20
#define STUN_MAGIC 0x2112A442u
#define STUN_ADDRSTRLEN 46

/* Writes a Binding request with transaction id txid (12 bytes) into out (>= 20 bytes);
 * returns its length (20). */
size_t stun_build_binding_request(uint8_t *out, const uint8_t txid[12]);

struct stun_answer {
	int success;                     /* 1: Binding success; 0: Binding error */
	int error_code;                  /* with an error: 300..699, 0 when absent */
	char reason[128];                /* the error's reason phrase (cleaned) */
	char mapped[STUN_ADDRSTRLEN];    /* our address as the server saw it ("" when absent) */
	int mapped_port;
};

enum stun_parse { STUN_OK = 0, STUN_MALFORMED = -1, STUN_NOT_OURS = 1 };

/* Reads a datagram that should answer our request txid. STUN_OK fills a; STUN_NOT_OURS for a
 * well-formed STUN message with another transaction id or class (ignore it); STUN_MALFORMED
 * for anything else. XOR-MAPPED-ADDRESS is preferred over MAPPED-ADDRESS. */
enum stun_parse stun_parse_answer(const uint8_t *buf, size_t len, const uint8_t txid[12],
				  struct stun_answer *a);

#endif
