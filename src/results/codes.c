/* codes.c: the probe catalog (see codes.h): every probe and every code it may end with.
 * Add a code here before a probe uses it; never rename one (results.md). */
#include "codes.h"

#include <string.h>

#define P CS_PASS
#define W CS_WARN
#define F CS_FAIL
#define E CS_ERROR
#define S CS_SKIP

static const struct probe_info probes[] = {
	{"net.baseline", "net", "Internet connection", "whether this machine can reach the internet at all", PF_LOCAL},
	{"tor.dirauth", "tor", "Tor directory authorities", "whether a Tor directory authority answers and proves who it is", PF_TOR_DIRECT},
	{"tor.dirport", "tor", "Tor directory ports", "whether a directory authority's web-style directory port answers", 0},
	{"tor.bridge", "tor", "Tor bridges", "whether a Tor bridge answers and proves who it is", PF_TOR_BRIDGE},
	{"tor.bootstrap", "tor", "Connecting with Tor", "whether a real Tor program can connect to the Tor network", PF_TOR_BOOTSTRAP},
	{"https.redirect", "https", "Redirect to HTTPS", "whether a site's http:// address sends visitors to https://", PF_SITE},
	{"https.hsts", "https", "Always-HTTPS header (HSTS)", "whether a site tells browsers to always use HTTPS (HSTS)", PF_SITE},
	{"https.preload", "https", "HSTS preload rules", "whether a site meets the rules of the HSTS preload list", PF_SITE},
	{"https.tls", "https", "TLS versions", "which TLS versions a site offers", PF_SITE},
	{"https.cert", "https", "Site certificate", "whether a site's certificate is valid, trusted and for that name", PF_SITE},
	{"https.mixed", "https", "Mixed content", "whether a secure page loads parts of itself over plain http://", PF_SITE},
	{"https.client", "https", "Bad-certificate test", "whether this machine's HTTPS software refuses a bad certificate", 0},
	{"tls.intercept", "tls", "Certificate interception", "whether something on the network swaps in its own certificates", 0},
	{"tls.truststore", "tls", "Trusted root certificates", "whether extra root certificates were added to this machine", PF_LOCAL},
	{"mail.tls", "mail", "Mail encryption", "whether a mail server offers working encryption (STARTTLS)", 0},
	/* Internal: the jobs of `pins capture` (they never reach a results document). */
	{"pins.capture", "pins", "Recording certificate chains", "the chain a server sends today", PF_INTERNAL},
};

static const char *const families[] = {"net", "tor", "https", "tls", "mail"};

static const struct code_info codes[] = {
	{"net.baseline", "ok", P, 0, "Online",
	 "This machine reached the internet."},
	{"net.baseline", "offline", F, CF_OFFLINE, "Offline",
	 "This machine could not reach the internet, so other tests say little."},

	{"tor.dirauth", "ok", P, 0, "Answered and proved who it is",
	 "A Tor directory authority answered and proved it is the real one."},
	{"tor.dirauth", "identity_mismatch", F, 0, "Answered, but not as itself",
	 "Something answered at the authority's address but could not prove it is that authority."},
	{"tor.dirauth", "not_tor", F, 0, "Something else answered",
	 "Something answered at the authority's address but it does not speak Tor."},
	{"tor.dirauth", "tls_error", F, 0, "Encrypted connection failed",
	 "The encrypted connection to the authority failed while being set up."},
	{"tor.dirauth", "timeout", F, CF_REDUNDANT, "No answer in time",
	 "The authority did not answer in time; the traffic may be silently dropped."},
	{"tor.dirauth", "refused", F, CF_REDUNDANT, "Connection refused",
	 "The connection to the authority was refused."},
	{"tor.dirauth", "reset", F, CF_REDUNDANT, "Connection cut off",
	 "The connection to the authority was cut off part way."},
	{"tor.dirauth", "eof", F, CF_REDUNDANT, "Closed too early",
	 "The authority closed the connection before the exchange finished."},
	{"tor.dirauth", "unreachable", F, CF_REDUNDANT, "Cannot be reached",
	 "There is no network route to the authority."},
	{"tor.dirauth", "proxy_error", F, 0, "Local proxy failed",
	 "A local proxy on the way to the authority failed."},

	{"tor.dirport", "ok", P, 0, "Directory served",
	 "The authority's directory port answered."},
	{"tor.dirport", "http_status", F, 0, "Answered with an error",
	 "The directory port answered with an error instead of the directory."},
	{"tor.dirport", "timeout", F, CF_REDUNDANT, "No answer in time",
	 "The directory port did not answer in time."},
	{"tor.dirport", "refused", F, CF_REDUNDANT, "Connection refused",
	 "The connection to the directory port was refused."},
	{"tor.dirport", "reset", F, CF_REDUNDANT, "Connection cut off",
	 "The connection to the directory port was cut off part way."},
	{"tor.dirport", "eof", F, CF_REDUNDANT, "Closed too early",
	 "The directory port closed the connection before answering."},
	{"tor.dirport", "unreachable", F, CF_REDUNDANT, "Cannot be reached",
	 "There is no network route to the directory port."},
	{"tor.dirport", "not_tor", F, 0, "Something else answered",
	 "Something answered at the directory port, but not with a Tor directory document (a captive portal or filter, perhaps)."},
	{"tor.dirport", "identity_mismatch", F, 0, "Served the wrong relay",
	 "The directory port served the descriptor of a different relay than the authority expected."},
	{"tor.dirport", "dns_error", F, 0, "Name lookup failed",
	 "The name of the directory server could not be looked up."},
	{"tor.dirport", "tls_error", F, 0, "Encrypted connection failed",
	 "The encrypted connection to the directory server failed."},

	{"tor.bridge", "ok", P, 0, "Answered and proved who it is",
	 "The bridge answered and proved it is the bridge named in the bridge line."},
	{"tor.bridge", "identity_mismatch", F, 0, "Answered, but not as this bridge",
	 "Something answered at the bridge's address but it is not the bridge in the bridge line."},
	{"tor.bridge", "not_tor", F, 0, "Something else answered",
	 "Something answered at the bridge's address but it does not speak Tor."},
	{"tor.bridge", "pt_missing", E, CF_NOTE, "Transport program not installed",
	 "The helper program for this kind of bridge (a pluggable transport) is not installed here."},
	{"tor.bridge", "pt_error", E, 0, "Transport program failed",
	 "The pluggable transport program failed."},
	{"tor.bridge", "handshake_failed", F, 0, "Disguised handshake failed",
	 "The bridge's disguised handshake did not complete."},
	{"tor.bridge", "timeout", F, CF_REDUNDANT, "No answer in time",
	 "The bridge did not answer in time; the traffic may be silently dropped."},
	{"tor.bridge", "refused", F, CF_REDUNDANT, "Connection refused",
	 "The connection to the bridge was refused."},
	{"tor.bridge", "reset", F, CF_REDUNDANT, "Connection cut off",
	 "The connection to the bridge was cut off part way."},
	{"tor.bridge", "eof", F, CF_REDUNDANT, "Closed too early",
	 "The bridge closed the connection before the exchange finished."},
	{"tor.bridge", "unreachable", F, CF_REDUNDANT, "Cannot be reached",
	 "There is no network route to the bridge."},
	{"tor.bridge", "unsupported_transport", E, CF_NOTE, "Kind of bridge not testable",
	 "torready cannot test this kind of bridge."},
	{"tor.bridge", "tls_error", F, 0, "Encrypted connection failed",
	 "The encrypted connection to the bridge (or to the web server in front of it) failed while being set up."},
	{"tor.bridge", "upgrade_failed", F, 0, "Tunnel not opened",
	 "The webtunnel's web server answered, but did not open the tunnel to the bridge."},
	{"tor.bridge", "broker_unreachable", F, 0, "Snowflake broker unreachable",
	 "None of the front domains of the snowflake broker could be reached, so snowflake cannot start."},
	{"tor.bridge", "stun_unreachable", F, 0, "STUN servers unreachable",
	 "None of snowflake's STUN servers answered (UDP may be blocked), so snowflake cannot reach its volunteer proxies."},
	{"tor.bridge", "dns_error", F, 0, "Name lookup failed",
	 "The name of the bridge's web server or STUN server could not be looked up."},
	{"tor.bridge", "bad_bridge_line", E, CF_NOTE, "Bridge line incomplete",
	 "The bridge line lacks what is needed to test it (such as a url=https://... address)."},
	{"tor.bridge", "proxy_error", F, 0, "Local proxy failed",
	 "The pluggable transport's local proxy failed while connecting."},
	{"tor.bridge", "proxy_failed", F, 0, "Transport could not reach the bridge",
	 "The pluggable transport could not open a connection to the bridge."},

	{"tor.bootstrap", "ok", P, 0, "Connected to Tor",
	 "Tor started and fully connected to the Tor network."},
	{"tor.bootstrap", "stuck", F, 0, "Got stuck while connecting",
	 "Tor started but stopped making progress while connecting."},
	{"tor.bootstrap", "tor_missing", E, CF_NOTE, "Tor not installed",
	 "The Tor program is not installed here, so a real connection was not tried."},
	{"tor.bootstrap", "timeout", W|F, 0, "Still connecting when time ran out",
	 "Tor did not finish connecting before the time ran out."},
	{"tor.bootstrap", "tor_failed", E, 0, "Tor could not run",
	 "Tor could not be run here (it exited, or its control port failed)."},
	{"tor.bootstrap", "pt_missing", E, CF_NOTE, "Transport program not installed",
	 "The helper program for this kind of bridge (a pluggable transport) is not installed, so Tor could not try it."},

	{"https.redirect", "ok", P, 0, "Sends visitors to HTTPS",
	 "The http:// address sends visitors to https:// on the same site."},
	{"https.redirect", "no_redirect", F, 0, "No redirect to HTTPS",
	 "The http:// address does not send visitors to https://."},
	{"https.redirect", "redirect_insecure", F|W, 0, "Redirect does not reach HTTPS",
	 "The http:// address redirects, but not to an https:// address."},
	{"https.redirect", "redirect_other_host_first", W, 0, "Redirects to another host first",
	 "The first redirect goes to another host instead of https:// on the same host."},
	{"https.redirect", "no_http", P, 0, "No plain-http site",
	 "The site does not answer on plain http:// at all."},
	{"https.redirect", "too_many_redirects", F, 0, "Endless redirects",
	 "The http:// address keeps redirecting (more than 10 times)."},
	{"https.redirect", "unreachable", E, 0, "Could not be reached",
	 "The site's http:// address could not be reached, so it was not checked."},

	{"https.hsts", "ok", P, 0, "Always-HTTPS header present",
	 "The site tells browsers to always use HTTPS, for at least six months."},
	{"https.hsts", "missing", F|W, 0, "No always-HTTPS header",
	 "The site does not tell browsers to always use HTTPS (no HSTS header)."},
	{"https.hsts", "invalid", F, 0, "Always-HTTPS header malformed",
	 "The site's HSTS header is malformed, so browsers ignore it."},
	{"https.hsts", "multiple_headers", W, 0, "Several always-HTTPS headers",
	 "The site sends more than one HSTS header; browsers use only the first."},
	{"https.hsts", "max_age_below_6_months", F|W, 0, "Always-HTTPS promise too short",
	 "The site's HSTS promise lasts less than six months."},
	{"https.hsts", "invalid_cert", F, 0, "Header ignored: bad certificate",
	 "Browsers ignore the site's HSTS header because its certificate is not valid."},
	{"https.hsts", "unreachable", E, 0, "Could not be reached",
	 "The site could not be reached, so its HSTS header was not checked."},
	{"https.hsts", "tls_error", F|E, 0, "Secure connection failed",
	 "The secure connection to the site failed, so its HSTS header was not checked."},

	{"https.preload", "ok", P, 0, "Meets the preload rules",
	 "The site meets the rules of the HSTS preload list."},
	{"https.preload", "max_age_below_1_year", W|S, 0, "Promise shorter than a year",
	 "For the preload list, the HSTS promise must last at least one year."},
	{"https.preload", "include_sub_domains_missing", W|S, 0, "Subdomains not covered",
	 "For the preload list, the HSTS header must cover all subdomains."},
	{"https.preload", "preload_missing", W|S, 0, "Does not ask to be preloaded",
	 "The HSTS header does not ask to be preloaded."},
	{"https.preload", "redirect_not_https_same_host", W|S, 0, "First redirect not to HTTPS on the same host",
	 "For the preload list, http:// must first redirect to https:// on the same host."},
	{"https.preload", "invalid_cert", W|S, 0, "Certificate not valid",
	 "The preload list needs a valid certificate, and this one is not."},
	{"https.preload", "no_hsts", W|S, 0, "No single valid always-HTTPS header",
	 "For the preload list, the site must send exactly one valid HSTS header."},
	{"https.preload", "unreachable", E, 0, "Could not be reached",
	 "The site could not be reached, so preloading was not checked."},
	{"https.preload", "tls_error", F|E, 0, "Secure connection failed",
	 "The secure connection to the site failed, so preloading was not checked."},

	{"https.tls", "ok", P, 0, "Current TLS versions only",
	 "The site offers current TLS versions and no outdated ones."},
	{"https.tls", "tls10_offered", W, 0, "Still offers TLS 1.0",
	 "The site still accepts TLS 1.0, which is outdated and unsafe."},
	{"https.tls", "tls11_offered", W, 0, "Still offers TLS 1.1",
	 "The site still accepts TLS 1.1, which is outdated and unsafe."},
	{"https.tls", "no_tls13", W, 0, "No TLS 1.3",
	 "The site does not offer TLS 1.3, the current version."},
	{"https.tls", "no_tls12", F|W, 0, "No TLS 1.2",
	 "The site does not offer TLS 1.2, which many browsers need."},
	{"https.tls", "unreachable", E, 0, "Could not be reached",
	 "The site could not be reached, so its TLS versions were not checked."},
	{"https.tls", "tls_error", F|E, 0, "No secure connection at all",
	 "No secure connection could be set up with the site in any TLS version."},

	{"https.cert", "ok", P, 0, "Valid and trusted",
	 "The certificate is valid, trusted and made for this site's name."},
	{"https.cert", "expired", F|W, 0, "Expired",
	 "The certificate has expired."},
	{"https.cert", "not_yet_valid", F|W, 0, "Not valid yet",
	 "The certificate is not valid yet (or this machine's clock is wrong)."},
	{"https.cert", "expiring_soon", F|W, 0, "Expires soon",
	 "The certificate expires soon."},
	{"https.cert", "hostname_mismatch", F|W, 0, "Made for another name",
	 "The certificate was made for a different name than this site's."},
	{"https.cert", "self_signed", F|W, 0, "Self-signed",
	 "The certificate is signed by itself, so nobody vouches for it."},
	{"https.cert", "untrusted_root", F|W, 0, "Untrusted authority",
	 "The certificate comes from an authority this machine does not trust."},
	{"https.cert", "incomplete_chain", F|W, 0, "Chain incomplete",
	 "The server does not send the in-between certificates that many programs need."},
	{"https.cert", "sha1_signature", F|W, 0, "Signed with SHA-1",
	 "The certificate is signed with SHA-1, which is broken."},
	{"https.cert", "lifetime_too_long", F|W, 0, "Valid for too long",
	 "The certificate is valid for longer than browsers accept today."},
	{"https.cert", "weak_key", F|W, 0, "Key too small",
	 "The certificate's key is too small to be safe (RSA under 2048 bits)."},
	{"https.cert", "invalid", F|W, 0, "Does not check out",
	 "The certificate does not check out for another reason (see the evidence)."},
	{"https.cert", "unreachable", E, 0, "Could not be reached",
	 "The site could not be reached, so its certificate was not checked."},
	{"https.cert", "tls_error", F|E, 0, "Secure connection failed",
	 "The secure connection to the site failed before a certificate was seen."},

	{"https.mixed", "ok", P, 0, "Everything over HTTPS",
	 "The page loads all its parts over HTTPS."},
	{"https.mixed", "mixed_active", F, 0, "Scripts over plain http",
	 "The page loads scripts or similar parts over plain http://; browsers block them."},
	{"https.mixed", "mixed_passive", W, 0, "Images or media over plain http",
	 "The page loads images or media over plain http://."},
	{"https.mixed", "no_page", S, 0, "No page to check",
	 "There was no HTML page over HTTPS to check (a redirect to http://, an error, or not HTML)."},
	{"https.mixed", "unreachable", E, 0, "Could not be reached",
	 "The site could not be reached, so its page was not checked."},
	{"https.mixed", "tls_error", F|E, 0, "Secure connection failed",
	 "The secure connection to the site failed, so its page was not checked."},

	{"https.client", "ok", P, 0, "Refuses bad certificates",
	 "This machine's HTTPS software refused a bad certificate, as it should."},
	{"https.client", "accepts_bad_cert", F, CF_INTERCEPT, "Accepts a bad certificate",
	 "This machine's HTTPS software accepted a certificate it should have refused."},
	{"https.client", "unreachable", E, 0, "Test site unreachable",
	 "The test site could not be reached, so this was not checked."},
	{"https.client", "tls_error", E, 0, "Connection to the test site failed",
	 "The connection to the test site failed before its certificate was checked."},
	{"https.client", "timeout", F|E, 0, "Test site did not answer",
	 "The test site did not answer in time, so this was not checked."},

	{"tls.intercept", "ok", P, 0, "Real certificate",
	 "The certificate seen here matches what the real server sends."},
	{"tls.intercept", "pin_mismatch", F|W, CF_INTERCEPT, "Not the known certificate",
	 "The certificate seen here is not the one this server is known to use."},
	{"tls.intercept", "issuer_unexpected", F|W, CF_INTERCEPT, "Unexpected issuer",
	 "The certificate was issued by someone other than this site's usual authority."},
	{"tls.intercept", "no_scts", F|W, CF_INTERCEPT, "No public-log proofs",
	 "The certificate lacks the public-log proofs that public certificates carry."},
	{"tls.intercept", "spki_reused", F|W, CF_INTERCEPT, "Same key on unrelated sites",
	 "Unrelated sites showed the same key, a sign of an inspection box."},
	{"tls.intercept", "leaf_key_is_ca_key", F|W, CF_INTERCEPT, "Certificate made on the fly",
	 "The site's key is also its issuer's key, a sign of a certificate made on the fly."},
	{"tls.intercept", "local_root", F|W, CF_INTERCEPT, "Leads to a locally added root",
	 "The certificate leads to a root added on this machine, not a public one."},
	{"tls.intercept", "vantage_mismatch", F|W, CF_INTERCEPT, "Differs from the one seen through Tor",
	 "The certificate seen directly differs from the one seen through Tor."},
	{"tls.intercept", "refused", E, 0, "Connection refused",
	 "The site refused the connection, so its certificate could not be checked."},
	{"tls.intercept", "unreachable", E, 0, "Could not be reached",
	 "The site could not be reached, so its certificate could not be checked."},
	{"tls.intercept", "tls_error", E, 0, "Secure connection failed",
	 "The encrypted connection to the site failed, so its certificate could not be checked."},
	{"tls.intercept", "timeout", F|E, 0, "No answer in time",
	 "The site did not answer in time, so its certificate could not be checked."},
	{"tls.intercept", "eof", E, 0, "Closed too early",
	 "The site closed the connection early, so its certificate could not be checked."},
	{"tls.intercept", "proxy_error", E, 0, "Tor proxy failed",
	 "The Tor SOCKS proxy used as a second vantage point failed."},

	{"tls.truststore", "ok", P, 0, "Only the public roots",
	 "This machine trusts only the public certificate authorities it shipped with."},
	{"tls.truststore", "local_roots", W, 0, "Extra roots added",
	 "Extra root certificates were added to this machine (often by an employer or security software)."},
	{"tls.truststore", "unsupported", E|S, CF_NOTE, "Cannot be read here",
	 "This system does not keep its trusted roots in a layout torready can read yet."},
	{"tls.truststore", "unreadable", E, 0, "Trust store could not be read",
	 "Part of the trust store exists but could not be read, so which roots this machine trusts is unknown."},

	{"mail.tls", "ok", P, 0, "Encryption works",
	 "The mail server offers encryption (STARTTLS) and it works."},
	{"mail.tls", "no_starttls", F, 0, "No encryption offered",
	 "The mail server does not offer encryption (no STARTTLS)."},
	{"mail.tls", "tls_error", F|E, 0, "Encryption failed",
	 "The mail server offers encryption but setting it up failed."},
	{"mail.tls", "timeout", F, 0, "No answer in time",
	 "The mail server did not answer in time."},
	{"mail.tls", "refused", F, 0, "Connection refused",
	 "The connection to the mail server was refused."},
	{"mail.tls", "unreachable", F, 0, "Cannot be reached",
	 "The mail server cannot be reached from here."},
	{"mail.tls", "not_smtp", F, 0, "Not a mail server",
	 "Something answered at the mail server's address but it does not speak the mail protocol."},
	{"mail.tls", "expired", F, 0, "Certificate expired",
	 "The mail server's certificate has expired."},
	{"mail.tls", "not_yet_valid", F, 0, "Certificate not valid yet",
	 "The mail server's certificate is not valid yet (or this machine's clock is wrong)."},
	{"mail.tls", "hostname_mismatch", F, 0, "Certificate for another name",
	 "The mail server's certificate was made for a different name."},
	{"mail.tls", "self_signed", F, 0, "Certificate self-signed",
	 "The mail server's certificate is signed by itself, so nobody vouches for it."},
	{"mail.tls", "untrusted_root", F, 0, "Certificate from an untrusted authority",
	 "The mail server's certificate comes from an authority this machine does not trust."},
	{"mail.tls", "incomplete_chain", F, 0, "Certificate chain incomplete",
	 "The mail server does not send the in-between certificates needed to check its certificate."},
	{"mail.tls", "cert_error", F, 0, "Certificate does not check out",
	 "The mail server's certificate does not check out."},



	/* The engine may end any job this way (deadline, signal, slot never filled). */
	{"*", "timeout", F|E, 0, "Did not finish in time",
	 "The test did not finish before the time ran out."},
	{"*", "interrupted", E, 0, "Stopped before it finished",
	 "The run was stopped before this test finished."},
	{"*", "local_resource", E, CF_NOTE, "This machine ran out of resources",
	 "This machine ran out of something it needs (open files, memory), so the test could not be made; it says nothing about the network."},
	{"*", "not_run", E, CF_NOTE, "Did not run",
	 "This test did not run (for example, it was still waiting for its turn behind the other tests when the time ran out)."},

	{"pins.capture", "ok", P, 0, "Recorded", "The server's chain was recorded."},
	{"pins.capture", "timeout", F, 0, "No answer in time", "The server did not answer in time."},
	{"pins.capture", "tls_error", F|E, 0, "Secure connection failed", "The secure connection to the server failed."},
	{"pins.capture", "refused", F, 0, "Connection refused", "The connection to the server was refused."},
	{"pins.capture", "unreachable", F, 0, "Cannot be reached", "The server cannot be reached from here."},
	{"pins.capture", "eof", F, 0, "Closed too early", "The server closed the connection before its chain was seen."},
	{"pins.capture", "proxy_error", F, 0, "Proxy failed", "The proxy on the way to the server failed."},
};

#undef P
#undef W
#undef F
#undef E
#undef S
#define NPROBES (sizeof probes / sizeof probes[0])
#define NCODES (sizeof codes / sizeof codes[0])
#define NFAMILIES (sizeof families / sizeof families[0])

static int internal(const char *probe)
{
	const struct probe_info *p = codes_probe(probe);
	return p && (p->flags & PF_INTERNAL);
}

/* Internal entries come last in both tables: the public ones are a prefix. */
size_t codes_count(void)
{
	/* The tables are constant: count once (renderers ask per code, per article, per page). */
	static size_t n = (size_t)-1;
	if (n != (size_t)-1)
		return n;
	size_t k = 0;
	while (k < NCODES && !internal(codes[k].probe))
		k++;
	return n = k;
}

const struct code_info *codes_at(size_t i)
{
	return i < codes_count() ? &codes[i] : NULL;
}

size_t codes_probe_count(void)
{
	size_t n = 0;
	while (n < NPROBES && !(probes[n].flags & PF_INTERNAL))
		n++;
	return n;
}

const struct probe_info *codes_probe_at(size_t i)
{
	return i < codes_probe_count() ? &probes[i] : NULL;
}

const struct probe_info *codes_probe(const char *id)
{
	for (size_t i = 0; id && i < NPROBES; i++)
		if (!strcmp(id, probes[i].id))
			return &probes[i];
	return NULL;
}

const char *codes_probe_title(const char *id)
{
	const struct probe_info *p = codes_probe(id);
	return p ? p->title : NULL;
}

int codes_is_family(const char *s)
{
	for (size_t i = 0; s && i < NFAMILIES; i++)
		if (!strcmp(s, families[i]))
			return 1;
	return 0;
}

int codes_probe_known(const char *s)
{
	const struct probe_info *p = codes_probe(s);
	return s && (codes_is_family(s) || (p && !(p->flags & PF_INTERNAL)));
}

int codes_probe_matches(const char *sel, const char *probe)
{
	if (!sel || !probe)
		return 0;
	if (!strcmp(sel, probe))
		return 1;
	size_t n = strlen(sel);
	return codes_is_family(sel) && !strncmp(probe, sel, n) && probe[n] == '.';
}

const struct code_info *codes_find(const char *probe, const char *code)
{
	if (!probe || !code)
		return NULL;
	const struct code_info *generic = NULL;
	for (size_t i = 0; i < NCODES; i++) {
		if (strcmp(codes[i].code, code))
			continue;
		if (!strcmp(codes[i].probe, probe))
			return &codes[i];
		if (!strcmp(codes[i].probe, "*"))
			generic = &codes[i];
	}
	return codes_probe(probe) ? generic : NULL;
}

int codes_allowed(const char *probe, enum status st, const char *code)
{
	const struct code_info *ci = codes_find(probe, code);
	return ci && st < ST_COUNT && (ci->statuses & (1u << st));
}

int codes_code_known(const char *sel, const char *code)
{
	if (!codes_probe_known(sel) || !code)
		return 0;
	for (size_t i = 0; i < NCODES; i++) {
		if (strcmp(codes[i].code, code))
			continue;
		if (!strcmp(codes[i].probe, "*") || codes_probe_matches(sel, codes[i].probe))
			return 1;
	}
	return 0;
}
