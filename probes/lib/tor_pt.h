/* tor_pt.h: the one pluggable-transport client process of a run (lyrebird or obfs4proxy, or
 * the --pt or TORREADY_PT program), shared by every job that tunnels through it: started as a managed
 * transport when the first job asks, its stdout followed to CMETHODS DONE, killed and reaped
 * at the end of the run (deadline and SIGINT/SIGTERM included), its state directory removed. */
#ifndef TORREADY_TOR_PT_H
#define TORREADY_TOR_PT_H

#include "engine.h"
#include "ptproto.h"
#include "targets.h"

struct tor_pt;

/* m: the method for the transport asked for; NULL on failure, with code "pt_missing" (no PT
 * program) or "pt_error" (it failed or does not offer the transport) and detail. Called once,
 * from the loop. */
typedef void (*tor_pt_fn)(void *arg, const struct pt_method *m, const char *code, const char *detail);

/* The run's PT (made on first use, at plan time); transports lists every transport the run
 * will ask for, comma-separated ("obfs4"). */
struct tor_pt *tor_pt_get(struct engine *eng, const struct targets *t, const char *transport);
/* Asks for a transport's SOCKS address; starts the PT if it is not running yet. */
void tor_pt_want(struct tor_pt *pt, const char *transport, tor_pt_fn fn, void *arg);
/* Forgets a waiter (its callback will not run); for job cleanup. */
void tor_pt_cancel(struct tor_pt *pt, void *arg);
/* The program chosen ("" when none was found). */
const char *tor_pt_program(const struct tor_pt *pt);

/* Finds the PT program for a transport: --pt/TORREADY_PT when given, else the first of the
 * usual programs on PATH that carries it (lyrebird; obfs4proxy for obfs4 and meek_lite;
 * snowflake-client for snowflake). 0 with the path in out, -1 when none. */
int tor_pt_find(const struct targets *t, const char *transport, char *out, size_t outlen);

#endif
