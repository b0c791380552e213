/* tor_link.h: the Tor link handshake as a job — TCP, TLS, VERSIONS, CERTS, NETINFO — proving
 * a relay's identity. Shared by tor.dirauth and tor.bridge; the handshake logic itself is
 * transport-independent (tor_link_feed) so tunnels (obfs4, webtunnel) can reuse it. */
#ifndef TORREADY_TOR_LINK_H
#define TORREADY_TOR_LINK_H

#include "engine.h"
#include "targets.h"

/* Adds a job that connects to ep and proves the relay's identity is expected_fp
 * (40 upper-hex chars). */
struct job *tor_link_job(struct engine *eng, const char *probe, const char *target,
			 const char *name, const struct endpoint *ep, const char *expected_fp);

#endif
