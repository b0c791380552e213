/* targets.h: what to probe — the built-in defaults (kb/targets.yaml) merged with a user's
 * targets file (../shared/spec/targets.md) and command-line flags. */
#ifndef TORREADY_TARGETS_H
#define TORREADY_TARGETS_H

#include <stddef.h>

#include "err.h"

#define HOST_MAX 256

/* "1.2.3.4:443", "[2001:db8::1]:443" or "name:443". */
struct endpoint {
	char host[HOST_MAX];   /* without brackets */
	int port;
};
int endpoint_parse(const char *s, int default_port, struct endpoint *ep, struct err *e);
/* "host:port" with brackets around IPv6 literals. */
const char *endpoint_str(const struct endpoint *ep, char *buf, size_t len);
int host_is_ip_literal(const char *host);

struct dirauth {
	char *name;
	struct endpoint or_addr;
	struct endpoint dir_addr;   /* port 0 when none */
	struct endpoint or6_addr;   /* port 0 when none */
	char fp[41];
};

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

struct site { char *https, *http; };
struct pin {
	char *host;
	int port;
	char **spki; size_t nspki;
	char **issuers; size_t nissuers;
};
struct baseline { char *name; char *url; };

struct strlist { char **v; size_t n; };
void strlist_add(struct strlist *l, const char *s);
void strlist_free(struct strlist *l);

struct targets {
	long timeout_s;          /* 0 = not set */
	struct dirauth *dirauths; size_t ndirauths;
	struct bridge *bridges; size_t nbridges;
	struct site *sites; size_t nsites;
	struct pin *pins; size_t npins;
	struct baseline *baselines; size_t nbaselines;
	struct baseline *client_checks; size_t nclient_checks;   /* https.client: known-bad sites */
	struct strlist mail;        /* "host:port" */
	struct strlist resolve;     /* curl --resolve entries */
	struct strlist torrc;
	char *cafile, *socks, *tor_binary, *tor_pt, *store_root;
	int no_defaults;         /* --no-defaults: run only what was given (no public fallbacks) */
};

void targets_init(struct targets *t);
void targets_free(struct targets *t);
/* Loads a targets YAML file into t (adding to what is there). defaults=1 allows the keys
 * only the built-in defaults file has (baseline, source, reviewed). */
int targets_load(struct targets *t, const char *path, int defaults, struct err *e);
int targets_load_text(struct targets *t, const char *name, const char *text, size_t len,
		      int defaults, struct err *e);

/* Moves everything in src into dst (lists append, set values override); src ends empty. */
void targets_merge(struct targets *dst, struct targets *src);

/* Flag forms (cli.md). Each adds to t; errors name the flag value. */
int targets_add_dirauth_flag(struct targets *t, const char *spec, struct err *e);
int targets_add_bridge(struct targets *t, const char *line, struct err *e);
int targets_add_site(struct targets *t, const char *https, const char *http, struct err *e);
int targets_add_pin_flag(struct targets *t, const char *spec, struct err *e);

#endif
