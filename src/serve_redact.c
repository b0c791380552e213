/* serve_redact.c: see serve_redact.h. Addresses are collected first (from the bridge lines
 * in targets), then every string of the document is rewritten, so an address quoted in a
 * summary or a tor log line goes too. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "serve_redact.h"

#define MAX_ADDRS 256

struct addrs {
	char *a[MAX_ADDRS];
	size_t n;
};

/* A bridge line: [transport] ADDR:PORT [FINGERPRINT] [k=v...]. The ADDR:PORT token is the
 * first one holding a ':' or starting with '['. */
static void collect_bridge(struct addrs *as, const char *line)
{
	const char *p = line;
	while (*p && as->n < MAX_ADDRS) {
		while (*p == ' ')
			p++;
		size_t k = strcspn(p, " ");
		if (k >= 3 && (memchr(p, ':', k) || *p == '[') && !memchr(p, '=', k)) {
			as->a[as->n++] = xstrndup(p, k);
			return;
		}
		p += k;
	}
}

static int is_bridge_probe(const char *probe)
{
	return !strncmp(probe, "tor.bridge", 10) || !strcmp(probe, "tor.bootstrap");
}

/* Replaces each collected address and each cert=VALUE in s; NULL when nothing changed. */
static char *rewrite(const char *s, const struct addrs *as)
{
	struct buf b;
	buf_init(&b);
	int changed = 0;
	for (const char *p = s; *p;) {
		if (!strncmp(p, "cert=", 5)) {
			buf_puts(&b, "cert=[redacted]");
			p += 5;
			while (*p && *p != ' ' && *p != '"' && *p != ',')
				p++;
			changed = 1;
			continue;
		}
		size_t i;
		for (i = 0; i < as->n; i++)
			if (!strncmp(p, as->a[i], strlen(as->a[i])))
				break;
		if (i < as->n) {
			buf_puts(&b, "[bridge address]");
			p += strlen(as->a[i]);
			changed = 1;
			continue;
		}
		buf_putc(&b, *p++);
	}
	if (!changed) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static void walk(json_t *v, const struct addrs *as, int depth)
{
	if (depth > 64)
		return;
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		void *tmp;
		json_object_foreach_safe(v, tmp, k, x) {
			if (!strcmp(k, "relay_sees_us_as")) {
				json_object_del(v, k);
				continue;
			}
			if (json_is_string(x)) {
				char *r = rewrite(json_string_value(x), as);
				if (r)
					json_object_set_new(v, k, json_string(r));
				free(r);
			} else {
				walk(x, as, depth + 1);
			}
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) {
			if (json_is_string(x)) {
				char *r = rewrite(json_string_value(x), as);
				if (r)
					json_array_set_new(v, i, json_string(r));
				free(r);
			} else {
				walk(x, as, depth + 1);
			}
		}
	}
}

void serve_redact(json_t *doc)
{
	struct addrs as = { .n = 0 };
	json_t *items = json_object_get(doc, "results"), *it;
	size_t i;
	json_array_foreach(items, i, it) {
		const char *probe = json_string_value(json_object_get(it, "probe"));
		const char *target = json_string_value(json_object_get(it, "target"));
		if (probe && target && is_bridge_probe(probe))
			collect_bridge(&as, target);
	}
	walk(doc, &as, 0);
	for (i = 0; i < as.n; i++)
		free(as.a[i]);
}
