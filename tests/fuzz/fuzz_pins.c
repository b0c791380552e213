/* fuzz_pins.c: the `pins capture` emitter (pinsfile_write) fed arbitrary host, pins,
 * certificate names and issuers, its output read back by the targets loader. The round trip
 * must be exact: the file is ASCII, it loads whenever the host and pins carry no control
 * character and the pins are SHA-256 digests in base64 (the loader refuses the rest), and then it holds exactly one pins entry with the
 * values written and nothing else — whatever the names in the comments say.
 * Input: NUL-separated fields host, pin1, pin2, name1, name2, issuer1, issuer2, date. */
#include "fuzz_util.h"
#include "pinsfile.h"
#include "safetext.h"
#include "targets.h"
#include "validate.h"

#define NF 8

static void check_loaded(const struct targets *t, const char *host, int port, const char *const *pins,
			 const char *const *iss)
{
	FUZZ_ASSERT(t->npins == 1);
	FUZZ_ASSERT(!strcmp(t->pins[0].host, host));
	FUZZ_ASSERT(t->pins[0].port == port);
	FUZZ_ASSERT(t->pins[0].nspki == 2);
	FUZZ_ASSERT(t->pins[0].nissuers == 2);
	for (int i = 0; i < 2; i++) {
		FUZZ_ASSERT(!strcmp(t->pins[0].spki[i], pins[i]));
		FUZZ_ASSERT(!strcmp(t->pins[0].issuers[i], iss[i]));
	}
	FUZZ_ASSERT(t->ndirauths + t->nbridges + t->nsites + t->nbaselines + t->nclient_checks == 0);
	FUZZ_ASSERT(t->mail.n + t->resolve.n + t->torrc.n == 0);
	FUZZ_ASSERT(!t->cafile && !t->socks && !t->tor_binary && !t->tor_pt && !t->store_root);
	FUZZ_ASSERT(t->timeout_s == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *all = fuzz_cstr(data, size);
	const char *f[NF];
	size_t at = 0;
	for (int i = 0; i < NF; i++) {
		f[i] = at <= size ? all + at : "";
		at += at <= size ? strlen(all + at) + 1 : 0;
	}
	int port = 1 + (int)(size % 65535);
	const char *pins[2] = { f[1], f[2] }, *iss[2] = { f[5], f[6] };
	const struct pinsfile_cert certs[2] = { { f[1], "leaf", f[3], f[7] }, { f[2], "root", f[4], f[7] } };
	const struct pinsfile_host h = { f[0], port, certs, 2, iss, 2 };
	struct buf b;
	buf_init(&b);
	struct err e;
	err_clear(&e);
	int values_utf8 = text_utf8_valid(f[0]) && text_utf8_valid(f[1]) && text_utf8_valid(f[2]) && text_utf8_valid(iss[0]) && text_utf8_valid(iss[1]);
	int rc = pinsfile_write(&b, &h, 1, f[7], f[3], &e);
	FUZZ_ASSERT((rc == 0) == values_utf8);   /* any UTF-8 value can be written, nothing else */
	if (rc == 0) {
		for (size_t i = 0; i < b.len; i++)
			FUZZ_ASSERT(b.data[i] == '\n' || (b.data[i] >= 0x20 && b.data[i] < 0x7f));
		struct targets t;
		targets_init(&t);
		int loaded = targets_load_text(&t, "pins.yaml", b.data, b.len, 0, &e) == 0;
		int controls = text_find_control(f[0]) >= 0 || text_find_control(f[1]) >= 0 ||
			       text_find_control(f[2]) >= 0;
		/* The loader also refuses pins that are not a SHA-256 digest in base64 (validate.c):
		 * capture writes only real digests, so such input is the fuzzer's, not capture's. */
		struct err pe;
		int pins_ok = check_pin_b64(f[1], &pe) == 0 && check_pin_b64(f[2], &pe) == 0;
		if (!loaded && !controls && pins_ok)
			fprintf(stderr, "%s:%d:%d: %s\n%s\n", e.file, e.line, e.col, e.msg, b.data);
		FUZZ_ASSERT(loaded == (!controls && pins_ok));
		if (loaded)
			check_loaded(&t, f[0], port, pins, iss);
		targets_free(&t);
	}
	buf_free(&b);
	free(all);
	return 0;
}
