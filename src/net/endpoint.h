/* endpoint.h: host:port and torrc bridge lines parsed and printed, and the small string
 * list the targets use (endpoint.c); targets.h builds on these. */
#ifndef TORREADY_ENDPOINT_H
#define TORREADY_ENDPOINT_H

#include <stddef.h>

#include "err.h"
#include "validate.h"   /* HOST_MAX */

/* "1.2.3.4:443", "[2001:db8::1]:443" or "name:443". */
struct endpoint {
	char host[HOST_MAX];   /* without brackets */
	int port;
};
int endpoint_parse(const char *s, int default_port, struct endpoint *ep, struct err *e);
/* "host:port" with brackets around IPv6 literals. */
const char *endpoint_str(const struct endpoint *ep, char *buf, size_t len);
int host_is_ip_literal(const char *host);

struct bridge_arg { char *key, *value; };
struct bridge {
	char *line;          /* as given, without a leading "Bridge " */
	char *transport;     /* "" for a vanilla bridge */
	struct endpoint addr;
	char fp[41];         /* "" when the line has none (meek_lite may omit it) */
	struct bridge_arg *args;
	size_t nargs;
};
/* Parses a torrc bridge line ("[Bridge] [transport] addr:port [FP] [k=v ...]"). */
int bridge_parse(const char *line, struct bridge *b, struct err *e);
void bridge_free(struct bridge *b);
const char *bridge_arg(const struct bridge *b, const char *key);

struct strlist { char **v; size_t n; };
void strlist_add(struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

#endif
