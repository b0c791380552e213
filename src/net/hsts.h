/* hsts.h: a strict parser for one Strict-Transport-Security header value (RFC 6797 §6.1),
 * pure (no allocation, no I/O) so a fuzz target can drive it directly. */
#ifndef TORREADY_HSTS_H
#define TORREADY_HSTS_H

#include <stddef.h>

/* Why a header is invalid; browsers ignore an invalid header as if it were absent. */
enum hsts_error {
	HSTS_OK = 0,
	HSTS_EMPTY,              /* no directives at all */
	HSTS_SYNTAX,             /* not token[=token|quoted-string] separated by ';' */
	HSTS_DUPLICATE,          /* a directive given twice (any case): RFC 6797 6.1 */
	HSTS_MAX_AGE_MISSING,    /* max-age is required */
	HSTS_MAX_AGE_BAD,        /* max-age without value or not 1*DIGIT */
	HSTS_UNEXPECTED_VALUE,   /* includeSubDomains / preload take no value */
};

/* max-age values above this are kept at this (about 292 years): no overflow. */
#define HSTS_MAX_AGE_CAP 9223372036LL

struct hsts_policy {
	enum hsts_error error;
	size_t error_at;            /* byte offset of the problem in the value */
	long long max_age;          /* seconds; -1 when absent */
	int include_subdomains;
	int preload;                /* not in RFC 6797: Chromium's preload-list request */
	int unknown_directives;     /* ignored, as the RFC says, but counted for evidence */
	char duplicate[32];         /* the repeated directive's name (truncated), for evidence */
};

/* Parses value[0..len) (no NUL needed). Returns 0 when valid, -1 otherwise (p->error says
 * why). p is always fully set. */
int hsts_parse(const char *value, size_t len, struct hsts_policy *p);

/* Stable snake_case name of an error, for evidence ("syntax", "duplicate_directive"...). */
const char *hsts_error_name(enum hsts_error e);

#endif
