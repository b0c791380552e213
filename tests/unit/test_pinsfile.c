/* test_pinsfile.c: the file `pins capture` writes, read back through the targets loader —
 * hostile certificate names (U+2028, U+2029, U+0085, quotes, `#`, would-be YAML keys) stay
 * in comments and quoted strings: the loaded targets hold exactly the pins written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pinsfile.h"
#include "targets.h"

#define LS "\xe2\x80\xa8"
#define PS "\xe2\x80\xa9"
#define NEL "\xc2\x85"

/* Every list and value of t but the pins is empty. */
static void assert_only_pins(const struct targets *t)
{
	assert_int_equal(t->ndirauths + t->nbridges + t->nsites + t->nbaselines + t->nclient_checks, 0);
	assert_int_equal(t->mail.n + t->resolve.n + t->torrc.n, 0);
	assert_null(t->cafile);
	assert_null(t->socks);
	assert_null(t->tor_binary);
	assert_null(t->tor_pt);
	assert_null(t->store_root);
	assert_int_equal(t->timeout_s, 0);
}

static void test_hostile_names_round_trip(void **state)
{
	(void)state;
	const char *evil_cn = "Root \"CA\" #1" LS "tor: {binary: /bin/sh, torrc: [\"ControlPort 9051\"]}" PS "# x";
	const char *evil_o = "Org" NEL "sites: [\"https://i.test/\"] #'\\ \x1b[2J";
	const char *leaf = "leaf" PS "\"q\" #" LS "pins: []" NEL "end\n  - host: injected.test";
	const struct pinsfile_cert certs[] = {
		{ "MCP3uK1X8AKu5xhoIza2dsrFfvkutPKHHC1oltiFBII=", "leaf", leaf, "2027-01-01" },
		{ "rJ5Dtml4cY6Q0CFyqXedUcpfqDEpAYIE/oLYpK13fk8=", "root", evil_cn, "2030" LS "tor: x" },
	};
	const char *issuers[] = { evil_cn, evil_o };
	const struct pinsfile_host hosts[] = {
		{ "names.test", 8443, certs, 2, issuers, 2 },
		{ "b.test", 443, certs + 1, 1, NULL, 0 },
	};
	struct buf b;
	buf_init(&b);
	struct err e;
	err_clear(&e);
	assert_int_equal(pinsfile_write(&b, hosts, 2, "1.0" LS "x", "now", &e), 0);
	for (size_t i = 0; i < b.len; i++)   /* ASCII, one line per line */
		if ((unsigned char)b.data[i] >= 0x7f || ((unsigned char)b.data[i] < 0x20 && b.data[i] != '\n'))
			fail_msg("byte 0x%02x at %zu in:\n%s", (unsigned char)b.data[i], i, b.data);
	struct targets t;
	targets_init(&t);
	if (targets_load_text(&t, "pins.yaml", b.data, b.len, 0, &e) < 0)
		fail_msg("%s:%d:%d: %s\n%s", e.file, e.line, e.col, e.msg, b.data);
	assert_only_pins(&t);
	assert_int_equal(t.npins, 2);
	assert_string_equal(t.pins[0].host, "names.test");
	assert_int_equal(t.pins[0].port, 8443);
	assert_int_equal(t.pins[0].nspki, 2);
	assert_string_equal(t.pins[0].spki[0], certs[0].pin);
	assert_string_equal(t.pins[0].spki[1], certs[1].pin);
	assert_int_equal(t.pins[0].nissuers, 2);
	assert_string_equal(t.pins[0].issuers[0], evil_cn);
	assert_string_equal(t.pins[0].issuers[1], evil_o);
	assert_string_equal(t.pins[1].host, "b.test");
	assert_int_equal(t.pins[1].port, 443);
	assert_int_equal(t.pins[1].nspki, 1);
	assert_int_equal(t.pins[1].nissuers, 0);
	targets_free(&t);
	buf_free(&b);
}

static void test_not_utf8_is_refused(void **state)
{
	(void)state;
	const struct pinsfile_cert c = { "abc=", "leaf", "ok", "2027" };
	const char *issuers[] = { "bad \xff byte" };   /* [0] changes for a second try */
	const struct pinsfile_host h = { "a.test", 443, &c, 1, issuers, 1 };
	struct buf b;
	buf_init(&b);
	struct err e;
	err_clear(&e);
	assert_int_equal(pinsfile_write(&b, &h, 1, "1", "now", &e), -1);
	assert_non_null(strstr(e.msg, "UTF-8"));
	assert_int_equal(b.len, 0);
	/* Past U+10FFFF: libyaml's emitter would take it and write what its parser refuses. */
	issuers[0] = "\xf4\x90\x80\x80";
	assert_int_equal(pinsfile_write(&b, &h, 1, "1", "now", &e), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hostile_names_round_trip),
		cmocka_unit_test(test_not_utf8_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
