/* fuzz_targets.c: the targets YAML loader (targets_load_text), as a user's file and as the
 * built-in defaults file (which allows a few more keys), then a merge. */
#include "fuzz_util.h"
#include "targets.h"

static void load(const uint8_t *data, size_t size, int defaults)
{
	struct targets t, all;
	struct err e;
	targets_init(&t);
	targets_init(&all);
	err_clear(&e);
	if (targets_load_text(&t, "fuzz.yaml", (const char *)data, size, defaults, &e) < 0) {
		FUZZ_ASSERT(e.msg[0] != '\0');
	} else {
		FUZZ_ASSERT(t.timeout_s >= 0);
		for (size_t i = 0; i < t.nbridges; i++)
			FUZZ_ASSERT(t.bridges[i].addr.port > 0);
		targets_merge(&all, &t);
	}
	targets_free(&t);
	targets_free(&all);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	load(data, size, 0);
	load(data, size, 1);
	return 0;
}
