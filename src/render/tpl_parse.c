/* tpl_parse.c: turns Mustache template text into a node tree, applying the spec's standalone-line
 * and indentation rules while parsing so that rendering only has to walk the tree. */
#include "tpl_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rendering recurses over the tree, so nesting is bounded to keep it within the stack. */
#define MAX_NEST 256

struct frame {
	struct tpl_node *node;  /* NULL for the root */
	struct tpl_list *list;
	size_t tag_pos;
	/* Indentation stripped from the start of content lines (blocks re-indent at their site). */
	const char *eff;
	size_t efflen;
	int open_clean;    /* TN_PARENT: only whitespace preceded its tag on the line */
	size_t ws_start;   /* TN_PARENT: where that whitespace starts */
};

struct parser {
	const char *name;
	const char *s;
	size_t len, pos;
	const char *otag, *ctag;
	size_t olen, clen;
	int clean;         /* the line so far holds only whitespace and transparent tags */
	size_t ws_start;   /* start of the whitespace run before the next tag, when clean */
	int bol;           /* the next node starts a template line */
	int skip_indent;   /* ...whose indentation the enclosing block's site provides */
	struct frame st[MAX_NEST + 1];
	int depth;
	struct err *e;
};

struct tag {
	char sig;          /* 0 for a plain variable */
	size_t pos, end;   /* the whole tag */
	const char *body;  /* between sigil and closing delimiter, trimmed */
	size_t blen;
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static int all_ws(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_ws(s[i]))
			return 0;
	return 1;
}

static size_t common_ws(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0;
	while (i < alen && i < blen && a[i] == b[i] && is_ws(a[i]))
		i++;
	return i;
}

static void line_col(const struct parser *p, size_t pos, int *line, int *col)
{
	size_t l = 1, bol = 0;
	for (size_t i = 0; i < pos && i < p->len; i++)
		if (p->s[i] == '\n') {
			l++;
			bol = i + 1;
		}
	*line = l > 1000000000 ? 1000000000 : (int)l;
	*col = pos - bol > 1000000000 ? 1000000000 : (int)(pos - bol) + 1;
}

static int perr(struct parser *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int perr(struct parser *p, size_t pos, const char *fmt, ...)
{
	char msg[400];
	int line, col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	line_col(p, pos, &line, &col);
	return err_at(p->e, p->name, line, col, "%s", msg);
}

static struct frame *top(struct parser *p)
{
	return &p->st[p->depth];
}

/* Inside a parent tag only blocks matter; its other text is dropped. */
static int in_body(struct parser *p)
{
	return p->depth > 0 && top(p)->node->type == TN_PARENT;
}

static struct tpl_node *list_add(struct tpl_list *l, enum tpl_ntype type)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	struct tpl_node *n = &l->v[l->n++];
	memset(n, 0, sizeof *n);
	n->type = type;
	return n;
}

/* Adds a node to the current list, preceded by a line-start marker when it begins a line. */
static struct tpl_node *add_node(struct parser *p, enum tpl_ntype type)
{
	struct tpl_list *l = top(p)->list;
	if (p->bol && !p->skip_indent && !in_body(p))
		list_add(l, TN_INDENT);
	p->bol = p->skip_indent = 0;
	return list_add(l, type);
}

/* Removes the whitespace that began the current line (and its marker) before index at. A text
 * node may hold earlier lines too, ending with the current line's whitespace. */
static void trim_line(struct tpl_list *l, size_t at)
{
	size_t i = at;
	while (i > 0) {
		struct tpl_node *n = &l->v[i - 1];
		if (n->type == TN_INDENT) {
			i--;
			break;
		}
		if (n->type != TN_TEXT)
			break;
		const char *nl = memrchr(n->text, '\n', n->len);
		size_t keep = nl ? (size_t)(nl - n->text) + 1 : 0;
		if (!all_ws(n->text + keep, n->len - keep))
			break;
		if (nl) {
			n->len = keep;
			break;
		}
		i--;
	}
	if (i == at)
		return;
	memmove(&l->v[i], &l->v[at], (l->n - at) * sizeof *l->v);
	l->n -= at - i;
}

static void trim_cur(struct parser *p)
{
	struct tpl_list *l = top(p)->list;
	trim_line(l, l->n);
}

static void new_line(struct parser *p, size_t at)
{
	p->pos = at;
	p->clean = 1;
	p->ws_start = at;
	p->bol = 1;
	p->skip_indent = 0;
}

/* One line's worth of text, ending with its newline if it has one. A line that continues the
 * previous text node in the source is merged into it: the renderer treats its inner newlines
 * as line starts, which keeps long runs of text cheap. */
static void add_line(struct parser *p, size_t from, size_t end)
{
	const char *t = p->s + from;
	size_t n = end - from;
	if (in_body(p)) {
		p->bol = p->skip_indent = 0;
		return;
	}
	struct tpl_list *l = top(p)->list;
	struct tpl_node *prev = l->n ? &l->v[l->n - 1] : NULL;
	if (p->bol) {
		struct frame *f = top(p);
		size_t k = common_ws(t, n, f->eff, f->efflen);
		if (!k && !p->skip_indent && prev && prev->type == TN_TEXT && prev->text + prev->len == t) {
			prev->len += n;
			p->bol = 0;
			return;
		}
		t += k;
		n -= k;
		if (!p->skip_indent)
			list_add(l, TN_INDENT);
		p->bol = p->skip_indent = 0;
	}
	if (n) {
		struct tpl_node *node = list_add(l, TN_TEXT);
		node->text = t;
		node->len = n;
	}
}

static void add_text(struct parser *p, size_t from, size_t to)
{
	while (from < to) {
		const char *nl = memchr(p->s + from, '\n', to - from);
		size_t end = nl ? (size_t)(nl - p->s) + 1 : to;
		add_line(p, from, end);
		if (nl)
			new_line(p, end);
		else if (!all_ws(p->s + from, end - from))
			p->clean = 0;
		from = end;
	}
	p->pos = to;
}

/* If the tag is alone on its line, returns 1 and where the next line starts. */
static int standalone(const struct parser *p, size_t end, size_t *next)
{
	if (!p->clean)
		return 0;
	size_t q = end;
	while (q < p->len && is_ws(p->s[q]))
		q++;
	if (q == p->len)
		*next = q;
	else if (p->s[q] == '\n')
		*next = q + 1;
	else if (p->s[q] == '\r' && q + 1 < p->len && p->s[q + 1] == '\n')
		*next = q + 2;
	else
		return 0;
	return 1;
}

/* Where tag (n bytes) next occurs at or after from, or len. Not memmem: sanitizers check its
 * whole haystack on every call, which makes parsing quadratic under ASan. */
static size_t find(const struct parser *p, size_t from, const char *tag, size_t n)
{
	while (from < p->len) {
		const char *c = memchr(p->s + from, tag[0], p->len - from);
		if (!c)
			break;
		size_t k = (size_t)(c - p->s);
		if (p->len - k < n)
			break;
		if (memcmp(c, tag, n) == 0)
			return k;
		from = k + 1;
	}
	return p->len;
}

/* Finds the closing delimiter from `from`, preceded by `pre` unless pre is 0; *at is where the
 * tag's content ends. */
static int find_close(const struct parser *p, size_t from, char pre, size_t *at)
{
	size_t i = from;
	while (i < p->len) {
		size_t k = find(p, i, p->ctag, p->clen);
		if (k == p->len)
			return -1;
		if (!pre) {
			*at = k;
			return 0;
		}
		if (k > from && p->s[k - 1] == pre) {
			*at = k - 1;
			return 0;
		}
		i = k + 1;
	}
	return -1;
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_ws(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_ws((*s)[*n - 1]))
		(*n)--;
}

static int read_tag(struct parser *p, size_t pos, struct tag *t)
{
	size_t a = pos + p->olen;
	t->pos = pos;
	t->sig = 0;
	if (a < p->len && p->s[a] && strchr("{&!=#^/>$<", p->s[a]))
		t->sig = p->s[a];
	size_t from = t->sig ? a + 1 : a, at;
	char pre = t->sig == '{' ? '}' : t->sig == '=' ? '=' : 0;
	if (find_close(p, from, pre, &at) < 0)
		return perr(p, pos, "unclosed tag");
	t->end = at + (pre ? 1 : 0) + p->clen;
	t->body = p->s + from;
	t->blen = at - from;
	trim(&t->body, &t->blen);
	return 0;
}

static void free_name(struct tpl_name *n)
{
	for (size_t i = 0; i < n->nparts; i++)
		free(n->parts[i]);
	free(n->parts);
	free(n->str);
	memset(n, 0, sizeof *n);
}

static int split_dotted(struct parser *p, const struct tag *t, const char *b, size_t bl,
			struct tpl_name *n)
{
	if (bl == 1 && *b == '.')
		return 0;
	size_t cnt = 1;
	for (size_t i = 0; i < bl; i++)
		cnt += b[i] == '.';
	n->parts = xcalloc(cnt, sizeof *n->parts);
	for (size_t i = 0, start = 0; i <= bl; i++) {
		if (i < bl && b[i] != '.')
			continue;
		if (i == start)
			return perr(p, t->pos, "invalid dotted name '%.*s'", (int)(bl > 80 ? 80 : bl), b);
		n->parts[n->nparts++] = xstrndup(b + start, i - start);
		start = i + 1;
	}
	return 0;
}

/* Fills n from the tag's content: a dotted name (dotted), maybe "*name" (dynamic). */
static int parse_name(struct parser *p, const struct tag *t, int dotted, int dynamic,
		      struct tpl_name *n)
{
	const char *b = t->body;
	size_t bl = t->blen;
	memset(n, 0, sizeof *n);
	if (dynamic && bl && *b == '*') {
		n->dynamic = dotted = 1;
		b++;
		bl--;
		trim(&b, &bl);
	}
	if (!bl)
		return perr(p, t->pos, "empty tag name");
	for (size_t i = 0; i < bl; i++)
		if (is_ws(b[i]) || b[i] == '\0' || b[i] == '\n' || b[i] == '\r')
			return perr(p, t->pos, "invalid tag name '%.*s'", (int)(bl > 80 ? 80 : bl), b);
	n->str = xmalloc(bl + 2);
	snprintf(n->str, bl + 2, "%s%.*s", n->dynamic ? "*" : "", (int)bl, b);
	if (dotted && split_dotted(p, t, b, bl, n) < 0) {
		free_name(n);
		return -1;
	}
	return 0;
}

static void push(struct parser *p, struct tpl_node *node, size_t pos)
{
	struct frame *up = top(p), *f = &p->st[++p->depth];
	memset(f, 0, sizeof *f);
	f->node = node;
	f->list = &node->kids;
	f->tag_pos = pos;
	f->eff = up->eff;
	f->efflen = up->efflen;
}

/* The whitespace before a standalone tag becomes the indentation of what it expands to. */
static void set_indent(struct parser *p, struct tpl_node *node, size_t from, size_t to)
{
	struct frame *f = top(p);
	size_t k = common_ws(p->s + from, to - from, f->eff, f->efflen);
	node->has_indent = 1;
	node->text = p->s + from + k;
	node->len = to - from - k;
}

/* Comments and delimiter changes: no node, but the line goes when they stand alone. */
static void skip_tag(struct parser *p, const struct tag *t)
{
	size_t next;
	if (standalone(p, t->end, &next)) {
		trim_cur(p);
		new_line(p, next);
	} else {
		p->pos = t->end;
		p->clean = 0;
	}
}

static int on_delims(struct parser *p, const struct tag *t)
{
	const char *b = t->body;
	size_t bl = t->blen, i = 0, j;
	while (i < bl && !is_ws(b[i]))
		i++;
	j = i;
	while (j < bl && is_ws(b[j]))
		j++;
	int ok = i > 0 && j > i && j < bl && !memchr(b, '=', bl);
	for (size_t k = j; ok && k < bl; k++)
		ok = !is_ws(b[k]) && b[k] != '\n';
	if (!ok || memchr(b, '\n', i))
		return perr(p, t->pos, "bad delimiters '%.*s': want two words without '='",
			    (int)(bl > 80 ? 80 : bl), b);
	skip_tag(p, t);
	p->otag = b;
	p->olen = i;
	p->ctag = b + j;
	p->clen = bl - j;
	return 0;
}

static int on_var(struct parser *p, const struct tag *t)
{
	struct tpl_name n;
	if (parse_name(p, t, 1, 0, &n) < 0)
		return -1;
	struct tpl_node *node = add_node(p, t->sig ? TN_RAW : TN_VAR);
	node->name = n;
	p->pos = t->end;
	p->clean = 0;
	return 0;
}

static int check_depth(struct parser *p, const struct tag *t)
{
	if (p->depth < MAX_NEST)
		return 0;
	return perr(p, t->pos, "sections nested too deeply (limit %d)", MAX_NEST);
}

static int on_section(struct parser *p, const struct tag *t)
{
	struct tpl_name n;
	enum tpl_ntype type = t->sig == '#' ? TN_SECTION : TN_INVERTED;
	if (check_depth(p, t) < 0 || parse_name(p, t, 1, 0, &n) < 0)
		return -1;
	struct tpl_node *node;
	size_t next;
	if (standalone(p, t->end, &next)) {
		trim_cur(p);
		node = list_add(top(p)->list, type);
		new_line(p, next);
	} else {
		node = add_node(p, type);
		p->pos = t->end;
		p->clean = 0;
	}
	node->name = n;
	push(p, node, t->pos);
	return 0;
}

static int on_partial(struct parser *p, const struct tag *t)
{
	struct tpl_name n;
	if (parse_name(p, t, 0, 1, &n) < 0)
		return -1;
	struct tpl_node *node;
	size_t next;
	if (standalone(p, t->end, &next)) {
		trim_cur(p);
		node = list_add(top(p)->list, TN_PARTIAL);
		set_indent(p, node, p->ws_start, t->pos);
		new_line(p, next);
	} else {
		node = add_node(p, TN_PARTIAL);
		p->pos = t->end;
		p->clean = 0;
	}
	node->name = n;
	return 0;
}

/* A parent tag does not end the "only whitespace so far" state of its line: whether it stands
 * alone is decided at its closing tag, as if the whole {{<x}}...{{/x}} were one tag. */
static int on_parent(struct parser *p, const struct tag *t)
{
	struct tpl_name n;
	if (check_depth(p, t) < 0 || parse_name(p, t, 0, 1, &n) < 0)
		return -1;
	struct tpl_node *node = add_node(p, TN_PARENT);
	node->name = n;
	int clean = p->clean;
	size_t ws = p->ws_start;
	push(p, node, t->pos);
	top(p)->open_clean = clean;
	top(p)->ws_start = ws;
	p->pos = p->ws_start = t->end;
	return 0;
}

/* A block whose tag starts its line is indented as a unit: by the first content line's
 * indentation when the tag stands alone, else by the whitespace before the tag. */
static int on_block(struct parser *p, const struct tag *t)
{
	struct tpl_name n;
	if (check_depth(p, t) < 0 || parse_name(p, t, 0, 0, &n) < 0)
		return -1;
	struct tpl_list *l = top(p)->list;
	struct frame *up = top(p);
	struct tpl_node *node;
	const char *raw = NULL;
	size_t rawlen = 0, next;
	if (standalone(p, t->end, &next)) {
		trim_cur(p);
		node = list_add(l, TN_BLOCK);
		raw = p->s + next;
		while (next + rawlen < p->len && is_ws(raw[rawlen]))
			rawlen++;
		new_line(p, next);
		p->skip_indent = 1;
	} else {
		if (p->clean) {
			trim_cur(p);
			node = list_add(l, TN_BLOCK);
			raw = p->s + p->ws_start;
			rawlen = t->pos - p->ws_start;
			p->bol = p->skip_indent = 0;
		} else {
			node = add_node(p, TN_BLOCK);
		}
		p->pos = t->end;
		p->clean = 0;
	}
	node->name = n;
	push(p, node, t->pos);
	if (raw) {
		size_t k = common_ws(raw, rawlen, up->eff, up->efflen);
		node->has_indent = 1;
		node->text = raw + k;
		node->len = rawlen - k;
		if (rawlen > up->efflen) {
			top(p)->eff = raw;
			top(p)->efflen = rawlen;
		}
	}
	return 0;
}

static int close_parent(struct parser *p, const struct tag *t, int alone, size_t next)
{
	struct frame *f = top(p);
	int open_clean = f->open_clean;
	size_t ws = f->ws_start, tpos = f->tag_pos;
	p->depth--;
	if (!alone || !open_clean) {
		p->pos = t->end;
		p->clean = 0;
		return 0;
	}
	struct tpl_list *l = top(p)->list;
	trim_line(l, l->n - 1);
	set_indent(p, &l->v[l->n - 1], ws, tpos);
	new_line(p, next);
	return 0;
}

static int on_close(struct parser *p, const struct tag *t)
{
	struct tpl_name n;
	int line, col;
	if (parse_name(p, t, 0, 1, &n) < 0)
		return -1;
	if (p->depth == 0) {
		perr(p, t->pos, "closing tag '%s' without an open section", n.str);
		free_name(&n);
		return -1;
	}
	struct tpl_node *node = top(p)->node;
	if (strcmp(n.str, node->name.str) != 0) {
		line_col(p, top(p)->tag_pos, &line, &col);
		perr(p, t->pos, "closing tag '%s' does not match '%s' opened at %d:%d", n.str,
		     node->name.str, line, col);
		free_name(&n);
		return -1;
	}
	free_name(&n);
	size_t next;
	int alone = standalone(p, t->end, &next);
	if (node->type == TN_PARENT)
		return close_parent(p, t, alone, next);
	if (alone) {
		trim_cur(p);
		p->depth--;
		new_line(p, next);
		return 0;
	}
	p->depth--;
	p->pos = t->end;
	/* Tags in a parent's body outside blocks produce nothing, so they keep the line clean. */
	if (node->type == TN_BLOCK && in_body(p))
		p->ws_start = t->end;
	else
		p->clean = 0;
	return 0;
}

static int on_tag(struct parser *p, const struct tag *t)
{
	switch (t->sig) {
	case '!':
		skip_tag(p, t);
		return 0;
	case '=':
		return on_delims(p, t);
	case '#':
	case '^':
		return on_section(p, t);
	case '/':
		return on_close(p, t);
	case '>':
		return on_partial(p, t);
	case '<':
		return on_parent(p, t);
	case '$':
		return on_block(p, t);
	default:
		return on_var(p, t);
	}
}

static int parse(struct parser *p)
{
	while (p->pos < p->len) {
		size_t tp = find(p, p->pos, p->otag, p->olen);
		add_text(p, p->pos, tp);
		if (tp == p->len)
			break;
		struct tag t;
		if (read_tag(p, tp, &t) < 0 || on_tag(p, &t) < 0)
			return -1;
	}
	if (p->depth > 0)
		return perr(p, top(p)->tag_pos, "unclosed section '%s'", top(p)->node->name.str);
	return 0;
}

static void free_list(struct tpl_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free_name(&l->v[i].name);
		free_list(&l->v[i].kids);
	}
	free(l->v);
}

void tpl_free(struct tpl *t)
{
	if (!t)
		return;
	free_list(&t->root);
	free(t->name);
	free(t->src);
	free(t);
}

struct tpl *tpl_compile(const char *name, const char *text, size_t len, struct err *e)
{
	struct tpl *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name ? name : "");
	t->len = text ? len : 0;
	t->src = xmalloc(t->len + 1);
	if (t->len)
		memcpy(t->src, text, t->len);
	t->src[t->len] = '\0';
	struct parser *p = xcalloc(1, sizeof *p);
	p->name = t->name;
	p->s = t->src;
	p->len = t->len;
	p->otag = "{{";
	p->ctag = "}}";
	p->olen = p->clen = 2;
	p->clean = p->bol = 1;
	p->st[0].list = &t->root;
	p->e = e;
	int rc = parse(p);
	free(p);
	if (rc < 0) {
		tpl_free(t);
		return NULL;
	}
	return t;
}
