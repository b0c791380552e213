/* intercept_judge.c: which interception signals fire for each host, and how serious each is.
 * The rules lean against false alarms: a chain that ends in a Mozilla root and carries
 * public-log proofs is never called intercepted on a name or pin difference alone (big
 * sites change CAs), only warned about. */
#include "intercept_judge.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const codes[SIG_COUNT] = {
	"pin_mismatch", "issuer_unexpected", "local_root", "leaf_key_is_ca_key",
	"spki_reused", "vantage_mismatch", "no_scts",
};

const char *icpt_signal_code(enum icpt_signal s)
{
	return s < SIG_COUNT ? codes[s] : "?";
}

static int has_scts(const struct icpt_obs *o)
{
	return o->embedded_scts > 0 || o->tls_scts > 0;
}

/* Publicly trusted and logged: what a real public site's chain looks like. */
static int looks_public(const struct icpt_obs *o)
{
	return !strcmp(o->path.root_class, "mozilla") && has_scts(o);
}

static int issuer_expected(const struct icpt_host *h)
{
	X509 *leaf = h->direct.path.cert[0];
	char cn[256], o[256];
	certinfo_name_field(X509_get_issuer_name(leaf), NID_commonName, cn, sizeof cn);
	certinfo_name_field(X509_get_issuer_name(leaf), NID_organizationName, o, sizeof o);
	for (size_t i = 0; i < h->nissuers; i++)
		if ((cn[0] && !strcasecmp(cn, h->issuers[i])) || (o[0] && !strcasecmp(o, h->issuers[i])))
			return 1;
	return 0;
}

/* mitmproxy's pattern: the leaf names another issuer but carries that issuer's own key. */
static int leaf_key_is_ca_key(const struct chain_path *p)
{
	X509 *leaf = p->cert[0];
	if (!X509_NAME_cmp(X509_get_subject_name(leaf), X509_get_issuer_name(leaf)))
		return 0;   /* self-issued: its key is trivially "its issuer's" */
	EVP_PKEY *k = X509_get0_pubkey(leaf);
	int own = k && X509_verify(leaf, k) == 1;
	ERR_clear_error();
	return own || (p->n > 1 && !strcmp(p->pin[0], p->pin[1]));
}

static int covers(X509 *leaf, const char *host)
{
	int rc = X509_check_host(leaf, host, 0, 0, NULL) == 1 || X509_check_ip_asc(leaf, host, 0) == 1;
	ERR_clear_error();
	return rc;
}

/* sslsplit's pattern: one leaf key on unrelated hosts, in different certificates, neither of
 * which was made for the other host. */
static int spki_reused(const struct icpt_host *hosts, size_t n, size_t i, struct icpt_verdict *v)
{
	const struct icpt_host *a = &hosts[i];
	int found = 0;
	for (size_t j = 0; j < n; j++) {
		const struct icpt_host *b = &hosts[j];
		if (j == i || !b->direct.ok || !strcasecmp(a->host, b->host))
			continue;
		X509 *la = a->direct.path.cert[0], *lb = b->direct.path.cert[0];
		if (strcmp(a->direct.path.pin[0], b->direct.path.pin[0]) || !X509_cmp(la, lb) ||
		    covers(la, b->host) || covers(lb, a->host))
			continue;
		size_t k = strlen(v->reused_with);
		snprintf(v->reused_with + k, sizeof v->reused_with - k, "%s%s%s%s:%d", k ? ", " : "",
			 strchr(b->host, ':') ? "[" : "", b->host, strchr(b->host, ':') ? "]" : "", b->port);
		found = 1;
	}
	return found;
}

static void fire(struct icpt_verdict *v, enum icpt_signal s, enum status st)
{
	v->fired |= 1u << s;
	v->sig_status[s] = st;
}

static void name_inspector(const struct chain_path *p, struct icpt_verdict *v)
{
	const X509_NAME *n = p->n > 1 ? X509_get_subject_name(p->cert[1]) : X509_get_issuer_name(p->cert[0]);
	char cn[256], o[256];
	certinfo_display_name(n, cn, sizeof cn);
	certinfo_name_field(n, NID_organizationName, o, sizeof o);
	if (o[0] && strcmp(o, cn))
		snprintf(v->inspection_ca, sizeof v->inspection_ca, "%s (%s)", cn, o);
	else
		snprintf(v->inspection_ca, sizeof v->inspection_ca, "%s", cn);
}

static void pick_top(struct icpt_verdict *v)
{
	v->top = -1;
	v->status = ST_PASS;
	for (int pass = 0; pass < 2 && v->top < 0; pass++)
		for (int s = 0; s < SIG_COUNT && v->top < 0; s++)
			if ((v->fired & (1u << s)) && (pass || v->sig_status[s] == ST_FAIL))
				v->top = s;
	if (v->top >= 0)
		v->status = v->sig_status[v->top];
	v->intercepted = v->status == ST_FAIL;
}

static void judge_one(const struct icpt_host *hosts, size_t n, size_t i, struct icpt_verdict *v)
{
	const struct icpt_host *h = &hosts[i];
	const struct icpt_obs *d = &h->direct;
	const struct chain_path *p = &d->path;
	enum status soft = looks_public(d) ? ST_WARN : ST_FAIL;
	int public_root = !strcmp(p->root_class, "mozilla");
	v->pin_matched = h->npins && chain_path_has_pin(p, h->pins, h->npins);
	if (h->npins && !v->pin_matched)
		fire(v, SIG_PIN_MISMATCH, soft);
	if (h->nissuers && !issuer_expected(h))
		fire(v, SIG_ISSUER_UNEXPECTED, soft);
	if (!strcmp(p->root_class, "local"))
		fire(v, SIG_LOCAL_ROOT, ST_FAIL);
	if (leaf_key_is_ca_key(p))
		fire(v, SIG_LEAF_KEY_IS_CA_KEY, ST_FAIL);
	if (!public_root && spki_reused(hosts, n, i, v))
		fire(v, SIG_SPKI_REUSED, ST_FAIL);
	/* Sites legitimately serve different chains from different places; two chains sharing
	 * no key at all, the direct one not ending in a public root, is what interception does. */
	if (!public_root && h->vantage.ok && chain_path_disjoint(p, &h->vantage.path))
		fire(v, SIG_VANTAGE_MISMATCH, ST_FAIL);
	/* Without SCTs a chain is not public; no alarm when the user vouched for it (pinned, or
	 * anchored in --cafile: private PKI) or when Tor sees the same keys (not this network). */
	int vantage_agrees = h->vantage.ok && !chain_path_disjoint(p, &h->vantage.path);
	if (!has_scts(d) && !v->pin_matched && strcmp(p->root_class, "cafile") && !vantage_agrees)
		fire(v, SIG_NO_SCTS, ST_WARN);
	pick_top(v);
	if (v->intercepted)
		name_inspector(p, v);
}

void icpt_judge(const struct icpt_host *hosts, size_t n, struct icpt_verdict *out)
{
	for (size_t i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].top = -1;
		out[i].status = ST_PASS;
		if (hosts[i].direct.ok)
			judge_one(hosts, n, i, &out[i]);
	}
}
