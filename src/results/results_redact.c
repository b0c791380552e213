/* results_redact.c: one place that decides what identifies a person or a private bridge in a
 * results document, so `render --redact` and `serve` intake cannot drift apart.
 * What goes: the machine's public address as relays and STUN servers saw it, the addresses
 * (and webtunnel URLs) of the bridges the run tried, and obfs4 `cert=` secrets. The approach
 * is textual on purpose: a bridge address can turn up in any free-text field (a summary, a
 * tor log line), so every string in the document is rewritten, not only known fields. */
#include "results_redact.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define SECRETS_MAX 256   /* bounded: a hostile document cannot make this quadratic-huge */
#define SECRET_MIN 3      /* shorter strings would rewrite unrelated text */
#define SECRET_LEN_MAX 512

/* Evidence keys whose whole value is this machine's public address. */
static const char *const address_keys[] = { "relay_sees_us_as", "sees_us_as", NULL };

struct secrets {
	char *v[SECRETS_MAX];
	size_t n;
};

static void secret_add(struct secrets *s, const char *p, size_t len)
{
	if (len < SECRET_MIN || len > SECRET_LEN_MAX || s->n == SECRETS_MAX)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (strlen(s->v[i]) == len && !memcmp(s->v[i], p, len))
			return;
	s->v[s->n++] = xstrndup(p, len);
}

/* Longest first, so "[2001:db8::1]" goes before a shorter secret inside it. */
static int by_length_desc(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
	return la < lb ? 1 : la > lb ? -1 : 0;
}

/* A bridge line: [Bridge] [TRANSPORT] ADDR[:PORT] [FINGERPRINT] [k=v ...]. The address is
 * the first of the first two words that holds a '.' or ':' and no '='. */
static void secrets_from_line(struct secrets *s, const char *line)
{
	const char *p = line;
	char transport[32] = "";
	if (strstr(line, REDACTED_ADDR))   /* redacted before: nothing left to find */
		return;
	for (int word = 0; word < 3 && *p;) {
		p += strspn(p, " \t");
		size_t k = strcspn(p, " \t");
		if (!k)
			break;
		if (word == 0 && k == 6 && !strncmp(p, "Bridge", 6)) {
			p += k;
			continue;
		}
		if (memchr(p, '=', k) || !(memchr(p, '.', k) || memchr(p, ':', k))) {
			if (word == 0 && k < sizeof transport)
				snprintf(transport, sizeof transport, "%.*s", (int)k, p);
			p += k;
			word++;
			continue;
		}
		/* host part: "[v6]:port" → v6, "v4:port" → v4, bare → as is */
		const char *h = p;
		size_t hl = k;
		if (*h == '[') {
			const char *close = memchr(h, ']', k);
			h++;
			hl = close ? (size_t)(close - h) : k - 1;
		} else {
			const char *colon = memchr(h, ':', k);
			if (colon && !memchr(colon + 1, ':', k - (size_t)(colon + 1 - p)))
				hl = (size_t)(colon - h);
		}
		secret_add(s, h, hl);
		break;
	}
	/* A webtunnel bridge's url= is as private as its address. */
	if (!strcmp(transport, "webtunnel")) {
		const char *u = strstr(line, " url=");
		if (u) {
			u += 5;
			size_t k = strcspn(u, " \t");
			secret_add(s, u, k);
			const char *host = strstr(u, "://");
			if (host && host < u + k) {
				host += 3;
				secret_add(s, host, strcspn(host, "/: \t"));
			}
		}
	}
}

static void collect(json_t *doc, struct secrets *s)
{
	json_t *items = json_object_get(doc, "results");
	size_t i;
	json_t *r;
	json_array_foreach(items, i, r) {
		const char *probe = json_string_value(json_object_get(r, "probe"));
		const char *target = json_string_value(json_object_get(r, "target"));
		if (probe && target && (!strcmp(probe, "tor.bridge") || !strcmp(probe, "tor.bootstrap")))
			secrets_from_line(s, target);
	}
	qsort(s->v, s->n, sizeof *s->v, by_length_desc);
}

/* Rewrites one string; returns a new string or NULL when nothing changed. */
static char *rewrite(const char *in, const struct secrets *s)
{
	struct buf out;
	buf_init(&out);
	int changed = 0;
	for (const char *p = in; *p;) {
		/* cert=VALUE, wherever it appears */
		if (!strncmp(p, "cert=", 5) && (p == in || strchr(" \t;\"',", p[-1]))) {
			size_t k = strcspn(p + 5, " \t;,\"'");
			if (k && (k != strlen(REDACTED_SECRET) || strncmp(p + 5, REDACTED_SECRET, k))) {
				buf_printf(&out, "cert=%s", REDACTED_SECRET);
				p += 5 + k;
				changed = 1;
				continue;
			}
		}
		size_t j = 0;
		for (; j < s->n; j++) {
			size_t l = strlen(s->v[j]);
			if (!strncmp(p, s->v[j], l))
				break;
		}
		if (j < s->n) {
			buf_append(&out, REDACTED_ADDR, strlen(REDACTED_ADDR));
			p += strlen(s->v[j]);
			changed = 1;
			continue;
		}
		buf_append(&out, p, 1);
		p++;
	}
	char *r = changed ? xstrdup(buf_cstr(&out)) : NULL;
	buf_free(&out);
	return r;
}

static size_t walk(json_t *v, const struct secrets *s, int depth)
{
	size_t n = 0;
	if (depth > 64)
		return 0;
	if (json_is_object(v)) {
		for (size_t k = 0; address_keys[k]; k++)
			if (json_object_get(v, address_keys[k])) {
				json_object_del(v, address_keys[k]);
				n++;
			}
		const char *key;
		json_t *val;
		json_object_foreach(v, key, val) {
			if (json_is_string(val)) {
				char *r = rewrite(json_string_value(val), s);
				if (r) {
					json_object_set_new(v, key, json_string(r));
					free(r);
					n++;
				}
			} else {
				n += walk(val, s, depth + 1);
			}
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *val;
		json_array_foreach(v, i, val) {
			if (json_is_string(val)) {
				char *r = rewrite(json_string_value(val), s);
				if (r) {
					json_array_set_new(v, i, json_string(r));
					free(r);
					n++;
				}
			} else {
				n += walk(val, s, depth + 1);
			}
		}
	}
	return n;
}

/* `contacted` entries that named a bridge carry nothing once redacted: drop them. */
static size_t drop_redacted_contacts(json_t *doc)
{
	json_t *c = json_object_get(doc, "contacted");
	size_t n = 0;
	for (size_t i = 0; json_is_array(c) && i < json_array_size(c);) {
		const char *ep = json_string_value(json_array_get(c, i));
		if (ep && strstr(ep, REDACTED_ADDR)) {
			json_array_remove(c, i);
			n++;
		} else {
			i++;
		}
	}
	return n;
}

size_t results_redact(json_t *doc)
{
	if (!json_is_object(doc))
		return 0;
	struct secrets s = { .n = 0 };
	collect(doc, &s);
	size_t n = walk(doc, &s, 0);
	n += drop_redacted_contacts(doc);
	for (size_t i = 0; i < s.n; i++)
		free(s.v[i]);
	return n;
}
