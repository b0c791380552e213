/* fuzz_redact.c: results_redact on any JSON (what `render --redact` and serve's intake do
 * with a document someone else wrote): no crash, bounded work, and a second pass finds
 * nothing left to change (no cert= value other than the placeholder survives). */
#include <string.h>

#include "fuzz_util.h"
#include "results_redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return 0;
	results_redact(doc);
	FUZZ_ASSERT(results_redact(doc) == 0);
	json_decref(doc);
	return 0;
}
