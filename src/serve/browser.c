/* browser.c: User-Agent → browser family, and the rules a ClientHello from that family keeps.
 * Each rule says where it comes from. "Run here" means Debian 12's browsers in this project's
 * tests, ClientHellos captured by tests/serve (chromium 156, firefox-esr 153, 2026-12). Rules
 * only test features that every release since the rule's min_version has kept; a feature a
 * future release may drop (an extension order, a new group) is not a rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browser.h"

enum check {
	GREASE_CIPHER,     /* a GREASE value among the cipher suites */
	GREASE_EXT,        /* a GREASE extension */
	NO_GREASE,         /* no GREASE anywhere */
	HAS_EXT,           /* extension arg present */
	LACKS_EXT,         /* extension arg absent */
	LACKS_CIPHER,      /* cipher arg absent */
	CIPHERS_IN,        /* every non-GREASE cipher is in set */
	OFFERS_TLS13,      /* supported_versions lists 0x0304 */
	ALPN_H2,           /* ALPN offers h2 first */
};

struct rule {
	enum browser_family fam;
	int min_version;
	enum check kind;
	unsigned arg;
	const unsigned short *set;
	const char *signal;
	const char *source;
};

/* Chromium's cipher suites (BoringSSL): run here (chromium 156); the same 15 in a published
 * Chrome 143 ClientHello (../shared/facts/self-check.md); 0x000a (3DES) was in Chrome before
 * 93 and is allowed so an older browser is not called intercepted for it. */
static const unsigned short chromium_ciphers[] = {
	0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
	0x009c, 0x009d, 0x002f, 0x0035, 0x000a, 0 };
/* Firefox's (NSS): run here (firefox-esr 153); 0xc009, 0x000a, 0x0033, 0x0039 were offered by
 * Firefox releases of the last few years (about:config security.ssl3.*) and are allowed. */
static const unsigned short firefox_ciphers[] = {
	0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc00a, 0xc009,
	0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035, 0x000a, 0x0033, 0x0039, 0 };

static const struct rule rules[] = {
	/* --- Chromium-based (Chrome, Edge, Opera, Brave...) --- */
	{ BR_CHROMIUM, 70, GREASE_CIPHER, 0, NULL, "grease_cipher_missing",
	  "RFC 8701; BoringSSL sends GREASE in every Chrome since 55 (2016); run here: chromium 156" },
	{ BR_CHROMIUM, 70, GREASE_EXT, 0, NULL, "grease_extension_missing",
	  "RFC 8701; run here: chromium 156 sends two GREASE extensions" },
	{ BR_CHROMIUM, 70, LACKS_EXT, 0x0016, NULL, "encrypt_then_mac",
	  "BoringSSL has no encrypt_then_mac (RFC 7366); OpenSSL clients send it; run here" },
	{ BR_CHROMIUM, 70, LACKS_CIPHER, 0x00ff, NULL, "renegotiation_scsv",
	  "BoringSSL signals renegotiation with the ff01 extension, never the 0x00ff SCSV; run here" },
	{ BR_CHROMIUM, 70, CIPHERS_IN, 0, chromium_ciphers, "cipher_not_chromium",
	  "BoringSSL's fixed client cipher list; run here (chromium 156) and Chrome 143 published" },
	{ BR_CHROMIUM, 70, OFFERS_TLS13, 0, NULL, "tls13_missing",
	  "TLS 1.3 enabled by default since Chrome 70 (2018)" },
	/* Chrome shipped brotli certificate compression around M83; the rule starts at 90 to
	 * stay clear of the exact release, which was not verified here. */
	{ BR_CHROMIUM, 90, HAS_EXT, 0x001b, NULL, "compress_certificate_missing",
	  "compress_certificate (RFC 8879, brotli) in every Chrome since the early 80s; run here" },
	{ BR_CHROMIUM, 70, ALPN_H2, 0, NULL, "alpn_h2_missing",
	  "Chrome offers h2 first over HTTPS; run here: ALPN h2, http/1.1" },

	/* --- Firefox (NSS) --- */
	{ BR_FIREFOX, 78, NO_GREASE, 0, NULL, "grease_present",
	  "NSS in Firefox sends no GREASE; run here: firefox-esr 153 has none" },
	{ BR_FIREFOX, 78, LACKS_EXT, 0x0016, NULL, "encrypt_then_mac",
	  "NSS does not implement encrypt_then_mac (RFC 7366); run here" },
	{ BR_FIREFOX, 78, LACKS_CIPHER, 0x00ff, NULL, "renegotiation_scsv",
	  "NSS sends the ff01 extension, not the 0x00ff SCSV, when it sends TLS 1.3; run here" },
	{ BR_FIREFOX, 78, HAS_EXT, 0x001c, NULL, "record_size_limit_missing",
	  "record_size_limit (RFC 8449) sent since Firefox 65; run here" },
	{ BR_FIREFOX, 78, CIPHERS_IN, 0, firefox_ciphers, "cipher_not_firefox",
	  "NSS's default cipher list in Firefox; run here (firefox-esr 153)" },
	{ BR_FIREFOX, 78, OFFERS_TLS13, 0, NULL, "tls13_missing",
	  "TLS 1.3 enabled by default since Firefox 63 (2018)" },
	{ BR_FIREFOX, 78, ALPN_H2, 0, NULL, "alpn_h2_missing",
	  "Firefox offers h2 first over HTTPS; run here" },

	/* --- Safari (Apple's TLS stack). Not run here (no Safari on Debian): public facts only,
	 * so only traits every published Safari ClientHello since Safari 14 shares. --- */
	{ BR_SAFARI, 14, GREASE_CIPHER, 0, NULL, "grease_cipher_missing",
	  "published Safari 14-18 ClientHellos carry GREASE (RFC 8701) ciphers; not run here" },
	{ BR_SAFARI, 14, GREASE_EXT, 0, NULL, "grease_extension_missing",
	  "published Safari 14-18 ClientHellos carry GREASE extensions; not run here" },
	{ BR_SAFARI, 14, LACKS_EXT, 0x0016, NULL, "encrypt_then_mac",
	  "no published Safari ClientHello sends encrypt_then_mac; not run here" },
	{ BR_SAFARI, 14, OFFERS_TLS13, 0, NULL, "tls13_missing",
	  "TLS 1.3 on by default since Safari 14 / iOS 14 (2020); not run here" },
};

const char *browser_family_name(enum browser_family f)
{
	switch (f) {
	case BR_CHROMIUM: return "chromium";
	case BR_FIREFOX: return "firefox";
	case BR_SAFARI: return "safari";
	default: return "other";
	}
}

const char *selfcheck_verdict_name(enum selfcheck_verdict v)
{
	switch (v) {
	case SC_CLEAR: return "clear";
	case SC_INTERCEPTED: return "intercepted";
	default: return "unknown";
	}
}

/* The digits after "tok" in ua, at most 15. 1 when found. */
static int ua_version(const char *ua, const char *tok, char version[16])
{
	const char *p = strstr(ua, tok);
	if (!p)
		return 0;
	p += strlen(tok);
	size_t n = 0;
	while (n < 15 && p[n] >= '0' && p[n] <= '9')
		n++;
	memcpy(version, p, n);
	version[n] = '\0';
	return n > 0;
}

void browser_from_ua(const char *ua, enum browser_family *f, char version[16])
{
	*f = BR_OTHER;
	version[0] = '\0';
	if (!ua)
		return;
	/* iOS browsers all use WebKit's TLS: Chrome and Firefox there are Safari underneath. */
	if (strstr(ua, "CriOS/") || strstr(ua, "FxiOS/") || strstr(ua, "EdgiOS/")) {
		/* "Version/17.0", else the iOS release ("CPU iPhone OS 17_0"): they move together. */
		if (!ua_version(ua, "Version/", version))
			ua_version(ua, " OS ", version);
		*f = BR_SAFARI;
		return;
	}
	if (!strstr(ua, "Mozilla/5.0"))
		return;   /* curl, wget, scripts: nothing to compare with */
	if (ua_version(ua, "Firefox/", version) && !strstr(ua, "Seamonkey")) {
		*f = BR_FIREFOX;
		return;
	}
	if (ua_version(ua, "Chrome/", version) || ua_version(ua, "Chromium/", version) ||
	    ua_version(ua, "HeadlessChrome/", version)) {
		*f = BR_CHROMIUM;
		return;
	}
	if (strstr(ua, "Safari/") && strstr(ua, "AppleWebKit/") && ua_version(ua, "Version/", version)) {
		*f = BR_SAFARI;
		return;
	}
	version[0] = '\0';
}

static int in_set(const unsigned short *set, unsigned v)
{
	for (; *set; set++)
		if (*set == v)
			return 1;
	return 0;
}

static size_t kept(size_t n, size_t cap)
{
	return n < cap ? n : cap;
}

/* 1 when the ClientHello keeps the rule; on a cipher outside the set, *bad is that cipher. */
static int holds(const struct rule *r, const struct clienthello *ch, unsigned *bad)
{
	size_t i;
	switch (r->kind) {
	case GREASE_CIPHER:
		return ch->grease_ciphers > 0;
	case GREASE_EXT:
		return ch->grease_exts > 0;
	case NO_GREASE:
		return !ch->grease_ciphers && !ch->grease_exts && !ch->grease_groups &&
		       !ch->grease_versions;
	case HAS_EXT:
		return clienthello_ext_index(ch, (unsigned short)r->arg) >= 0;
	case LACKS_EXT:
		return clienthello_ext_index(ch, (unsigned short)r->arg) < 0;
	case LACKS_CIPHER:
		for (i = 0; i < kept(ch->nciphers, CH_MAX_CIPHERS); i++)
			if (ch->ciphers[i] == r->arg)
				return 0;
		return 1;
	case CIPHERS_IN:
		if (ch->nciphers > CH_MAX_CIPHERS)
			return 0;
		for (i = 0; i < ch->nciphers; i++)
			if (!clienthello_is_grease(ch->ciphers[i]) && !in_set(r->set, ch->ciphers[i])) {
				*bad = ch->ciphers[i];
				return 0;
			}
		return 1;
	case OFFERS_TLS13:
		for (i = 0; i < kept(ch->nversions, CH_MAX_LIST); i++)
			if (ch->versions[i] == 0x0304)
				return 1;
		return 0;
	case ALPN_H2:
		return ch->nalpn > 0 && !strcmp(ch->alpn[0], "h2");
	}
	return 0;
}

void browser_judge(const char *ua, const struct clienthello *ch, struct browser_judgement *j)
{
	memset(j, 0, sizeof *j);
	browser_from_ua(ua, &j->family, j->version);
	j->verdict = SC_UNKNOWN;
	if (!ch) {
		j->why = "this server could not read the TLS greeting of your connection";
		return;
	}
	if (j->family == BR_OTHER) {
		j->why = "your browser did not name itself as one of the browsers this check knows "
			 "(Chrome, Edge and other Chromium-based browsers, Firefox, Safari)";
		return;
	}
	int version = atoi(j->version), applied = 0;
	for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
		const struct rule *r = &rules[i];
		if (r->fam != j->family || version < r->min_version)
			continue;
		applied++;
		unsigned bad = 0;
		if (holds(r, ch, &bad) || j->nsignals >= BR_MAX_SIGNALS)
			continue;
		if (bad)
			snprintf(j->signals[j->nsignals++], sizeof j->signals[0], "%s:0x%04x", r->signal, bad);
		else
			snprintf(j->signals[j->nsignals++], sizeof j->signals[0], "%s", r->signal);
	}
	if (!applied) {
		j->why = "your browser version is older than the ones this check has rules for";
		return;
	}
	if (j->nsignals) {
		j->verdict = SC_INTERCEPTED;
		j->why = "the TLS greeting that reached this server is not one your browser sends";
	} else {
		j->verdict = SC_CLEAR;
		j->why = "the TLS greeting that reached this server is one your browser sends";
	}
}
