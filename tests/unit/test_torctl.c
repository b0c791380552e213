/* test_torctl.c: unit tests for the tor control-port reply parser, argument reader, bootstrap
 * status events, the control port file and the AUTHENTICATE command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "torctl.h"

static long parse(const char *s, struct torctl_reply *r)
{
	return torctl_parse_reply(s, strlen(s), r);
}

static void test_reply_simple(void **state)
{
	(void)state;
	struct torctl_reply r;
	const char *s = "250 OK\r\n650 STATUS_CLIENT NOTICE";
	long n = parse(s, &r);
	assert_int_equal(n, 8);
	assert_int_equal(r.code, 250);
	assert_int_equal(r.nlines, 1);
	assert_int_equal(r.lines[0].sep, ' ');
	assert_string_equal(r.lines[0].text, "OK");
	assert_null(r.lines[0].data);
	torctl_reply_free(&r);
	/* The rest is an incomplete line: more bytes needed. */
	assert_int_equal(parse(s + 8, &r), 0);
	assert_int_equal(r.nlines, 0);
	/* A bare LF is accepted too. */
	assert_int_equal(parse("515 Authentication failed\n", &r), 26);
	assert_int_equal(r.code, 515);
	torctl_reply_free(&r);
}

static void test_reply_multi(void **state)
{
	(void)state;
	struct torctl_reply r;
	const char *s = "250-status/bootstrap-phase=NOTICE BOOTSTRAP PROGRESS=0 TAG=starting SUMMARY=\"Starting\"\r\n"
			"250 OK\r\n";
	assert_int_equal(parse(s, &r), (long)strlen(s));
	assert_int_equal(r.nlines, 2);
	assert_int_equal(r.lines[0].sep, '-');
	assert_string_equal(r.lines[1].text, "OK");
	torctl_reply_free(&r);
	/* Only the mid line: incomplete. */
	assert_int_equal(torctl_parse_reply(s, 40, &r), 0);
	assert_int_equal(torctl_parse_reply(s, strlen(s) - 8, &r), 0);
}

static void test_reply_data(void **state)
{
	(void)state;
	struct torctl_reply r;
	const char *s = "250+config-text=\r\nLog notice stdout\r\n..dotted\r\n.\r\n250 OK\r\n";
	assert_int_equal(parse(s, &r), (long)strlen(s));
	assert_int_equal(r.nlines, 2);
	assert_int_equal(r.lines[0].sep, '+');
	assert_string_equal(r.lines[0].text, "config-text=");
	assert_string_equal(r.lines[0].data, "Log notice stdout\n.dotted");
	torctl_reply_free(&r);
	/* Data not yet terminated. */
	assert_int_equal(torctl_parse_reply(s, 40, &r), 0);
}

static void test_reply_malformed(void **state)
{
	(void)state;
	struct torctl_reply r;
	assert_int_equal(parse("25 OK\r\n", &r), -1);
	assert_int_equal(parse("abc OK\r\n", &r), -1);
	assert_int_equal(parse("250*OK\r\n", &r), -1);
	assert_int_equal(parse("250-a\r\n251 b\r\n", &r), -1);   /* code changes */
	assert_int_equal(parse("\r\n", &r), -1);
	/* A line longer than the limit, without its end yet: an error, not "need more". */
	size_t n = TORCTL_MAX_LINE + 10;
	char *big = malloc(n + 1);
	memset(big, 'x', n);
	memcpy(big, "250-", 4);
	big[n] = '\0';
	assert_int_equal(torctl_parse_reply(big, n, &r), -1);
	free(big);
	/* Too many lines in one reply. */
	size_t lines = TORCTL_MAX_LINES + 2;
	char *many = malloc(lines * 7 + 1);
	for (size_t i = 0; i < lines; i++)
		memcpy(many + i * 7, "250-a\r\n", 7);
	many[lines * 7] = '\0';
	assert_int_equal(torctl_parse_reply(many, lines * 7, &r), -1);
	free(many);
}

static void test_next_arg(void **state)
{
	(void)state;
	const char *p = " A=1 B=\"two words\" bare C=\"q\\\"x\\\\y\" D= \"quoted bare\"";
	char k[16], v[64];
	assert_int_equal(torctl_next_arg(&p, k, sizeof k, v, sizeof v), 1);
	assert_string_equal(k, "A");
	assert_string_equal(v, "1");
	assert_int_equal(torctl_next_arg(&p, k, sizeof k, v, sizeof v), 1);
	assert_string_equal(k, "B");
	assert_string_equal(v, "two words");
	assert_int_equal(torctl_next_arg(&p, k, sizeof k, v, sizeof v), 1);
	assert_string_equal(k, "");
	assert_string_equal(v, "bare");
	assert_int_equal(torctl_next_arg(&p, k, sizeof k, v, sizeof v), 1);
	assert_string_equal(k, "C");
	assert_string_equal(v, "q\"x\\y");
	assert_int_equal(torctl_next_arg(&p, k, sizeof k, v, sizeof v), 1);
	assert_string_equal(k, "D");
	assert_string_equal(v, "");
	assert_int_equal(torctl_next_arg(&p, k, sizeof k, v, sizeof v), 1);
	assert_string_equal(k, "");
	assert_string_equal(v, "quoted bare");
	assert_int_equal(torctl_next_arg(&p, k, sizeof k, v, sizeof v), 0);
	const char *bad = "X=\"unterminated";
	assert_int_equal(torctl_next_arg(&bad, k, sizeof k, v, sizeof v), -1);
	/* Values are cut to fit. */
	const char *longv = "K=0123456789abcdef";
	char small[8];
	assert_int_equal(torctl_next_arg(&longv, k, sizeof k, small, sizeof small), 1);
	assert_string_equal(small, "0123456");
}

static void test_bootstrap_notice(void **state)
{
	(void)state;
	struct torctl_bootstrap b;
	assert_int_equal(torctl_parse_bootstrap("STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=45 TAG=requesting_descriptors "
						"SUMMARY=\"Asking for relay descriptors\"", &b), 0);
	assert_int_equal(b.severity, TORCTL_NOTICE);
	assert_int_equal(b.progress, 45);
	assert_string_equal(b.tag, "requesting_descriptors");
	assert_string_equal(b.summary, "Asking for relay descriptors");
	assert_string_equal(b.reason, "");
	/* The GETINFO form, without the event name. */
	assert_int_equal(torctl_parse_bootstrap("NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY=\"Done\"", &b), 0);
	assert_int_equal(b.progress, 100);
}

static void test_bootstrap_warn(void **state)
{
	(void)state;
	struct torctl_bootstrap b;
	const char *ev = "STATUS_CLIENT WARN BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY=\"Connecting to a relay\" "
			 "WARNING=\"Connection refused\" REASON=CONNECTREFUSED COUNT=3 RECOMMENDATION=warn "
			 "HOSTID=\"5F7EC650D36272804C0A8E195ED84C79F4161333\" HOSTADDR=\"127.0.0.1:1\"";
	assert_int_equal(torctl_parse_bootstrap(ev, &b), 0);
	assert_int_equal(b.severity, TORCTL_WARN);
	assert_int_equal(b.progress, 5);
	assert_string_equal(b.warning, "Connection refused");
	assert_string_equal(b.reason, "CONNECTREFUSED");
	assert_int_equal(b.count, 3);
	assert_string_equal(b.recommendation, "warn");
	assert_string_equal(b.hostid, "5F7EC650D36272804C0A8E195ED84C79F4161333");
	assert_string_equal(b.hostaddr, "127.0.0.1:1");
}

static void test_bootstrap_rejects(void **state)
{
	(void)state;
	struct torctl_bootstrap b;
	assert_int_equal(torctl_parse_bootstrap("STATUS_CLIENT NOTICE CIRCUIT_ESTABLISHED", &b), -1);
	assert_int_equal(torctl_parse_bootstrap("STATUS_CLIENT NOTICE BOOTSTRAP TAG=x", &b), -1);
	assert_int_equal(torctl_parse_bootstrap("STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=101", &b), -1);
	assert_int_equal(torctl_parse_bootstrap("STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=x5", &b), -1);
	assert_int_equal(torctl_parse_bootstrap("STATUS_CLIENT DEBUG BOOTSTRAP PROGRESS=5", &b), -1);
	assert_int_equal(torctl_parse_bootstrap("STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=5 SUMMARY=\"open", &b), -1);
	assert_int_equal(torctl_parse_bootstrap("", &b), -1);
	/* Unknown keys are ignored. */
	assert_int_equal(torctl_parse_bootstrap("NOTICE BOOTSTRAP PROGRESS=5 NEWKEY=1 TAG=conn", &b), 0);
	assert_string_equal(b.tag, "conn");
}

static void test_port_file(void **state)
{
	(void)state;
	struct endpoint ep;
	assert_int_equal(torctl_parse_port_file("PORT=127.0.0.1:9051\n", &ep), 0);
	assert_string_equal(ep.host, "127.0.0.1");
	assert_int_equal(ep.port, 9051);
	assert_int_equal(torctl_parse_port_file("UNIX_PORT=/x\nPORT=[::1]:9052\n", &ep), 0);
	assert_string_equal(ep.host, "::1");
	assert_int_equal(torctl_parse_port_file("PORT=\n", &ep), -1);
	assert_int_equal(torctl_parse_port_file("", &ep), -1);
	assert_int_equal(torctl_parse_port_file("PORT=localhost:1\n", &ep), -1);
	assert_int_equal(torctl_parse_port_file("XPORT=127.0.0.1:1\n", &ep), -1);
}

static void test_authenticate(void **state)
{
	(void)state;
	uint8_t cookie[32];
	for (int i = 0; i < 32; i++)
		cookie[i] = (uint8_t)(i * 8 + 1);
	char out[96];
	size_t n = torctl_build_authenticate(cookie, 32, out, sizeof out);
	assert_int_equal(n, 13 + 64 + 2);
	assert_memory_equal(out, "AUTHENTICATE 01091119", 21);
	assert_memory_equal(out + n - 2, "\r\n", 2);
	assert_int_equal(torctl_build_authenticate(cookie, 32, out, 40), 0);
}

static void test_log_bootstrapped(void **state)
{
	(void)state;
	assert_int_equal(torctl_log_bootstrapped("Nov 27 02:46:23.000 [notice] Bootstrapped 45% (requesting_descriptors): x"), 45);
	assert_int_equal(torctl_log_bootstrapped("[notice] Bootstrapped 100% (done): Done"), 100);
	assert_int_equal(torctl_log_bootstrapped("[notice] Bootstrapped x%"), -1);
	assert_int_equal(torctl_log_bootstrapped("[notice] Bootstrapped 140%"), -1);
	assert_int_equal(torctl_log_bootstrapped("[notice] Opening Control listener"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_simple),
		cmocka_unit_test(test_reply_multi),
		cmocka_unit_test(test_reply_data),
		cmocka_unit_test(test_reply_malformed),
		cmocka_unit_test(test_next_arg),
		cmocka_unit_test(test_bootstrap_notice),
		cmocka_unit_test(test_bootstrap_warn),
		cmocka_unit_test(test_bootstrap_rejects),
		cmocka_unit_test(test_port_file),
		cmocka_unit_test(test_authenticate),
		cmocka_unit_test(test_log_bootstrapped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
