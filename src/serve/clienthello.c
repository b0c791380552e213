/* clienthello.c: ClientHello parsing and JA4 (see clienthello.h). Every length read is
 * checked against what is left of its enclosing field before it is used; the input is
 * whatever a stranger's TCP connection carried. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "clienthello.h"

struct rd {
	const uint8_t *p;
	size_t n;
};

static int rd_u8(struct rd *r, unsigned *v)
{
	if (r->n < 1)
		return -1;
	*v = r->p[0];
	r->p++, r->n--;
	return 0;
}

static int rd_u16(struct rd *r, unsigned *v)
{
	if (r->n < 2)
		return -1;
	*v = (unsigned)r->p[0] << 8 | r->p[1];
	r->p += 2, r->n -= 2;
	return 0;
}

/* A sub-reader over the next len bytes. */
static int rd_sub(struct rd *r, size_t len, struct rd *sub)
{
	if (r->n < len)
		return -1;
	sub->p = r->p, sub->n = len;
	r->p += len, r->n -= len;
	return 0;
}

int clienthello_is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* A list of 16-bit values with a 1- or 2-byte length prefix, filling arr up to cap. */
static int rd_list16(struct rd *r, int lenbytes, uint16_t *arr, size_t cap, size_t *count,
		     int *grease)
{
	unsigned len;
	struct rd l;
	if ((lenbytes == 1 ? rd_u8(r, &len) : rd_u16(r, &len)) || (len & 1) || rd_sub(r, len, &l))
		return -1;
	*count = 0;
	while (l.n) {
		unsigned v = 0;
		rd_u16(&l, &v);   /* cannot fail: len is even */
		if (*count < cap)
			arr[*count] = (uint16_t)v;
		(*count)++;
		if (grease && clienthello_is_grease((uint16_t)v))
			(*grease)++;
	}
	return 0;
}

static int parse_alpn(struct rd *r, struct clienthello *ch)
{
	unsigned len;
	struct rd l;
	if (rd_u16(r, &len) || rd_sub(r, len, &l))
		return -1;
	ch->nalpn = 0;
	while (l.n) {
		unsigned plen;
		struct rd p;
		if (rd_u8(&l, &plen) || plen == 0 || rd_sub(&l, plen, &p))
			return -1;
		if (ch->nalpn == 0) {
			ch->alpn0_len = plen;
			ch->alpn0_first = p.p[0];
			ch->alpn0_last = p.p[plen - 1];
		}
		if (ch->nalpn < CH_MAX_ALPN) {
			size_t k = plen < CH_ALPN_LEN ? plen : CH_ALPN_LEN;
			memcpy(ch->alpn[ch->nalpn], p.p, k);
			ch->alpn[ch->nalpn][k] = '\0';
		}
		ch->nalpn++;
	}
	return 0;
}

/* One extension's body; only the ones the rules and JA4 read are taken apart. A malformed
 * body of one of those makes the whole ClientHello malformed, as a TLS server would say. */
static int parse_ext(unsigned type, struct rd *body, struct clienthello *ch)
{
	switch (type) {
	case 0x0000:
		ch->has_sni = 1;
		return 0;
	case 0x000a:
		return rd_list16(body, 2, ch->groups, CH_MAX_LIST, &ch->ngroups, &ch->grease_groups);
	case 0x000d:
		ch->has_sigalgs_ext = 1;
		return rd_list16(body, 2, ch->sigalgs, CH_MAX_LIST, &ch->nsigalgs, NULL);
	case 0x0010:
		return parse_alpn(body, ch);
	case 0x002b:
		ch->has_versions_ext = 1;
		return rd_list16(body, 1, ch->versions, CH_MAX_LIST, &ch->nversions,
				 &ch->grease_versions);
	default:
		return 0;
	}
}

int clienthello_parse(const uint8_t *msg, size_t len, struct clienthello *ch)
{
	memset(ch, 0, sizeof *ch);
	struct rd r = { msg, len }, body, sid, ciphers, comp, exts;
	unsigned type, b, v, n;
	if (rd_u8(&r, &type) || type != 1 || rd_u8(&r, &b) || rd_u16(&r, &v))
		return -1;
	size_t blen = (size_t)b << 16 | v;
	if (rd_sub(&r, blen, &body) || r.n != 0)
		return -1;
	if (rd_u16(&body, &v) || body.n < 32)
		return -1;
	ch->legacy_version = (uint16_t)v;
	body.p += 32, body.n -= 32;   /* random */
	if (rd_u8(&body, &n) || n > 32 || rd_sub(&body, n, &sid))
		return -1;
	if (rd_u16(&body, &n) || n < 2 || (n & 1) || rd_sub(&body, n, &ciphers))
		return -1;
	while (ciphers.n) {
		v = 0;
		rd_u16(&ciphers, &v);   /* cannot fail: n is even */
		if (ch->nciphers < CH_MAX_CIPHERS)
			ch->ciphers[ch->nciphers] = (uint16_t)v;
		ch->nciphers++;
		if (clienthello_is_grease((uint16_t)v))
			ch->grease_ciphers++;
	}
	if (rd_u8(&body, &n) || n < 1 || rd_sub(&body, n, &comp))
		return -1;
	if (body.n == 0)
		return 0;   /* no extensions at all: an old client */
	if (rd_u16(&body, &n) || rd_sub(&body, n, &exts) || body.n != 0)
		return -1;
	while (exts.n) {
		unsigned et, el;
		struct rd e;
		if (rd_u16(&exts, &et) || rd_u16(&exts, &el) || rd_sub(&exts, el, &e))
			return -1;
		if (ch->nexts < CH_MAX_EXTS)
			ch->exts[ch->nexts] = (uint16_t)et;
		ch->nexts++;
		if (clienthello_is_grease((uint16_t)et)) {
			ch->grease_exts++;
			continue;
		}
		if (parse_ext(et, &e, ch))
			return -1;
	}
	return 0;
}

int clienthello_ext_index(const struct clienthello *ch, uint16_t type)
{
	size_t n = ch->nexts < CH_MAX_EXTS ? ch->nexts : CH_MAX_EXTS;
	for (size_t i = 0; i < n; i++)
		if (ch->exts[i] == type)
			return (int)i;
	return -1;
}

static const char *ja4_version(unsigned v)
{
	switch (v) {
	case 0x0304: return "13";
	case 0x0303: return "12";
	case 0x0302: return "11";
	case 0x0301: return "10";
	case 0x0300: return "s3";
	case 0x0200: return "s2";
	case 0x0100: return "s1";
	case 0xfeff: return "d1";
	case 0xfefd: return "d2";
	case 0xfefc: return "d3";
	default: return "00";
	}
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static int is_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* First 12 hex digits of SHA-256 over text; "000000000000" for an empty list (JA4.md). */
static void hash12(const char *text, size_t len, char out[13])
{
	if (len == 0) {
		memcpy(out, "000000000000", 13);
		return;
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	if (!EVP_Digest(text, len, md, &mdlen, EVP_sha256(), NULL))
		memset(md, 0, sizeof md);
	for (int i = 0; i < 6; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Appends "xxxx" values joined by commas. text holds at least 5 * n + 1 bytes. */
static size_t join_hex(char *text, const uint16_t *v, size_t n)
{
	size_t off = 0;
	for (size_t i = 0; i < n; i++)
		off += (size_t)sprintf(text + off, "%s%04x", i ? "," : "", v[i]);
	return off;
}

void clienthello_ja4(const struct clienthello *ch, char out[CH_JA4_LEN + 1])
{
	uint16_t tmp[CH_MAX_CIPHERS + CH_MAX_LIST];
	char text[(CH_MAX_CIPHERS + CH_MAX_LIST) * 5 + 8];
	size_t nc = 0, ne = 0, ne_all = 0, nsa = 0;

	unsigned version = ch->legacy_version;
	if (ch->has_versions_ext) {
		unsigned best = 0;
		size_t n = ch->nversions < CH_MAX_LIST ? ch->nversions : CH_MAX_LIST;
		for (size_t i = 0; i < n; i++)
			if (!clienthello_is_grease(ch->versions[i]) && ch->versions[i] > best)
				best = ch->versions[i];
		if (best)
			version = best;
	}
	/* Counts are of everything received (not only what was kept), GREASE left out. */
	size_t cipher_count = ch->nciphers - (size_t)ch->grease_ciphers;
	size_t ext_count = ch->nexts - (size_t)ch->grease_exts;
	char alpn[3] = "00";
	if (ch->nalpn > 0) {
		if (is_alnum(ch->alpn0_first) && is_alnum(ch->alpn0_last)) {
			alpn[0] = (char)ch->alpn0_first;
			alpn[1] = (char)ch->alpn0_last;
		} else {
			static const char hx[] = "0123456789abcdef";
			alpn[0] = hx[ch->alpn0_first >> 4];
			alpn[1] = hx[ch->alpn0_last & 15];
		}
	}
	char a[11];
	snprintf(a, sizeof a, "t%s%c%02zu%02zu%s", ja4_version(version), ch->has_sni ? 'd' : 'i',
		 cipher_count > 99 ? (size_t)99 : cipher_count, ext_count > 99 ? (size_t)99 : ext_count,
		 alpn);

	size_t kc = ch->nciphers < CH_MAX_CIPHERS ? ch->nciphers : CH_MAX_CIPHERS;
	for (size_t i = 0; i < kc; i++)
		if (!clienthello_is_grease(ch->ciphers[i]))
			tmp[nc++] = ch->ciphers[i];
	qsort(tmp, nc, sizeof *tmp, cmp_u16);
	char b[13], c[13];
	hash12(text, join_hex(text, tmp, nc), b);

	size_t ke = ch->nexts < CH_MAX_EXTS ? ch->nexts : CH_MAX_EXTS;
	for (size_t i = 0; i < ke; i++) {
		uint16_t t = ch->exts[i];
		if (clienthello_is_grease(t))
			continue;
		ne_all++;
		if (t != 0x0000 && t != 0x0010)
			tmp[ne++] = t;
	}
	qsort(tmp, ne, sizeof *tmp, cmp_u16);
	size_t off = join_hex(text, tmp, ne);
	size_t ks = ch->nsigalgs < CH_MAX_LIST ? ch->nsigalgs : CH_MAX_LIST;
	for (size_t i = 0; i < ks; i++)
		if (!clienthello_is_grease(ch->sigalgs[i]))
			tmp[nsa++] = ch->sigalgs[i];
	if (nsa) {
		text[off++] = '_';
		off += join_hex(text + off, tmp, nsa);
	}
	if (ne_all == 0)
		off = 0;
	hash12(text, off, c);
	snprintf(out, CH_JA4_LEN + 1, "%s_%s_%s", a, b, c);
}
