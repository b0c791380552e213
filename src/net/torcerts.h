/* torcerts.h: a Tor CERTS cell checked against the TLS peer (RSA part of tor-spec 4.2), and
 * RSA identity fingerprints (torcerts.c). Cell framing is torcell.h's. */
#ifndef TORREADY_TORCERTS_H
#define TORREADY_TORCERTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/* Result of checking a CERTS payload against the TLS peer certificate. */
enum torcerts_verdict {
	TORCERTS_OK,
	TORCERTS_MALFORMED,      /* cell structure out of bounds, or a type 1/2 cert isn't DER X.509 */
	TORCERTS_MISSING,        /* no type 1 or no type 2 */
	TORCERTS_DUPLICATE,      /* a known cert type (1-7) appears twice; tor refuses that too */
	TORCERTS_EXPIRED,        /* type 1 or 2 outside its validity period (also: not yet valid) */
	TORCERTS_KEY_MISMATCH,   /* type 1's key is not the TLS peer certificate's key */
	TORCERTS_BAD_IDENTITY,   /* type 2 is not RSA-1024 or not self-signed */
	TORCERTS_BAD_SIGNATURE,  /* type 1 is not signed by type 2's key */
};

/* Tor's clock-skew allowance when judging validity (tor's TOR_X509_PAST_SLOP / FUTURE_SLOP):
 * a cert counts as valid until notAfter + 2 days and from notBefore - 30 days. */
#define TORCERTS_PAST_SLOP (2 * 24 * 60 * 60)
#define TORCERTS_FUTURE_SLOP (30 * 24 * 60 * 60)

struct torcerts_info {
	char fingerprint[41];     /* set when the identity cert parsed and has an RSA key; else "" */
	int ncerts;               /* certs present (those that fit when the cell is malformed) */
	int types[16];            /* cert types seen, in order (first 16) */
	int ntypes;
	char detail[160];         /* why, for people */
};

/* peer = the TLS peer certificate, now = time to judge validity against (tests pass fixed
 * times). Checks are made in this order: structure, duplicates, presence, identity (RSA-1024,
 * self-signed), link key vs peer, link signature, validity periods. Leaves the OpenSSL error
 * queue as it found it. */
enum torcerts_verdict torcerts_check(const uint8_t *payload, size_t len, X509 *peer, time_t now,
				     struct torcerts_info *info);
/* "ok", "malformed", "missing", "duplicate", "expired", "key_mismatch", "bad_identity",
 * "bad_signature". */
const char *torcerts_verdict_name(enum torcerts_verdict v);
/* Fingerprint of an RSA public key: SHA-1 of its PKCS#1 RSAPublicKey DER, upper hex. 0 / -1
 * (-1 also when the key is not RSA). */
int tor_rsa_fingerprint(EVP_PKEY *key, char out[41]);

#endif
