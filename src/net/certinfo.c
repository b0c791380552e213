/* certinfo.c: SPKI pins, names, dates, signatures and embedded SCTs of certificates. */
#include "certinfo.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "results.h"

int certinfo_spki_pin(X509 *x, char out[CERTINFO_PIN_LEN])
{
	out[0] = '\0';
	unsigned char *der = NULL;
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	if (len <= 0)
		return -1;
	unsigned char md[SHA256_DIGEST_LENGTH];
	SHA256(der, (size_t)len, md);
	OPENSSL_free(der);
	EVP_EncodeBlock((unsigned char *)out, md, sizeof md);
	return 0;
}

int certinfo_same_key(X509 *a, X509 *b)
{
	char pa[CERTINFO_PIN_LEN], pb[CERTINFO_PIN_LEN];
	return certinfo_spki_pin(a, pa) == 0 && certinfo_spki_pin(b, pb) == 0 && !strcmp(pa, pb);
}

void certinfo_name(const X509_NAME *n, char *out, size_t len)
{
	out[0] = '\0';
	BIO *b = BIO_new(BIO_s_mem());
	if (!b)
		return;
	unsigned long flags = (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) | XN_FLAG_SEP_CPLUS_SPC |
			      XN_FLAG_DN_REV | XN_FLAG_FN_SN;
	X509_NAME_print_ex(b, n, 0, flags);
	char *p;
	long k = BIO_get_mem_data(b, &p);
	if (k > 0)
		snprintf(out, len, "%.*s", (int)k, p);
	BIO_free(b);
}

void certinfo_name_field(const X509_NAME *n, int nid, char *out, size_t len)
{
	out[0] = '\0';
	int i = X509_NAME_get_index_by_NID(n, nid, -1);
	if (i < 0)
		return;
	unsigned char *utf8 = NULL;
	int k = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i)));
	if (k >= 0)
		snprintf(out, len, "%.*s", k, (const char *)utf8);
	OPENSSL_free(utf8);
}

void certinfo_display_name(const X509_NAME *n, char *out, size_t len)
{
	certinfo_name_field(n, NID_commonName, out, len);
	if (!out[0])
		certinfo_name_field(n, NID_organizationName, out, len);
	if (!out[0])
		certinfo_name(n, out, len);
}

void certinfo_not_after(X509 *x, char out[32])
{
	struct tm tm;
	out[0] = '\0';
	if (ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm) == 1)
		strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int certinfo_signed_by(X509 *child, X509 *parent)
{
	if (X509_NAME_cmp(X509_get_issuer_name(child), X509_get_subject_name(parent)) != 0)
		return 0;
	EVP_PKEY *k = X509_get0_pubkey(parent);
	int ok = k && X509_verify(child, k) == 1;
	ERR_clear_error();   /* a failed check is an answer, not an error to report later */
	return ok;
}

int certinfo_self_signed(X509 *x)
{
	return certinfo_signed_by(x, x);
}

json_t *certinfo_json(X509 *x, const char *from)
{
	char subject[512], issuer[512], pin[CERTINFO_PIN_LEN], na[32];
	certinfo_name(X509_get_subject_name(x), subject, sizeof subject);
	certinfo_name(X509_get_issuer_name(x), issuer, sizeof issuer);
	certinfo_spki_pin(x, pin);
	certinfo_not_after(x, na);
	const char *where = !from || !strcmp(from, "server") ? ""
			    : !strcmp(from, "cafile") ? " \u2014 from the --cafile file"
			    : " \u2014 from this machine's trust store";
	char line[1400];
	snprintf(line, sizeof line, "%s \u2014 issued by %s \u2014 valid until %.10s \u2014 key sha256//%s%s",
		 subject, issuer, na, pin, where);
	return results_str_safe(line, strlen(line));
}

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* One SerializedSCT (RFC 6962 §3.2); -1 when its fields overrun its length. */
static int parse_sct(const uint8_t *p, size_t n, struct sct_entry *out)
{
	if (n < 1 + 32 + 8 + 2)
		return -1;
	out->version = p[0];
	memcpy(out->log_id, p + 1, 32);
	out->timestamp_ms = 0;
	for (int i = 0; i < 8; i++)
		out->timestamp_ms = out->timestamp_ms << 8 | p[33 + i];
	if (out->version != 0)
		return 0;   /* a later version: counted, fields past the log id not checked */
	size_t off = 41, extlen = get16(p + off);
	off += 2 + extlen;
	if (off + 4 > n)   /* hash and signature algorithm bytes, signature length */
		return -1;
	size_t siglen = get16(p + off + 2);
	off += 4 + siglen;
	return off == n ? 0 : -1;
}

int certinfo_sct_list_parse(const uint8_t *p, size_t n, struct sct_entry *out, size_t max)
{
	if (n < 2 || get16(p) != n - 2)
		return -1;
	size_t off = 2;
	int count = 0;
	while (off < n) {
		if (n - off < 2)
			return -1;
		size_t len = get16(p + off);
		off += 2;
		if (len == 0 || len > n - off)
			return -1;
		struct sct_entry tmp;
		if (parse_sct(p + off, len, (size_t)count < max ? &out[count] : &tmp) < 0)
			return -1;
		off += len;
		count++;
	}
	return count > 0 ? count : -1;   /* the list is <1..2^16-1>: empty is malformed */
}

int certinfo_embedded_scts(X509 *x, struct sct_entry *out, size_t max)
{
	int i = X509_get_ext_by_NID(x, NID_ct_precert_scts, -1);
	if (i < 0)
		return 0;
	/* extnValue wraps a DER OCTET STRING whose content is the TLS-encoded list. */
	const ASN1_OCTET_STRING *outer = X509_EXTENSION_get_data(X509_get_ext(x, i));
	const unsigned char *p = ASN1_STRING_get0_data(outer);
	ASN1_OCTET_STRING *inner = d2i_ASN1_OCTET_STRING(NULL, &p, ASN1_STRING_length(outer));
	if (!inner) {
		ERR_clear_error();
		return -1;
	}
	int rc = certinfo_sct_list_parse(ASN1_STRING_get0_data(inner), (size_t)ASN1_STRING_length(inner),
					 out, max);
	ASN1_OCTET_STRING_free(inner);
	return rc;
}
