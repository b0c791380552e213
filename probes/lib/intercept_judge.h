/* intercept_judge.h: the signals that a certificate chain was minted by a middlebox
 * (../shared/facts/interception.md), judged over every host of a run at once — pure logic
 * over chains already fetched, so unit tests can feed it chains built at test time. */
#ifndef TORREADY_INTERCEPT_JUDGE_H
#define TORREADY_INTERCEPT_JUDGE_H

#include <stddef.h>

#include "chainpath.h"
#include "results.h"

/* In order of seriousness: the first one that fires names the result. */
enum icpt_signal {
	SIG_PIN_MISMATCH,
	SIG_ISSUER_UNEXPECTED,
	SIG_LOCAL_ROOT,
	SIG_LEAF_KEY_IS_CA_KEY,
	SIG_SPKI_REUSED,
	SIG_VANTAGE_MISMATCH,
	SIG_NO_SCTS,
	SIG_COUNT
};
const char *icpt_signal_code(enum icpt_signal s);

/* What one path (direct, or through the SOCKS vantage point) showed. */
struct icpt_obs {
	int ok;                 /* a chain was fetched */
	struct chain_path path; /* built from the chain sent */
	int embedded_scts;      /* -1: malformed extension */
	int tls_scts;
};

struct icpt_host {
	const char *host;
	int port;
	char *const *pins;      /* base64 SPKI pins (a "sha256//" prefix is accepted) */
	size_t npins;
	char *const *issuers;   /* expected issuer CN or O of the leaf */
	size_t nissuers;
	struct icpt_obs direct, vantage;
};

struct icpt_verdict {
	unsigned fired;                      /* bit (1u << signal) */
	enum status sig_status[SIG_COUNT];   /* of each fired signal */
	int top;                             /* the signal that names the result, -1: none */
	enum status status;                  /* ST_PASS when nothing fired */
	int pin_matched;                     /* pins given and one is on the path */
	int intercepted;                     /* a fail-level signal fired */
	char inspection_ca[520];             /* who signed the leaf seen, when intercepted */
	char reused_with[512];               /* "b.test:443, c.test:443" for spki_reused */
};

/* Judges hosts[i] into out[i]; hosts whose direct.ok is 0 get an empty verdict. */
void icpt_judge(const struct icpt_host *hosts, size_t n, struct icpt_verdict *out);

#endif
