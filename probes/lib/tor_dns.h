/* tor_dns.h: turning a host name into an address for the Tor probes that open their own
 * sockets (webtunnel, STUN): the run's resolve entries first (--resolve, tls.resolve:
 * "HOST:PORT:ADDR", as curl takes them), then the system resolver without blocking the loop
 * (getaddrinfo_a, polled from a timer). */
#ifndef TORREADY_TOR_DNS_H
#define TORREADY_TOR_DNS_H

#include "engine.h"
#include "targets.h"

struct tor_dns;

/* ip: the address (IPv4 or IPv6 literal), or NULL with detail saying why. Called once, from
 * the loop (never from inside tor_dns_lookup); the lookup is freed when it returns, so the
 * owner forgets its pointer there and must not cancel it. */
typedef void (*tor_dns_fn)(void *arg, const char *ip, const char *detail);

/* Looks up host for port (the port selects resolve entries); socktype SOCK_STREAM or
 * SOCK_DGRAM. */
struct tor_dns *tor_dns_lookup(struct engine *eng, const struct targets *t, const char *host, int port,
			       int socktype, tor_dns_fn fn, void *arg);
/* Stops a lookup (the callback will not run) and frees it; NULL is fine. */
void tor_dns_cancel(struct tor_dns *d);

/* The address a resolve entry gives host:port, copied into out; 0 / -1 (no entry). Pure. */
int tor_dns_from_resolve(const struct strlist *resolve, const char *host, int port, char *out, size_t outlen);

#endif
