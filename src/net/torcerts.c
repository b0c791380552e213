/* torcerts.c: validating a Tor CERTS cell (RSA part of tor-spec §4.2) and RSA identity fingerprints. */
#include "torcerts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>

enum { CERT_LINK = 1, CERT_ID = 2, CERT_MAX_KNOWN = 7 };

struct entry {
	const uint8_t *body;
	size_t len;
	int present;
};

struct certs {
	struct entry link, id;
	X509 *link_x509, *id_x509;
};

static enum torcerts_verdict fail(struct torcerts_info *info, enum torcerts_verdict v,
				  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static enum torcerts_verdict fail(struct torcerts_info *info, enum torcerts_verdict v,
				  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(info->detail, sizeof info->detail, fmt, ap);
	va_end(ap);
	return v;
}

const char *torcerts_verdict_name(enum torcerts_verdict v)
{
	switch (v) {
	case TORCERTS_OK: return "ok";
	case TORCERTS_MALFORMED: return "malformed";
	case TORCERTS_MISSING: return "missing";
	case TORCERTS_DUPLICATE: return "duplicate";
	case TORCERTS_EXPIRED: return "expired";
	case TORCERTS_KEY_MISMATCH: return "key_mismatch";
	case TORCERTS_BAD_IDENTITY: return "bad_identity";
	case TORCERTS_BAD_SIGNATURE: return "bad_signature";
	}
	return "unknown";
}

int tor_rsa_fingerprint(EVP_PKEY *key, char out[41])
{
	if (!key || !out || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
		return -1;
	/* For an RSA key i2d_PublicKey yields PKCS#1 RSAPublicKey, which is what tor hashes. */
	unsigned char *der = NULL;
	int n = i2d_PublicKey(key, &der);
	if (n <= 0)
		return -1;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int ok = EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha1(), NULL);
	OPENSSL_free(der);
	if (!ok || mdlen != 20)
		return -1;
	static const char hexd[] = "0123456789ABCDEF";
	for (unsigned i = 0; i < 20; i++) {
		out[2 * i] = hexd[md[i] >> 4];
		out[2 * i + 1] = hexd[md[i] & 15];
	}
	out[40] = '\0';
	return 0;
}

static void note_type(struct torcerts_info *info, uint8_t type)
{
	info->ncerts++;
	if (info->ntypes < (int)(sizeof info->types / sizeof info->types[0]))
		info->types[info->ntypes++] = type;
}

/* Walks N x {type, len, body} within bounds, remembering types 1 and 2. Trailing bytes after
 * the last cert are ignored, as tor does. */
static enum torcerts_verdict walk(const uint8_t *p, size_t len, struct certs *c,
				  struct torcerts_info *info)
{
	if (!p || len < 1)
		return fail(info, TORCERTS_MALFORMED, "empty CERTS payload");
	int n = p[0];
	size_t off = 1;
	unsigned seen = 0;
	for (int i = 0; i < n; i++) {
		if (len - off < 3)
			return fail(info, TORCERTS_MALFORMED,
				    "CERTS claims %d certs but ends after %d (%zu bytes)", n, i, len);
		uint8_t type = p[off];
		size_t clen = ((size_t)p[off + 1] << 8) | p[off + 2];
		off += 3;
		if (len - off < clen)
			return fail(info, TORCERTS_MALFORMED,
				    "cert %d of %d (type %d) claims %zu bytes, only %zu left",
				    i + 1, n, type, clen, len - off);
		note_type(info, type);
		if (type >= 1 && type <= CERT_MAX_KNOWN) {
			if (seen & (1u << type))
				return fail(info, TORCERTS_DUPLICATE, "two certs of type %d", type);
			seen |= 1u << type;
		}
		struct entry *e = type == CERT_LINK ? &c->link : type == CERT_ID ? &c->id : NULL;
		if (e)
			*e = (struct entry){ p + off, clen, 1 };
		off += clen;
	}
	return TORCERTS_OK;
}

/* Strict DER: everything consumed and re-encoding gives the same bytes (as tor requires). */
static X509 *decode(const struct entry *e)
{
	const unsigned char *cp = e->body;
	if (e->len == 0)
		return NULL;
	X509 *x = d2i_X509(NULL, &cp, (long)e->len);
	if (!x)
		return NULL;
	unsigned char *der = NULL;
	int n = i2d_X509(x, &der);
	int same = (size_t)(cp - e->body) == e->len && n > 0 && (size_t)n == e->len &&
		   memcmp(der, e->body, e->len) == 0;
	OPENSSL_free(der);
	if (!same) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static enum torcerts_verdict check_identity(X509 *id, struct torcerts_info *info)
{
	EVP_PKEY *k = X509_get0_pubkey(id);
	if (!k)
		return fail(info, TORCERTS_BAD_IDENTITY, "identity cert has no usable public key");
	int kid = EVP_PKEY_get_base_id(k);
	if (kid != EVP_PKEY_RSA)
		return fail(info, TORCERTS_BAD_IDENTITY, "identity key is %s, not RSA",
			    OBJ_nid2sn(kid) ? OBJ_nid2sn(kid) : "unknown");
	if (tor_rsa_fingerprint(k, info->fingerprint) < 0)
		info->fingerprint[0] = '\0';
	if (EVP_PKEY_get_bits(k) != 1024)
		return fail(info, TORCERTS_BAD_IDENTITY, "identity key is RSA-%d, tor requires RSA-1024",
			    EVP_PKEY_get_bits(k));
	if (X509_verify(id, k) != 1)
		return fail(info, TORCERTS_BAD_IDENTITY,
			    "identity cert is not self-signed (signature fails with its own key)");
	return TORCERTS_OK;
}

static enum torcerts_verdict check_link(X509 *link, X509 *id, X509 *peer,
					struct torcerts_info *info)
{
	EVP_PKEY *lk = X509_get0_pubkey(link);
	EVP_PKEY *pk = peer ? X509_get0_pubkey(peer) : NULL;
	if (!pk)
		return fail(info, TORCERTS_KEY_MISMATCH, "no TLS peer certificate key to compare with");
	if (!lk || EVP_PKEY_eq(lk, pk) != 1)
		return fail(info, TORCERTS_KEY_MISMATCH,
			    "link cert key differs from the TLS peer certificate's key");
	if (X509_verify(link, X509_get0_pubkey(id)) != 1)
		return fail(info, TORCERTS_BAD_SIGNATURE, "link cert is not signed by the identity key");
	return TORCERTS_OK;
}

static void fmt_asn1_time(const ASN1_TIME *t, char *out, size_t len)
{
	struct tm tm;
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1 || !strftime(out, len, "%Y-%m-%d %H:%M:%SZ", &tm))
		snprintf(out, len, "?");
}

static enum torcerts_verdict check_lifetime(X509 *x, const char *what, time_t now,
					    struct torcerts_info *info)
{
	const ASN1_TIME *nb = X509_get0_notBefore(x), *na = X509_get0_notAfter(x);
	time_t early = now + TORCERTS_FUTURE_SLOP, late = now - TORCERTS_PAST_SLOP;
	int before = X509_cmp_time(nb, &early), after = X509_cmp_time(na, &late);
	if (before == 0 || after == 0)
		return fail(info, TORCERTS_MALFORMED, "%s cert has an unreadable validity period", what);
	char ts[32], nows[32];
	struct tm tm;
	if (!gmtime_r(&now, &tm) || !strftime(nows, sizeof nows, "%Y-%m-%d %H:%M:%SZ", &tm))
		snprintf(nows, sizeof nows, "?");
	if (before > 0) {
		fmt_asn1_time(nb, ts, sizeof ts);
		return fail(info, TORCERTS_EXPIRED, "%s cert not valid before %s (now %s)", what, ts, nows);
	}
	if (after < 0) {
		fmt_asn1_time(na, ts, sizeof ts);
		return fail(info, TORCERTS_EXPIRED, "%s cert expired %s (now %s)", what, ts, nows);
	}
	return TORCERTS_OK;
}

static void describe_ok(struct torcerts_info *info)
{
	char types[64] = "";
	size_t off = 0;
	for (int i = 0; i < info->ntypes && off < sizeof types; i++)
		off += (size_t)snprintf(types + off, sizeof types - off, "%s%d", i ? "," : "",
					info->types[i]);
	fail(info, TORCERTS_OK, "RSA identity and link certs verified; %d certs (types %s)",
	     info->ncerts, types);
}

static enum torcerts_verdict check_all(const uint8_t *payload, size_t len, X509 *peer, time_t now,
				       struct certs *c, struct torcerts_info *info)
{
	enum torcerts_verdict v = walk(payload, len, c, info);
	if (v != TORCERTS_OK)
		return v;
	if (!c->link.present || !c->id.present)
		return fail(info, TORCERTS_MISSING, "no %s cert (type %d)",
			    !c->link.present ? "link" : "identity",
			    !c->link.present ? CERT_LINK : CERT_ID);
	if (!(c->id_x509 = decode(&c->id)))
		return fail(info, TORCERTS_MALFORMED, "identity cert (type 2) is not DER X.509");
	if (!(c->link_x509 = decode(&c->link)))
		return fail(info, TORCERTS_MALFORMED, "link cert (type 1) is not DER X.509");
	if ((v = check_identity(c->id_x509, info)) != TORCERTS_OK)
		return v;
	if ((v = check_link(c->link_x509, c->id_x509, peer, info)) != TORCERTS_OK)
		return v;
	if ((v = check_lifetime(c->id_x509, "identity", now, info)) != TORCERTS_OK)
		return v;
	if ((v = check_lifetime(c->link_x509, "link", now, info)) != TORCERTS_OK)
		return v;
	describe_ok(info);
	return TORCERTS_OK;
}

enum torcerts_verdict torcerts_check(const uint8_t *payload, size_t len, X509 *peer, time_t now,
				     struct torcerts_info *info)
{
	struct torcerts_info scratch;
	if (!info)
		info = &scratch;
	memset(info, 0, sizeof *info);
	struct certs c = { 0 };
	/* Failed parses and verifies push errors; the caller's TLS code must not see them. */
	ERR_set_mark();
	enum torcerts_verdict v = check_all(payload, len, peer, now, &c, info);
	ERR_pop_to_mark();
	X509_free(c.link_x509);
	X509_free(c.id_x509);
	return v;
}
