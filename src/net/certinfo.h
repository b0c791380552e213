/* certinfo.h: small facts about X.509 certificates that the TLS probes report and compare:
 * SPKI pins (RFC 7469 pin-sha256), readable names and dates, who signed whom, and the
 * Signed Certificate Timestamps (RFC 6962) embedded in a certificate. */
#ifndef TORREADY_CERTINFO_H
#define TORREADY_CERTINFO_H

#include <jansson.h>
#include <openssl/x509.h>
#include <stddef.h>
#include <stdint.h>

/* base64 of SHA-256 over the DER SubjectPublicKeyInfo: 44 characters. */
#define CERTINFO_PIN_LEN 45
int certinfo_spki_pin(X509 *x, char out[CERTINFO_PIN_LEN]);
/* 1 when two certificates carry the same public key. */
int certinfo_same_key(X509 *a, X509 *b);

/* "CN=a.test, O=Example" (most specific first, UTF-8). */
void certinfo_name(const X509_NAME *n, char *out, size_t len);
/* One attribute (NID_commonName, NID_organizationName ...) as UTF-8; "" when absent. */
void certinfo_name_field(const X509_NAME *n, int nid, char *out, size_t len);
/* A CA's name for people: its CN, else its O, else the whole name. */
void certinfo_display_name(const X509_NAME *n, char *out, size_t len);
/* "2027-03-01T12:00:00Z". */
void certinfo_not_after(X509 *x, char out[32]);

/* 1 when child names parent as its issuer and parent's key verifies child's signature. */
int certinfo_signed_by(X509 *child, X509 *parent);
int certinfo_self_signed(X509 *x);

/* One certificate of a chain as a line for people (reports show evidence as text):
 * "CN=a.test — issued by CN=Example CA — valid until 2027-03-01 — key sha256//BASE64"
 * plus " — from the trust store" when from is not NULL or "server". */
json_t *certinfo_json(X509 *x, const char *from);

/* One SCT as RFC 6962 serialises it. */
struct sct_entry {
	int version;
	uint8_t log_id[32];
	uint64_t timestamp_ms;
};
/* Parses a TLS-encoded SignedCertificateTimestampList (what the TLS extension carries, and
 * what the X.509 extension wraps in an OCTET STRING). Returns the number of SCTs (up to max
 * are stored), or -1 when the bytes are malformed. */
int certinfo_sct_list_parse(const uint8_t *p, size_t n, struct sct_entry *out, size_t max);
/* The SCTs embedded in a certificate (extension 1.3.6.1.4.1.11129.2.4.2): their number,
 * 0 when the extension is absent, -1 when it is malformed. */
int certinfo_embedded_scts(X509 *x, struct sct_entry *out, size_t max);

#endif
