/* fuzz_ptproto.c: the pluggable-transport managed protocol as a client reads it (a PT's
 * stdout, line by line, through ptproto_parse_line and ptproto_feed), and the packing of a
 * bridge line's arguments into SOCKS5 username/password (ptproto_socks_auth), checked by
 * unpacking it again. Byte 0 even: stdout lines; odd: one "key=value" argument per line. */
#include "fuzz_util.h"
#include "ptproto.h"

static void lines(const uint8_t *d, size_t n)
{
	struct pt_state st;
	ptproto_init(&st);
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && d[i] != '\n')
			continue;
		const char *line = (const char *)d + start;
		size_t len = i - start;
		struct pt_line l;
		ptproto_parse_line(line, len, &l);
		FUZZ_ASSERT(memchr(l.transport, '\0', sizeof l.transport) != NULL);
		FUZZ_ASSERT(memchr(l.method, '\0', sizeof l.method) != NULL);
		FUZZ_ASSERT(memchr(l.msg, '\0', sizeof l.msg) != NULL);
		FUZZ_ASSERT(memchr(l.arg, '\0', sizeof l.arg) != NULL);
		enum pt_verdict v = ptproto_feed(&st, line, len);
		FUZZ_ASSERT(v == st.verdict);
		FUZZ_ASSERT(st.nmethods >= 0 && st.nmethods <= PT_MAX_METHODS);
		start = i + 1;
	}
	const struct pt_method *m = ptproto_method(&st, "obfs4");
	if (m && m->ok)
		FUZZ_ASSERT(m->addr.port > 0 && m->addr.port <= 65535);
	FUZZ_ASSERT(memchr(st.error, '\0', sizeof st.error) != NULL);
}

/* Splits "k=v;k=v" (backslash escapes) back into pairs and compares with the originals. */
static void check_unpacked(const char *s, size_t n, const struct bridge_arg *args, size_t nargs)
{
	char *buf = malloc(n + 1);
	size_t pair = 0, blen = 0, keylen = 0;
	int have_eq = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == ';') {
			FUZZ_ASSERT(pair < nargs && have_eq);
			FUZZ_ASSERT(keylen == strlen(args[pair].key) && !memcmp(buf, args[pair].key, keylen));
			FUZZ_ASSERT(blen - keylen == strlen(args[pair].value) &&
				    !memcmp(buf + keylen, args[pair].value, blen - keylen));
			pair++;
			blen = keylen = 0;
			have_eq = 0;
			continue;
		}
		if (s[i] == '\\') {
			FUZZ_ASSERT(i + 1 < n);
			buf[blen++] = s[++i];
		} else if (s[i] == '=' && !have_eq) {
			have_eq = 1;
			keylen = blen;
		} else {
			buf[blen++] = s[i];
		}
	}
	FUZZ_ASSERT(pair == nargs);
	free(buf);
}

static void socks_auth(const uint8_t *d, size_t n)
{
	struct bridge_arg args[16];
	size_t nargs = 0, total = 0;
	char *text = fuzz_cstr(d, n), *save = NULL;
	for (char *ln = strtok_r(text, "\n", &save); ln && nargs < 16; ln = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(ln, '=');
		if (!eq)
			continue;
		*eq = '\0';
		args[nargs].key = ln;
		args[nargs].value = eq + 1;
		nargs++;
	}
	uint8_t user[255], pass[255];
	size_t ulen = 0, plen = 0;
	if (ptproto_socks_auth(args, nargs, user, &ulen, pass, &plen) == 0) {
		FUZZ_ASSERT(nargs > 0 && ulen >= 1 && ulen <= 255 && plen >= 1 && plen <= 255);
		char joined[510];
		memcpy(joined, user, ulen);
		total = ulen;
		if (!(plen == 1 && pass[0] == '\0')) {
			FUZZ_ASSERT(ulen == 255);
			memcpy(joined + total, pass, plen);
			total += plen;
		}
		check_unpacked(joined, total, args, nargs);
	}
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		socks_auth(data + 1, size - 1);
	else
		lines(data + 1, size - 1);
	return 0;
}
