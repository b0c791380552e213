/* fuzz_torctl.c: what tor's control port and log say, as torready reads it — the reply
 * parser over a byte stream (torctl_parse_reply), the KEY=VALUE reader over every line,
 * BOOTSTRAP status events, the ControlPortWriteToFile file and "Bootstrapped N%" log lines. */
#include "fuzz_util.h"
#include "torctl.h"

static void args_of(const char *text)
{
	const char *p = text;
	char key[64], val[256];
	for (int n = 0; n < 1000; n++) {
		int rc = torctl_next_arg(&p, key, sizeof key, val, sizeof val);
		FUZZ_ASSERT(rc >= -1 && rc <= 1);
		if (rc <= 0)
			break;
		FUZZ_ASSERT(memchr(key, '\0', sizeof key) && memchr(val, '\0', sizeof val));
	}
}

static void bootstrap(const char *text)
{
	struct torctl_bootstrap b;
	if (torctl_parse_bootstrap(text, &b) == 0) {
		FUZZ_ASSERT(b.progress >= -1 && b.progress <= 100);
		FUZZ_ASSERT(memchr(b.tag, '\0', sizeof b.tag) && memchr(b.reason, '\0', sizeof b.reason));
		FUZZ_ASSERT(memchr(b.summary, '\0', sizeof b.summary));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy without a terminator: the reply parser must stay inside len. */
	char *buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	size_t off = 0;
	while (off < size) {
		struct torctl_reply r;
		long used = torctl_parse_reply(buf + off, size - off, &r);
		if (used <= 0)
			break;
		FUZZ_ASSERT((size_t)used <= size - off);
		FUZZ_ASSERT(r.nlines >= 1 && r.nlines <= TORCTL_MAX_LINES);
		FUZZ_ASSERT(r.code >= 0 && r.code <= 999);
		for (size_t i = 0; i < r.nlines; i++) {
			args_of(r.lines[i].text);
			bootstrap(r.lines[i].text);
		}
		torctl_reply_free(&r);
		off += (size_t)used;
	}
	free(buf);
	/* The same bytes as a port file and as log lines. */
	char *s = fuzz_cstr(data, size), *save = NULL;
	struct endpoint ep;
	if (torctl_parse_port_file(s, &ep) == 0)
		FUZZ_ASSERT(ep.port > 0 && ep.port <= 65535);
	for (char *ln = strtok_r(s, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
		int pct = torctl_log_bootstrapped(ln);
		FUZZ_ASSERT(pct >= -1 && pct <= 100);
	}
	free(s);
	char out[2 * 64 + 16];
	size_t n = torctl_build_authenticate(data, size < 64 ? size : 64, out, sizeof out);
	FUZZ_ASSERT(n < sizeof out);
	return 0;
}
