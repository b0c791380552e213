/* fuzz_intake.c: a body POSTed to /api/results by anyone holding the token (intake_prepare):
 * JSON reading, the results reader, the verdict level, the digest and results_redact. */
#include "fuzz_util.h"
#include "serve_intake.h"

#include <jansson.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);   /* exactly size bytes: overreads are caught */
	if (!copy)
		abort();
	memcpy(copy, data, size);
	char msg[600];
	struct intake in;
	for (int redact = 0; redact < 2; redact++) {
		msg[0] = '\0';
		if (intake_prepare(copy, size, redact, &in, msg, sizeof msg) < 0) {
			FUZZ_ASSERT(msg[0] && memchr(msg, '\0', sizeof msg));
			continue;
		}
		FUZZ_ASSERT(strlen(in.digest) == 64 && in.machine[0] && in.level && in.finished);
		json_t *again = json_loads(in.doc, 0, NULL);   /* what is stored reads back */
		FUZZ_ASSERT(again != NULL);
		json_decref(again);
		intake_free(&in);
	}
	free(copy);
	return 0;
}
