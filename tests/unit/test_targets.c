/* test_targets.c: targets files, flags and bridge lines — what is accepted, and that every
 * rejection names file:line:col. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "targets.h"

#define FP "4C1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C"

static int load(struct targets *t, const char *text, struct err *e)
{
	targets_init(t);
	err_clear(e);
	return targets_load_text(t, "t.yaml", text, strlen(text), 0, e);
}

static void test_full_file(void **state)
{
	(void)state;
	struct targets t;
	struct err e;
	const char *y =
		"timeout: 7\n"
		"dirauths:\n"
		"  - name: moria1\n"
		"    or: 128.31.0.39:9201\n"
		"    dir: 128.31.0.39:9231\n"
		"    fingerprint: 1a25c6358db91342aa51720a5038b72742732498\n"
		"bridges:\n"
		"  - \"127.0.0.1:19001 " FP "\"\n"
		"  - \"Bridge obfs4 [::1]:19002 " FP " cert=AbC+/= iat-mode=0\"\n"
		"sites:\n"
		"  - https: https://valid.test:8443/\n"
		"    http: http://valid.test:8080/\n"
		"pins:\n"
		"  - host: valid.test\n"
		"    port: 8443\n"
		"    pin-sha256: [\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\", \"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=\"]\n"
		"    issuers: Test CA\n"
		"tls:\n"
		"  cafile: ca.pem\n"
		"  resolve: [\"valid.test:8443:127.0.0.1\"]\n"
		"socks: 127.0.0.1:9050\n"
		"mail: [\"smtp.example.edu:587\", \"[::1]\"]\n"
		"tor:\n"
		"  torrc: [\"TestingTorNetwork 1\"]\n";
	assert_int_equal(load(&t, y, &e), 0);
	assert_int_equal(t.timeout_s, 7);
	assert_int_equal(t.ndirauths, 1);
	assert_string_equal(t.dirauths[0].fp, "1A25C6358DB91342AA51720A5038B72742732498");
	assert_int_equal(t.dirauths[0].dir_addr.port, 9231);
	assert_int_equal(t.nbridges, 2);
	assert_string_equal(t.bridges[0].transport, "");
	assert_int_equal(t.bridges[0].addr.port, 19001);
	assert_string_equal(t.bridges[1].transport, "obfs4");
	assert_string_equal(t.bridges[1].addr.host, "::1");
	assert_string_equal(bridge_arg(&t.bridges[1], "cert"), "AbC+/=");
	assert_string_equal(t.bridges[1].line, "obfs4 [::1]:19002 " FP " cert=AbC+/= iat-mode=0");
	assert_int_equal(t.npins, 1);
	assert_int_equal(t.pins[0].nspki, 2);
	assert_string_equal(t.pins[0].issuers[0], "Test CA");
	assert_string_equal(t.cafile, "./ca.pem");
	assert_int_equal(t.mail.n, 2);
	assert_string_equal(t.mail.v[1], "[::1]:587");
	assert_string_equal(t.torrc.v[0], "TestingTorNetwork 1");
	targets_free(&t);
}

static void expect_error(const char *yaml, int line, int col, const char *needle)
{
	struct targets t;
	struct err e;
	assert_int_equal(load(&t, yaml, &e), -1);
	assert_string_equal(e.file, "t.yaml");
	assert_int_equal(e.line, line);
	assert_int_equal(e.col, col);
	if (!strstr(e.msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", e.msg, needle);
	targets_free(&t);
}

static void test_errors_name_position(void **state)
{
	(void)state;
	expect_error("timeout: 5\nbogus: 1\n", 2, 1, "unknown key \"bogus\"");
	expect_error("timeout: soon\n", 1, 10, "whole number");
	expect_error("timeout: 0\n", 1, 10, "between 1 and 3600");
	expect_error("dirauths:\n  - name: x\n    or: 1.2.3.4:99999\n    fingerprint: " FP "\n", 3, 9, "port");
	expect_error("dirauths:\n  - name: x\n    or: 1.2.3.4:9\n    fingerprint: ABC\n", 4, 18, "40 hexadecimal");
	expect_error("dirauths:\n  - {name: x, or: \"1.2.3.4:9\", fingerprint: " FP ", colour: red}\n", 2, 87, "unknown key");
	expect_error("bridges: \"x\"\n", 1, 10, "must be a list");
	expect_error("bridges:\n  - \"obfs4 nowhere " FP "\"\n", 2, 5, "a port is needed");
	expect_error("bridges:\n  - \"host.example:443 " FP "\"\n", 2, 5, "IP address");
	expect_error("sites:\n  - http://plain.example/\n", 2, 5, "not an https:// URL");
	expect_error("pins:\n  - port: 443\n", 2, 5, "needs a host");
	expect_error("tls:\n  cafile: [a, b]\n", 2, 11, "must be a string");
	expect_error("timeout: 5\ntimeout: 6\n", 2, 1, "given twice");
	expect_error("dirauths: [\n", 2, 1, "YAML syntax error");
	expect_error("- 1\n", 1, 1, "must be a mapping");
	expect_error("timeout: 5\n---\ntimeout: 6\n", 3, 1, "only one YAML document");
}

static void test_empty_file_adds_nothing(void **state)
{
	(void)state;
	struct targets t;
	struct err e;
	assert_int_equal(load(&t, "", &e), 0);
	assert_int_equal(t.ndirauths + t.nbridges + t.nsites, 0);
	targets_free(&t);
}

static void test_defaults_only_keys(void **state)
{
	(void)state;
	struct targets t;
	struct err e;
	targets_init(&t);
	assert_int_equal(targets_load_text(&t, "d.yaml", "reviewed: 2026-11-27\n", 21, 1, &e), 0);
	targets_free(&t);
	expect_error("reviewed: 2026-11-27\n", 1, 1, "unknown key");
}

static void test_flags(void **state)
{
	(void)state;
	struct targets t;
	struct err e;
	targets_init(&t);
	assert_int_equal(targets_add_dirauth_flag(&t, "moria1=128.31.0.39:9201/9231:" FP, &e), 0);
	assert_int_equal(targets_add_dirauth_flag(&t, "v6=[::1]:9201:$" FP, &e), 0);
	assert_string_equal(t.dirauths[1].or_addr.host, "::1");
	assert_int_equal(t.dirauths[0].dir_addr.port, 9231);
	assert_int_equal(targets_add_dirauth_flag(&t, "noname:" FP, &e), -1);
	assert_int_equal(targets_add_dirauth_flag(&t, "x=1.2.3.4:9:NOTHEX", &e), -1);
	assert_int_equal(targets_add_dirauth_flag(&t, "x=1.2.3.4/0:" FP, &e), -1);
	assert_int_equal(targets_add_pin_flag(&t, "valid.test:8443=sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=;sha256//BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=", &e), 0);
	assert_int_equal(t.pins[0].port, 8443);
	assert_int_equal(t.pins[0].nspki, 2);
	assert_int_equal(targets_add_pin_flag(&t, "valid.test=md5//abc", &e), -1);
	assert_int_equal(targets_add_site(&t, "https://a.test/", NULL, &e), 0);
	assert_int_equal(targets_add_site(&t, "ftp://a.test/", NULL, &e), -1);
	targets_free(&t);
}

static void test_bridge_lines(void **state)
{
	(void)state;
	struct bridge b;
	struct err e;
	assert_int_equal(bridge_parse("  Bridge 192.0.2.1:443  ", &b, &e), 0);
	assert_string_equal(b.fp, "");
	assert_string_equal(b.line, "192.0.2.1:443");
	bridge_free(&b);
	assert_int_equal(bridge_parse("meek_lite 192.0.2.20:80 url=https://x.example/ front=www.example", &b, &e), 0);
	assert_string_equal(b.transport, "meek_lite");
	assert_string_equal(bridge_arg(&b, "front"), "www.example");
	bridge_free(&b);
	assert_int_equal(bridge_parse("obfs4 192.0.2.1:443 " FP " cert", &b, &e), -1);
	assert_int_equal(bridge_parse("obfs-4 192.0.2.1:443", &b, &e), -1);
	assert_int_equal(bridge_parse("192.0.2.1:443 ZZZ", &b, &e), -1);
	assert_int_equal(bridge_parse("192.0.2.1:443\n" FP, &b, &e), -1);
	assert_int_equal(bridge_parse("", &b, &e), -1);
	assert_int_equal(bridge_parse("2001:db8::1:443 " FP, &b, &e), -1);
}

static void test_endpoints(void **state)
{
	(void)state;
	struct endpoint ep;
	struct err e;
	char s[300];
	assert_int_equal(endpoint_parse("[2001:db8::1]:443", 0, &ep, &e), 0);
	assert_string_equal(endpoint_str(&ep, s, sizeof s), "[2001:db8::1]:443");
	assert_int_equal(endpoint_parse("mail.example", 587, &ep, &e), 0);
	assert_int_equal(ep.port, 587);
	assert_int_equal(endpoint_parse("mail.example", 0, &ep, &e), -1);
	assert_int_equal(endpoint_parse("[::1", 0, &ep, &e), -1);
	assert_int_equal(endpoint_parse("[nothex]:1", 0, &ep, &e), -1);
	assert_int_equal(endpoint_parse("a b:1", 0, &ep, &e), -1);
	assert_int_equal(endpoint_parse("x:0", 0, &ep, &e), -1);
	assert_int_equal(endpoint_parse("x:12a", 0, &ep, &e), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_errors_name_position),
		cmocka_unit_test(test_empty_file_adds_nothing),
		cmocka_unit_test(test_defaults_only_keys),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_bridge_lines),
		cmocka_unit_test(test_endpoints),
	};
	return cmocka_run_group_tests_name("targets", tests, NULL, NULL);
}
