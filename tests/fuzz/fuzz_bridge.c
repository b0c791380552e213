/* fuzz_bridge.c: the parsers of things people type — torrc bridge lines (bridge_parse), the
 * --dirauth and --pin flag values, endpoints and fingerprints. Byte 0 picks the parser. */
#include "fuzz_util.h"
#include "targets.h"
#include "torcell.h"

static void bridge(const char *s)
{
	struct bridge b;
	struct err e;
	err_clear(&e);
	if (bridge_parse(s, &b, &e) < 0) {
		FUZZ_ASSERT(e.msg[0] != '\0');
		return;
	}
	FUZZ_ASSERT(b.line && b.transport);
	FUZZ_ASSERT(b.fp[0] == '\0' || fuzz_is_fp(b.fp));
	FUZZ_ASSERT(b.addr.port >= 1 && b.addr.port <= 65535);
	for (size_t i = 0; i < b.nargs; i++)
		FUZZ_ASSERT(bridge_arg(&b, b.args[i].key) != NULL);
	char ep[HOST_MAX + 16];
	endpoint_str(&b.addr, ep, sizeof ep);
	bridge_free(&b);
}

static void flags(const char *s, int which)
{
	struct targets t;
	struct err e;
	targets_init(&t);
	err_clear(&e);
	int rc = which == 1 ? targets_add_dirauth_flag(&t, s, &e) : targets_add_pin_flag(&t, s, &e);
	if (rc < 0)
		FUZZ_ASSERT(e.msg[0] != '\0');
	for (size_t i = 0; i < t.ndirauths; i++)
		FUZZ_ASSERT(fuzz_is_fp(t.dirauths[i].fp));
	targets_free(&t);
}

static void endpoint_and_fp(const char *s)
{
	struct endpoint ep;
	struct err e;
	err_clear(&e);
	if (endpoint_parse(s, 443, &ep, &e) == 0) {
		char out[HOST_MAX + 16];
		FUZZ_ASSERT(ep.port >= 1 && ep.port <= 65535);
		endpoint_str(&ep, out, sizeof out);
		host_is_ip_literal(ep.host);
	}
	char fp[41];
	if (tor_fingerprint_normalise(s, fp) == 0)
		FUZZ_ASSERT(fuzz_is_fp(fp));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *s = fuzz_cstr(data + 1, size - 1);
	switch (data[0] % 4) {
	case 0: bridge(s); break;
	case 1: flags(s, 1); break;
	case 2: flags(s, 2); break;
	default: endpoint_and_fp(s); break;
	}
	free(s);
	return 0;
}
