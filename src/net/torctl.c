/* torctl.c: tor control-port replies, arguments and bootstrap status, pure (see torctl.h). */
#include "torctl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define TORCTL_MAX_REPLY (1024 * 1024)

void torctl_reply_free(struct torctl_reply *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nlines; i++) {
		free(r->lines[i].text);
		free(r->lines[i].data);
	}
	free(r->lines);
	memset(r, 0, sizeof *r);
}

/* One line at buf[pos..len): its length without the line end in *n and the position after
 * it in *next. 0 when no line end yet, -1 when the line is too long. */
static int get_line(const char *buf, size_t len, size_t pos, size_t *n, size_t *next)
{
	const char *nl = memchr(buf + pos, '\n', len - pos);
	if (!nl)
		return len - pos > TORCTL_MAX_LINE ? -1 : 0;
	size_t end = (size_t)(nl - buf);
	if (end - pos > TORCTL_MAX_LINE)
		return -1;
	*next = end + 1;
	if (end > pos && buf[end - 1] == '\r')
		end--;
	*n = end - pos;
	return 1;
}

/* Reads a data block (after a "+" line) up to the "." line. Returns like get_line. */
static int get_data(const char *buf, size_t len, size_t *pos, struct buf *out)
{
	for (;;) {
		size_t n, next;
		int rc = get_line(buf, len, *pos, &n, &next);
		if (rc <= 0)
			return rc;
		const char *l = buf + *pos;
		*pos = next;
		if (n == 1 && l[0] == '.')
			return 1;
		if (n && l[0] == '.') {   /* dot-stuffing */
			l++;
			n--;
		}
		if (out->len)
			buf_putc(out, '\n');
		buf_append(out, l, n);
		if (out->len > TORCTL_MAX_REPLY)
			return -1;
	}
}

static int line_head(const char *l, size_t n, int *code, char *sep)
{
	if (n < 4 || !isdigit((unsigned char)l[0]) || !isdigit((unsigned char)l[1]) ||
	    !isdigit((unsigned char)l[2]) || !strchr("-+ ", l[3]) || !l[3])
		return -1;
	*code = (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
	*sep = l[3];
	return 0;
}

long torctl_parse_reply(const char *buf, size_t len, struct torctl_reply *r)
{
	memset(r, 0, sizeof *r);
	size_t pos = 0;
	for (;;) {
		size_t n, next;
		int rc = get_line(buf, len, pos, &n, &next);
		int code;
		char sep;
		if (rc <= 0 || line_head(buf + pos, n, &code, &sep) < 0 || (r->nlines && code != r->code) ||
		    r->nlines >= TORCTL_MAX_LINES) {
			torctl_reply_free(r);
			return rc == 0 ? 0 : -1;
		}
		r->code = code;
		r->lines = xrealloc(r->lines, (r->nlines + 1) * sizeof *r->lines);
		struct torctl_line *tl = &r->lines[r->nlines++];
		tl->sep = sep;
		tl->text = xstrndup(buf + pos + 4, n - 4);
		tl->data = NULL;
		pos = next;
		if (sep == '+') {
			struct buf d;
			buf_init(&d);
			rc = get_data(buf, len, &pos, &d);
			tl->data = buf_steal(&d);
			if (rc <= 0) {
				torctl_reply_free(r);
				return rc;
			}
		}
		if (sep == ' ')
			return (long)pos;
	}
}

static void put_cut(char *dst, size_t dstlen, size_t *k, char c)
{
	if (*k + 1 < dstlen)
		dst[(*k)++] = c;
}

/* A quoted string starting at *p (on the opening quote), C escapes as tor writes them. */
static int read_quoted(const char **p, char *val, size_t vallen)
{
	const char *s = *p + 1;
	size_t k = 0;
	while (*s && *s != '"') {
		char c = *s++;
		if (c == '\\') {
			if (!*s)
				return -1;
			c = *s++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			default: break;   /* \\ \" \' and anything else: the character itself */
			}
		}
		put_cut(val, vallen, &k, (unsigned char)c < 0x20 ? ' ' : c);
	}
	if (*s != '"')
		return -1;
	val[k] = '\0';
	*p = s + 1;
	return 1;
}

int torctl_next_arg(const char **p, char *key, size_t keylen, char *val, size_t vallen)
{
	const char *s = *p;
	while (*s == ' ')
		s++;
	key[0] = val[0] = '\0';
	if (!*s) {
		*p = s;
		return 0;
	}
	const char *start = s;
	while (*s && *s != ' ' && *s != '=' && *s != '"')
		s++;
	size_t k = 0;
	if (*s == '=' && s > start) {
		for (const char *q = start; q < s; q++)
			put_cut(key, keylen, &k, *q);
		key[k] = '\0';
		s++;
		if (*s == '"') {
			*p = s;
			return read_quoted(p, val, vallen);
		}
		start = s;
		while (*s && *s != ' ')
			s++;
	} else if (*s == '"' && s == start) {
		*p = s;
		return read_quoted(p, val, vallen);
	} else {
		while (*s && *s != ' ')
			s++;
	}
	k = 0;
	for (const char *q = start; q < s; q++)
		put_cut(val, vallen, &k, (unsigned char)*q < 0x20 ? ' ' : *q);
	val[k] = '\0';
	*p = s;
	return 1;
}

static void set_field(struct torctl_bootstrap *b, const char *key, const char *val)
{
	struct { const char *key; char *dst; size_t len; } f[] = {
		{ "TAG", b->tag, sizeof b->tag },
		{ "SUMMARY", b->summary, sizeof b->summary },
		{ "WARNING", b->warning, sizeof b->warning },
		{ "REASON", b->reason, sizeof b->reason },
		{ "RECOMMENDATION", b->recommendation, sizeof b->recommendation },
		{ "HOSTID", b->hostid, sizeof b->hostid },
		{ "HOSTADDR", b->hostaddr, sizeof b->hostaddr },
	};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		if (!strcmp(key, f[i].key))
			snprintf(f[i].dst, f[i].len, "%s", val);
	if (!strcmp(key, "PROGRESS") || !strcmp(key, "COUNT")) {
		char *end;
		long v = strtol(val, &end, 10);
		if (*val && !*end && v >= 0 && v <= 1000000)
			*(!strcmp(key, "PROGRESS") ? &b->progress : &b->count) = (int)v;
	}
}

int torctl_parse_bootstrap(const char *text, struct torctl_bootstrap *b)
{
	memset(b, 0, sizeof *b);
	b->progress = -1;
	const char *p = text;
	char key[32], val[256];
	if (!strncmp(p, "STATUS_CLIENT ", 14))
		p += 14;
	if (torctl_next_arg(&p, key, sizeof key, val, sizeof val) != 1 || key[0])
		return -1;
	if (!strcmp(val, "NOTICE"))
		b->severity = TORCTL_NOTICE;
	else if (!strcmp(val, "WARN"))
		b->severity = TORCTL_WARN;
	else if (!strcmp(val, "ERR"))
		b->severity = TORCTL_ERR;
	else
		return -1;
	if (torctl_next_arg(&p, key, sizeof key, val, sizeof val) != 1 || key[0] || strcmp(val, "BOOTSTRAP"))
		return -1;
	int rc;
	while ((rc = torctl_next_arg(&p, key, sizeof key, val, sizeof val)) == 1)
		if (key[0])
			set_field(b, key, val);
	if (rc < 0 || b->progress < 0 || b->progress > 100)
		return -1;
	return 0;
}

int torctl_parse_port_file(const char *text, struct endpoint *ep)
{
	const char *p = text;
	while (strncmp(p, "PORT=", 5)) {   /* the line that starts with PORT= */
		p = strchr(p, '\n');
		if (!p)
			return -1;
		p++;
	}
	p += 5;
	char tmp[HOST_MAX + 16];
	size_t n = strcspn(p, "\r\n");
	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	struct err e;
	if (endpoint_parse(tmp, 0, ep, &e) < 0 || !host_is_ip_literal(ep->host))
		return -1;
	return 0;
}

size_t torctl_build_authenticate(const uint8_t *cookie, size_t len, char *out, size_t outlen)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t need = 13 + 2 * len + 2 + 1;   /* "AUTHENTICATE " hex "\r\n" NUL */
	if (outlen < need)
		return 0;
	size_t k = 0;
	memcpy(out, "AUTHENTICATE ", 13);
	k = 13;
	for (size_t i = 0; i < len; i++) {
		out[k++] = hex[cookie[i] >> 4];
		out[k++] = hex[cookie[i] & 15];
	}
	out[k++] = '\r';
	out[k++] = '\n';
	out[k] = '\0';
	return k;
}

int torctl_log_bootstrapped(const char *line)
{
	const char *p = strstr(line, "Bootstrapped ");
	if (!p)
		return -1;
	p += 13;
	if (!isdigit((unsigned char)*p))
		return -1;
	char *end;
	long v = strtol(p, &end, 10);
	if (*end != '%' || v < 0 || v > 100)
		return -1;
	return (int)v;
}
