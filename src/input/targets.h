/* targets.h: what to probe — the built-in defaults (kb/targets.yaml) merged with a user's
 * targets file (../shared/spec/targets.md) and command-line flags. */
#ifndef TORREADY_TARGETS_H
#define TORREADY_TARGETS_H

#include <stddef.h>

#include "endpoint.h"
#include "err.h"

struct dirauth {
	char *name;
	struct endpoint or_addr;
	struct endpoint dir_addr;   /* port 0 when none */
	struct endpoint or6_addr;   /* port 0 when none */
	char fp[41];
};

struct site { char *https, *http; };
struct pin {
	char *host;
	int port;
	char **spki; size_t nspki;
	char **issuers; size_t nissuers;
};
struct baseline { char *name; char *url; };

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
