/* test_tordns.c: unit tests for the pure helpers of the Tor transport probes: resolve entries,
 * url= splitting and STUN server addresses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tor_dns.h"
#include "url_split.h"
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
	struct url_split u;
	assert_int_equal(url_split_https("https://example.org/path?q=1#frag", 0, &u), 0);
	assert_string_equal(u.host, "example.org");
	assert_int_equal(u.port, 443);
	assert_string_equal(u.path, "/path?q=1");
	assert_int_equal(url_split_https("https://1098762253.rsc.cdn77.org/", 0, &u), 0);
	assert_string_equal(u.path, "/");
	assert_int_equal(url_split_https("HTTPS://h.test:8443", 0, &u), 0);
	assert_int_equal(u.port, 8443);
	assert_string_equal(u.path, "/");
	assert_int_equal(url_split_https("https://[2001:db8::1]:444/x", 0, &u), 0);
	assert_string_equal(u.host, "2001:db8::1");
	assert_int_equal(u.port, 444);
	assert_string_equal(u.path, "/x");
	assert_int_equal(url_split_https("https://h.test?x", 0, &u), 0);
	assert_string_equal(u.path, "/?x");
	assert_int_equal(url_split_https("http://h.test/", 0, &u), -1);
	assert_int_equal(url_split_https("http://h.test/", 1, &u), 0);
	assert_int_equal(u.port, 80);
	assert_string_equal(u.scheme, "http");
	assert_int_equal(url_split_https("https://user@h.test/", 0, &u), -1);
	assert_int_equal(url_split_https("https:///x", 0, &u), -1);
	assert_int_equal(url_split_https("https://h.test:0/", 0, &u), -1);
	assert_int_equal(url_split_https("ftp://h.test/", 1, &u), -1);
	assert_int_equal(url_split_https("https://h t/", 0, &u), -1);
	assert_int_equal(url_split_https("h.test/x", 0, &u), -1);   /* not absolute */
	/* Any scheme with a default port splits; only the https check refuses it. */
	assert_int_equal(url_split("ftp://h.test/a", &u), 0);
	assert_int_equal(u.port, 21);
	/* A path longer than the buffer is refused, not cut. */
	char longurl[1200] = "https://h.test/";
	memset(longurl + 15, 'a', sizeof longurl - 16);
	longurl[sizeof longurl - 1] = '\0';
	assert_int_equal(url_split(longurl, &u), -1);
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
