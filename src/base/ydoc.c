/* ydoc.c: YAML loading and typed access with file:line:col errors. */
#include "ydoc.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define YDOC_MAX_BYTES (4u << 20)
/* Nesting past this is refused. Our files need a handful of levels (kb conditions the most);
 * libyaml's scanner costs O(depth) per token in flow collections, so 40,000 levels took
 * seconds and a million hours — and consumers such as cond.c recurse per level. */
#define YDOC_MAX_DEPTH 64

/* A first pass over libyaml's tokens (not its parser), before anything builds a tree:
 * - nesting deeper than YDOC_MAX_DEPTH is refused at the token that goes too deep. Stopping
 *   there bounds the scanner's work: it looks ahead at most a simple key's 1,024 characters,
 *   so it never holds more than YDOC_MAX_DEPTH + 1,024 levels.
 * - anchors and aliases are refused: an alias is a reference, so ten lines of them make a
 *   tree of millions of nodes for whoever walks it (targets copying lists, kb conditions).
 *   Nothing we load needs them; writing a value out twice is always possible. */
static int prescan(const char *file, const char *text, size_t len, struct err *e)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return err_internal(e, "cannot initialise the YAML parser");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	int depth = 0, rc = 0;
	for (;;) {
		yaml_token_t tok;
		if (!yaml_parser_scan(&p, &tok))
			break;   /* the parser proper reports it (it often sees a problem earlier) */
		int line = (int)tok.start_mark.line + 1, col = (int)tok.start_mark.column + 1;
		yaml_token_type_t type = tok.type;
		yaml_token_delete(&tok);
		if (type == YAML_STREAM_END_TOKEN)
			break;
		if (type == YAML_ANCHOR_TOKEN || type == YAML_ALIAS_TOKEN) {
			rc = err_at(e, file, line, col, "YAML %s are not allowed here: write the value out",
				    type == YAML_ANCHOR_TOKEN ? "anchors (&name)" : "aliases (*name)");
			break;
		}
		if (type == YAML_FLOW_SEQUENCE_START_TOKEN || type == YAML_FLOW_MAPPING_START_TOKEN ||
		    type == YAML_BLOCK_SEQUENCE_START_TOKEN || type == YAML_BLOCK_MAPPING_START_TOKEN) {
			if (++depth > YDOC_MAX_DEPTH) {
				rc = err_at(e, file, line, col, "nested more than %d levels deep", YDOC_MAX_DEPTH);
				break;
			}
		} else if (type == YAML_FLOW_SEQUENCE_END_TOKEN || type == YAML_FLOW_MAPPING_END_TOKEN ||
			   type == YAML_BLOCK_END_TOKEN) {
			if (depth > 0)
				depth--;
		}
	}
	yaml_parser_delete(&p);
	return rc;
}

int ydoc_load(struct ydoc *d, const char *file, const char *text, size_t len, struct err *e)
{
	memset(d, 0, sizeof *d);
	d->file = xstrdup(file);
	if (prescan(file, text, len, e) < 0)
		return -1;
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return err_internal(e, "cannot initialise the YAML parser");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &d->doc)) {
		int rc = err_at(e, file, (int)p.problem_mark.line + 1, (int)p.problem_mark.column + 1,
				"YAML syntax error: %s%s%s", p.problem ? p.problem : "unknown problem",
				p.context ? " " : "", p.context ? p.context : "");
		yaml_parser_delete(&p);
		return rc;
	}
	d->loaded = 1;
	/* A second document would be silently ignored otherwise. */
	yaml_document_t extra;
	if (!yaml_parser_load(&p, &extra)) {
		int rc = err_at(e, file, (int)p.problem_mark.line + 1, (int)p.problem_mark.column + 1,
				"YAML syntax error: %s", p.problem ? p.problem : "unknown problem");
		yaml_parser_delete(&p);
		return rc;
	}
	yaml_node_t *r2 = yaml_document_get_root_node(&extra);
	if (r2) {
		int rc = err_at(e, file, (int)r2->start_mark.line + 1, (int)r2->start_mark.column + 1,
				"only one YAML document is allowed per file");
		yaml_document_delete(&extra);
		yaml_parser_delete(&p);
		return rc;
	}
	yaml_document_delete(&extra);
	yaml_parser_delete(&p);
	return 0;
}

int ydoc_load_file(struct ydoc *d, const char *path, struct err *e)
{
	struct buf b;
	buf_init(&b);
	if (read_file(path, YDOC_MAX_BYTES, &b) < 0) {
		int rc = err_set(e, "%s: cannot read: %s", path, file_strerror(errno));
		buf_free(&b);
		memset(d, 0, sizeof *d);
		return rc;
	}
	int rc = ydoc_load(d, path, b.data, b.len, e);
	buf_free(&b);
	return rc;
}

void ydoc_free(struct ydoc *d)
{
	if (d->loaded)
		yaml_document_delete(&d->doc);
	free(d->file);
	memset(d, 0, sizeof *d);
}

yaml_node_t *ydoc_root(struct ydoc *d)
{
	return d->loaded ? yaml_document_get_root_node(&d->doc) : NULL;
}

yaml_node_t *ydoc_node(struct ydoc *d, int index)
{
	return yaml_document_get_node(&d->doc, index);
}

int ydoc_fail(struct ydoc *d, const yaml_node_t *n, struct err *e, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	int line = n ? (int)n->start_mark.line + 1 : 1;
	int col = n ? (int)n->start_mark.column + 1 : 1;
	return err_at(e, d->file, line, col, "%s", msg);
}

const char *ydoc_kind(const yaml_node_t *n)
{
	if (!n)
		return "nothing";
	switch (n->type) {
	case YAML_MAPPING_NODE: return "a mapping";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_SCALAR_NODE: return "a scalar";
	default: return "nothing";
	}
}

int ydoc_pair(struct ydoc *d, yaml_node_t *map, size_t i, yaml_node_t **key, yaml_node_t **val)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return 0;
	yaml_node_pair_t *start = map->data.mapping.pairs.start;
	if (start + i >= map->data.mapping.pairs.top)
		return 0;
	*key = ydoc_node(d, start[i].key);
	*val = ydoc_node(d, start[i].value);
	return 1;
}

yaml_node_t *ydoc_item(struct ydoc *d, yaml_node_t *seq, size_t i)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return NULL;
	yaml_node_item_t *start = seq->data.sequence.items.start;
	if (start + i >= seq->data.sequence.items.top)
		return NULL;
	return ydoc_node(d, start[i]);
}

size_t ydoc_len(const yaml_node_t *n)
{
	if (!n)
		return 0;
	if (n->type == YAML_SEQUENCE_NODE)
		return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (n->type == YAML_MAPPING_NODE)
		return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	return 0;
}

const char *ydoc_str(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int ydoc_expect_map(struct ydoc *d, yaml_node_t *n, const char *what, struct err *e)
{
	if (n && n->type == YAML_MAPPING_NODE)
		return 0;
	return ydoc_fail(d, n, e, "%s must be a mapping, not %s", what, ydoc_kind(n));
}

int ydoc_expect_seq(struct ydoc *d, yaml_node_t *n, const char *what, struct err *e)
{
	if (n && n->type == YAML_SEQUENCE_NODE)
		return 0;
	return ydoc_fail(d, n, e, "%s must be a list, not %s", what, ydoc_kind(n));
}

int ydoc_expect_str(struct ydoc *d, yaml_node_t *n, const char *what, const char **out, struct err *e)
{
	const char *s = ydoc_str(n);
	if (!s)
		return ydoc_fail(d, n, e, "%s must be a string, not %s", what, ydoc_kind(n));
	if (strlen(s) != n->data.scalar.length)
		return ydoc_fail(d, n, e, "%s contains a NUL byte", what);
	*out = s;
	return 0;
}

int ydoc_expect_int(struct ydoc *d, yaml_node_t *n, const char *what, long min, long max,
		    long *out, struct err *e)
{
	const char *s = ydoc_str(n);
	if (!s)
		return ydoc_fail(d, n, e, "%s must be a number, not %s", what, ydoc_kind(n));
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return ydoc_fail(d, n, e, "%s must be a whole number, not \"%.40s\"", what, s);
	if (v < min || v > max)
		return ydoc_fail(d, n, e, "%s must be between %ld and %ld, not %ld", what, min, max, v);
	*out = v;
	return 0;
}

int ydoc_expect_bool(struct ydoc *d, yaml_node_t *n, const char *what, int *out, struct err *e)
{
	const char *s = ydoc_str(n);
	if (s && (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on"))) {
		*out = 1;
		return 0;
	}
	if (s && (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off"))) {
		*out = 0;
		return 0;
	}
	return ydoc_fail(d, n, e, "%s must be true or false", what);
}

int ydoc_expect_strlist(struct ydoc *d, yaml_node_t *n, const char *what, const char ***out,
			size_t *count, struct err *e)
{
	const char **list;
	size_t k = 0;
	if (n && n->type == YAML_SCALAR_NODE) {
		list = xcalloc(2, sizeof *list);
		if (ydoc_expect_str(d, n, what, &list[0], e) < 0) {
			free(list);
			return -1;
		}
		k = 1;
	} else {
		if (ydoc_expect_seq(d, n, what, e) < 0)
			return -1;
		size_t len = ydoc_len(n);
		list = xcalloc(len + 1, sizeof *list);
		for (yaml_node_t *it; (it = ydoc_item(d, n, k)); k++) {
			if (ydoc_expect_str(d, it, what, &list[k], e) < 0) {
				free(list);
				return -1;
			}
		}
	}
	*out = list;
	if (count)
		*count = k;
	return 0;
}

int ydoc_check_keys(struct ydoc *d, yaml_node_t *map, const char *const *allowed,
		    const char *what, struct err *e)
{
	yaml_node_t *k, *v;
	for (size_t i = 0; ydoc_pair(d, map, i, &k, &v); i++) {
		const char *name = ydoc_str(k);
		if (!name)
			return ydoc_fail(d, k, e, "keys in %s must be plain words", what);
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			if (!strcmp(*a, name))
				ok = 1;
		if (!ok) {
			char list[256] = "";
			for (const char *const *a = allowed; *a; a++) {
				if (a != allowed)
					strncat(list, ", ", sizeof list - strlen(list) - 1);
				strncat(list, *a, sizeof list - strlen(list) - 1);
			}
			return ydoc_fail(d, k, e, "unknown key \"%.60s\" in %s (known: %s)", name, what, list);
		}
		yaml_node_t *k2, *v2;
		for (size_t j = 0; j < i && ydoc_pair(d, map, j, &k2, &v2); j++)
			if (ydoc_str(k2) && !strcmp(ydoc_str(k2), name))
				return ydoc_fail(d, k, e, "key \"%.60s\" is given twice in %s", name, what);
	}
	return 0;
}

yaml_node_t *ydoc_get(struct ydoc *d, yaml_node_t *map, const char *key)
{
	yaml_node_t *k, *v;
	for (size_t i = 0; ydoc_pair(d, map, i, &k, &v); i++)
		if (ydoc_str(k) && !strcmp(ydoc_str(k), key))
			return v;
	return NULL;
}
