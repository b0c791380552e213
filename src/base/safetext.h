/* safetext.h: peer- and file-derived text made harmless for where it is shown — a terminal,
 * a page, a YAML comment — by writing control and direction-changing characters as visible
 * escapes (\x1b, \u202e) instead of letting them act; and the test that refuses them in
 * input. The one place that decides which characters are dangerous. */
#ifndef TORREADY_SAFETEXT_H
#define TORREADY_SAFETEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum {
	TEXT_KEEP_NL = 1,    /* keep '\n' and '\t' as they are (page text); escape them otherwise */
	TEXT_ASCII = 2,      /* escape every non-ASCII character too: the output is 0x20..0x7e */
};

/* Appends s (len bytes) with C0 controls, DEL, C1 controls, bidirectional controls
 * (U+061C, U+200E/F, U+202A-E, U+2066-9), U+2028/U+2029 and bytes that are not UTF-8
 * written as \xNN / \uXXXX text; a backslash is written as "\\" under TEXT_ASCII only. */
void text_put_safe(struct buf *b, const char *s, size_t len, unsigned flags);
/* The same into a fixed buffer (cut at a character boundary, always NUL-terminated). */
const char *text_safe(const char *s, char *out, size_t outlen, unsigned flags);
/* For the terminal: s made safe (cut at 2 KB) in a buffer that lives until the next call
 * with the same slot (0..TEXT_TERM_SLOTS-1), so one printf can show several such strings. */
#define TEXT_TERM_SLOTS 6
const char *text_term(int slot, const char *s);

/* Byte offset of the first control character in s (C0 including tab, DEL, C1, U+2028/U+2029,
 * bidirectional controls) or byte that is not UTF-8 (a raw 0x9b is a terminal's CSI), or -1
 * when there is none. */
long text_find_control(const char *s);

/* Length of the UTF-8 sequence at p (at most n bytes) with its code point, or 0 when the
 * bytes there are not well-formed UTF-8 (overlong, surrogate, past U+10FFFF, cut short). */
size_t text_utf8(const unsigned char *p, size_t n, uint32_t *cp);
/* 1 when the NUL-terminated s is well-formed UTF-8 throughout, else 0. */
int text_utf8_valid(const char *s);

#endif
