/* test_conn_socks.c: unit tests for the SOCKS5 client's messages and answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "conn_socks.h"

static void test_greeting(void **state)
{
	(void)state;
	uint8_t g[3];
	assert_int_equal(socks_greeting(g, 0), 3);
	assert_memory_equal(g, "\x05\x01\x00", 3);
	socks_greeting(g, 1);
	assert_memory_equal(g, "\x05\x01\x02", 3);
}

static void test_auth_request(void **state)
{
	(void)state;
	uint8_t a[SOCKS_AUTH_MAX];
	size_t n = socks_auth_request(a, (const uint8_t *)"cert=x", 6, (const uint8_t *)"\0", 1);
	assert_int_equal(n, 3 + 6 + 1);
	assert_memory_equal(a, "\x01\x06" "cert=x" "\x01\x00", n);
	assert_int_equal(socks_auth_request(a, (const uint8_t *)"", 0, (const uint8_t *)"p", 1), 0);
	assert_int_equal(socks_auth_request(a, (const uint8_t *)"u", 1, (const uint8_t *)"p", 0), 0);
	uint8_t big[300];
	memset(big, 'a', sizeof big);
	assert_int_equal(socks_auth_request(a, big, 255, big, 255), SOCKS_AUTH_MAX);
	assert_int_equal(socks_auth_request(a, big, 256, big, 1), 0);
}

static void test_connect_request(void **state)
{
	(void)state;
	uint8_t r[SOCKS_CONNECT_MAX];
	assert_int_equal(socks_connect_request(r, "127.0.0.1", 443), 10);
	assert_memory_equal(r, "\x05\x01\x00\x01\x7f\x00\x00\x01\x01\xbb", 10);
	assert_int_equal(socks_connect_request(r, "::1", 80), 22);
	assert_int_equal(r[3], 4);
	assert_int_equal(r[19], 1);
	assert_int_equal(r[21], 80);
	assert_int_equal(socks_connect_request(r, "bridge.test", 9001), 4 + 1 + 11 + 2);
	assert_int_equal(r[3], 3);
	assert_int_equal(r[4], 11);
	assert_memory_equal(r + 5, "bridge.test", 11);
	char longname[300];
	memset(longname, 'a', sizeof longname - 1);
	longname[299] = '\0';
	assert_int_equal(socks_connect_request(r, longname, 1), 0);
	assert_int_equal(socks_connect_request(r, "127.0.0.1", 0), 0);
}

static void test_read_method(void **state)
{
	(void)state;
	const char *why = NULL;
	int m;
	assert_int_equal(socks_read_method((const uint8_t *)"\x05", 1, 1, &m, &why), 0);
	assert_int_equal(socks_read_method((const uint8_t *)"\x05\x02", 2, 1, &m, &why), 2);
	assert_int_equal(m, 2);
	assert_int_equal(socks_read_method((const uint8_t *)"\x05\x00", 2, 0, &m, &why), 2);
	assert_int_equal(socks_read_method((const uint8_t *)"\x05\x00", 2, 1, &m, &why), -1);
	assert_non_null(strstr(why, "did not offer"));
	assert_int_equal(socks_read_method((const uint8_t *)"\x05\xff", 2, 1, &m, &why), -1);
	assert_non_null(strstr(why, "none of our"));
	assert_int_equal(socks_read_method((const uint8_t *)"HTTP/1.0", 8, 1, &m, &why), -1);
	assert_non_null(strstr(why, "SOCKS5"));
}

static void test_read_auth(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(socks_read_auth((const uint8_t *)"\x01", 1, &why), 0);
	assert_int_equal(socks_read_auth((const uint8_t *)"\x01\x00", 2, &why), 2);
	assert_int_equal(socks_read_auth((const uint8_t *)"\x01\x01", 2, &why), -1);
	assert_int_equal(socks_read_auth((const uint8_t *)"\x05\x00", 2, &why), -1);
}

static void test_read_reply(void **state)
{
	(void)state;
	const char *why = NULL;
	int rep = -1;
	const uint8_t ok4[] = { 5, 0, 0, 1, 127, 0, 0, 1, 0x1f, 0x90, 0xAA };
	assert_int_equal(socks_read_reply(ok4, 4, &rep, &why), 0);
	assert_int_equal(socks_read_reply(ok4, 9, &rep, &why), 0);
	assert_int_equal(socks_read_reply(ok4, sizeof ok4, &rep, &why), 10);   /* leaves the byte after */
	assert_int_equal(rep, 0);
	const uint8_t ok6[22] = { 5, 0, 0, 4 };
	assert_int_equal(socks_read_reply(ok6, 22, &rep, &why), 22);
	const uint8_t okname[] = { 5, 0, 0, 3, 3, 'a', 'b', 'c', 0, 80 };
	assert_int_equal(socks_read_reply(okname, sizeof okname, &rep, &why), 10);
	const uint8_t refused[] = { 5, 5, 0, 1, 0 };
	assert_int_equal(socks_read_reply(refused, sizeof refused, &rep, &why), 5);
	assert_int_equal(rep, 5);
	assert_string_equal(socks_reply_code(rep), "refused");
	assert_string_equal(socks_reply_name(rep), "connection refused");
	const uint8_t badatyp[] = { 5, 0, 0, 9, 0 };
	assert_int_equal(socks_read_reply(badatyp, sizeof badatyp, &rep, &why), -1);
	const uint8_t badver[] = { 4, 0, 0, 1, 0 };
	assert_int_equal(socks_read_reply(badver, sizeof badver, &rep, &why), -1);
	assert_string_equal(socks_reply_code(1), "proxy_failed");
	assert_string_equal(socks_reply_code(4), "unreachable");
	assert_string_equal(socks_reply_code(6), "timeout");
	assert_string_equal(socks_reply_name(200), "an unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_greeting),
		cmocka_unit_test(test_auth_request),
		cmocka_unit_test(test_connect_request),
		cmocka_unit_test(test_read_method),
		cmocka_unit_test(test_read_auth),
		cmocka_unit_test(test_read_reply),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
