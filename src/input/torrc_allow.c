/* torrc_allow.c: the tor.torrc allowlist. A targets file is data that people pass around;
 * whatever it puts in tor's configuration runs with the user's rights, so only options that
 * say where the Tor network is and how this network lets a client reach it get through.
 * Everything else is refused, notably: ControlPort/ControlSocket (a control port is code
 * execution), ClientTransportPlugin (runs a program), Log ... file PATH and DataDirectory
 * (write anywhere), %include (reads any file; its first token would land in results), the
 * listeners (SocksPort, DNSPort, TransPort, NATDPort, HTTPTunnelPort: open proxies; ORPort,
 * DirPort: a relay), HiddenService*, and "+"/"/"-prefixed keys (append to or clear our own
 * options). Option names are matched whole and case-insensitively, as tor matches them. */
#include "torrc_allow.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "safetext.h"

static const char *const allowed[] = {
	/* Where the network is: a private or test network's authorities, and whether tor may
	 * fall back to the public fallback directories (tests turn that off). */
	"DirAuthority", "AlternateDirAuthority", "AlternateBridgeAuthority",
	"UseDefaultFallbackDirs", "FallbackDir",
	/* A test network (shorter timings everywhere), and the client-side download delays
	 * such a network's tests shorten; none of them opens a port or names a file. */
	"TestingTorNetwork", "TestingClientDownloadInitialDelay",
	"TestingClientConsensusDownloadInitialDelay", "TestingBridgeDownloadInitialDelay",
	"TestingBridgeBootstrapDownloadInitialDelay", "TestingClientMaxIntervalWithoutRequest",
	"TestingDirConnectionMaxStall", "ClientBootstrapConsensusAuthorityDownloadInitialDelay",
	"ClientBootstrapConsensusAuthorityOnlyDownloadInitialDelay",
	"ClientBootstrapConsensusFallbackDownloadInitialDelay",
	/* How this network lets a client out: the outgoing proxy a campus may require. These
	 * make tor connect out through the proxy; they open nothing locally. */
	"HTTPSProxy", "HTTPSProxyAuthenticator", "Socks4Proxy", "Socks5Proxy",
	"Socks5ProxyUsername", "Socks5ProxyPassword", "TCPProxy",
	/* Which ports and address families the local firewall lets through. */
	"ReachableAddresses", "ReachableORAddresses", "ReachableDirAddresses", "FascistFirewall",
	"FirewallPorts", "ClientUseIPv4", "ClientUseIPv6", "ClientPreferIPv6ORPort",
	"ClientPreferIPv6DirPort",
	/* Not UseBridges/Bridge: bridges come from the bridges: list, checked line by line. */
	NULL,
};

int torrc_bridge_line_ok(const char *line, char *why, size_t whylen)
{
	long at = text_find_control(line);
	if (at >= 0) {
		snprintf(why, whylen, "a control character (byte %ld) is not allowed in a line for tor", at + 1);
		return -1;
	}
	const char *bs = strchr(line, '\\');
	if (bs) {
		snprintf(why, whylen, "a backslash (byte %ld) is not allowed in a line for tor: tor would "
			 "join the next line to it", (long)(bs - line) + 1);
		return -1;
	}
	return 0;
}

int torrc_line_allowed(const char *line, char *why, size_t whylen)
{
	if (torrc_bridge_line_ok(line, why, whylen) < 0)
		return -1;
	const char *p = line + strspn(line, " ");
	size_t n = strcspn(p, " ");
	for (size_t i = 0; allowed[i]; i++)
		if (n == strlen(allowed[i]) && !strncasecmp(p, allowed[i], n))
			return 0;
	char key[64];
	snprintf(key, sizeof key, "%.*s", (int)(n < 60 ? n : 60), p);
	if (n == 0)
		snprintf(why, whylen, "an empty line is not a torrc option");
	else if (!strcasecmp(key, "Bridge") || !strcasecmp(key, "UseBridges"))
		snprintf(why, whylen, "tor.torrc may not set %s: list bridges under bridges:", key);
	else
		snprintf(why, whylen, "tor.torrc may not set \"%s\": only options that say where the Tor "
			 "network is and how this network reaches it are allowed (README, Security)", key);
	return -1;
}
