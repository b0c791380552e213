/* targets.c: loading targets YAML files (defaults and user files) and flag values into one
 * struct targets. Every problem in a file names file:line:col. */
#include <ctype.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "safetext.h"
#include "targets.h"
#include "validate.h"
#include "torrc_allow.h"
#include "ydoc.h"

void targets_init(struct targets *t)
{
	memset(t, 0, sizeof *t);
}

static void free_pin(struct pin *p)
{
	free(p->host);
	for (size_t i = 0; i < p->nspki; i++)
		free(p->spki[i]);
	for (size_t i = 0; i < p->nissuers; i++)
		free(p->issuers[i]);
	free(p->spki);
	free(p->issuers);
}

void targets_free(struct targets *t)
{
	for (size_t i = 0; i < t->ndirauths; i++)
		free(t->dirauths[i].name);
	for (size_t i = 0; i < t->nbridges; i++)
		bridge_free(&t->bridges[i]);
	for (size_t i = 0; i < t->nsites; i++) {
		free(t->sites[i].https);
		free(t->sites[i].http);
	}
	for (size_t i = 0; i < t->npins; i++)
		free_pin(&t->pins[i]);
	for (size_t i = 0; i < t->nbaselines; i++) {
		free(t->baselines[i].name);
		free(t->baselines[i].url);
	}
	for (size_t i = 0; i < t->nclient_checks; i++) {
		free(t->client_checks[i].name);
		free(t->client_checks[i].url);
	}
	free(t->client_checks);
	free(t->dirauths);
	free(t->bridges);
	free(t->sites);
	free(t->pins);
	free(t->baselines);
	strlist_free(&t->mail);
	strlist_free(&t->resolve);
	strlist_free(&t->torrc);
	free(t->cafile);
	free(t->socks);
	free(t->tor_binary);
	free(t->tor_pt);
	free(t->store_root);
	memset(t, 0, sizeof *t);
}

#define GROW(arr, n) ((arr) = xrealloc((arr), ((n) + 1) * sizeof *(arr)), memset(&(arr)[(n)], 0, sizeof *(arr)), &(arr)[(n)++])

static int fingerprint_ok(const char *s, char out[41])
{
	if (*s == '$')
		s++;
	size_t k = 0;
	for (; *s && k < 41; s++) {
		if (*s == ' ')
			continue;
		if (!isxdigit((unsigned char)*s))
			return -1;
		out[k++] = (char)toupper((unsigned char)*s);
	}
	if (k != 40 || *s)
		return -1;
	out[40] = '\0';
	return 0;
}

/* Parses an endpoint from a node; errors point at the node. */
static int node_endpoint(struct ydoc *d, yaml_node_t *n, const char *what, int defport,
			 struct endpoint *ep, struct err *e)
{
	const char *s;
	struct err sub;
	if (ydoc_expect_str(d, n, what, &s, e) < 0)
		return -1;
	if (endpoint_parse(s, defport, ep, &sub) < 0)
		return ydoc_fail(d, n, e, "%s: %s", what, sub.msg);
	return 0;
}

static int load_dirauth(struct targets *t, struct ydoc *d, yaml_node_t *n, struct err *e)
{
	static const char *const keys[] = { "name", "or", "dir", "or6", "fingerprint", NULL };
	if (ydoc_expect_map(d, n, "a dirauths entry", e) < 0 ||
	    ydoc_check_keys(d, n, keys, "a dirauths entry", e) < 0)
		return -1;
	const char *name, *fp;
	yaml_node_t *v;
	if (!(v = ydoc_get(d, n, "name")) || ydoc_expect_str(d, v, "name", &name, e) < 0)
		return v ? -1 : ydoc_fail(d, n, e, "a dirauths entry needs a name");
	struct dirauth da = { 0 };
	if (!(v = ydoc_get(d, n, "or")))
		return ydoc_fail(d, n, e, "dirauth \"%.40s\" needs an or: address", name);
	if (node_endpoint(d, v, "or", 0, &da.or_addr, e) < 0)
		return -1;
	if ((v = ydoc_get(d, n, "dir")) && node_endpoint(d, v, "dir", 0, &da.dir_addr, e) < 0)
		return -1;
	if ((v = ydoc_get(d, n, "or6")) && node_endpoint(d, v, "or6", 0, &da.or6_addr, e) < 0)
		return -1;
	if (!(v = ydoc_get(d, n, "fingerprint")))
		return ydoc_fail(d, n, e, "dirauth \"%.40s\" needs a fingerprint", name);
	if (ydoc_expect_str(d, v, "fingerprint", &fp, e) < 0)
		return -1;
	if (fingerprint_ok(fp, da.fp) < 0)
		return ydoc_fail(d, v, e, "fingerprint must be 40 hexadecimal characters");
	da.name = xstrdup(name);
	*GROW(t->dirauths, t->ndirauths) = da;
	return 0;
}

static int load_list(struct targets *t, struct ydoc *d, yaml_node_t *n, const char *what,
		     int (*one)(struct targets *, struct ydoc *, yaml_node_t *, struct err *),
		     struct err *e)
{
	if (ydoc_expect_seq(d, n, what, e) < 0)
		return -1;
	yaml_node_t *it;
	for (size_t i = 0; (it = ydoc_item(d, n, i)); i++)
		if (one(t, d, it, e) < 0)
			return -1;
	return 0;
}

static int load_bridge(struct targets *t, struct ydoc *d, yaml_node_t *n, struct err *e)
{
	const char *line;
	struct err sub;
	if (ydoc_expect_str(d, n, "a bridge line", &line, e) < 0)
		return -1;
	if (targets_add_bridge(t, line, &sub) < 0)
		return ydoc_fail(d, n, e, "%s", sub.msg);
	return 0;
}

static int load_site(struct targets *t, struct ydoc *d, yaml_node_t *n, struct err *e)
{
	static const char *const keys[] = { "https", "http", NULL };
	const char *https = NULL, *http = NULL;
	struct err sub;
	yaml_node_t *v;
	if (n && n->type == YAML_SCALAR_NODE) {
		https = ydoc_str(n);
	} else {
		if (ydoc_expect_map(d, n, "a sites entry", e) < 0 ||
		    ydoc_check_keys(d, n, keys, "a sites entry", e) < 0)
			return -1;
		if (!(v = ydoc_get(d, n, "https")))
			return ydoc_fail(d, n, e, "a sites entry needs an https: URL");
		if (ydoc_expect_str(d, v, "https", &https, e) < 0)
			return -1;
		if ((v = ydoc_get(d, n, "http")) && ydoc_expect_str(d, v, "http", &http, e) < 0)
			return -1;
	}
	if (targets_add_site(t, https, http, &sub) < 0)
		return ydoc_fail(d, n, e, "%s", sub.msg);
	return 0;
}

static char **copy_list(const char **src, size_t n)
{
	char **v = xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(src[i]);
	return v;
}

static int load_pin(struct targets *t, struct ydoc *d, yaml_node_t *n, struct err *e)
{
	static const char *const keys[] = { "host", "port", "pin-sha256", "issuers", NULL };
	if (ydoc_expect_map(d, n, "a pins entry", e) < 0 ||
	    ydoc_check_keys(d, n, keys, "a pins entry", e) < 0)
		return -1;
	const char *host;
	long port = 443;
	const char **spki = NULL, **iss = NULL;
	size_t nspki = 0, niss = 0;
	yaml_node_t *v;
	if (!(v = ydoc_get(d, n, "host")))
		return ydoc_fail(d, n, e, "a pins entry needs a host");
	if (ydoc_expect_str(d, v, "host", &host, e) < 0)
		return -1;
	if ((v = ydoc_get(d, n, "port")) && ydoc_expect_int(d, v, "port", 1, 65535, &port, e) < 0)
		return -1;
	if ((v = ydoc_get(d, n, "pin-sha256")) &&
	    ydoc_expect_strlist(d, v, "pin-sha256", &spki, &nspki, e) < 0)
		return -1;
	for (size_t i = 0; i < nspki; i++) {
		struct err sub;
		if (check_pin_b64(spki[i], &sub) < 0) {
			yaml_node_t *at = v->type == YAML_SEQUENCE_NODE ? ydoc_item(d, v, i) : v;
			free(spki);
			return ydoc_fail(d, at, e, "pin-sha256: %s", sub.msg);
		}
	}
	if ((v = ydoc_get(d, n, "issuers")) && ydoc_expect_strlist(d, v, "issuers", &iss, &niss, e) < 0) {
		free(spki);
		return -1;
	}
	struct pin *p = GROW(t->pins, t->npins);
	p->host = xstrdup(host);
	p->port = (int)port;
	p->spki = copy_list(spki, nspki);
	p->nspki = nspki;
	p->issuers = copy_list(iss, niss);
	p->nissuers = niss;
	free(spki);
	free(iss);
	return 0;
}

static int load_baseline(struct targets *t, struct ydoc *d, yaml_node_t *n, struct err *e)
{
	static const char *const keys[] = { "name", "url", NULL };
	const char *name, *url;
	yaml_node_t *v;
	if (ydoc_expect_map(d, n, "a baseline entry", e) < 0 ||
	    ydoc_check_keys(d, n, keys, "a baseline entry", e) < 0)
		return -1;
	if (!(v = ydoc_get(d, n, "name")) || ydoc_expect_str(d, v, "name", &name, e) < 0)
		return v ? -1 : ydoc_fail(d, n, e, "a baseline entry needs a name");
	if (!(v = ydoc_get(d, n, "url")) || ydoc_expect_str(d, v, "url", &url, e) < 0)
		return v ? -1 : ydoc_fail(d, n, e, "a baseline entry needs a url");
	if (strncmp(url, "https://", 8))
		return ydoc_fail(d, v, e, "a baseline url must start with https://");
	struct baseline *b = GROW(t->baselines, t->nbaselines);
	b->name = xstrdup(name);
	b->url = xstrdup(url);
	return 0;
}

/* client_checks: {name, url}, an https:// site whose certificate a client must refuse. */
static int load_client_check(struct targets *t, struct ydoc *d, yaml_node_t *n, struct err *e)
{
	static const char *const keys[] = { "name", "url", NULL };
	const char *name, *url;
	yaml_node_t *v;
	if (ydoc_expect_map(d, n, "a client_checks entry", e) < 0 ||
	    ydoc_check_keys(d, n, keys, "a client_checks entry", e) < 0)
		return -1;
	if (!(v = ydoc_get(d, n, "name")) || ydoc_expect_str(d, v, "name", &name, e) < 0)
		return v ? -1 : ydoc_fail(d, n, e, "a client_checks entry needs a name");
	if (!(v = ydoc_get(d, n, "url")) || ydoc_expect_str(d, v, "url", &url, e) < 0)
		return v ? -1 : ydoc_fail(d, n, e, "a client_checks entry needs a url");
	if (strncmp(url, "https://", 8) || strlen(url) < 9)
		return ydoc_fail(d, v, e, "a client_checks url must start with https://");
	struct baseline *b = GROW(t->client_checks, t->nclient_checks);
	b->name = xstrdup(name);
	b->url = xstrdup(url);
	return 0;
}

/* Relative paths in a targets file are relative to the file itself. */
static char *relative_to(const char *file, const char *path)
{
	if (path[0] == '/')
		return xstrdup(path);
	char *copy = xstrdup(file);
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "%s/%s", dirname(copy), path);
	free(copy);
	return buf_steal(&b);
}

static int load_strings(struct ydoc *d, yaml_node_t *n, const char *what, struct strlist *out,
			struct err *e)
{
	const char **v;
	size_t k;
	if (ydoc_expect_strlist(d, n, what, &v, &k, e) < 0)
		return -1;
	for (size_t i = 0; i < k; i++)
		strlist_add(out, v[i]);
	free(v);
	return 0;
}

static int set_str(struct ydoc *d, yaml_node_t *n, const char *what, char **dst, struct err *e)
{
	const char *s;
	if (ydoc_expect_str(d, n, what, &s, e) < 0)
		return -1;
	free(*dst);
	*dst = xstrdup(s);
	return 0;
}

static int load_tls(struct targets *t, struct ydoc *d, yaml_node_t *n, struct err *e)
{
	static const char *const keys[] = { "cafile", "resolve", NULL };
	yaml_node_t *v;
	if (ydoc_expect_map(d, n, "tls", e) < 0 || ydoc_check_keys(d, n, keys, "tls", e) < 0)
		return -1;
	if ((v = ydoc_get(d, n, "cafile"))) {
		const char *s;
		if (ydoc_expect_str(d, v, "cafile", &s, e) < 0)
			return -1;
		free(t->cafile);
		t->cafile = relative_to(d->file, s);
	}
	if ((v = ydoc_get(d, n, "resolve"))) {
		const char **list;
		size_t k;
		if (ydoc_expect_strlist(d, v, "resolve", &list, &k, e) < 0)
			return -1;
		for (size_t i = 0; i < k; i++) {
			struct err sub;
			if (check_resolve(list[i], &sub) < 0) {
				yaml_node_t *at = v->type == YAML_SEQUENCE_NODE ? ydoc_item(d, v, i) : v;
				free(list);
				return ydoc_fail(d, at, e, "resolve: %s", sub.msg);
			}
			strlist_add(&t->resolve, list[i]);
		}
		free(list);
	}
	return 0;
}

/* A targets file is data, not code: it names no program to run (tor.binary and tor.pt come
 * from --tor/--pt or TORREADY_TOR/TORREADY_PT), and its torrc lines pass an allowlist. */
static int load_tor(struct targets *t, struct ydoc *d, yaml_node_t *n, struct err *e)
{
	static const char *const keys[] = { "torrc", NULL };
	yaml_node_t *k, *v;
	if (ydoc_expect_map(d, n, "tor", e) < 0)
		return -1;
	for (size_t i = 0; ydoc_pair(d, n, i, &k, &v); i++) {
		const char *key = ydoc_str(k);
		if (key && (!strcmp(key, "binary") || !strcmp(key, "pt")))
			return ydoc_fail(d, k, e, "tor.%s is not allowed in a targets file (it would run a program): "
					 "give the program with --%s PATH or TORREADY_%s", key,
					 !strcmp(key, "pt") ? "pt" : "tor", !strcmp(key, "pt") ? "PT" : "TOR");
	}
	if (ydoc_check_keys(d, n, keys, "tor", e) < 0)
		return -1;
	if (!(v = ydoc_get(d, n, "torrc")))
		return 0;
	if (v->type == YAML_SEQUENCE_NODE) {
		yaml_node_t *it;
		char why[300];
		for (size_t i = 0; (it = ydoc_item(d, v, i)); i++)
			if (it->type == YAML_SCALAR_NODE && torrc_line_allowed(ydoc_str(it), why, sizeof why) < 0)
				return ydoc_fail(d, it, e, "%s", why);
	}
	return load_strings(d, v, "torrc", &t->torrc, e);
}

static int load_mail(struct targets *t, struct ydoc *d, yaml_node_t *n, struct err *e)
{
	struct endpoint ep;
	char tmp[HOST_MAX + 16];
	if (node_endpoint(d, n, "a mail server", 587, &ep, e) < 0)
		return -1;
	strlist_add(&t->mail, endpoint_str(&ep, tmp, sizeof tmp));
	return 0;
}

/* Control characters (C0, DEL, C1, line separators, bidi controls) are refused in every
 * string of a targets file, keys included: they would reach terminals, pages and tor's
 * configuration. The one exception is the issuers: list of a pins entry, which must hold a
 * certificate's name exactly as the server sends it to match it (it is only compared, and
 * escaped wherever shown). ydoc refuses aliases and deep nesting before this walk runs; the
 * depth guard here only keeps the recursion bounded on its own. */
#define CHECK_DEPTH_MAX 64
static int check_controls(struct ydoc *d, yaml_node_t *n, int exempt, int depth, struct err *e)
{
	yaml_node_t *k, *v, *it;
	if (!n)
		return 0;
	if (depth > CHECK_DEPTH_MAX)
		return ydoc_fail(d, n, e, "nested more than %d levels deep", CHECK_DEPTH_MAX);
	switch (n->type) {
	case YAML_SCALAR_NODE: {
		long at = exempt ? -1 : text_find_control(ydoc_str(n));
		if (at >= 0)
			return ydoc_fail(d, n, e, "a control character (byte %ld of this string) is not allowed "
					 "in a targets file", at + 1);
		return 0;
	}
	case YAML_SEQUENCE_NODE:
		for (size_t i = 0; (it = ydoc_item(d, n, i)); i++)
			if (check_controls(d, it, exempt, depth + 1, e) < 0)
				return -1;
		return 0;
	case YAML_MAPPING_NODE:
		for (size_t i = 0; ydoc_pair(d, n, i, &k, &v); i++) {
			const char *key = ydoc_str(k);
			if (check_controls(d, k, 0, depth + 1, e) < 0 ||
			    check_controls(d, v, key && !strcmp(key, "issuers"), depth + 1, e) < 0)
				return -1;
		}
		return 0;
	default:
		return 0;
	}
}

static int load_root(struct targets *t, struct ydoc *d, yaml_node_t *root, int defaults,
		     struct err *e)
{
	static const char *const user_keys[] = { "timeout", "dirauths", "bridges", "sites", "pins",
						 "tls", "socks", "mail", "tor", "baseline", "client_checks",
						 NULL };
	static const char *const default_keys[] = { "timeout", "dirauths", "bridges", "sites", "pins",
						    "tls", "socks", "mail", "tor", "baseline", "client_checks",
						    "source", "reviewed", NULL };
	if (!root)
		return 0;   /* an empty file adds nothing */
	if (check_controls(d, root, 0, 0, e) < 0)
		return -1;
	if (ydoc_expect_map(d, root, "a targets file", e) < 0 ||
	    ydoc_check_keys(d, root, defaults ? default_keys : user_keys, "the targets file", e) < 0)
		return -1;
	yaml_node_t *k, *v;
	for (size_t i = 0; ydoc_pair(d, root, i, &k, &v); i++) {
		const char *key = ydoc_str(k);
		int rc = 0;
		if (!strcmp(key, "timeout"))
			rc = ydoc_expect_int(d, v, "timeout", 1, 3600, &t->timeout_s, e);
		else if (!strcmp(key, "dirauths"))
			rc = load_list(t, d, v, "dirauths", load_dirauth, e);
		else if (!strcmp(key, "bridges"))
			rc = load_list(t, d, v, "bridges", load_bridge, e);
		else if (!strcmp(key, "sites"))
			rc = load_list(t, d, v, "sites", load_site, e);
		else if (!strcmp(key, "pins"))
			rc = load_list(t, d, v, "pins", load_pin, e);
		else if (!strcmp(key, "baseline"))
			rc = load_list(t, d, v, "baseline", load_baseline, e);
		else if (!strcmp(key, "client_checks"))
			rc = load_list(t, d, v, "client_checks", load_client_check, e);
		else if (!strcmp(key, "mail"))
			rc = load_list(t, d, v, "mail", load_mail, e);
		else if (!strcmp(key, "tls"))
			rc = load_tls(t, d, v, e);
		else if (!strcmp(key, "tor"))
			rc = load_tor(t, d, v, e);
		else if (!strcmp(key, "socks"))
			rc = set_str(d, v, "socks", &t->socks, e);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int targets_load_text(struct targets *t, const char *name, const char *text, size_t len,
		      int defaults, struct err *e)
{
	struct ydoc d;
	if (ydoc_load(&d, name, text, len, e) < 0) {
		ydoc_free(&d);
		return -1;
	}
	int rc = load_root(t, &d, ydoc_root(&d), defaults, e);
	ydoc_free(&d);
	return rc;
}

int targets_load(struct targets *t, const char *path, int defaults, struct err *e)
{
	struct ydoc d;
	if (ydoc_load_file(&d, path, e) < 0) {
		ydoc_free(&d);
		return -1;
	}
	int rc = load_root(t, &d, ydoc_root(&d), defaults, e);
	ydoc_free(&d);
	return rc;
}

/* One-line text for the flag forms (files are checked whole by check_controls). */
static int no_controls(const char *what, const char *s, struct err *e)
{
	long at = text_find_control(s);
	if (at >= 0)
		return err_set(e, "%s \"%.80s\": a control character (byte %ld) is not allowed", what, s, at + 1);
	return 0;
}

int targets_add_bridge(struct targets *t, const char *line, struct err *e)
{
	struct bridge b;
	char why[200];
	if (torrc_bridge_line_ok(line, why, sizeof why) < 0)
		return err_set(e, "bridge line \"%.80s\": %s", line, why);
	if (bridge_parse(line, &b, e) < 0)
		return -1;
	*GROW(t->bridges, t->nbridges) = b;
	return 0;
}

int targets_add_site(struct targets *t, const char *https, const char *http, struct err *e)
{
	if (no_controls("site", https, e) < 0 || (http && no_controls("site", http, e) < 0))
		return -1;
	if (check_url(https, "https", e) < 0 || (http && check_url(http, "http", e) < 0))
		return -1;
	struct site *s = GROW(t->sites, t->nsites);
	s->https = xstrdup(https);
	s->http = http ? xstrdup(http) : NULL;
	return 0;
}

/* NAME=IP:ORPORT[/DIRPORT]:FINGERPRINT */
int targets_add_dirauth_flag(struct targets *t, const char *spec, struct err *e)
{
	const char *eq = strchr(spec, '=');
	const char *last = strrchr(spec, ':');
	if (no_controls("--dirauth", spec, e) < 0)
		return -1;
	if (!eq || eq == spec || !last || last < eq)
		return err_set(e, "--dirauth \"%.80s\": expected NAME=IP:ORPORT[/DIRPORT]:FINGERPRINT", spec);
	struct dirauth da = { 0 };
	if (fingerprint_ok(last + 1, da.fp) < 0)
		return err_set(e, "--dirauth \"%.80s\": the fingerprint must be 40 hexadecimal characters", spec);
	char *addr = xstrndup(eq + 1, (size_t)(last - eq - 1));
	char *slash = strchr(addr, '/');
	int dirport = 0;
	if (slash) {
		*slash = '\0';
		char *end;
		long dp = strtol(slash + 1, &end, 10);
		dirport = *end || end == slash + 1 || dp < 1 || dp > 65535 ? 0 : (int)dp;
		if (dirport < 1 || dirport > 65535) {
			free(addr);
			return err_set(e, "--dirauth \"%.80s\": bad DIRPORT", spec);
		}
	}
	struct err sub;
	int rc = endpoint_parse(addr, 0, &da.or_addr, &sub);
	free(addr);
	if (rc < 0)
		return err_set(e, "--dirauth \"%.80s\": %s", spec, sub.msg);
	if (dirport) {
		da.dir_addr = da.or_addr;
		da.dir_addr.port = dirport;
	}
	da.name = xstrndup(spec, (size_t)(eq - spec));
	*GROW(t->dirauths, t->ndirauths) = da;
	return 0;
}

/* HOST[:PORT]=sha256//BASE64[;sha256//BASE64...] */
int targets_add_pin_flag(struct targets *t, const char *spec, struct err *e)
{
	const char *eq = strchr(spec, '=');
	if (no_controls("--pin", spec, e) < 0)
		return -1;
	if (!eq || eq == spec)
		return err_set(e, "--pin \"%.80s\": expected HOST[:PORT]=sha256//BASE64", spec);
	char *hp = xstrndup(spec, (size_t)(eq - spec));
	struct endpoint ep;
	struct err sub;
	int rc = endpoint_parse(hp, 443, &ep, &sub);
	free(hp);
	if (rc < 0)
		return err_set(e, "--pin \"%.80s\": %s", spec, sub.msg);
	struct pin *p = GROW(t->pins, t->npins);
	p->host = xstrdup(ep.host);
	p->port = ep.port;
	p->spki = xcalloc(1, sizeof *p->spki);
	p->issuers = xcalloc(1, sizeof *p->issuers);
	char *list = xstrdup(eq + 1), *save = NULL;
	for (char *tok = strtok_r(list, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		struct err sub;
		if (strncmp(tok, "sha256//", 8) || strlen(tok) < 9) {
			free(list);
			return err_set(e, "--pin \"%.80s\": each pin must look like sha256//BASE64", spec);
		}
		/* A short pin would match nothing and turn every site into "decrypts HTTPS". */
		if (check_pin_b64(tok + 8, &sub) < 0) {
			free(list);
			return err_set(e, "--pin: %s", sub.msg);
		}
		p->spki = xrealloc(p->spki, (p->nspki + 2) * sizeof *p->spki);
		p->spki[p->nspki++] = xstrdup(tok + 8);
		p->spki[p->nspki] = NULL;
	}
	free(list);
	return 0;
}

#define MOVE_LIST(dst, dn, src, sn) do { \
	(dst) = xrealloc((dst), ((dn) + (sn) + 1) * sizeof *(dst)); \
	if (sn) memcpy(&(dst)[dn], (src), (sn) * sizeof *(dst)); \
	(dn) += (sn); free(src); (src) = NULL; (sn) = 0; } while (0)

static void move_str(char **dst, char **src)
{
	if (!*src)
		return;
	free(*dst);
	*dst = *src;
	*src = NULL;
}

static void move_strlist(struct strlist *dst, struct strlist *src)
{
	for (size_t i = 0; i < src->n; i++)
		strlist_add(dst, src->v[i]);
	strlist_free(src);
}

void targets_merge(struct targets *dst, struct targets *src)
{
	MOVE_LIST(dst->dirauths, dst->ndirauths, src->dirauths, src->ndirauths);
	MOVE_LIST(dst->bridges, dst->nbridges, src->bridges, src->nbridges);
	MOVE_LIST(dst->sites, dst->nsites, src->sites, src->nsites);
	MOVE_LIST(dst->pins, dst->npins, src->pins, src->npins);
	MOVE_LIST(dst->baselines, dst->nbaselines, src->baselines, src->nbaselines);
	MOVE_LIST(dst->client_checks, dst->nclient_checks, src->client_checks, src->nclient_checks);
	move_strlist(&dst->mail, &src->mail);
	move_strlist(&dst->resolve, &src->resolve);
	move_strlist(&dst->torrc, &src->torrc);
	move_str(&dst->cafile, &src->cafile);
	move_str(&dst->socks, &src->socks);
	move_str(&dst->tor_binary, &src->tor_binary);
	move_str(&dst->tor_pt, &src->tor_pt);
	move_str(&dst->store_root, &src->store_root);
	if (src->timeout_s)
		dst->timeout_s = src->timeout_s;
}
