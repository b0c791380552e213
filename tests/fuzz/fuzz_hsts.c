/* fuzz_hsts.c: the Strict-Transport-Security header parser (hsts_parse), fed the header
 * value a hostile or broken server sends. */
#include "fuzz_util.h"
#include "hsts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hsts_policy p;
	/* No NUL terminator: a copy of exactly size bytes, so reading past it is caught. */
	char *v = malloc(size ? size : 1);
	if (!v)
		abort();
	memcpy(v, data, size);
	int rc = hsts_parse(v, size, &p);
	FUZZ_ASSERT((rc == 0) == (p.error == HSTS_OK));
	FUZZ_ASSERT(p.error_at <= size);
	FUZZ_ASSERT(p.max_age >= -1 && p.max_age <= HSTS_MAX_AGE_CAP);
	FUZZ_ASSERT(rc != 0 || p.max_age >= 0);
	FUZZ_ASSERT(memchr(p.duplicate, '\0', sizeof p.duplicate) != NULL);
	FUZZ_ASSERT(p.unknown_directives >= 0);
	FUZZ_ASSERT(strlen(hsts_error_name(p.error)) > 0);
	free(v);
	return 0;
}
