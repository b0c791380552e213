/* ptproto.c: the pluggable-transport client protocol, pure (see ptproto.h; pt-spec §3). */
#include "ptproto.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"

static void copy_cut(char *dst, size_t dstlen, const char *src, size_t n)
{
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)dst[i] < 0x20)
			dst[i] = ' ';
}

/* The next space-separated word before end: sets w and wn, advances p. 0 when none is left. */
static int next_word(const char **p, const char *end, const char **w, size_t *wn)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	if (*p >= end)
		return 0;
	*w = *p;
	while (*p < end && **p != ' ' && **p != '\t')
		(*p)++;
	*wn = (size_t)(*p - *w);
	return 1;
}

static void rest_of_line(const char *p, const char *end, struct pt_line *out)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	copy_cut(out->msg, sizeof out->msg, p, (size_t)(end - p));
}

static int word_is(const char *w, size_t n, const char *kw)
{
	return strlen(kw) == n && !memcmp(w, kw, n);
}

static void bad(struct pt_line *out, const char *why)
{
	out->kind = PT_BAD;
	snprintf(out->msg, sizeof out->msg, "%s", why);
}

static void parse_cmethod(const char *p, const char *end, struct pt_line *out)
{
	const char *w;
	size_t n;
	if (!next_word(&p, end, &w, &n) || n >= sizeof out->transport)
		{ bad(out, "CMETHOD without a transport name"); return; }
	copy_cut(out->transport, sizeof out->transport, w, n);
	if (!next_word(&p, end, &w, &n) || !(word_is(w, n, "socks5") || word_is(w, n, "socks4")))
		{ bad(out, "CMETHOD with an unknown proxy method (expected socks5 or socks4)"); return; }
	copy_cut(out->method, sizeof out->method, w, n);
	char addr[HOST_MAX + 16];
	if (!next_word(&p, end, &w, &n) || n >= sizeof addr)
		{ bad(out, "CMETHOD without an address"); return; }
	copy_cut(addr, sizeof addr, w, n);
	struct err e;
	if (endpoint_parse(addr, 0, &out->addr, &e) < 0 || !host_is_ip_literal(out->addr.host))
		{ bad(out, "CMETHOD with an address that is not IP:PORT"); return; }
	out->kind = PT_CMETHOD;
}

static void parse_transport_msg(const char *p, const char *end, struct pt_line *out, const char *what)
{
	const char *w;
	size_t n;
	if (!next_word(&p, end, &w, &n) || n >= sizeof out->transport)
		{ bad(out, what); return; }
	copy_cut(out->transport, sizeof out->transport, w, n);
	rest_of_line(p, end, out);
}

void ptproto_parse_line(const char *line, size_t len, struct pt_line *out)
{
	memset(out, 0, sizeof *out);
	const char *p = line, *end = line + len, *w;
	size_t n;
	out->kind = PT_OTHER;
	if (!next_word(&p, end, &w, &n))
		return;
	if (word_is(w, n, "VERSION")) {
		out->kind = PT_VERSION;
		if (!next_word(&p, end, &w, &n) || n >= sizeof out->arg)
			{ bad(out, "VERSION without a version"); return; }
		copy_cut(out->arg, sizeof out->arg, w, n);
	} else if (word_is(w, n, "VERSION-ERROR")) {
		out->kind = PT_VERSION_ERROR;
		rest_of_line(p, end, out);
	} else if (word_is(w, n, "ENV-ERROR")) {
		out->kind = PT_ENV_ERROR;
		rest_of_line(p, end, out);
	} else if (word_is(w, n, "CMETHOD")) {
		parse_cmethod(p, end, out);
	} else if (word_is(w, n, "CMETHOD-ERROR")) {
		out->kind = PT_CMETHOD_ERROR;
		parse_transport_msg(p, end, out, "CMETHOD-ERROR without a transport name");
	} else if (word_is(w, n, "CMETHODS")) {
		if (!next_word(&p, end, &w, &n) || !word_is(w, n, "DONE"))
			return;   /* stays PT_OTHER */
		out->kind = PT_CMETHODS_DONE;
	} else if (word_is(w, n, "PROXY")) {
		if (next_word(&p, end, &w, &n) && word_is(w, n, "DONE"))
			out->kind = PT_PROXY_DONE;
	} else if (word_is(w, n, "PROXY-ERROR")) {
		out->kind = PT_PROXY_ERROR;
		rest_of_line(p, end, out);
	} else if (word_is(w, n, "LOG")) {
		out->kind = PT_LOG;
		rest_of_line(p, end, out);
	} else if (word_is(w, n, "STATUS")) {
		out->kind = PT_STATUS;
		rest_of_line(p, end, out);
	}
}

void ptproto_init(struct pt_state *st)
{
	memset(st, 0, sizeof *st);
	st->verdict = PT_PENDING;
}

static enum pt_verdict fail(struct pt_state *st, const char *what, const char *msg)
{
	st->verdict = PT_FAILED;
	snprintf(st->error, sizeof st->error, "%.100s%s%.190s", what, msg && *msg ? ": " : "", msg ? msg : "");
	return st->verdict;
}

static void add_method(struct pt_state *st, const struct pt_line *l, int ok)
{
	struct pt_method *m = NULL;
	for (int i = 0; i < st->nmethods && !m; i++)
		if (!strcmp(st->methods[i].transport, l->transport))
			m = &st->methods[i];   /* a repeated transport: the last word counts */
	if (!m) {
		if (st->nmethods >= PT_MAX_METHODS)
			return;
		m = &st->methods[st->nmethods++];
	}
	memset(m, 0, sizeof *m);
	snprintf(m->transport, sizeof m->transport, "%s", l->transport);
	m->ok = ok;
	if (ok)
		m->addr = l->addr;
	else
		snprintf(m->msg, sizeof m->msg, "%s", l->msg);
}

enum pt_verdict ptproto_feed(struct pt_state *st, const char *line, size_t len)
{
	struct pt_line l;
	ptproto_parse_line(line, len, &l);
	if (l.kind == PT_LOG || l.kind == PT_STATUS) {
		snprintf(st->last_log, sizeof st->last_log, "%s", l.msg);
		return st->verdict;
	}
	if (st->verdict != PT_PENDING)
		return st->verdict;
	switch (l.kind) {
	case PT_VERSION:
		if (strcmp(l.arg, "1"))
			return fail(st, "the transport speaks an unknown protocol version", l.arg);
		st->version_ok = 1;
		break;
	case PT_VERSION_ERROR: return fail(st, "the transport refused our protocol version", l.msg);
	case PT_ENV_ERROR: return fail(st, "the transport rejected its environment", l.msg);
	case PT_PROXY_ERROR: return fail(st, "the transport cannot use the proxy", l.msg);
	case PT_BAD: return fail(st, "the transport printed a malformed line", l.msg);
	case PT_CMETHOD:
	case PT_CMETHOD_ERROR:
		if (!st->version_ok)
			return fail(st, "the transport offered methods before its VERSION", NULL);
		if (l.kind == PT_CMETHOD && strcmp(l.method, "socks5"))
			return fail(st, "the transport offers only SOCKS4, which cannot carry bridge arguments", NULL);
		add_method(st, &l, l.kind == PT_CMETHOD);
		break;
	case PT_CMETHODS_DONE:
		if (!st->version_ok)
			return fail(st, "the transport ended its methods without a VERSION", NULL);
		st->verdict = PT_READY;
		break;
	default:
		break;
	}
	return st->verdict;
}

const struct pt_method *ptproto_method(const struct pt_state *st, const char *transport)
{
	for (int i = 0; i < st->nmethods; i++)
		if (!strcmp(st->methods[i].transport, transport))
			return &st->methods[i];
	return NULL;
}

static void put_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '=' || *s == ';')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
}

int ptproto_socks_auth(const struct bridge_arg *args, size_t nargs, uint8_t user[255], size_t *ulen,
		       uint8_t pass[255], size_t *plen)
{
	*ulen = *plen = 0;
	if (!nargs)
		return -1;
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < nargs; i++) {
		if (i)
			buf_putc(&b, ';');
		put_escaped(&b, args[i].key);
		buf_putc(&b, '=');
		put_escaped(&b, args[i].value);
	}
	int rc = -1;
	if (b.len <= 510) {
		size_t u = b.len < 255 ? b.len : 255;
		memcpy(user, b.data, u);
		*ulen = u;
		if (b.len > 255) {
			memcpy(pass, b.data + 255, b.len - 255);
			*plen = b.len - 255;
		} else {
			pass[0] = 0;
			*plen = 1;
		}
		rc = 0;
	}
	buf_free(&b);
	return rc;
}
