/* codes.h: the probe ids and their stable result codes (../shared/spec/results.md), each with
 * one plain-English line — what kb conditions may name and what docs list. */
#ifndef TORREADY_CODES_H
#define TORREADY_CODES_H

#include <stddef.h>

struct code_info {
	const char *probe;     /* "tor.dirauth"; "*" for codes any probe may end with */
	const char *code;      /* "identity_mismatch" */
	const char *meaning;   /* one line for people */
};

struct probe_info {
	const char *id;        /* "tor.dirauth" */
	const char *checks;    /* what it checks, in plain words */
};

/* The code of a probe (exact id), falling back to the codes any probe may end with
 * (timeout, interrupted, not_run); NULL when unknown. */
const struct code_info *codes_find(const char *probe, const char *code);

/* 1 for a known probe id ("tor.dirauth") or family ("tor"), else 0. */
int codes_probe_known(const char *probe_or_family);
/* 1 when s is a family name: net, tor, https, tls, mail. */
int codes_is_family(const char *s);
/* 1 when probe (an id from a result) is sel itself or belongs to the family sel. */
int codes_probe_matches(const char *sel, const char *probe);
/* 1 when code is valid for the probe id, or for at least one probe of the family. */
int codes_code_known(const char *probe_or_family, const char *code);

/* Iteration for docs and messages, in table order (grouped by probe; "*" rows last). */
size_t codes_count(void);
const struct code_info *codes_at(size_t i);
size_t codes_probe_count(void);
const struct probe_info *codes_probe_at(size_t i);

#endif
