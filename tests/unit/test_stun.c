/* test_stun.c: unit tests for the STUN Binding request encoder and answer decoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stun.h"

static const uint8_t TX[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

static void test_request(void **state)
{
	(void)state;
	uint8_t out[20];
	assert_int_equal(stun_build_binding_request(out, TX), 20);
	const uint8_t want[8] = { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42 };
	assert_memory_equal(out, want, 8);
	assert_memory_equal(out + 8, TX, 12);
}

/* A message: header with type, then attrs (already padded). */
static size_t msg(uint8_t *out, uint16_t type, const uint8_t tx[12], const uint8_t *attrs, size_t alen)
{
	out[0] = (uint8_t)(type >> 8);
	out[1] = (uint8_t)type;
	out[2] = (uint8_t)(alen >> 8);
	out[3] = (uint8_t)alen;
	out[4] = 0x21;
	out[5] = 0x12;
	out[6] = 0xA4;
	out[7] = 0x42;
	memcpy(out + 8, tx, 12);
	if (alen)
		memcpy(out + 20, attrs, alen);
	return 20 + alen;
}

static void test_xor_mapped_v4(void **state)
{
	(void)state;
	/* 192.0.2.1:32853, as in RFC 5769 §2.2 (XOR with the magic cookie). */
	const uint8_t attrs[] = { 0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43 };
	uint8_t m[64];
	size_t n = msg(m, 0x0101, TX, attrs, sizeof attrs);
	struct stun_answer a;
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_OK);
	assert_true(a.success);
	assert_string_equal(a.mapped, "192.0.2.1");
	assert_int_equal(a.mapped_port, 32853);
}

static void test_rfc5769_v6(void **state)
{
	(void)state;
	/* RFC 5769 §2.3: XOR-MAPPED-ADDRESS 2001:db8:1234:5678:11:2233:4455:6677 port 32853. */
	const uint8_t tx[12] = { 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae };
	const uint8_t attrs[] = {
		0x00, 0x20, 0x00, 0x14, 0x00, 0x02, 0xa1, 0x47,
		0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79,
		0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9,
	};
	uint8_t m[64];
	size_t n = msg(m, 0x0101, tx, attrs, sizeof attrs);
	struct stun_answer a;
	assert_int_equal(stun_parse_answer(m, n, tx, &a), STUN_OK);
	assert_string_equal(a.mapped, "2001:db8:1234:5678:11:2233:4455:6677");
	assert_int_equal(a.mapped_port, 32853);
}

static void test_mapped_plain_and_preference(void **state)
{
	(void)state;
	/* MAPPED-ADDRESS 10.0.0.1:80 after an XOR-MAPPED one: the XOR one wins. */
	const uint8_t attrs[] = {
		0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
		0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x00, 0x50, 10, 0, 0, 1,
	};
	uint8_t m[64];
	struct stun_answer a;
	size_t n = msg(m, 0x0101, TX, attrs, sizeof attrs);
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_OK);
	assert_string_equal(a.mapped, "192.0.2.1");
	n = msg(m, 0x0101, TX, attrs + 12, 12);
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_OK);
	assert_string_equal(a.mapped, "10.0.0.1");
	assert_int_equal(a.mapped_port, 80);
	/* Unknown attributes (SOFTWARE, odd length, padded) are skipped. */
	const uint8_t soft[] = { 0x80, 0x22, 0x00, 0x03, 'a', 'b', 'c', 0 };
	n = msg(m, 0x0101, TX, soft, sizeof soft);
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_OK);
	assert_string_equal(a.mapped, "");
}

static void test_error_answer(void **state)
{
	(void)state;
	const uint8_t attrs[] = { 0x00, 0x09, 0x00, 0x0c, 0, 0, 4, 20, 'U', 'n', 'k', 'n', 'o', 'w', 'n', '\n' };
	uint8_t m[64];
	struct stun_answer a;
	size_t n = msg(m, 0x0111, TX, attrs, sizeof attrs);
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_OK);
	assert_false(a.success);
	assert_int_equal(a.error_code, 420);
	assert_string_equal(a.reason, "Unknown?");
}

static void test_not_ours_and_malformed(void **state)
{
	(void)state;
	uint8_t m[64];
	struct stun_answer a;
	const uint8_t other[12] = { 9 };
	size_t n = msg(m, 0x0101, other, NULL, 0);
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_NOT_OURS);
	n = msg(m, 0x0001, TX, NULL, 0);   /* a request, not an answer */
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_NOT_OURS);
	assert_int_equal(stun_parse_answer(m, 19, TX, &a), STUN_MALFORMED);
	n = msg(m, 0x0101, TX, NULL, 0);
	m[4] = 0;   /* bad magic cookie */
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_MALFORMED);
	n = msg(m, 0x0101, TX, NULL, 0);
	m[0] = 0xc1;   /* top bits set: not STUN */
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_MALFORMED);
	/* Length field disagreeing with the datagram. */
	const uint8_t attrs[] = { 0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43 };
	n = msg(m, 0x0101, TX, attrs, sizeof attrs);
	assert_int_equal(stun_parse_answer(m, n - 4, TX, &a), STUN_MALFORMED);
	/* An attribute running past the end. */
	const uint8_t over[] = { 0x00, 0x20, 0x00, 0x40, 0, 1, 0, 0 };
	n = msg(m, 0x0101, TX, over, sizeof over);
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_MALFORMED);
	/* A truncated address value, an unknown family. */
	const uint8_t shortv[] = { 0x00, 0x20, 0x00, 0x04, 0, 1, 0, 0 };
	n = msg(m, 0x0101, TX, shortv, sizeof shortv);
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_MALFORMED);
	const uint8_t fam[] = { 0x00, 0x20, 0x00, 0x08, 0, 7, 0, 0, 1, 2, 3, 4 };
	n = msg(m, 0x0101, TX, fam, sizeof fam);
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_MALFORMED);
	/* Length not a multiple of 4. */
	const uint8_t odd[] = { 0x80, 0x22, 0x00, 0x01, 'a', 0 };
	n = msg(m, 0x0101, TX, odd, sizeof odd);
	assert_int_equal(stun_parse_answer(m, n, TX, &a), STUN_MALFORMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_xor_mapped_v4),
		cmocka_unit_test(test_rfc5769_v6),
		cmocka_unit_test(test_mapped_plain_and_preference),
		cmocka_unit_test(test_error_answer),
		cmocka_unit_test(test_not_ours_and_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
