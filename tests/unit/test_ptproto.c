/* test_ptproto.c: unit tests for the pluggable-transport stdout parser, its state machine, and
 * the packing of bridge arguments into SOCKS5 username/password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ptproto.h"

static void parse(const char *line, struct pt_line *l)
{
	ptproto_parse_line(line, strlen(line), l);
}

static void test_parse_version(void **state)
{
	(void)state;
	struct pt_line l;
	parse("VERSION 1", &l);
	assert_int_equal(l.kind, PT_VERSION);
	assert_string_equal(l.arg, "1");
	parse("VERSION", &l);
	assert_int_equal(l.kind, PT_BAD);
	parse("VERSION-ERROR no-version", &l);
	assert_int_equal(l.kind, PT_VERSION_ERROR);
	assert_string_equal(l.msg, "no-version");
	parse("ENV-ERROR No TOR_PT_STATE_LOCATION environment variable", &l);
	assert_int_equal(l.kind, PT_ENV_ERROR);
	assert_string_equal(l.msg, "No TOR_PT_STATE_LOCATION environment variable");
}

static void test_parse_cmethod(void **state)
{
	(void)state;
	struct pt_line l;
	parse("CMETHOD obfs4 socks5 127.0.0.1:41999", &l);
	assert_int_equal(l.kind, PT_CMETHOD);
	assert_string_equal(l.transport, "obfs4");
	assert_string_equal(l.method, "socks5");
	assert_string_equal(l.addr.host, "127.0.0.1");
	assert_int_equal(l.addr.port, 41999);
	parse("CMETHOD meek_lite socks5 [::1]:9000 ARGS:url=x", &l);
	assert_int_equal(l.kind, PT_CMETHOD);
	assert_string_equal(l.addr.host, "::1");
	assert_int_equal(l.addr.port, 9000);
	parse("CMETHOD obfs4 socks4 127.0.0.1:1", &l);
	assert_int_equal(l.kind, PT_CMETHOD);
	assert_string_equal(l.method, "socks4");
	/* Malformed CMETHODs */
	parse("CMETHOD obfs4 http 127.0.0.1:1", &l);
	assert_int_equal(l.kind, PT_BAD);
	parse("CMETHOD obfs4 socks5", &l);
	assert_int_equal(l.kind, PT_BAD);
	parse("CMETHOD obfs4 socks5 localhost:80", &l);
	assert_int_equal(l.kind, PT_BAD);
	parse("CMETHOD obfs4 socks5 127.0.0.1:99999", &l);
	assert_int_equal(l.kind, PT_BAD);
	parse("CMETHOD", &l);
	assert_int_equal(l.kind, PT_BAD);
	parse("CMETHOD-ERROR obfs4 could not bind", &l);
	assert_int_equal(l.kind, PT_CMETHOD_ERROR);
	assert_string_equal(l.transport, "obfs4");
	assert_string_equal(l.msg, "could not bind");
}

static void test_parse_other(void **state)
{
	(void)state;
	struct pt_line l;
	parse("CMETHODS DONE", &l);
	assert_int_equal(l.kind, PT_CMETHODS_DONE);
	parse("CMETHODS", &l);
	assert_int_equal(l.kind, PT_OTHER);
	parse("PROXY DONE", &l);
	assert_int_equal(l.kind, PT_PROXY_DONE);
	parse("PROXY-ERROR bad proxy", &l);
	assert_int_equal(l.kind, PT_PROXY_ERROR);
	parse("LOG SEVERITY=notice MESSAGE=\"hello\"", &l);
	assert_int_equal(l.kind, PT_LOG);
	assert_string_equal(l.msg, "SEVERITY=notice MESSAGE=\"hello\"");
	parse("STATUS TRANSPORT=obfs4 CONNECT=Success", &l);
	assert_int_equal(l.kind, PT_STATUS);
	parse("", &l);
	assert_int_equal(l.kind, PT_OTHER);
	parse("   ", &l);
	assert_int_equal(l.kind, PT_OTHER);
	parse("2024/01/01 [NOTICE]: obfs4proxy - launched", &l);
	assert_int_equal(l.kind, PT_OTHER);
	parse("version 1", &l);   /* keywords are case-sensitive */
	assert_int_equal(l.kind, PT_OTHER);
}

static void test_parse_bounds(void **state)
{
	(void)state;
	char big[5000];
	memset(big, 'A', sizeof big);
	memcpy(big, "LOG ", 4);
	struct pt_line l;
	ptproto_parse_line(big, sizeof big, &l);
	assert_int_equal(l.kind, PT_LOG);
	assert_int_equal(strlen(l.msg), PT_MSG_MAX - 1);
	memcpy(big, "CMETHOD ", 8);
	ptproto_parse_line(big, sizeof big, &l);
	assert_int_equal(l.kind, PT_BAD);
	/* Embedded NUL and control bytes never leak into messages as controls. */
	const char nul[] = "ENV-ERROR a\0b\x01" "c";
	ptproto_parse_line(nul, sizeof nul - 1, &l);
	assert_int_equal(l.kind, PT_ENV_ERROR);
	assert_string_equal(l.msg, "a b c");
}

static enum pt_verdict feed(struct pt_state *st, const char *line)
{
	return ptproto_feed(st, line, strlen(line));
}

static void test_feed_ready(void **state)
{
	(void)state;
	struct pt_state st;
	ptproto_init(&st);
	assert_int_equal(feed(&st, "LOG SEVERITY=info MESSAGE=\"starting\""), PT_PENDING);
	assert_int_equal(feed(&st, "VERSION 1"), PT_PENDING);
	assert_int_equal(feed(&st, "CMETHOD obfs4 socks5 127.0.0.1:1234"), PT_PENDING);
	assert_int_equal(feed(&st, "CMETHOD-ERROR scramblesuit not built in"), PT_PENDING);
	assert_int_equal(feed(&st, "some junk"), PT_PENDING);
	assert_int_equal(feed(&st, "CMETHODS DONE"), PT_READY);
	const struct pt_method *m = ptproto_method(&st, "obfs4");
	assert_non_null(m);
	assert_true(m->ok);
	assert_int_equal(m->addr.port, 1234);
	m = ptproto_method(&st, "scramblesuit");
	assert_non_null(m);
	assert_false(m->ok);
	assert_string_equal(m->msg, "not built in");
	assert_null(ptproto_method(&st, "meek_lite"));
	/* After the verdict, errors change nothing; logs are still kept. */
	assert_int_equal(feed(&st, "ENV-ERROR late"), PT_READY);
	assert_int_equal(feed(&st, "LOG SEVERITY=error MESSAGE=\"x\""), PT_READY);
	assert_string_equal(st.last_log, "SEVERITY=error MESSAGE=\"x\"");
}

static void test_feed_failures(void **state)
{
	(void)state;
	struct pt_state st;
	static const char *const bad[][2] = {
		{ "VERSION-ERROR no-version", "refused our protocol version" },
		{ "ENV-ERROR no state dir", "rejected its environment" },
		{ "VERSION 2", "unknown protocol version" },
		{ "CMETHOD obfs4 socks5 127.0.0.1:1", "before its VERSION" },
		{ "CMETHODS DONE", "without a VERSION" },
		{ "PROXY-ERROR nope", "cannot use the proxy" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ptproto_init(&st);
		assert_int_equal(feed(&st, bad[i][0]), PT_FAILED);
		assert_non_null(strstr(st.error, bad[i][1]));
		assert_int_equal(feed(&st, "VERSION 1"), PT_FAILED);
	}
	ptproto_init(&st);
	feed(&st, "VERSION 1");
	assert_int_equal(feed(&st, "CMETHOD obfs4 socks4 127.0.0.1:1"), PT_FAILED);
	ptproto_init(&st);
	feed(&st, "VERSION 1");
	assert_int_equal(feed(&st, "CMETHOD obfs4 socks5 nowhere"), PT_FAILED);
}

static void test_feed_many_methods(void **state)
{
	(void)state;
	struct pt_state st;
	ptproto_init(&st);
	feed(&st, "VERSION 1");
	char line[64];
	for (int i = 0; i < PT_MAX_METHODS + 5; i++) {
		snprintf(line, sizeof line, "CMETHOD t%d socks5 127.0.0.1:%d", i, 1000 + i);
		assert_int_equal(feed(&st, line), PT_PENDING);
	}
	/* The same transport again: the last line counts, no new slot. */
	feed(&st, "CMETHOD t0 socks5 127.0.0.1:2000");
	assert_int_equal(st.nmethods, PT_MAX_METHODS);
	assert_int_equal(ptproto_method(&st, "t0")->addr.port, 2000);
	assert_int_equal(feed(&st, "CMETHODS DONE"), PT_READY);
}

static struct bridge_arg A(const char *k, const char *v)
{
	struct bridge_arg a = { (char *)k, (char *)v };
	return a;
}

static void test_socks_auth_simple(void **state)
{
	(void)state;
	uint8_t u[255], p[255];
	size_t ul, pl;
	struct bridge_arg args[] = { A("cert", "AbC+/="), A("iat-mode", "0") };
	assert_int_equal(ptproto_socks_auth(args, 2, u, &ul, p, &pl), 0);
	const char want[] = "cert=AbC+/\\=;iat-mode=0";
	assert_int_equal(ul, strlen(want));
	assert_memory_equal(u, want, ul);
	assert_int_equal(pl, 1);
	assert_int_equal(p[0], 0);
	assert_int_equal(ptproto_socks_auth(args, 0, u, &ul, p, &pl), -1);
}

static void test_socks_auth_escaping(void **state)
{
	(void)state;
	uint8_t u[255], p[255];
	size_t ul, pl;
	struct bridge_arg args[] = { A("a;b", "x\\y"), A("k=", ";") };
	assert_int_equal(ptproto_socks_auth(args, 2, u, &ul, p, &pl), 0);
	const char want[] = "a\\;b=x\\\\y;k\\==\\;";
	assert_int_equal(ul, strlen(want));
	assert_memory_equal(u, want, ul);
}

static void test_socks_auth_overflow(void **state)
{
	(void)state;
	uint8_t u[255], p[255];
	size_t ul, pl;
	char v[400];
	memset(v, 'x', 300);
	v[300] = '\0';
	struct bridge_arg args[] = { A("cert", v) };
	assert_int_equal(ptproto_socks_auth(args, 1, u, &ul, p, &pl), 0);
	assert_int_equal(ul, 255);
	assert_int_equal(pl, 5 + 300 - 255);
	assert_memory_equal(u, "cert=", 5);
	assert_int_equal(p[0], 'x');
	/* Exactly 255: all in the username, password a NUL. */
	memset(v, 'y', 250);
	v[250] = '\0';
	assert_int_equal(ptproto_socks_auth(args, 1, u, &ul, p, &pl), 0);
	assert_int_equal(ul, 255);
	assert_int_equal(pl, 1);
	assert_int_equal(p[0], 0);
	/* More than 510 bytes cannot be sent. */
	memset(v, 'z', 399);
	v[399] = '\0';
	struct bridge_arg two[] = { A("a", v), A("b", v) };
	assert_int_equal(ptproto_socks_auth(two, 2, u, &ul, p, &pl), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_version),
		cmocka_unit_test(test_parse_cmethod),
		cmocka_unit_test(test_parse_other),
		cmocka_unit_test(test_parse_bounds),
		cmocka_unit_test(test_feed_ready),
		cmocka_unit_test(test_feed_failures),
		cmocka_unit_test(test_feed_many_methods),
		cmocka_unit_test(test_socks_auth_simple),
		cmocka_unit_test(test_socks_auth_escaping),
		cmocka_unit_test(test_socks_auth_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
