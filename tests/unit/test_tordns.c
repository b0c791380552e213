/* test_tordns.c: unit tests for the pure helpers of the Tor transport probes: resolve entries,
 * url= splitting and STUN server addresses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tor_dns.h"
#include "tor_stun.h"

static void test_from_resolve(void **state)
{
	(void)state;
	char *v[] = { "wt.test:8443:127.0.0.1", "v6.test:443:[::1],127.0.0.2", "+plus.test:80:127.0.0.3",
		      "any.test:0:127.0.0.4", "bad.test:443:not-an-ip", NULL };
	struct strlist l = { v, 5 };
	char ip[64];
	assert_int_equal(tor_dns_from_resolve(&l, "wt.test", 8443, ip, sizeof ip), 0);
	assert_string_equal(ip, "127.0.0.1");
	assert_int_equal(tor_dns_from_resolve(&l, "WT.TEST", 8443, ip, sizeof ip), 0);
	/* A mapped name never reaches the system resolver: its other ports use the mapping. */
	assert_int_equal(tor_dns_from_resolve(&l, "wt.test", 443, ip, sizeof ip), 0);
	assert_string_equal(ip, "127.0.0.1");
	assert_int_equal(tor_dns_from_resolve(&l, "wt.tes", 8443, ip, sizeof ip), -1);
	assert_int_equal(tor_dns_from_resolve(&l, "v6.test", 443, ip, sizeof ip), 0);
	assert_string_equal(ip, "::1");
	assert_int_equal(tor_dns_from_resolve(&l, "plus.test", 80, ip, sizeof ip), 0);
	assert_string_equal(ip, "127.0.0.3");
	assert_int_equal(tor_dns_from_resolve(&l, "any.test", 1234, ip, sizeof ip), 0);
	assert_string_equal(ip, "127.0.0.4");
	assert_int_equal(tor_dns_from_resolve(&l, "bad.test", 443, ip, sizeof ip), -1);
	assert_int_equal(tor_dns_from_resolve(NULL, "wt.test", 8443, ip, sizeof ip), -1);
}

static void test_url_split(void **state)
{
	(void)state;
	char host[256], path[256];
	int port;
	assert_int_equal(tor_url_split("https://example.org/path?q=1#frag", 0, host, sizeof host, &port, path, sizeof path), 0);
	assert_string_equal(host, "example.org");
	assert_int_equal(port, 443);
	assert_string_equal(path, "/path?q=1");
	assert_int_equal(tor_url_split("https://1098762253.rsc.cdn77.org/", 0, host, sizeof host, &port, path, sizeof path), 0);
	assert_string_equal(path, "/");
	assert_int_equal(tor_url_split("HTTPS://h.test:8443", 0, host, sizeof host, &port, path, sizeof path), 0);
	assert_int_equal(port, 8443);
	assert_string_equal(path, "/");
	assert_int_equal(tor_url_split("https://[2001:db8::1]:444/x", 0, host, sizeof host, &port, path, sizeof path), 0);
	assert_string_equal(host, "2001:db8::1");
	assert_int_equal(port, 444);
	assert_int_equal(tor_url_split("https://h.test?x", 0, host, sizeof host, &port, path, sizeof path), 0);
	assert_string_equal(path, "/?x");
	assert_int_equal(tor_url_split("http://h.test/", 0, host, sizeof host, &port, path, sizeof path), -1);
	assert_int_equal(tor_url_split("http://h.test/", 1, host, sizeof host, &port, path, sizeof path), 0);
	assert_int_equal(port, 80);
	assert_int_equal(tor_url_split("https://user@h.test/", 0, host, sizeof host, &port, path, sizeof path), -1);
	assert_int_equal(tor_url_split("https:///x", 0, host, sizeof host, &port, path, sizeof path), -1);
	assert_int_equal(tor_url_split("https://h.test:0/", 0, host, sizeof host, &port, path, sizeof path), -1);
	assert_int_equal(tor_url_split("ftp://h.test/", 1, host, sizeof host, &port, path, sizeof path), -1);
	assert_int_equal(tor_url_split("https://h t/", 0, host, sizeof host, &port, path, sizeof path), -1);
}

static void test_stun_server(void **state)
{
	(void)state;
	char host[256];
	int port;
	assert_int_equal(tor_stun_parse_server("stun:stun.l.google.com:19302", host, sizeof host, &port), 0);
	assert_string_equal(host, "stun.l.google.com");
	assert_int_equal(port, 19302);
	assert_int_equal(tor_stun_parse_server("stun:stun.antisip.com", host, sizeof host, &port), 0);
	assert_int_equal(port, 3478);
	assert_int_equal(tor_stun_parse_server("STUN:[::1]:5000", host, sizeof host, &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(tor_stun_parse_server("turn:x.test:3478", host, sizeof host, &port), -1);
	assert_int_equal(tor_stun_parse_server("stuns:x.test:5349", host, sizeof host, &port), -1);
	assert_int_equal(tor_stun_parse_server("stun:", host, sizeof host, &port), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_from_resolve),
		cmocka_unit_test(test_url_split),
		cmocka_unit_test(test_stun_server),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
