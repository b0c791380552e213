/* fuzz_safetext.c: the escapes that keep data from acting on a terminal, a page or a YAML
 * comment (text_put_safe), the input test (text_find_control) and the tor.torrc allowlist.
 * Invariants: what text_put_safe writes is UTF-8 with no control or bidi character left
 * (only '\n' and '\t' under TEXT_KEEP_NL; only printable ASCII under TEXT_ASCII); it is
 * the input itself when the input has nothing to escape; an allowed torrc line has no
 * control character and no backslash. */
#include "fuzz_util.h"
#include "safetext.h"
#include "torrc_allow.h"

static void check_out(const struct buf *b, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)buf_cstr(b);
	for (size_t i = 0; i < b->len;) {
		uint32_t cp;
		size_t k = text_utf8(p + i, b->len - i, &cp);
		FUZZ_ASSERT(k > 0);
		int nl = (flags & TEXT_KEEP_NL) && (cp == '\n' || cp == '\t');
		if (!nl && (flags & TEXT_ASCII))
			FUZZ_ASSERT(cp >= 0x20 && cp < 0x7f);
		if (!nl) {
			char one[5] = { 0 };
			memcpy(one, p + i, k);
			FUZZ_ASSERT(text_find_control(one) < 0);
		}
		i += k;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	size_t len = strlen(s);
	static const unsigned flags[] = { 0, TEXT_KEEP_NL, TEXT_ASCII, TEXT_ASCII | TEXT_KEEP_NL };
	for (size_t f = 0; f < 4; f++) {
		struct buf b;
		buf_init(&b);
		text_put_safe(&b, s, len, flags[f]);
		check_out(&b, flags[f]);
		if (flags[f] == 0 && text_find_control(s) < 0 && !strchr(s, '\\'))
			FUZZ_ASSERT(b.len == len && !memcmp(b.data ? b.data : "", s, len));
		buf_free(&b);
	}
	char small[16];
	text_safe(s, small, sizeof small, 0);
	FUZZ_ASSERT(strlen(small) < sizeof small);
	char why[300];
	if (torrc_line_allowed(s, why, sizeof why) == 0)
		FUZZ_ASSERT(text_find_control(s) < 0 && !strchr(s, '\\') && len > 0);
	else
		FUZZ_ASSERT(why[0] != '\0');
	free(s);
	return 0;
}
