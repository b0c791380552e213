/* tor_stun.h: one STUN server checked over UDP (a Binding request, retransmitted as RFC 5389
 * says, until an answer, an ICMP refusal or the owner gives up) — what snowflake needs to
 * reach its proxies. Used by the snowflake front-door check. */
#ifndef TORREADY_TOR_STUN_H
#define TORREADY_TOR_STUN_H

#include <jansson.h>

#include "engine.h"
#include "targets.h"

struct tor_stun;

/* The check ended (answered or failed); called once, from the loop. */
typedef void (*tor_stun_fn)(void *arg, struct tor_stun *s);

/* server: "stun:HOST[:PORT]" as in a snowflake line's ice= (port 3478 by default). The
 * contacted endpoint is recorded on job. */
struct tor_stun *tor_stun_start(struct engine *eng, struct job *job, const struct targets *t, const char *server,
				tor_stun_fn fn, void *arg);
int tor_stun_done(const struct tor_stun *s);
int tor_stun_answered(const struct tor_stun *s);
/* {server, answered, code?, detail?, sees_us_as?} — a new reference. */
json_t *tor_stun_evidence(const struct tor_stun *s);
/* Marks an unfinished check as "timeout" (for a verdict at the deadline). */
void tor_stun_give_up(struct tor_stun *s);
void tor_stun_free(struct tor_stun *s);

/* Splits "stun:HOST[:PORT]" (or "stuns:"... refused: TLS STUN is not checked); 0 / -1. Pure. */
int tor_stun_parse_server(const char *server, char *host, size_t hostlen, int *port);

#endif
