/* fuzz_certinfo.c: what the TLS probes read out of a peer's certificate (certinfo_*: names,
 * dates, pins, the line for people, embedded SCTs), and the SCT list parser on raw bytes.
 * Byte 0 even: the rest is a DER certificate; odd: a TLS-encoded SCT list. */
#include <openssl/x509.h>

#include "certinfo.h"
#include "fuzz_util.h"

static void cert(const uint8_t *p, size_t n)
{
	const unsigned char *q = p;
	X509 *x = d2i_X509(NULL, &q, (long)n);
	if (!x)
		return;
	char pin[CERTINFO_PIN_LEN], name[256], when[32];
	if (certinfo_spki_pin(x, pin) == 0)
		FUZZ_ASSERT(strlen(pin) == 44);
	certinfo_name(X509_get_subject_name(x), name, sizeof name);
	certinfo_name_field(X509_get_issuer_name(x), NID_commonName, name, sizeof name);
	certinfo_display_name(X509_get_issuer_name(x), name, sizeof name);
	certinfo_not_after(x, when);
	FUZZ_ASSERT(memchr(when, '\0', sizeof when) != NULL);
	certinfo_self_signed(x);
	certinfo_same_key(x, x);
	json_t *j = certinfo_json(x, "server");
	json_decref(j);
	struct sct_entry scts[8];
	int k = certinfo_embedded_scts(x, scts, 8);
	FUZZ_ASSERT(k >= -1);
	X509_free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1) {
		struct sct_entry scts[8];
		uint8_t *copy = malloc(size);
		memcpy(copy, data + 1, size - 1);
		int k = certinfo_sct_list_parse(copy, size - 1, scts, 8);
		FUZZ_ASSERT(k >= -1);
		free(copy);
	} else {
		cert(data + 1, size - 1);
	}
	return 0;
}
