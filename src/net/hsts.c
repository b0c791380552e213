/* hsts.c: Strict-Transport-Security header parsing by RFC 6797's grammar (6.1): directives
 * are token [ "=" ( token | quoted-string ) ] separated by ';' with optional whitespace; names
 * are case-insensitive; every directive may appear once; max-age is required. A value that
 * breaks any of these is ignored by browsers, so we call it invalid rather than guess. */
#include "hsts.h"

#include <string.h>
#include <strings.h>

#define MAX_SEEN 32

struct span { size_t at, len; };

struct parser {
	const char *s;
	size_t len, i;
	struct hsts_policy *p;
	struct span seen[MAX_SEEN];
	size_t nseen;
};

static int is_tchar(unsigned char c)
{
	return c > 32 && c < 127 && !strchr("()<>@,;:\\\"/[]?={}", c);
}

static void skip_ws(struct parser *ps)
{
	while (ps->i < ps->len && (ps->s[ps->i] == ' ' || ps->s[ps->i] == '\t'))
		ps->i++;
}

static int fail(struct parser *ps, enum hsts_error e, size_t at)
{
	ps->p->error = e;
	ps->p->error_at = at;
	return -1;
}

static struct span token(struct parser *ps)
{
	struct span t = { ps->i, 0 };
	while (ps->i < ps->len && is_tchar((unsigned char)ps->s[ps->i]))
		ps->i++;
	t.len = ps->i - t.at;
	return t;
}

/* A quoted-string starting at ps->i (on the '"'); the span covers the inside, escapes and
 * all. Returns -1 when unterminated or holding a control character. */
static int quoted(struct parser *ps, struct span *out)
{
	size_t start = ++ps->i;
	while (ps->i < ps->len) {
		unsigned char c = (unsigned char)ps->s[ps->i];
		if (c == '"') {
			out->at = start;
			out->len = ps->i - start;
			ps->i++;
			return 0;
		}
		if (c == '\\') {
			if (ps->i + 1 >= ps->len || (unsigned char)ps->s[ps->i + 1] > 127)
				return -1;
			ps->i += 2;
			continue;
		}
		if ((c < 32 && c != '\t') || c == 127)
			return -1;
		ps->i++;
	}
	return -1;
}

/* delta-seconds, possibly inside a quoted-string (escapes allowed): 1*DIGIT, capped. */
static int delta_seconds(const char *v, size_t n, int was_quoted, long long *out)
{
	long long x = 0;
	size_t digits = 0;
	for (size_t k = 0; k < n; k++) {
		char c = v[k];
		if (was_quoted && c == '\\' && k + 1 < n)
			c = v[++k];
		if (c < '0' || c > '9')
			return -1;
		digits++;
		if (x < HSTS_MAX_AGE_CAP)
			x = x * 10 + (c - '0');
	}
	if (!digits)
		return -1;
	*out = x > HSTS_MAX_AGE_CAP ? HSTS_MAX_AGE_CAP : x;
	return 0;
}

static int name_is(const struct parser *ps, struct span n, const char *want)
{
	return n.len == strlen(want) && !strncasecmp(ps->s + n.at, want, n.len);
}

static int remember(struct parser *ps, struct span name)
{
	for (size_t k = 0; k < ps->nseen; k++) {
		const struct span *o = &ps->seen[k];
		if (o->len == name.len && !strncasecmp(ps->s + o->at, ps->s + name.at, name.len)) {
			size_t n = name.len < sizeof ps->p->duplicate - 1 ? name.len : sizeof ps->p->duplicate - 1;
			memcpy(ps->p->duplicate, ps->s + name.at, n);
			ps->p->duplicate[n] = '\0';
			return fail(ps, HSTS_DUPLICATE, name.at);
		}
	}
	if (ps->nseen < MAX_SEEN)
		ps->seen[ps->nseen++] = name;
	return 0;
}

static int apply(struct parser *ps, struct span name, int has_value, struct span val, int was_quoted)
{
	struct hsts_policy *p = ps->p;
	if (remember(ps, name) < 0)
		return -1;
	if (name_is(ps, name, "max-age")) {
		if (!has_value || delta_seconds(ps->s + val.at, val.len, was_quoted, &p->max_age) < 0)
			return fail(ps, HSTS_MAX_AGE_BAD, has_value ? val.at : name.at);
	} else if (name_is(ps, name, "includeSubDomains")) {
		if (has_value)
			return fail(ps, HSTS_UNEXPECTED_VALUE, val.at);
		p->include_subdomains = 1;
	} else if (name_is(ps, name, "preload") && !has_value) {
		p->preload = 1;
	} else {
		p->unknown_directives++;   /* RFC 6797 6.1: unknown directives are ignored */
	}
	return 0;
}

/* One directive at ps->i (whitespace skipped). */
static int directive(struct parser *ps)
{
	struct span name = token(ps), val = { 0, 0 };
	int has_value = 0, was_quoted = 0;
	if (!name.len)
		return fail(ps, HSTS_SYNTAX, ps->i);
	skip_ws(ps);
	if (ps->i < ps->len && ps->s[ps->i] == '=') {
		ps->i++;
		skip_ws(ps);
		has_value = 1;
		if (ps->i < ps->len && ps->s[ps->i] == '"') {
			size_t at = ps->i;
			if (quoted(ps, &val) < 0)
				return fail(ps, HSTS_SYNTAX, at);
			was_quoted = 1;
		} else {
			val = token(ps);
			if (!val.len)
				return fail(ps, name_is(ps, name, "max-age") ? HSTS_MAX_AGE_BAD : HSTS_SYNTAX, ps->i);
		}
		skip_ws(ps);
	}
	if (ps->i < ps->len && ps->s[ps->i] != ';')
		return fail(ps, HSTS_SYNTAX, ps->i);
	return apply(ps, name, has_value, val, was_quoted);
}

int hsts_parse(const char *value, size_t len, struct hsts_policy *p)
{
	memset(p, 0, sizeof *p);
	p->max_age = -1;
	struct parser ps = { .s = value ? value : "", .len = value ? len : 0, .p = p };
	size_t ndirectives = 0;
	for (;;) {
		skip_ws(&ps);
		if (ps.i >= ps.len)
			break;
		if (ps.s[ps.i] == ';') {
			ps.i++;   /* empty directives are allowed: "a;;b", a trailing ';' */
			continue;
		}
		if (directive(&ps) < 0)
			return -1;
		ndirectives++;
	}
	if (!ndirectives)
		return fail(&ps, HSTS_EMPTY, 0);
	if (p->max_age < 0)
		return fail(&ps, HSTS_MAX_AGE_MISSING, 0);
	return 0;
}

const char *hsts_error_name(enum hsts_error e)
{
	switch (e) {
	case HSTS_OK: return "ok";
	case HSTS_EMPTY: return "empty";
	case HSTS_SYNTAX: return "syntax";
	case HSTS_DUPLICATE: return "duplicate_directive";
	case HSTS_MAX_AGE_MISSING: return "max_age_missing";
	case HSTS_MAX_AGE_BAD: return "max_age_invalid";
	case HSTS_UNEXPECTED_VALUE: return "unexpected_value";
	}
	return "unknown";
}
