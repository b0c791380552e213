/* fuzz_validate.c: the value checks shared by flags and targets files (src/base/validate.c) —
 * site URLs, curl --resolve entries, pins, bridge addresses — and the string hash table
 * (src/base/strmap.c) fed the input's lines. An accepted URL must be free of spaces, controls
 * and credentials: that is what the checks promise their callers. */
#include "fuzz_util.h"
#include "strmap.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct err e;
	for (int k = 0; k < 2; k++) {
		const char *scheme = k ? "http" : "https";
		if (check_url(s, scheme, &e) == 0) {
			for (const char *p = s; *p; p++)
				FUZZ_ASSERT((unsigned char)*p > 0x20 && *p != 0x7f);
			const char *auth = s + strlen(scheme) + 3;
			FUZZ_ASSERT(!memchr(auth, '@', strcspn(auth, "/?#")));
			FUZZ_ASSERT(auth[0] && !strchr("/?#:", auth[0]));
		} else {
			FUZZ_ASSERT(e.msg[0]);
		}
	}
	if (check_pin_b64(s, &e) == 0)
		FUZZ_ASSERT(strlen(s) == 44 && s[43] == '=');
	(void)check_resolve(s, &e);
	(void)check_bridge_addr(s, &e);
	/* Lines as keys: each added once, found again, counted once. */
	struct strmap m;
	strmap_init(&m);
	size_t distinct = 0;
	for (char *line = s, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t old = 0;
		if (strmap_add(&m, line, distinct, &old))
			distinct++;
		else
			FUZZ_ASSERT(old < distinct);
		FUZZ_ASSERT(strmap_get(&m, line) != NULL);
	}
	FUZZ_ASSERT(m.n == distinct);
	strmap_free(&m);
	free(s);
	return 0;
}
