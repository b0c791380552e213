/* safetext.c: visible escapes for dangerous characters (see safetext.h). A terminal acts on
 * ESC, BEL, CR and 8-bit C1 bytes (a targets file could clear the screen and overwrite a
 * `fail` line); libyaml ends a line at U+0085, U+2028 and U+2029 (a certificate subject in a
 * comment could start YAML keys of its own); bidi controls reorder what a reader sees. */
#include "safetext.h"

#include <stdio.h>
#include <string.h>

size_t text_utf8(const unsigned char *p, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	size_t k;
	uint32_t v, min;
	if ((p[0] & 0xe0) == 0xc0) {
		k = 2; v = p[0] & 0x1f; min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		k = 3; v = p[0] & 0x0f; min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		k = 4; v = p[0] & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return k;
}

int text_utf8_valid(const char *s)
{
	size_t n = strlen(s), i = 0, k;
	uint32_t cp;
	while (i < n && (k = text_utf8((const unsigned char *)s + i, n - i, &cp)))
		i += k;
	return i == n;
}

/* Characters that act instead of showing, or change how the text around them shows. */
static int dangerous(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

void text_put_safe(struct buf *b, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;   /* bytes [run, i) are copied as they are */
	while (i < len) {
		uint32_t cp;
		size_t k = text_utf8(p + i, len - i, &cp);
		int keep = k && !dangerous(cp) && (cp < 0x80 || !(flags & TEXT_ASCII)) &&
			   !(cp == '\\' && (flags & TEXT_ASCII));
		if (k && (cp == '\n' || cp == '\t') && (flags & TEXT_KEEP_NL))
			keep = 1;
		if (keep) {
			i += k;
			continue;
		}
		buf_append(b, s + run, i - run);
		if (!k)
			buf_printf(b, "\\x%02x", p[i]);
		else if (cp == '\\')
			buf_puts(b, "\\\\");
		else if (cp < 0x80)
			buf_printf(b, "\\x%02x", (unsigned)cp);
		else if (cp < 0x10000)
			buf_printf(b, "\\u%04x", (unsigned)cp);
		else
			buf_printf(b, "\\U%08x", (unsigned)cp);
		i += k ? k : 1;
		run = i;
	}
	buf_append(b, s + run, len - run);
}

const char *text_safe(const char *s, char *out, size_t outlen, unsigned flags)
{
	struct buf b;
	buf_init(&b);
	text_put_safe(&b, s ? s : "", s ? strlen(s) : 0, flags);
	size_t n = b.len < outlen ? b.len : outlen - 1;
	/* The escapes are ASCII: a cut only has to avoid splitting a UTF-8 sequence. */
	while (n > 0 && n < b.len && ((unsigned char)b.data[n] & 0xc0) == 0x80)
		n--;
	memcpy(out, buf_cstr(&b), n);
	out[n] = '\0';
	buf_free(&b);
	return out;
}

const char *text_term(int slot, const char *s)
{
	static char bufs[TEXT_TERM_SLOTS][2048];
	slot = slot < 0 || slot >= TEXT_TERM_SLOTS ? 0 : slot;
	return text_safe(s, bufs[slot], sizeof bufs[slot], 0);
}

long text_find_control(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = text_utf8(p + i, len - i, &cp);
		if (!k || dangerous(cp))
			return (long)i;
		i += k ? k : 1;
	}
	return -1;
}
