/* https_verify.h: judging a site's certificate chain as a careful client would — the
 * system store plus --cafile, the host name, the dates, OpenSSL's authentication level 1
 * (SHA-1 signatures refused), key sizes, the CA/B Forum's maximum lifetime and testssl's
 * expiry warnings — and describing the chain for evidence. */
#ifndef TORREADY_HTTPS_VERIFY_H
#define TORREADY_HTTPS_VERIFY_H

#include <jansson.h>
#include <openssl/x509.h>
#include <time.h>

#include "err.h"

/* In the order a verdict names them: the first present one is the result's code. */
enum cert_problem {
	CP_EXPIRED,
	CP_NOT_YET_VALID,
	CP_SELF_SIGNED,
	CP_UNTRUSTED_ROOT,
	CP_INCOMPLETE_CHAIN,
	CP_HOSTNAME_MISMATCH,
	CP_SHA1_SIGNATURE,
	CP_WEAK_KEY,
	CP_INVALID,              /* any other reason OpenSSL gives (see evidence) */
	CP_LIFETIME_TOO_LONG,    /* the rest only warn: a browser still connects */
	CP_EXPIRING_SOON,
	CP_COUNT
};
#define CP_FIRST_WARNING CP_LIFETIME_TOO_LONG

struct cert_verdict {
	unsigned problems;        /* 1u << enum cert_problem */
	int verified;             /* no problem before CP_FIRST_WARNING: a browser would accept */
	long long days_left;      /* whole days until not-after (negative when expired) */
	long long lifetime_days;  /* not-after minus not-before, rounded up */
	long long max_lifetime_days;   /* the CA/B Forum limit for its notBefore (0: none known) */
	int over_lifetime;        /* lifetime above that limit (a problem only on a public chain) */
	const char *lifetime_rule;     /* "applies", "private_root" (not bound by it), or NULL */
	long long warn_days;      /* expiring_soon below this many days left */
	int lets_encrypt;         /* issued by Let's Encrypt: testssl halves the warnings */
	json_t *errors;           /* array of "depth N: OpenSSL's reason" (owned) */
};

/* The system's default trust store (OpenSSL's default paths, which honour SSL_CERT_FILE
 * and SSL_CERT_DIR) plus the certificates in cafile (may be NULL). NULL on error. */
X509_STORE *cert_store_new(const char *cafile, struct err *e);

/* Judges sent (leaf first, as the server sent it; not empty) for host at time now.
 * Always fills v; free v->errors with cert_verdict_clear. */
void cert_judge(X509_STORE *store, STACK_OF(X509) *sent, const char *host, time_t now,
		struct cert_verdict *v);
void cert_verdict_clear(struct cert_verdict *v);

/* The first problem's code ("expired", ...), or "ok" when there is none. */
const char *cert_verdict_code(const struct cert_verdict *v);
const char *cert_problem_code(enum cert_problem p);
/* Every problem's code, in order. */
json_t *cert_problems_json(const struct cert_verdict *v);

/* Evidence: {subject, sans, issuer, not_before, not_after, chain: [{subject, issuer,
 * not_after, spki_sha256, signature, key}]} for what the server sent. */
json_t *cert_chain_json(STACK_OF(X509) *sent);

/* The CA/B Forum's maximum lifetime in days for a certificate issued at t (ballot SC-081),
 * from kb/dated.yaml's cabf-max-lifetime-days; 0 when the file has no value for t. */
long long cert_max_lifetime_days(time_t issued);

/* The lifetime limits bind publicly trusted CAs only (the Baseline Requirements): with
 * publicly_trusted, a lifetime over the limit is lifetime_too_long; otherwise it is only
 * noted (lifetime_rule "private_root"). Call after cert_judge when over_lifetime is set. */
void cert_lifetime_rule(struct cert_verdict *v, int publicly_trusted);

#endif
