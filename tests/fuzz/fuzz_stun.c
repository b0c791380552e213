/* fuzz_stun.c: a STUN Binding answer from a hostile server (stun_parse_answer). Half the
 * inputs carry our transaction id at bytes 8..19 (so the parser gets past "not ours"), the
 * other half are checked against a fixed id. */
#include "fuzz_util.h"
#include "stun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t fixed[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	uint8_t txid[12];
	if (size >= 20 && (size & 1))
		memcpy(txid, data + 8, 12);
	else
		memcpy(txid, fixed, 12);
	uint8_t *copy = malloc(size ? size : 1);   /* exactly size bytes: overreads are caught */
	if (!copy)
		abort();
	memcpy(copy, data, size);
	struct stun_answer a;
	enum stun_parse rc = stun_parse_answer(copy, size, txid, &a);
	FUZZ_ASSERT(rc == STUN_OK || rc == STUN_MALFORMED || rc == STUN_NOT_OURS);
	if (rc == STUN_OK) {
		FUZZ_ASSERT(memchr(a.reason, '\0', sizeof a.reason) && memchr(a.mapped, '\0', sizeof a.mapped));
		FUZZ_ASSERT(a.mapped_port >= 0 && a.mapped_port <= 65535);
		FUZZ_ASSERT(a.success || a.error_code == 0 || (a.error_code >= 300 && a.error_code <= 699));
	}
	free(copy);
	uint8_t req[STUN_HEADER_LEN];
	FUZZ_ASSERT(stun_build_binding_request(req, txid) == STUN_HEADER_LEN);
	return 0;
}
