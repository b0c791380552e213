/* test_targets_data.c: a targets file is data, not code — it names no program (tor.binary,
 * tor.pt), its torrc lines pass an allowlist, and no string in it carries a control
 * character; each refusal names file:line:col. Also the escapes of safetext.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "safetext.h"
#include "targets.h"
#include "torrc_allow.h"

#define FP "4C1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C"

static void refused(const char *yaml, int line, int col, const char *needle)
{
	struct targets t;
	struct err e;
	targets_init(&t);
	err_clear(&e);
	if (targets_load_text(&t, "t.yaml", yaml, strlen(yaml), 0, &e) == 0)
		fail_msg("accepted:\n%s", yaml);
	if (e.line != line || e.col != col || !strstr(e.msg, needle))
		fail_msg("%s:%d:%d: %s\n(expected %d:%d and \"%s\") for:\n%s", e.file, e.line, e.col, e.msg,
			 line, col, needle, yaml);
	targets_free(&t);
}

static void accepted(const char *yaml)
{
	struct targets t;
	struct err e;
	targets_init(&t);
	err_clear(&e);
	if (targets_load_text(&t, "t.yaml", yaml, strlen(yaml), 0, &e) < 0)
		fail_msg("%s:%d:%d: %s\nfor:\n%s", e.file, e.line, e.col, e.msg, yaml);
	targets_free(&t);
}

static void test_no_program_paths(void **state)
{
	(void)state;
	refused("tor:\n  binary: /bin/sh\n", 2, 3, "--tor PATH or TORREADY_TOR");
	refused("tor:\n  torrc: []\n  pt: /bin/sh\n", 3, 3, "--pt PATH or TORREADY_PT");
	refused("tor: {binary: /usr/sbin/tor}\n", 1, 7, "not allowed in a targets file");
}

static void test_torrc_allowlist(void **state)
{
	(void)state;
	accepted("tor:\n  torrc:\n"
		 "    - \"DirAuthority a orport=1 no-v2 v3ident=" FP " 127.0.0.1:2 " FP "\"\n"
		 "    - \"AlternateBridgeAuthority b 127.0.0.1:3 " FP "\"\n"
		 "    - \"TestingTorNetwork 1\"\n    - \"UseDefaultFallbackDirs 0\"\n"
		 "    - \"testingtornetwork 1\"\n"
		 "    - \"HTTPSProxy 127.0.0.1:3128\"\n    - \"Socks5Proxy 127.0.0.1:1080\"\n"
		 "    - \"Socks5ProxyUsername u\"\n    - \"Socks5ProxyPassword p\"\n"
		 "    - \"ReachableAddresses *:80,*:443\"\n    - \"FascistFirewall 1\"\n"
		 "    - \"ClientUseIPv6 1\"\n    - \"ClientPreferIPv6ORPort 1\"\n");
	static const char *const bad[] = {
		"+ControlPort 9051", "/ControlPort", "ControlPort 9051", "%include /etc/shadow",
		"Log notice file /tmp/x", "DNSPort 53", "TransPort 9040", "HTTPTunnelPort 8118",
		"ORPort 9001", "HiddenServiceDir /tmp/hs", "DataDirectory /tmp", "SocksPort 9050",
		"ClientTransportPlugin obfs4 exec /bin/sh", "Bridge 192.0.2.1:443", "UseBridges 1",
		"NoSuchTorOption 1", "# a comment", "", "ControlPortWriteToFile /tmp/p",
		"CookieAuthFile /tmp/c", "RunAsDaemon 1", "l notice file /tmp/x", NULL,
	};
	for (size_t i = 0; bad[i]; i++) {
		char y[300];
		snprintf(y, sizeof y, "tor:\n  torrc:\n    - \"TestingTorNetwork 1\"\n    - \"%s\"\n", bad[i]);
		refused(y, 4, 7, bad[i][0] == 'B' || bad[i][0] == 'U' ? "bridges:" : bad[i][0] ? "may not set" : "empty");
	}
	refused("tor:\n  torrc:\n    - \"FascistFirewall 1 \\\\\"\n", 3, 7, "backslash");
	refused("tor:\n  torrc:\n    - \"FascistFirewall 1\\nControlPort 9051\"\n", 3, 7, "control character");
	refused("tor:\n  torrc:\n    - \"FascistFirewall\\t1\"\n", 3, 7, "control character");
	refused("tor:\n  torrc: \"FascistFirewall 1\\r\"\n", 2, 10, "control character");
	refused("bridges:\n  - \"192.0.2.1:443 " FP " \\\\\"\n", 2, 5, "backslash");
}

static void test_controls_refused(void **state)
{
	(void)state;
	refused("dirauths:\n  - name: \"x\\e[2J\"\n    or: 1.2.3.4:9\n    fingerprint: " FP "\n", 2, 11,
		"control character (byte 2");
	refused("sites:\n  - \"https://a.test/\\r\"\n", 2, 5, "control character");
	refused("sites:\n  - https: \"https://a.test/\\u202e\"\n", 2, 12, "control character");
	refused("client_checks:\n  - {name: \"a\\x85b\", url: \"https://a.test/\"}\n", 2, 12, "control character");
	refused("pins:\n  - host: \"a\\u2028b\"\n", 2, 11, "control character");
	refused("\"tim\\aeout\": 5\n", 1, 1, "control character");
	/* A pins entry's issuers hold a certificate's name exactly: compared, never shown raw. */
	accepted("pins:\n  - host: a.test\n    issuers: [\"CA\\u2028x\\e\"]\n");
	struct targets t;
	struct err e;
	targets_init(&t);
	assert_int_equal(targets_add_site(&t, "https://a.test/\x1b[2J", NULL, &e), -1);
	assert_int_equal(targets_add_bridge(&t, "192.0.2.1:443 " FP " \\", &e), -1);
	assert_int_equal(targets_add_bridge(&t, "192.0.2.1:443\r", &e), -1);
	assert_int_equal(targets_add_pin_flag(&t, "a.test\x07=sha256//abc=", &e), -1);
	assert_int_equal(targets_add_dirauth_flag(&t, "x\x9b=1.2.3.4:9:" FP, &e), -1);
	assert_int_equal(t.nsites + t.nbridges + t.npins + t.ndirauths, 0);
	targets_free(&t);
}

static void test_safetext(void **state)
{
	(void)state;
	char out[200];
	assert_string_equal(text_safe("ok caf\xc3\xa9 \x1b[2J\x07\r\n\t", out, sizeof out, 0),
			    "ok caf\xc3\xa9 \\x1b[2J\\x07\\x0d\\x0a\\x09");
	assert_string_equal(text_safe("a\nb\tc\rd", out, sizeof out, TEXT_KEEP_NL), "a\nb\tc\\x0dd");
	assert_string_equal(text_safe("\xe2\x80\xae" "exe.txt \xe2\x81\xa6\xd8\x9c\xe2\x80\x8f", out, sizeof out, 0),
			    "\\u202eexe.txt \\u2066\\u061c\\u200f");
	assert_string_equal(text_safe("\xc2\x85\xc2\x9b\x9b\xff\x7f", out, sizeof out, 0), "\\u0085\\u009b\\x9b\\xff\\x7f");
	assert_string_equal(text_safe("caf\xc3\xa9 \\ \xf0\x9f\x98\x80", out, sizeof out, TEXT_ASCII),
			    "caf\\u00e9 \\\\ \\U0001f600");
	assert_string_equal(text_safe("\xc0\xaf\xed\xa0\x80", out, sizeof out, 0), "\\xc0\\xaf\\xed\\xa0\\x80");
	assert_string_equal(text_safe("\xc3\xa9\xc3\xa9", out, 4, 0), "\xc3\xa9");   /* cut between characters */
	assert_int_equal(text_find_control("plain caf\xc3\xa9"), -1);
	assert_int_equal(text_find_control("ab\x1b"), 2);
	assert_int_equal(text_find_control("a\xe2\x80\xa8"), 1);
	assert_int_equal(text_find_control("a\xff"), 1);
	char why[300];
	assert_int_equal(torrc_line_allowed("  DirAuthority x", why, sizeof why), 0);
	assert_int_equal(torrc_line_allowed("DirAuthorityX x", why, sizeof why), -1);
	assert_int_equal(torrc_line_allowed("Dir x", why, sizeof why), -1);   /* tor's abbreviations: no */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_program_paths),
		cmocka_unit_test(test_torrc_allowlist),
		cmocka_unit_test(test_controls_refused),
		cmocka_unit_test(test_safetext),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
