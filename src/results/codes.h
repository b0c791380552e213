/* codes.h: the probe catalog — the one place that says what each probe is (its id, family,
 * title and question) and every result code it may end with: the statuses that code comes
 * with, a short plain-language label, one line of meaning, and what the verdict makes of it.
 * The registry, the renderers, the usage text, kb conditions and the verdict rules all read
 * it; job_finish checks codes against it (TORREADY_CHECK_CODES=1, set by the test runner). */
#ifndef TORREADY_CODES_H
#define TORREADY_CODES_H

#include <stddef.h>

#include "results.h"

/* Which statuses a code comes with: a set of (1u << ST_...). More than one bit = it varies
 * (e.g. a certificate problem is a fail or, for the milder ones, a warn). */
#define CS_PASS (1u << ST_PASS)
#define CS_WARN (1u << ST_WARN)
#define CS_FAIL (1u << ST_FAIL)
#define CS_ERROR (1u << ST_ERROR)
#define CS_SKIP (1u << ST_SKIP)

/* What the verdict (verdict.c) makes of a code. */
enum code_flags {
	CF_OFFLINE = 1,     /* this machine is offline: nothing else can be judged */
	CF_INTERCEPT = 2,   /* as a fail: someone can read this machine's HTTPS */
	CF_NOTE = 4,        /* a setup note (a program not installed...), not a problem on its own */
	CF_REDUNDANT = 8,   /* one way into Tor not answering: no problem while another way works
			     * (a few authorities are often down; IPv6 ones on an IPv4 network) */
};

/* What the verdict makes of a probe. */
enum probe_flags {
	PF_TOR_DIRECT = 1,      /* a direct way into Tor (the authorities) */
	PF_TOR_BOOTSTRAP = 2,   /* a real tor connecting: directly (name "direct") or by bridge */
	PF_TOR_BRIDGE = 4,      /* a bridge answering */
	PF_INTERNAL = 8,        /* a job id of a command (pins capture), never in results */
	PF_LOCAL = 16,          /* its answer holds without a network (offline keeps its advice) */
	PF_SITE = 32,           /* a site's own setup, seen through this network: where HTTPS is
				 * intercepted the box answers for the site, so it says nothing */
};

struct code_info {
	const char *probe;     /* "tor.dirauth"; "*" for codes any probe may end with */
	const char *code;      /* "identity_mismatch" */
	unsigned statuses;     /* CS_* */
	unsigned flags;        /* CF_* */
	const char *label;     /* a few words for people: "Answered, but not as itself" */
	const char *meaning;   /* one line for people */
};

struct probe_info {
	const char *id;        /* "tor.dirauth" */
	const char *family;    /* "tor" */
	const char *title;     /* a heading for people: "Tor directory authorities" */
	const char *checks;    /* what it checks, in plain words (usage text, docs) */
	unsigned flags;        /* PF_* */
};

/* The code of a probe (exact id), falling back to the codes any probe may end with
 * (timeout, interrupted, not_run); NULL when unknown. */
const struct code_info *codes_find(const char *probe, const char *code);
/* The catalog entry of a probe id, or NULL (families are not entries). */
const struct probe_info *codes_probe(const char *id);
/* Its title, or NULL for a probe the catalog does not know. */
const char *codes_probe_title(const char *id);
/* 1 when the catalog knows the code for this probe and it may come with this status. */
int codes_allowed(const char *probe, enum status st, const char *code);

/* 1 for a known probe id ("tor.dirauth") or family ("tor"), else 0. Internal ids too. */
int codes_probe_known(const char *probe_or_family);
/* 1 when s is a family name: net, tor, https, tls, mail. */
int codes_is_family(const char *s);
/* 1 when probe (an id from a result) is sel itself or belongs to the family sel. */
int codes_probe_matches(const char *sel, const char *probe);
/* 1 when code is valid for the probe id, or for at least one probe of the family. */
int codes_code_known(const char *probe_or_family, const char *code);

/* Iteration for docs and messages, in table order (grouped by probe; "*" rows last).
 * Internal probes (PF_INTERNAL) and their codes are left out. */
size_t codes_count(void);
const struct code_info *codes_at(size_t i);
size_t codes_probe_count(void);
const struct probe_info *codes_probe_at(size_t i);

#endif
