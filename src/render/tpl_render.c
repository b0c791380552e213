/* tpl_render.c: renders a parsed Mustache template (tpl_parse.c) against jansson data. */
#include "tpl_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARTIAL_DEPTH 100            /* deeper partials/parents render as "" */
#define MAX_DEPTH 1000                   /* nested sections, blocks and partials, to bound the stack */
#define MAX_EXPANSIONS 1000000UL         /* partials and parents expanded in one render */
/* Tight enough that a hostile template costs well under a second and ~100 MB (a 3-line
 * self-including partial used to take 5 s and 600 MB); loose enough for any real page. */
#ifndef MAX_WORK   /* the fuzz build (tests/fuzz/fuzz.mk) sets smaller bounds to stay fast */
#define MAX_WORK 20000000UL              /* nodes visited in one render: stops exponential templates */
#endif
#ifndef MAX_OUTPUT
#define MAX_OUTPUT ((size_t)64 << 20)    /* bytes one render may append */
#endif

/* The blocks a parent tag passes down, and the levels passed to the template containing it. */
struct level {
	const struct tpl_list *blocks;
	const struct level *prev;
};

struct cached {
	char *name;
	struct tpl *t;  /* NULL when the partial does not exist */
};

/* Partials fetched and parsed: for one render, or kept across renders (tpl.h). */
struct tpl_cache {
	tpl_partial_fn fn;
	void *ud;
	struct cached *pc;
	size_t npc, cpc;
};

struct rstate {
	const struct tpl *root;
	struct buf *out;
	size_t out_start;
	struct tpl_cache own, *pcs;   /* pcs: own, or the caller's tpl_cache */
	struct err *e;
	json_t **ctx;
	size_t nctx, cctx;
	struct buf indent;  /* indentation of enclosing standalone partials and blocks */
	size_t ibase;       /* where the active part of indent starts (inline partials reset it) */
	int pending;        /* a template line started: indent goes before its next output */
	const struct level *ovr;
	int pdepth, depth;
	unsigned long work, expansions;
};

static int render_list(struct rstate *rs, const struct tpl_list *l);

void tpl_escape_html(struct buf *out, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_append(out, s + start, len - start);
}

static int fail(struct rstate *rs, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct rstate *rs, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_at(rs->e, rs->root->name, 0, 0, "%s", msg);
}

static void truncate_buf(struct buf *b, size_t len)
{
	b->len = len;
	if (b->data)
		b->data[len] = '\0';
}

static void flush_indent(struct rstate *rs)
{
	if (!rs->pending)
		return;
	rs->pending = 0;
	buf_append(rs->out, rs->indent.data + rs->ibase, rs->indent.len - rs->ibase);
}

static void emit(struct rstate *rs, const char *s, size_t n, int escape)
{
	if (!n)
		return;
	flush_indent(rs);
	if (escape)
		tpl_escape_html(rs->out, s, n);
	else
		buf_append(rs->out, s, n);
}

/* Template text: each line after a newline inside it starts a template line. */
static void emit_text(struct rstate *rs, const char *s, size_t n)
{
	if (rs->indent.len == rs->ibase) {
		emit(rs, s, n, 0);
		return;
	}
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t seg = nl ? (size_t)(nl - s) + 1 : n;
		emit(rs, s, seg, 0);
		s += seg;
		n -= seg;
		if (n)
			rs->pending = 1;
	}
}

/* Shortest text that reads back as the same double, so 1.21 renders as "1.21", 3.0 as "3". */
static size_t fmt_real(double d, char *buf, size_t sz)
{
	int n = 0;
	for (int prec = 1; prec <= 17; prec++) {
		n = snprintf(buf, sz, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (n < 0)
		n = 0;
	if ((size_t)n >= sz)
		n = (int)sz - 1;
	/* Data is JSON, so keep its decimal point even under a decimal-comma locale. */
	for (int i = 0; i < n; i++)
		if (buf[i] == ',')
			buf[i] = '.';
	return (size_t)n;
}

/* The text of a scalar; NULL for null, missing values, objects and arrays. */
static const char *scalar_text(json_t *v, char *tmp, size_t tsz, size_t *n)
{
	if (!v)
		return NULL;
	switch (json_typeof(v)) {
	case JSON_STRING:
		*n = json_string_length(v);
		return json_string_value(v);
	case JSON_INTEGER:
		snprintf(tmp, tsz, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		*n = strlen(tmp);
		return tmp;
	case JSON_REAL:
		*n = fmt_real(json_real_value(v), tmp, tsz);
		return tmp;
	case JSON_TRUE:
		*n = 4;
		return "true";
	case JSON_FALSE:
		*n = 5;
		return "false";
	default:
		return NULL;
	}
}

static void interpolate(struct rstate *rs, json_t *v, int escape)
{
	char tmp[64];
	size_t n = 0;
	if (!v || json_is_null(v))
		return;
	const char *s = scalar_text(v, tmp, sizeof tmp, &n);
	if (s) {
		emit(rs, s, n, escape);
		return;
	}
	/* Objects and arrays show as compact JSON, so a mistaken tag is visible, not silent. */
	char *dump = json_dumps(v, JSON_COMPACT);
	if (dump)
		emit(rs, dump, strlen(dump), escape);
	free(dump);
}

static int is_index(const char *s)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (s[i] < '0' || s[i] > '9' || i >= 9)
			return 0;
	return i > 0;
}

static json_t *child(json_t *v, const char *key)
{
	if (json_is_object(v))
		return json_object_get(v, key);
	if (json_is_array(v) && is_index(key))
		return json_array_get(v, (size_t)strtoul(key, NULL, 10));
	return NULL;
}

/* The first part of a name is looked up through the context stack, the rest only inside it. */
static json_t *lookup(const struct rstate *rs, const struct tpl_name *n)
{
	if (!rs->nctx)
		return NULL;
	if (!n->nparts)
		return rs->ctx[rs->nctx - 1];
	json_t *v = NULL;
	for (size_t i = rs->nctx; i-- > 0 && !v;)
		if (json_is_object(rs->ctx[i]))
			v = json_object_get(rs->ctx[i], n->parts[0]);
	for (size_t k = 1; v && k < n->nparts; k++)
		v = child(v, n->parts[k]);
	return v;
}

static int falsey(json_t *v)
{
	return !v || json_is_false(v) || json_is_null(v) ||
	       (json_is_array(v) && json_array_size(v) == 0);
}

static void ctx_push(struct rstate *rs, json_t *v)
{
	if (rs->nctx == rs->cctx) {
		rs->cctx = rs->cctx ? rs->cctx * 2 : 16;
		rs->ctx = xrealloc(rs->ctx, rs->cctx * sizeof *rs->ctx);
	}
	rs->ctx[rs->nctx++] = v;
}

/* Nesting beyond MAX_DEPTH renders nothing rather than risking the stack. */
static int nested(struct rstate *rs, const struct tpl_list *l)
{
	if (rs->depth >= MAX_DEPTH)
		return 0;
	rs->depth++;
	int rc = render_list(rs, l);
	rs->depth--;
	return rc;
}

static int render_section(struct rstate *rs, const struct tpl_node *n)
{
	json_t *v = lookup(rs, &n->name);
	if (falsey(v))
		return 0;
	if (!json_is_array(v)) {
		ctx_push(rs, v);
		int rc = nested(rs, &n->kids);
		rs->nctx--;
		return rc;
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		ctx_push(rs, json_array_get(v, i));
		int rc = nested(rs, &n->kids);
		rs->nctx--;
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The outermost override wins, so the template that started the chain has the last word. */
static const struct tpl_node *find_override(const struct level *lv, const char *name,
					    const struct level **at)
{
	const struct tpl_node *found = NULL;
	for (; lv; lv = lv->prev)
		for (size_t i = 0; i < lv->blocks->n; i++) {
			const struct tpl_node *b = &lv->blocks->v[i];
			if (b->type == TN_BLOCK && strcmp(b->name.str, name) == 0) {
				found = b;
				*at = lv;
				break;
			}
		}
	return found;
}

static int render_block(struct rstate *rs, const struct tpl_node *n)
{
	const struct level *at = NULL, *saved_ovr = rs->ovr;
	const struct tpl_node *o = find_override(rs->ovr, n->name.str, &at);
	size_t saved = rs->indent.len;
	/* An override sees the overrides that were in force where it was written. */
	if (o)
		rs->ovr = at->prev;
	if (n->has_indent) {
		buf_append(&rs->indent, n->text, n->len);
		rs->pending = rs->indent.len > rs->ibase;
	}
	int rc = nested(rs, o ? &o->kids : &n->kids);
	rs->ovr = saved_ovr;
	if (n->has_indent) {
		truncate_buf(&rs->indent, saved);
		rs->pending = 0;
	}
	return rc;
}

static int get_partial(struct rstate *rs, const char *name, const struct tpl **out)
{
	struct tpl_cache *c = rs->pcs;
	for (size_t i = 0; i < c->npc; i++)
		if (strcmp(c->pc[i].name, name) == 0) {
			*out = c->pc[i].t;
			return 0;
		}
	struct tpl *t = NULL;
	struct buf b;
	buf_init(&b);
	if (c->fn && c->fn(c->ud, name, &b) == 0) {
		t = tpl_compile(name, buf_cstr(&b), b.len, rs->e);
		if (!t) {
			buf_free(&b);
			return -1;
		}
	}
	buf_free(&b);
	if (c->npc == c->cpc) {
		c->cpc = c->cpc ? c->cpc * 2 : 8;
		c->pc = xrealloc(c->pc, c->cpc * sizeof *c->pc);
	}
	c->pc[c->npc].name = xstrdup(name);
	c->pc[c->npc++].t = t;
	*out = t;
	return 0;
}

/* A dynamic name ("*x") takes the partial's name from the data; NULL renders nothing. */
static const char *partial_name(struct rstate *rs, const struct tpl_node *n, char *tmp, size_t tsz)
{
	if (!n->name.dynamic)
		return n->name.str;
	size_t len = 0;
	const char *s = scalar_text(lookup(rs, &n->name), tmp, tsz, &len);
	if (!s || !len || strlen(s) != len)
		return NULL;
	return s;
}

static int render_partial(struct rstate *rs, const struct tpl_node *n)
{
	char tmp[64];
	const struct tpl *t;
	const char *name = partial_name(rs, n, tmp, sizeof tmp);
	if (!name || rs->pdepth >= MAX_PARTIAL_DEPTH || rs->depth >= MAX_DEPTH)
		return 0;
	if (get_partial(rs, name, &t) < 0)
		return -1;
	if (!t)
		return 0;
	if (++rs->expansions > MAX_EXPANSIONS)
		return fail(rs, "template expands too much (over %lu partials)", MAX_EXPANSIONS);
	const struct level *saved_ovr = rs->ovr;
	struct level lv = { &n->kids, rs->ovr };
	if (n->type == TN_PARENT)
		rs->ovr = &lv;
	size_t saved_len = rs->indent.len, saved_base = rs->ibase;
	if (n->has_indent) {
		buf_append(&rs->indent, n->text, n->len);
	} else {
		/* Inline: the line's indentation is already due, and the partial adds none. */
		flush_indent(rs);
		rs->ibase = rs->indent.len;
	}
	rs->pdepth++;
	rs->depth++;
	int rc = render_list(rs, &t->root);
	rs->pdepth--;
	rs->depth--;
	truncate_buf(&rs->indent, saved_len);
	rs->ibase = saved_base;
	rs->pending = 0;
	rs->ovr = saved_ovr;
	return rc;
}

static int render_node(struct rstate *rs, const struct tpl_node *n)
{
	switch (n->type) {
	case TN_TEXT:
		emit_text(rs, n->text, n->len);
		return 0;
	case TN_INDENT:
		if (rs->indent.len > rs->ibase)
			rs->pending = 1;
		return 0;
	case TN_VAR:
	case TN_RAW:
		interpolate(rs, lookup(rs, &n->name), n->type == TN_VAR);
		return 0;
	case TN_SECTION:
		return render_section(rs, n);
	case TN_INVERTED:
		return falsey(lookup(rs, &n->name)) ? nested(rs, &n->kids) : 0;
	case TN_PARTIAL:
	case TN_PARENT:
		return render_partial(rs, n);
	case TN_BLOCK:
		return render_block(rs, n);
	}
	return 0;
}

static int render_list(struct rstate *rs, const struct tpl_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		if (++rs->work > MAX_WORK)
			return fail(rs, "template expands too much (over %lu steps)", MAX_WORK);
		if (rs->out->len - rs->out_start > MAX_OUTPUT)
			return fail(rs, "output too large (over %zu bytes)", MAX_OUTPUT);
		if (render_node(rs, &l->v[i]) < 0)
			return -1;
	}
	return 0;
}

static void cache_clear(struct tpl_cache *c)
{
	for (size_t i = 0; i < c->npc; i++) {
		free(c->pc[i].name);
		tpl_free(c->pc[i].t);
	}
	free(c->pc);
}

static int render_with(const struct tpl *t, json_t *data, struct tpl_cache *cache,
		       tpl_partial_fn partials, void *ud, struct buf *out, struct err *e)
{
	struct rstate rs;
	memset(&rs, 0, sizeof rs);
	rs.root = t;
	rs.out = out;
	rs.out_start = out->len;
	rs.own.fn = partials;
	rs.own.ud = ud;
	rs.pcs = cache ? cache : &rs.own;
	rs.e = e;
	buf_init(&rs.indent);
	if (data)
		ctx_push(&rs, data);
	int rc = render_list(&rs, &t->root);
	cache_clear(&rs.own);
	free(rs.ctx);
	buf_free(&rs.indent);
	return rc;
}

int tpl_render_compiled(const struct tpl *t, json_t *data, tpl_partial_fn partials, void *ud,
			struct buf *out, struct err *e)
{
	return render_with(t, data, NULL, partials, ud, out, e);
}

struct tpl_cache *tpl_cache_new(tpl_partial_fn partials, void *ud)
{
	struct tpl_cache *c = xcalloc(1, sizeof *c);
	c->fn = partials;
	c->ud = ud;
	return c;
}

void tpl_cache_free(struct tpl_cache *c)
{
	if (!c)
		return;
	cache_clear(c);
	free(c);
}

int tpl_render_cached(const struct tpl *t, json_t *data, struct tpl_cache *c, struct buf *out,
		      struct err *e)
{
	return render_with(t, data, c, NULL, NULL, out, e);
}

int tpl_render(const char *name, const char *tmpl, size_t len, json_t *data,
	       tpl_partial_fn partials, void *ud, struct buf *out, struct err *e)
{
	struct tpl *t = tpl_compile(name, tmpl, len, e);
	if (!t)
		return -1;
	int rc = tpl_render_compiled(t, data, partials, ud, out, e);
	tpl_free(t);
	return rc;
}
