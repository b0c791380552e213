/* tor_link.h: the Tor link handshake as a job — VERSIONS, CERTS, NETINFO inside TLS —
 * proving a relay's identity. The handshake does not care how its TLS stream is carried; a
 * route says that: straight TCP (vanilla bridges, directory authorities), through the run's
 * pluggable-transport process over SOCKS5 (obfs4), or inside an HTTPS connection upgraded
 * by a webtunnel server (TLS inside TLS). Shared by tor.dirauth and tor.bridge. */
#ifndef TORREADY_TOR_LINK_H
#define TORREADY_TOR_LINK_H

#include "engine.h"
#include "targets.h"

struct tor_pt;

enum tor_link_route { TOR_LINK_DIRECT, TOR_LINK_PT, TOR_LINK_WEBTUNNEL };

struct tor_link_params {
	const char *probe, *target, *name;
	enum tor_link_route route;
	struct endpoint ep;            /* DIRECT: the relay; PT: the bridge (the SOCKS target) */
	const char *expected_fp;       /* 40 upper-hex chars, or "" to accept any relay */
	/* PT: the bridge line (its k=v arguments go to the PT) and the run's PT process. */
	const struct bridge *bridge;
	struct tor_pt *pt;
	/* WEBTUNNEL: where the url= points; connect to url_host (resolve entries apply) with
	 * SNI sni and the certificate verified for url_host, then GET url_path with Upgrade. */
	const struct targets *t;
	const char *url_host, *url_path, *sni;
	int url_port;
};

/* Adds a job that connects directly to ep and proves the relay's identity is expected_fp. */
struct job *tor_link_job(struct engine *eng, const char *probe, const char *target,
			 const char *name, const struct endpoint *ep, const char *expected_fp);
/* The same over any route (the strings are copied). */
struct job *tor_link_job_route(struct engine *eng, const struct tor_link_params *p);

#endif
