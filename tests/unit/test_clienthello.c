/* test_clienthello.c: the ClientHello parser, JA4 against the published Chrome 143 vector
 * (FoxIO's JA4 spec format; lists in ../shared/facts/self-check.md), and the browser rules
 * against ClientHellos captured from the real browsers run here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "browser.h"
#include "clienthello.h"
#include "clienthello_fixtures.h"

struct w {
	uint8_t b[8192];
	size_t n;
};

static void u8(struct w *w, unsigned v) { w->b[w->n++] = (uint8_t)v; }
static void u16(struct w *w, unsigned v) { u8(w, v >> 8); u8(w, v & 0xff); }
static void put(struct w *w, const void *p, size_t n) { memcpy(w->b + w->n, p, n); w->n += n; }
static void set16(struct w *w, size_t at, size_t v) { w->b[at] = (uint8_t)(v >> 8); w->b[at + 1] = (uint8_t)v; }

/* One extension with a body written by the caller between ext_open and ext_close. */
static size_t ext_open(struct w *w, unsigned type) { u16(w, type); u16(w, 0); return w->n; }
static void ext_close(struct w *w, size_t at) { set16(w, at - 2, w->n - at); }

/* The published Chrome 143 ClientHello's lists (original order), with GREASE where Chrome
 * puts it; JA4 must be t13d1516h2_8daaf6152771_d8a2da3f94cd. */
static size_t chrome143(uint8_t *out, size_t cap)
{
	static const unsigned ciphers[] = { 0x3a3a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c,
		0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035 };
	static const unsigned exts[] = { 0x2a2a, 0x002d, 0x0033, 0x0010, 0xfe0d, 0x0017, 0x44cd,
		0x0000, 0x000b, 0x000a, 0x002b, 0xff01, 0x0023, 0x0012, 0x0005, 0x000d, 0x001b, 0x4a4a };
	static const unsigned sigalgs[] = { 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601 };
	struct w *w = calloc(1, sizeof *w);
	u8(w, 1); u8(w, 0); u16(w, 0);       /* handshake header, length filled in below */
	u16(w, 0x0303);
	for (int i = 0; i < 32; i++) u8(w, (unsigned)i);
	u8(w, 32);
	for (int i = 0; i < 32; i++) u8(w, 0xee);
	u16(w, sizeof ciphers / sizeof *ciphers * 2);
	for (size_t i = 0; i < sizeof ciphers / sizeof *ciphers; i++) u16(w, ciphers[i]);
	u8(w, 1); u8(w, 0);
	size_t exts_len_at = w->n;
	u16(w, 0);
	for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
		size_t at = ext_open(w, exts[i]), l;
		switch (exts[i]) {
		case 0x0000:
			u16(w, 14); u8(w, 0); u16(w, 11); put(w, "example.org", 11);
			break;
		case 0x0010:
			u16(w, 12); u8(w, 2); put(w, "h2", 2); u8(w, 8); put(w, "http/1.1", 8);
			break;
		case 0x002b:
			u8(w, 6); u16(w, 0x1a1a); u16(w, 0x0304); u16(w, 0x0303);
			break;
		case 0x000d:
			l = sizeof sigalgs / sizeof *sigalgs;
			u16(w, l * 2);
			for (size_t k = 0; k < l; k++) u16(w, sigalgs[k]);
			break;
		case 0x000a:
			u16(w, 10); u16(w, 0x5a5a); u16(w, 0x11ec); u16(w, 0x001d); u16(w, 0x0017); u16(w, 0x0018);
			break;
		case 0x2a2a:
			break;
		case 0x4a4a:
			u8(w, 0);
			break;
		default:
			u8(w, 0); u8(w, 0);
		}
		ext_close(w, at);
	}
	set16(w, exts_len_at, w->n - exts_len_at - 2);
	size_t body = w->n - 4;
	w->b[1] = (uint8_t)(body >> 16); w->b[2] = (uint8_t)(body >> 8); w->b[3] = (uint8_t)body;
	assert_true(w->n <= cap);
	memcpy(out, w->b, w->n);
	size_t n = w->n;
	free(w);
	return n;
}

/* The handshake message inside captured records. */
static size_t unrecord(const unsigned char *rec, size_t n, uint8_t *out)
{
	size_t o = 0;
	for (size_t i = 0; i + 5 <= n;) {
		size_t l = (size_t)rec[i + 3] << 8 | rec[i + 4];
		assert_true(i + 5 + l <= n);
		memcpy(out + o, rec + i + 5, l);
		o += l;
		i += 5 + l;
	}
	return o;
}

static void test_grease(void **state)
{
	(void)state;
	assert_true(clienthello_is_grease(0x0a0a));
	assert_true(clienthello_is_grease(0xfafa));
	assert_false(clienthello_is_grease(0x0a1a));
	assert_false(clienthello_is_grease(0x1301));
	assert_false(clienthello_is_grease(0x0000));
}

static void test_ja4_published_vector(void **state)
{
	(void)state;
	uint8_t m[8192];
	size_t n = chrome143(m, sizeof m);
	struct clienthello *ch = malloc(sizeof *ch);
	assert_int_equal(clienthello_parse(m, n, ch), 0);
	assert_int_equal(ch->nciphers, 16);
	assert_int_equal(ch->grease_ciphers, 1);
	assert_int_equal(ch->nexts, 18);
	assert_int_equal(ch->grease_exts, 2);
	assert_int_equal(ch->nsigalgs, 8);
	assert_int_equal(ch->ngroups, 5);
	assert_string_equal(ch->alpn[0], "h2");
	assert_string_equal(ch->alpn[1], "http/1.1");
	assert_true(ch->has_sni);
	char ja4[CH_JA4_LEN + 1];
	clienthello_ja4(ch, ja4);
	assert_string_equal(ja4, "t13d1516h2_8daaf6152771_d8a2da3f94cd");
	free(ch);
}

static void test_ja4_edges(void **state)
{
	(void)state;
	struct clienthello *ch = calloc(1, sizeof *ch);
	char ja4[CH_JA4_LEN + 1];
	ch->legacy_version = 0x0303;   /* no extensions, no ciphers kept: empty hashes are zeros */
	clienthello_ja4(ch, ja4);
	assert_string_equal(ja4, "t12i000000_000000000000_000000000000");
	ch->nalpn = 1;                 /* a non-alphanumeric ALPN: first and last hex digits */
	ch->alpn0_first = 0xab;
	ch->alpn0_last = 0xcd;
	clienthello_ja4(ch, ja4);
	assert_memory_equal(ja4, "t12i0000ad", 10);
	free(ch);
}

static void test_malformed(void **state)
{
	(void)state;
	uint8_t m[8192];
	size_t n = unrecord(chromium_records_hello, sizeof chromium_records_hello, m);
	struct clienthello *ch = malloc(sizeof *ch);
	assert_int_equal(clienthello_parse(m, n, ch), 0);
	for (size_t k = 0; k < n; k++)   /* every truncation is refused, none read past k */
		assert_int_equal(clienthello_parse(m, k, ch), -1);
	m[n] = 0;
	assert_int_equal(clienthello_parse(m, n + 1, ch), -1);   /* trailing byte */
	m[0] = 2;
	assert_int_equal(clienthello_parse(m, n, ch), -1);       /* a ServerHello */
	free(ch);
}

static const char *CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
			       "Gecko) Chrome/156.0.0.0 Safari/537.36";
static const char *FIREFOX_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0";

static struct clienthello *captured(const unsigned char *rec, size_t n)
{
	uint8_t m[8192];
	size_t len = unrecord(rec, n, m);
	struct clienthello *ch = malloc(sizeof *ch);
	assert_int_equal(clienthello_parse(m, len, ch), 0);
	return ch;
}

static void test_rules_real_browsers(void **state)
{
	(void)state;
	struct clienthello *chromium = captured(chromium_records_hello, sizeof chromium_records_hello);
	struct clienthello *firefox = captured(firefox_records_hello, sizeof firefox_records_hello);
	struct clienthello *curl = captured(curl_records_hello, sizeof curl_records_hello);
	struct browser_judgement j;

	browser_judge(CHROME_UA, chromium, &j);
	assert_int_equal(j.verdict, SC_CLEAR);
	assert_int_equal(j.nsignals, 0);
	browser_judge(FIREFOX_UA, firefox, &j);
	assert_int_equal(j.verdict, SC_CLEAR);

	/* An OpenSSL client (what interceptors are built on) claiming either browser. */
	browser_judge(CHROME_UA, curl, &j);
	assert_int_equal(j.verdict, SC_INTERCEPTED);
	assert_string_equal(j.signals[0], "grease_cipher_missing");
	browser_judge(FIREFOX_UA, curl, &j);
	assert_int_equal(j.verdict, SC_INTERCEPTED);

	/* Each browser's hello under the other's name. */
	browser_judge(FIREFOX_UA, chromium, &j);
	assert_int_equal(j.verdict, SC_INTERCEPTED);
	assert_string_equal(j.signals[0], "grease_present");
	browser_judge(CHROME_UA, firefox, &j);
	assert_int_equal(j.verdict, SC_INTERCEPTED);

	/* What cannot be placed is unknown, never clear. */
	browser_judge("curl/7.88.1", curl, &j);
	assert_int_equal(j.verdict, SC_UNKNOWN);
	browser_judge(NULL, chromium, &j);
	assert_int_equal(j.verdict, SC_UNKNOWN);
	browser_judge(CHROME_UA, NULL, &j);
	assert_int_equal(j.verdict, SC_UNKNOWN);
	browser_judge("Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) "
		      "Chrome/50.0.2661.102 Safari/537.36", chromium, &j);
	assert_int_equal(j.verdict, SC_UNKNOWN);
	free(chromium);
	free(firefox);
	free(curl);
}

static void test_user_agents(void **state)
{
	(void)state;
	enum browser_family f;
	char v[16];
	browser_from_ua("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
			"Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", &f, v);
	assert_int_equal(f, BR_CHROMIUM);
	assert_string_equal(v, "131");
	browser_from_ua("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, "
			"like Gecko) Version/18.1 Safari/605.1.15", &f, v);
	assert_int_equal(f, BR_SAFARI);
	assert_string_equal(v, "18");
	browser_from_ua("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
			"(KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1", &f, v);
	assert_int_equal(f, BR_SAFARI);
	assert_string_equal(v, "17");
	browser_from_ua(FIREFOX_UA, &f, v);
	assert_int_equal(f, BR_FIREFOX);
	assert_string_equal(v, "153");
	browser_from_ua("Wget/1.21", &f, v);
	assert_int_equal(f, BR_OTHER);
	assert_string_equal(v, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grease),
		cmocka_unit_test(test_ja4_published_vector),
		cmocka_unit_test(test_ja4_edges),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_rules_real_browsers),
		cmocka_unit_test(test_user_agents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
