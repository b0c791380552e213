/* codes.c: the table of probe ids and result codes with their plain-English meanings. */
#include "codes.h"

#include <string.h>

static const struct probe_info probes[] = {
	{"net.baseline", "whether this machine can reach the internet at all"},
	{"tor.dirauth", "whether a Tor directory authority answers and proves who it is"},
	{"tor.dirport", "whether a directory authority's web-style directory port answers"},
	{"tor.bridge", "whether a Tor bridge answers and proves who it is"},
	{"tor.bootstrap", "whether a real Tor program can connect to the Tor network"},
	{"https.redirect", "whether a site's http:// address sends visitors to https://"},
	{"https.hsts", "whether a site tells browsers to always use HTTPS (HSTS)"},
	{"https.preload", "whether a site meets the rules of the HSTS preload list"},
	{"https.tls", "which TLS versions a site offers"},
	{"https.cert", "whether a site's certificate is valid, trusted and for that name"},
	{"https.mixed", "whether a secure page loads parts of itself over plain http://"},
	{"https.client", "whether this machine's HTTPS software refuses a bad certificate"},
	{"tls.intercept", "whether something on the network swaps in its own certificates"},
	{"tls.truststore", "whether extra root certificates were added to this machine"},
	{"mail.tls", "whether a mail server offers working encryption (STARTTLS)"},
};

static const char *const families[] = {"net", "tor", "https", "tls", "mail"};

static const struct code_info codes[] = {
	{"net.baseline", "ok", "This machine reached the internet."},
	{"net.baseline", "offline", "This machine could not reach the internet, so other tests say little."},

	{"tor.dirauth", "ok", "A Tor directory authority answered and proved it is the real one."},
	{"tor.dirauth", "identity_mismatch", "Something answered at the authority's address but could not prove it is that authority."},
	{"tor.dirauth", "not_tor", "Something answered at the authority's address but it does not speak Tor."},
	{"tor.dirauth", "tls_error", "The encrypted connection to the authority failed while being set up."},
	{"tor.dirauth", "timeout", "The authority did not answer in time; the traffic may be silently dropped."},
	{"tor.dirauth", "refused", "The connection to the authority was refused."},
	{"tor.dirauth", "reset", "The connection to the authority was cut off part way."},
	{"tor.dirauth", "eof", "The authority closed the connection before the exchange finished."},
	{"tor.dirauth", "unreachable", "There is no network route to the authority."},

	{"tor.dirport", "ok", "The authority's directory port answered."},
	{"tor.dirport", "http_status", "The directory port answered with an error instead of the directory."},
	{"tor.dirport", "timeout", "The directory port did not answer in time."},
	{"tor.dirport", "refused", "The connection to the directory port was refused."},
	{"tor.dirport", "reset", "The connection to the directory port was cut off part way."},
	{"tor.dirport", "eof", "The directory port closed the connection before answering."},
	{"tor.dirport", "unreachable", "There is no network route to the directory port."},
	{"tor.dirport", "not_tor", "Something answered at the directory port, but not with a Tor directory document (a captive portal or filter, perhaps)."},
	{"tor.dirport", "identity_mismatch", "The directory port served the descriptor of a different relay than the authority expected."},

	{"tor.bridge", "ok", "The bridge answered and proved it is the bridge named in the bridge line."},
	{"tor.bridge", "identity_mismatch", "Something answered at the bridge's address but it is not the bridge in the bridge line."},
	{"tor.bridge", "not_tor", "Something answered at the bridge's address but it does not speak Tor."},
	{"tor.bridge", "pt_missing", "The helper program for this kind of bridge (a pluggable transport) is not installed here."},
	{"tor.bridge", "pt_error", "The pluggable transport program failed."},
	{"tor.bridge", "handshake_failed", "The bridge's disguised handshake did not complete."},
	{"tor.bridge", "timeout", "The bridge did not answer in time; the traffic may be silently dropped."},
	{"tor.bridge", "refused", "The connection to the bridge was refused."},
	{"tor.bridge", "reset", "The connection to the bridge was cut off part way."},
	{"tor.bridge", "eof", "The bridge closed the connection before the exchange finished."},
	{"tor.bridge", "unreachable", "There is no network route to the bridge."},
	{"tor.bridge", "unsupported_transport", "torready cannot test this kind of bridge."},
	{"tor.bridge", "tls_error", "The encrypted connection to the bridge (or to the web server in front of it) failed while being set up."},
	{"tor.bridge", "upgrade_failed", "The webtunnel's web server answered, but did not open the tunnel to the bridge."},
	{"tor.bridge", "broker_unreachable", "None of the front domains of the snowflake broker could be reached, so snowflake cannot start."},
	{"tor.bridge", "stun_unreachable", "None of snowflake's STUN servers answered (UDP may be blocked), so snowflake cannot reach its volunteer proxies."},
	{"tor.bridge", "dns_error", "The name of the bridge's web server or STUN server could not be looked up."},
	{"tor.bridge", "bad_bridge_line", "The bridge line lacks what is needed to test it (such as a url=https://... address)."},

	{"tor.bootstrap", "ok", "Tor started and fully connected to the Tor network."},
	{"tor.bootstrap", "stuck", "Tor started but stopped making progress while connecting."},
	{"tor.bootstrap", "tor_missing", "The Tor program is not installed here, so a real connection was not tried."},
	{"tor.bootstrap", "timeout", "Tor did not finish connecting before the time ran out."},
	{"tor.bootstrap", "tor_failed", "Tor could not be run here (it exited, or its control port failed)."},
	{"tor.bootstrap", "pt_missing", "The helper program for this kind of bridge (a pluggable transport) is not installed, so Tor could not try it."},

	{"https.redirect", "ok", "The http:// address sends visitors to https:// on the same site."},
	{"https.redirect", "no_redirect", "The http:// address does not send visitors to https://."},
	{"https.redirect", "redirect_insecure", "The http:// address redirects, but not to an https:// address."},
	{"https.redirect", "redirect_other_host_first", "The first redirect goes to another host instead of https:// on the same host."},
	{"https.redirect", "no_http", "The site does not answer on plain http:// at all."},
	{"https.redirect", "too_many_redirects", "The http:// address keeps redirecting (more than 10 times)."},
	{"https.redirect", "unreachable", "The site's http:// address could not be reached, so it was not checked."},

	{"https.hsts", "ok", "The site tells browsers to always use HTTPS, for at least six months."},
	{"https.hsts", "missing", "The site does not tell browsers to always use HTTPS (no HSTS header)."},
	{"https.hsts", "invalid", "The site's HSTS header is malformed, so browsers ignore it."},
	{"https.hsts", "multiple_headers", "The site sends more than one HSTS header; browsers use only the first."},
	{"https.hsts", "max_age_below_6_months", "The site's HSTS promise lasts less than six months."},
	{"https.hsts", "invalid_cert", "Browsers ignore the site's HSTS header because its certificate is not valid."},
	{"https.hsts", "unreachable", "The site could not be reached, so its HSTS header was not checked."},
	{"https.hsts", "tls_error", "The secure connection to the site failed, so its HSTS header was not checked."},

	{"https.preload", "ok", "The site meets the rules of the HSTS preload list."},
	{"https.preload", "max_age_below_1_year", "For the preload list, the HSTS promise must last at least one year."},
	{"https.preload", "include_sub_domains_missing", "For the preload list, the HSTS header must cover all subdomains."},
	{"https.preload", "preload_missing", "The HSTS header does not ask to be preloaded."},
	{"https.preload", "redirect_not_https_same_host", "For the preload list, http:// must first redirect to https:// on the same host."},
	{"https.preload", "invalid_cert", "The preload list needs a valid certificate, and this one is not."},
	{"https.preload", "no_hsts", "For the preload list, the site must send exactly one valid HSTS header."},
	{"https.preload", "unreachable", "The site could not be reached, so preloading was not checked."},
	{"https.preload", "tls_error", "The secure connection to the site failed, so preloading was not checked."},

	{"https.tls", "ok", "The site offers current TLS versions and no outdated ones."},
	{"https.tls", "tls10_offered", "The site still accepts TLS 1.0, which is outdated and unsafe."},
	{"https.tls", "tls11_offered", "The site still accepts TLS 1.1, which is outdated and unsafe."},
	{"https.tls", "no_tls13", "The site does not offer TLS 1.3, the current version."},
	{"https.tls", "no_tls12", "The site does not offer TLS 1.2, which many browsers need."},
	{"https.tls", "unreachable", "The site could not be reached, so its TLS versions were not checked."},
	{"https.tls", "tls_error", "No secure connection could be set up with the site in any TLS version."},

	{"https.cert", "ok", "The certificate is valid, trusted and made for this site's name."},
	{"https.cert", "expired", "The certificate has expired."},
	{"https.cert", "not_yet_valid", "The certificate is not valid yet (or this machine's clock is wrong)."},
	{"https.cert", "expiring_soon", "The certificate expires soon."},
	{"https.cert", "hostname_mismatch", "The certificate was made for a different name than this site's."},
	{"https.cert", "self_signed", "The certificate is signed by itself, so nobody vouches for it."},
	{"https.cert", "untrusted_root", "The certificate comes from an authority this machine does not trust."},
	{"https.cert", "incomplete_chain", "The server does not send the in-between certificates that many programs need."},
	{"https.cert", "sha1_signature", "The certificate is signed with SHA-1, which is broken."},
	{"https.cert", "lifetime_too_long", "The certificate is valid for longer than browsers accept today."},
	{"https.cert", "weak_key", "The certificate's key is too small to be safe (RSA under 2048 bits)."},
	{"https.cert", "invalid", "The certificate does not check out for another reason (see the evidence)."},
	{"https.cert", "unreachable", "The site could not be reached, so its certificate was not checked."},
	{"https.cert", "tls_error", "The secure connection to the site failed before a certificate was seen."},

	{"https.mixed", "ok", "The page loads all its parts over HTTPS."},
	{"https.mixed", "mixed_active", "The page loads scripts or similar parts over plain http://; browsers block them."},
	{"https.mixed", "mixed_passive", "The page loads images or media over plain http://."},
	{"https.mixed", "no_page", "There was no HTML page over HTTPS to check (a redirect to http://, an error, or not HTML)."},
	{"https.mixed", "unreachable", "The site could not be reached, so its page was not checked."},
	{"https.mixed", "tls_error", "The secure connection to the site failed, so its page was not checked."},

	{"https.client", "ok", "This machine's HTTPS software refused a bad certificate, as it should."},
	{"https.client", "accepts_bad_cert", "This machine's HTTPS software accepted a certificate it should have refused."},
	{"https.client", "unreachable", "The test site could not be reached, so this was not checked."},
	{"https.client", "tls_error", "The connection to the test site failed before its certificate was checked."},

	{"tls.intercept", "ok", "The certificate seen here matches what the real server sends."},
	{"tls.intercept", "pin_mismatch", "The certificate seen here is not the one this server is known to use."},
	{"tls.intercept", "issuer_unexpected", "The certificate was issued by someone other than this site's usual authority."},
	{"tls.intercept", "no_scts", "The certificate lacks the public-log proofs that public certificates carry."},
	{"tls.intercept", "spki_reused", "Unrelated sites showed the same key, a sign of an inspection box."},
	{"tls.intercept", "leaf_key_is_ca_key", "The site's key is also its issuer's key, a sign of a certificate made on the fly."},
	{"tls.intercept", "local_root", "The certificate leads to a root added on this machine, not a public one."},
	{"tls.intercept", "vantage_mismatch", "The certificate seen directly differs from the one seen through Tor."},
	{"tls.intercept", "refused", "The site refused the connection, so its certificate could not be checked."},
	{"tls.intercept", "unreachable", "The site could not be reached, so its certificate could not be checked."},
	{"tls.intercept", "tls_error", "The encrypted connection to the site failed, so its certificate could not be checked."},

	{"tls.truststore", "ok", "This machine trusts only the public certificate authorities it shipped with."},
	{"tls.truststore", "local_roots", "Extra root certificates were added to this machine (often by an employer or security software)."},
	{"tls.truststore", "unsupported", "This system does not keep its trusted roots in a layout torready can read yet."},

	{"mail.tls", "ok", "The mail server offers encryption (STARTTLS) and it works."},
	{"mail.tls", "no_starttls", "The mail server does not offer encryption (no STARTTLS)."},
	{"mail.tls", "tls_error", "The mail server offers encryption but setting it up failed."},
	{"mail.tls", "timeout", "The mail server did not answer in time."},
	{"mail.tls", "refused", "The connection to the mail server was refused."},
	{"mail.tls", "unreachable", "The mail server cannot be reached from here."},
	{"mail.tls", "not_smtp", "Something answered at the mail server's address but it does not speak the mail protocol."},
	{"mail.tls", "expired", "The mail server's certificate has expired."},
	{"mail.tls", "not_yet_valid", "The mail server's certificate is not valid yet (or this machine's clock is wrong)."},
	{"mail.tls", "hostname_mismatch", "The mail server's certificate was made for a different name."},
	{"mail.tls", "self_signed", "The mail server's certificate is signed by itself, so nobody vouches for it."},
	{"mail.tls", "untrusted_root", "The mail server's certificate comes from an authority this machine does not trust."},
	{"mail.tls", "incomplete_chain", "The mail server does not send the in-between certificates needed to check its certificate."},
	{"mail.tls", "cert_error", "The mail server's certificate does not check out."},

	/* The engine may end any job this way (deadline, signal, slot never filled). */
	{"*", "timeout", "The test did not finish before the time ran out."},
	{"*", "interrupted", "The run was stopped before this test finished."},
	{"*", "not_run", "This test did not run."},
};

#define NPROBES (sizeof probes / sizeof probes[0])
#define NCODES (sizeof codes / sizeof codes[0])
#define NFAMILIES (sizeof families / sizeof families[0])

size_t codes_count(void)
{
	return NCODES;
}

const struct code_info *codes_at(size_t i)
{
	return i < NCODES ? &codes[i] : NULL;
}

size_t codes_probe_count(void)
{
	return NPROBES;
}

const struct probe_info *codes_probe_at(size_t i)
{
	return i < NPROBES ? &probes[i] : NULL;
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
	if (!s)
		return 0;
	if (codes_is_family(s))
		return 1;
	for (size_t i = 0; i < NPROBES; i++)
		if (!strcmp(s, probes[i].id))
			return 1;
	return 0;
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
	return codes_probe_known(probe) && !codes_is_family(probe) ? generic : NULL;
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
