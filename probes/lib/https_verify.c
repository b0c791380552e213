/* https_verify.c: our own verification of a server's chain. curl's is off during the fetch
 * (so a bad chain is seen, not refused); here OpenSSL checks it against one shared store
 * with every complaint collected, not just the first, and the rules browsers add on top
 * (key sizes, lifetime, expiry warnings) are applied. Sources: ../shared/facts/https.md. */
#include "https_verify.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>

#include "certinfo.h"
#include "dated.h"
#include "results.h"
#include "targets.h"

#define DAY 86400LL

static const char *const problem_codes[CP_COUNT] = {
	"expired", "not_yet_valid", "self_signed", "untrusted_root", "incomplete_chain",
	"hostname_mismatch", "sha1_signature", "weak_key", "invalid", "lifetime_too_long",
	"expiring_soon",
};

const char *cert_problem_code(enum cert_problem p)
{
	return p < CP_COUNT ? problem_codes[p] : "invalid";
}

const char *cert_verdict_code(const struct cert_verdict *v)
{
	for (int p = 0; p < CP_COUNT; p++)
		if (v->problems & (1u << p))
			return problem_codes[p];
	return "ok";
}

json_t *cert_problems_json(const struct cert_verdict *v)
{
	json_t *a = json_array();
	for (int p = 0; p < CP_COUNT; p++)
		if (v->problems & (1u << p))
			json_array_append_new(a, json_string(problem_codes[p]));
	return a;
}

X509_STORE *cert_store_new(const char *cafile, struct err *e)
{
	X509_STORE *s = X509_STORE_new();
	if (!s) {
		err_internal(e, "cannot create a certificate store");
		return NULL;
	}
	/* A machine without a system store still gets a store (then nothing public verifies). */
	X509_STORE_set_default_paths(s);
	if (cafile && X509_STORE_load_file(s, cafile) != 1) {
		err_set(e, "cafile %.200s: no readable PEM certificates", cafile);
		X509_STORE_free(s);
		s = NULL;
	}
	ERR_clear_error();
	return s;
}

static enum cert_problem map_error(int err, int depth)
{
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED: return CP_EXPIRED;
	case X509_V_ERR_CERT_NOT_YET_VALID: return CP_NOT_YET_VALID;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: return CP_SELF_SIGNED;
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: return CP_UNTRUSTED_ROOT;
	/* The leaf's own issuer missing means the server left it out (browsers may fetch it
	 * through AIA; curl and OpenSSL do not). Higher up, the chain ends at an unknown root. */
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		return depth == 0 ? CP_INCOMPLETE_CHAIN : CP_UNTRUSTED_ROOT;
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: return CP_INCOMPLETE_CHAIN;
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH: return CP_HOSTNAME_MISMATCH;
	case X509_V_ERR_CA_MD_TOO_WEAK: return CP_SHA1_SIGNATURE;
	case X509_V_ERR_EE_KEY_TOO_SMALL:
	case X509_V_ERR_CA_KEY_TOO_SMALL: return CP_WEAK_KEY;
	default: return CP_INVALID;
	}
}

/* Collects every complaint and lets OpenSSL go on, so one run names them all. */
static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	if (ok)
		return 1;
	struct cert_verdict *v = X509_STORE_CTX_get_app_data(ctx);
	int err = X509_STORE_CTX_get_error(ctx), depth = X509_STORE_CTX_get_error_depth(ctx);
	v->problems |= 1u << map_error(err, depth);
	char line[200];
	snprintf(line, sizeof line, "depth %d: %s", depth, X509_verify_cert_error_string(err));
	size_t i;
	json_t *s;
	json_array_foreach(v->errors, i, s)
		if (!strcmp(json_string_value(s), line))
			return 1;
	json_array_append_new(v->errors, json_string(line));
	return 1;
}

static int weak_digest(X509 *x, const char **name)
{
	int md = NID_undef, pk = NID_undef;
	if (!OBJ_find_sigid_algs(X509_get_signature_nid(x), &md, &pk))
		return 0;
	*name = OBJ_nid2sn(md);
	return md == NID_sha1 || md == NID_md5 || md == NID_md4 || md == NID_md2;
}

static int weak_key(X509 *x)
{
	EVP_PKEY *k = X509_get0_pubkey(x);
	if (!k)
		return 0;
	int id = EVP_PKEY_get_base_id(k), bits = EVP_PKEY_get_bits(k);
	if (id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS || id == EVP_PKEY_DSA)
		return bits < 2048;
	if (id == EVP_PKEY_EC)
		return bits < 224;
	return 0;
}

/* Signatures and keys along the chain OpenSSL built (or what was sent, if it built none). A
 * self-signed anchor's own signature is never checked by anyone, so it does not count. */
static void check_algorithms(STACK_OF(X509) *chain, struct cert_verdict *v)
{
	int n = sk_X509_num(chain);
	for (int i = 0; i < n; i++) {
		X509 *x = sk_X509_value(chain, i);
		const char *md = "";
		int anchor = i == n - 1 && (X509_get_extension_flags(x) & EXFLAG_SS);
		if (!anchor && weak_digest(x, &md)) {
			v->problems |= 1u << CP_SHA1_SIGNATURE;
			char line[120];
			snprintf(line, sizeof line, "depth %d: signed with %s", i, md);
			json_array_append_new(v->errors, json_string(line));
		}
		if (weak_key(x))
			v->problems |= 1u << CP_WEAK_KEY;
	}
}

long long cert_max_lifetime_days(time_t issued)
{
	/* The schedule (CA/B Forum ballot SC-081: 398, 200, 100, 47 days) is dated data, kept
	 * once in kb/dated.yaml; without it no limit is judged, rather than a stale one. */
	long days;
	const struct dated_fact *f = dated_find(dated_default(NULL), "cabf-max-lifetime-days");
	return f && dated_value_at(f, issued, &days) == 0 && days > 0 ? days : 0;
}

void cert_lifetime_rule(struct cert_verdict *v, int publicly_trusted)
{
	if (!v->over_lifetime)
		return;
	v->lifetime_rule = publicly_trusted ? "applies" : "private_root";
	if (publicly_trusted)
		v->problems |= 1u << CP_LIFETIME_TOO_LONG;
}

static int asn1_to_time(const ASN1_TIME *a, time_t *out)
{
	struct tm tm;
	if (!a || ASN1_TIME_to_tm(a, &tm) != 1)
		return -1;
	*out = timegm(&tm);
	return 0;
}

static void judge_dates(X509 *leaf, time_t now, struct cert_verdict *v)
{
	time_t nb, na;
	if (asn1_to_time(X509_get0_notBefore(leaf), &nb) < 0 || asn1_to_time(X509_get0_notAfter(leaf), &na) < 0)
		return;
	long long left = (long long)na - (long long)now, life = (long long)na - (long long)nb;
	v->days_left = left >= 0 ? left / DAY : -((-left + DAY - 1) / DAY);
	v->lifetime_days = (life + DAY - 1) / DAY;
	v->max_lifetime_days = cert_max_lifetime_days(nb);
	v->over_lifetime = v->max_lifetime_days > 0 && life > v->max_lifetime_days * DAY;
	char org[128];
	certinfo_name_field(X509_get_issuer_name(leaf), NID_organizationName, org, sizeof org);
	v->lets_encrypt = !strcmp(org, "Let's Encrypt");
	/* testssl: warn 60 days ahead, half that for Let's Encrypt; very short-lived certs only
	 * in their last day. We also never warn for more than a third of the lifetime, so a
	 * 45-day certificate is not "expiring soon" from its first day. */
	if (life <= 10 * DAY) {
		v->warn_days = 1;
	} else {
		v->warn_days = v->lets_encrypt ? 30 : 60;
		if (v->warn_days > life / DAY / 3)
			v->warn_days = life / DAY / 3;
	}
	if (left >= 0 && left < v->warn_days * DAY && !(v->problems & (1u << CP_NOT_YET_VALID)))
		v->problems |= 1u << CP_EXPIRING_SOON;
}

void cert_judge(X509_STORE *store, STACK_OF(X509) *sent, const char *host, time_t now,
		struct cert_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->errors = json_array();
	X509 *leaf = sk_X509_num(sent) > 0 ? sk_X509_value(sent, 0) : NULL;
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	if (!leaf || !store || !ctx || X509_STORE_CTX_init(ctx, store, leaf, sent) != 1) {
		v->problems |= 1u << CP_INVALID;
		json_array_append_new(v->errors, json_string("the chain could not be checked"));
		X509_STORE_CTX_free(ctx);
		ERR_clear_error();
		return;
	}
	X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
	/* Level 1 (80 bits) is what a checker must enforce: SHA-1 signatures fail there. */
	X509_VERIFY_PARAM_set_auth_level(param, 1);
	X509_VERIFY_PARAM_set_time(param, now);
	X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (host_is_ip_literal(host))
		X509_VERIFY_PARAM_set1_ip_asc(param, host);
	else
		X509_VERIFY_PARAM_set1_host(param, host, 0);
	X509_STORE_CTX_set_app_data(ctx, v);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	if (X509_verify_cert(ctx) <= 0 && !v->problems) {
		v->problems |= 1u << CP_INVALID;
		json_array_append_new(v->errors, json_string(X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx))));
	}
	STACK_OF(X509) *built = X509_STORE_CTX_get1_chain(ctx);
	check_algorithms(built && sk_X509_num(built) ? built : sent, v);
	sk_X509_pop_free(built, X509_free);
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	judge_dates(leaf, now, v);
	v->verified = !(v->problems & ((1u << CP_FIRST_WARNING) - 1));
}

void cert_verdict_clear(struct cert_verdict *v)
{
	json_decref(v->errors);
	v->errors = NULL;
}

static void fmt_time(const ASN1_TIME *a, char out[32])
{
	struct tm tm;
	out[0] = '\0';
	if (a && ASN1_TIME_to_tm(a, &tm) == 1)
		strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *sans_json(X509 *x)
{
	json_t *a = json_array();
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	for (int i = 0; gens && i < sk_GENERAL_NAME_num(gens) && i < 100; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		if (g->type == GEN_DNS) {
			const ASN1_IA5STRING *s = g->d.dNSName;
			json_array_append_new(a, results_str_safe((const char *)ASN1_STRING_get0_data(s),
								  (size_t)ASN1_STRING_length(s)));
		} else if (g->type == GEN_IPADD) {
			const unsigned char *b = ASN1_STRING_get0_data(g->d.iPAddress);
			int n = ASN1_STRING_length(g->d.iPAddress);
			char ip[INET6_ADDRSTRLEN];
			if ((n == 4 && inet_ntop(AF_INET, b, ip, sizeof ip)) ||
			    (n == 16 && inet_ntop(AF_INET6, b, ip, sizeof ip)))
				json_array_append_new(a, json_string(ip));
		}
	}
	GENERAL_NAMES_free(gens);
	return a;
}

/* "RSA 2048", "EC 256", "ED25519 256". */
static void key_name(X509 *x, char *out, size_t len)
{
	EVP_PKEY *k = X509_get0_pubkey(x);
	int id = k ? EVP_PKEY_get_base_id(k) : NID_undef;
	const char *t = id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS ? "RSA" : id == EVP_PKEY_EC ? "EC"
			: id == EVP_PKEY_DSA ? "DSA" : id != NID_undef ? OBJ_nid2sn(id) : "unknown";
	snprintf(out, len, "%s %d", t, k ? EVP_PKEY_get_bits(k) : 0);
}

static json_t *one_cert(X509 *x)
{
	char subj[512], iss[512], na[32], pin[CERTINFO_PIN_LEN], key[48];
	certinfo_name(X509_get_subject_name(x), subj, sizeof subj);
	certinfo_name(X509_get_issuer_name(x), iss, sizeof iss);
	fmt_time(X509_get0_notAfter(x), na);
	certinfo_spki_pin(x, pin);
	key_name(x, key, sizeof key);
	json_t *o = json_object();
	json_object_set_new(o, "subject", results_str_safe(subj, strlen(subj)));
	json_object_set_new(o, "issuer", results_str_safe(iss, strlen(iss)));
	json_object_set_new(o, "not_after", json_string(na));
	json_object_set_new(o, "spki_sha256", json_string(pin));
	json_object_set_new(o, "signature", json_string(OBJ_nid2ln(X509_get_signature_nid(x))));
	json_object_set_new(o, "key", json_string(key));
	return o;
}

json_t *cert_chain_json(STACK_OF(X509) *sent)
{
	json_t *o = json_object();
	X509 *leaf = sk_X509_num(sent) > 0 ? sk_X509_value(sent, 0) : NULL;
	if (!leaf)
		return o;
	char buf[512], t[32];
	certinfo_name(X509_get_subject_name(leaf), buf, sizeof buf);
	json_object_set_new(o, "subject", results_str_safe(buf, strlen(buf)));
	json_object_set_new(o, "sans", sans_json(leaf));
	certinfo_name(X509_get_issuer_name(leaf), buf, sizeof buf);
	json_object_set_new(o, "issuer", results_str_safe(buf, strlen(buf)));
	fmt_time(X509_get0_notBefore(leaf), t);
	json_object_set_new(o, "not_before", json_string(t));
	fmt_time(X509_get0_notAfter(leaf), t);
	json_object_set_new(o, "not_after", json_string(t));
	json_t *chain = json_array();
	for (int i = 0; i < sk_X509_num(sent) && i < 10; i++)
		json_array_append_new(chain, one_cert(sk_X509_value(sent, i)));
	json_object_set_new(o, "chain", chain);
	return o;
}
