/* endpoint.c: host:port parsing (IPv6 in brackets) and bridge-line parsing. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "endpoint.h"
#include "validate.h"

int host_is_ip_literal(const char *host)
{
	unsigned char tmp[16];
	return inet_pton(AF_INET, host, tmp) == 1 || inet_pton(AF_INET6, host, tmp) == 1;
}

static int valid_hostname(const char *h)
{
	if (!*h || strlen(h) >= HOST_MAX)
		return 0;
	for (const char *p = h; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' && *p != '_')
			return 0;
	return 1;
}

static int parse_port(const char *s, int *port)
{
	char *end;
	if (!*s || !isdigit((unsigned char)*s))
		return -1;
	long v = strtol(s, &end, 10);
	if (*end || v < 1 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

int endpoint_parse(const char *s, int default_port, struct endpoint *ep, struct err *e)
{
	memset(ep, 0, sizeof *ep);
	const char *port = NULL;
	size_t hostlen;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close)
			return err_set(e, "\"%.80s\": missing ']' after the IPv6 address", s);
		hostlen = (size_t)(close - s - 1);
		if (hostlen >= HOST_MAX)
			return err_set(e, "\"%.80s\": address too long", s);
		memcpy(ep->host, s + 1, hostlen);
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			return err_set(e, "\"%.80s\": expected ':PORT' after ']'", s);
		unsigned char tmp[16];
		if (inet_pton(AF_INET6, ep->host, tmp) != 1)
			return err_set(e, "\"%.80s\": not an IPv6 address", s);
	} else {
		const char *colon = strrchr(s, ':');
		if (colon && strchr(s, ':') != colon)
			return err_set(e, "\"%.80s\": put IPv6 addresses in brackets, as [2001:db8::1]:443", s);
		hostlen = colon ? (size_t)(colon - s) : strlen(s);
		if (hostlen >= HOST_MAX)
			return err_set(e, "\"%.80s\": host name too long", s);
		memcpy(ep->host, s, hostlen);
		port = colon ? colon + 1 : NULL;
		if (!valid_hostname(ep->host))
			return err_set(e, "\"%.80s\": not a host name or address", s);
	}
	if (port) {
		if (parse_port(port, &ep->port) < 0)
			return err_set(e, "\"%.80s\": the port must be a number from 1 to 65535", s);
	} else if (default_port > 0) {
		ep->port = default_port;
	} else {
		return err_set(e, "\"%.80s\": a port is needed (HOST:PORT)", s);
	}
	return 0;
}

const char *endpoint_str(const struct endpoint *ep, char *buf, size_t len)
{
	if (strchr(ep->host, ':'))
		snprintf(buf, len, "[%s]:%d", ep->host, ep->port);
	else
		snprintf(buf, len, "%s:%d", ep->host, ep->port);
	return buf;
}

void strlist_add(struct strlist *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 2) * sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
	l->v[l->n] = NULL;
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int is_fingerprint(const char *s)
{
	if (strlen(s) != 40)
		return 0;
	for (const char *p = s; *p; p++)
		if (!isxdigit((unsigned char)*p))
			return 0;
	return 1;
}

/* Splits on spaces/tabs into a NULL-terminated vector of copies. */
static char **split_words(const char *line, size_t *n)
{
	char **v = NULL;
	*n = 0;
	const char *p = line;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		v = xrealloc(v, (*n + 2) * sizeof *v);
		v[(*n)++] = xstrndup(start, (size_t)(p - start));
		v[*n] = NULL;
	}
	return v;
}

static void free_words(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int bridge_fill(struct bridge *b, char **w, size_t n, struct err *e)
{
	size_t i = 0;
	/* A transport name is a word without ':' (addresses always carry a port). */
	if (n && !strchr(w[0], ':') && w[0][0] != '[') {
		for (const char *p = w[0]; *p; p++)
			if (!isalnum((unsigned char)*p) && *p != '_')
				return err_set(e, "bridge line: \"%.40s\" is not a transport name", w[0]);
		free(b->transport);
		b->transport = xstrdup(w[i++]);
	}
	if (i >= n)
		return err_set(e, "bridge line \"%.80s\": missing ADDRESS:PORT", b->line);
	struct err sub;
	if (endpoint_parse(w[i++], 0, &b->addr, &sub) < 0)
		return err_set(e, "bridge line \"%.80s\": %s", b->line, sub.msg);
	if (!host_is_ip_literal(b->addr.host))
		return err_set(e, "bridge line \"%.80s\": the address must be an IP address", b->line);
	if (check_bridge_addr(b->addr.host, &sub) < 0)
		return err_set(e, "bridge line \"%.80s\": %s", b->line, sub.msg);
	if (i < n && !strchr(w[i], '=')) {
		const char *fp = w[i][0] == '$' ? w[i] + 1 : w[i];
		if (!is_fingerprint(fp))
			return err_set(e, "bridge line \"%.80s\": \"%.50s\" is not a 40-character fingerprint",
				       b->line, w[i]);
		for (int k = 0; k < 40; k++)
			b->fp[k] = (char)toupper((unsigned char)fp[k]);
		b->fp[40] = '\0';
		i++;
	}
	for (; i < n; i++) {
		char *eq = strchr(w[i], '=');
		if (!eq || eq == w[i])
			return err_set(e, "bridge line \"%.80s\": \"%.50s\" should be KEY=VALUE", b->line, w[i]);
		b->args = xrealloc(b->args, (b->nargs + 1) * sizeof *b->args);
		b->args[b->nargs].key = xstrndup(w[i], (size_t)(eq - w[i]));
		b->args[b->nargs].value = xstrdup(eq + 1);
		b->nargs++;
	}
	return 0;
}

int bridge_parse(const char *line, struct bridge *b, struct err *e)
{
	memset(b, 0, sizeof *b);
	while (*line == ' ' || *line == '\t')
		line++;
	if (!strncmp(line, "Bridge ", 7) || !strncmp(line, "bridge ", 7))
		line += 7;
	if (strlen(line) > 4096)
		return err_set(e, "bridge line is longer than 4096 characters");
	for (const char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return err_set(e, "bridge line contains a control character");
	size_t n;
	char **w = split_words(line, &n);
	b->transport = xstrdup("");
	size_t len = strlen(line);
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	b->line = xstrndup(line, len);
	int rc = bridge_fill(b, w, n, e);
	free_words(w, n);
	if (rc < 0)
		bridge_free(b);
	return rc;
}

void bridge_free(struct bridge *b)
{
	free(b->line);
	free(b->transport);
	for (size_t i = 0; i < b->nargs; i++) {
		free(b->args[i].key);
		free(b->args[i].value);
	}
	free(b->args);
	memset(b, 0, sizeof *b);
}

const char *bridge_arg(const struct bridge *b, const char *key)
{
	for (size_t i = 0; i < b->nargs; i++)
		if (!strcmp(b->args[i].key, key))
			return b->args[i].value;
	return NULL;
}
