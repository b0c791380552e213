/* cli_pins.c: `torready pins capture HOST[:PORT]...` — record today's chains (expected
 * issuers; leaf, intermediate and root pins) as a targets file with a pins: list, for a
 * department to capture "golden" pins on a network it trusts and check elsewhere with
 * `--targets FILE`. The fetches run concurrently on the engine like any probe. */
#include <errno.h>
#include <getopt.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chainpath.h"
#include "cli.h"
#include "engine.h"
#include "results.h"
#include "targets.h"
#include "tlsfetch.h"

struct captured {
	struct endpoint ep;
	int ok;
	struct buf yaml;        /* this host's pins entry */
	char problem[600];      /* why it failed, or a warning about the chain */
};

struct capture {
	const char *out;
	long timeout_s;
	struct targets t;       /* resolve, cafile, store_root */
	struct truststore ts;
	STACK_OF(X509) *cafile;
	struct captured *v;
	size_t n;
};

struct cap_job {
	struct capture *c;
	struct captured *host;
	struct job *job;
	struct tlsfetch *f;
};

/* Peer-supplied names go into YAML: quote them, escaping anything that could break out. */
static void yaml_quote(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			buf_printf(b, "\\x%02x", *p);
		else
			buf_putc(b, (char)*p);
	}
	buf_putc(b, '"');
}

/* A comment line must stay one line. */
static void yaml_comment_text(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		buf_putc(b, *p < 0x20 || *p == 0x7f ? '?' : (char)*p);
}

static void add_issuer(struct buf *b, const X509_NAME *n, int nid, char seen[2][256], int *k)
{
	char v[256];
	certinfo_name_field(n, nid, v, sizeof v);
	if (!v[0] || (*k && !strcmp(seen[0], v)))
		return;
	buf_puts(b, *k ? ", " : "");
	yaml_quote(b, v);
	snprintf(seen[(*k)++], 256, "%s", v);
}

static void entry_yaml(struct captured *h, const struct chain_path *p)
{
	struct buf *b = &h->yaml;
	char name[600], na[32];
	buf_puts(b, "  - host: ");
	yaml_quote(b, h->ep.host);
	buf_printf(b, "\n    port: %d\n    pin-sha256:\n", h->ep.port);
	for (int i = 0; i < p->n; i++) {
		int dup = 0;
		for (int k = 0; k < i; k++)
			dup |= !strcmp(p->pin[k], p->pin[i]);
		if (dup)
			continue;
		certinfo_name(X509_get_subject_name(p->cert[i]), name, sizeof name);
		certinfo_not_after(p->cert[i], na);
		buf_printf(b, "      - \"%s\"   # %s: ", p->pin[i], i == 0 ? "leaf" : i == p->n - 1 ? "root" : "intermediate");
		yaml_comment_text(b, name);
		buf_printf(b, ", valid until %.10s\n", na);
	}
	const X509_NAME *iss = X509_get_issuer_name(p->cert[0]);
	char seen[2][256];
	int k = 0;
	buf_puts(b, "    issuers: [");
	add_issuer(b, iss, NID_commonName, seen, &k);
	add_issuer(b, iss, NID_organizationName, seen, &k);
	buf_puts(b, "]\n");
}

static void warn_chain(struct captured *h, const struct chain_path *p)
{
	char root[300];
	X509 *last = p->cert[p->n - 1];
	int is_root = p->root_entry || certinfo_self_signed(last);
	certinfo_display_name(is_root ? X509_get_subject_name(last) : X509_get_issuer_name(last), root, sizeof root);
	if (!strcmp(p->root_class, "local"))
		snprintf(h->problem, sizeof h->problem, "the chain ends in \"%s\", a root added to this machine: this "
			 "network may be intercepting HTTPS; capture pins on a network you trust", root);
	else if (!strcmp(p->root_class, "not_trusted") || !strcmp(p->root_class, "unknown_issuer"))
		snprintf(h->problem, sizeof h->problem, "the chain does not lead to a root this machine trusts "
			 "(it leads to \"%s\"); check that this is the certificate you expect", root);
}

static void fetched(void *arg, struct tlsfetch *f)
{
	struct cap_job *cj = arg;
	struct captured *h = cj->host;
	const struct tlscap *cap = tlsfetch_cap(f);
	if (tlsfetch_code(f) || !cap->chain || !sk_X509_num(cap->chain)) {
		snprintf(h->problem, sizeof h->problem, "%s (%s)", tlsfetch_detail(f),
			 tlsfetch_code(f) ? tlsfetch_code(f) : "no certificate");
		job_finish(cj->job, ST_FAIL, tlsfetch_code(f) ? tlsfetch_code(f) : "tls_error", "%s", h->problem);
		return;
	}
	struct chain_path p;
	chain_path_build(&p, cap->chain, cj->c->ts.found ? &cj->c->ts : NULL, cj->c->cafile);
	h->ok = 1;
	entry_yaml(h, &p);
	warn_chain(h, &p);
	job_finish(cj->job, ST_PASS, "ok", "captured");
}

static void start(struct job *j)
{
	struct cap_job *cj = j->state;
	struct tlsfetch_opts o = { .host = cj->host->ep.host, .port = cj->host->ep.port,
				   .resolve = &cj->c->t.resolve, .cafile = cj->c->t.cafile,
				   .timeout_ms = engine_remaining_ms(j->eng) };
	cj->f = tlsfetch_start(j->eng, &o, fetched, cj);
	if (!cj->f) {
		snprintf(cj->host->problem, sizeof cj->host->problem, "the transfer could not start");
		job_finish(j, ST_ERROR, "tls_error", "%s", cj->host->problem);
	}
}

static void expire(struct job *j)
{
	struct cap_job *cj = j->state;
	snprintf(cj->host->problem, sizeof cj->host->problem, "no answer before the deadline (timeout)");
	job_finish(j, ST_FAIL, "timeout", "%s", cj->host->problem);
}

static void cleanup(struct job *j)
{
	struct cap_job *cj = j->state;
	tlsfetch_free(j->eng, cj->f);
	free(cj);
}

static const struct job_ops ops = { start, expire, cleanup };

static int run_capture(struct capture *c, struct err *e)
{
	struct results rs;
	results_init(&rs);
	struct engine *eng = engine_new(&rs, c->timeout_s * 1000);
	if (!eng) {
		results_free(&rs);
		return err_internal(e, "cannot create the event loop");
	}
	for (size_t i = 0; i < c->n; i++) {
		struct cap_job *cj = xcalloc(1, sizeof *cj);
		cj->c = c;
		cj->host = &c->v[i];
		char ep[HOST_MAX + 16];
		cj->job = engine_job(eng, "pins.capture", endpoint_str(&c->v[i].ep, ep, sizeof ep), "", &ops, cj);
	}
	int rc = engine_run(eng, e);
	engine_free(eng);
	results_free(&rs);
	return rc;
}

static int write_file(struct capture *c, size_t *nok, struct err *e)
{
	char ts[32];
	now_rfc3339(ts);
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "# Certificate pins captured by torready %s on %s.\n"
		       "# Check another network against them: torready check --targets THIS_FILE\n"
		       "# A pin matches when any certificate on the chain's verified path (leaf,\n"
		       "# intermediates, root) has that key. Leaf keys change at every renewal;\n"
		       "# intermediates and roots rarely, so keep them all.\n"
		       "pins:\n", TORREADY_VERSION, ts);
	*nok = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].ok) {
			buf_append(&b, c->v[i].yaml.data, c->v[i].yaml.len);
			(*nok)++;
		}
	int rc = 0;
	if (*nok == 0)
		rc = 0;   /* nothing worth writing: the caller reports every failure */
	else if (!c->out || !strcmp(c->out, "-"))
		fwrite(b.data, 1, b.len, stdout);
	else
		rc = write_atomic(c->out, b.data, b.len, e);
	buf_free(&b);
	return rc;
}

enum { P_OUT = 1000, P_RESOLVE, P_CAFILE, P_TIMEOUT, P_STORE_ROOT, P_HELP };
static const struct option pin_opts[] = {
	{ "out", required_argument, NULL, P_OUT },
	{ "resolve", required_argument, NULL, P_RESOLVE },
	{ "cafile", required_argument, NULL, P_CAFILE },
	{ "timeout", required_argument, NULL, P_TIMEOUT },
	{ "store-root", required_argument, NULL, P_STORE_ROOT },
	{ "help", no_argument, NULL, P_HELP },
	{ NULL, 0, NULL, 0 },
};

static int set_opt(struct capture *c, int opt, const char *arg)
{
	char *end;
	switch (opt) {
	case P_OUT: c->out = arg; return 0;
	case P_RESOLVE:
		if (!strchr(arg, ':') || !strchr(strchr(arg, ':') + 1, ':'))
			return cli_usage_error("pins", "--resolve \"%.80s\": expected HOST:PORT:ADDR", arg);
		strlist_add(&c->t.resolve, arg);
		return 0;
	case P_CAFILE: free(c->t.cafile); c->t.cafile = xstrdup(arg); return 0;
	case P_STORE_ROOT: free(c->t.store_root); c->t.store_root = xstrdup(arg); return 0;
	case P_TIMEOUT:
		errno = 0;
		c->timeout_s = strtol(arg, &end, 10);
		if (errno || end == arg || *end || c->timeout_s < 1 || c->timeout_s > 3600)
			return cli_usage_error("pins", "--timeout \"%.20s\": give whole seconds from 1 to 3600", arg);
		return 0;
	}
	return cli_usage_error("pins", "unknown option");
}

/* 0 to go on, 1 after --help, EXIT_USAGE after a usage error (printed). */
static int parse(struct capture *c, int argc, char **argv)
{
	opterr = 0;
	optind = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, ":", pin_opts, NULL)) != -1) {
		if (opt == P_HELP) {
			cli_print_usage("pins", stdout);
			return 1;
		}
		if (opt == '?' || opt == ':')
			return cli_usage_error("pins", opt == ':' ? "option %s needs a value" : "unknown option %s",
					       argv[optind - 1]);
		if (set_opt(c, opt, optarg))
			return EXIT_USAGE;
	}
	if (optind >= argc)
		return cli_usage_error("pins", "name at least one HOST[:PORT] to capture");
	for (int i = optind; i < argc; i++) {
		struct err e;
		c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
		struct captured *h = &c->v[c->n++];
		memset(h, 0, sizeof *h);
		buf_init(&h->yaml);
		if (endpoint_parse(argv[i], 443, &h->ep, &e) < 0)
			return cli_usage_error("pins", "%s", e.msg);
	}
	return 0;
}

static int report(const struct capture *c, size_t nok)
{
	int failed = 0;
	for (size_t i = 0; i < c->n; i++) {
		char ep[HOST_MAX + 16];
		endpoint_str(&c->v[i].ep, ep, sizeof ep);
		if (c->v[i].problem[0])
			fprintf(stderr, "torready pins: %s %s: %s\n", c->v[i].ok ? "warning:" : "cannot capture", ep,
				c->v[i].problem);
		failed |= !c->v[i].ok;
	}
	if (nok && c->out && strcmp(c->out, "-"))
		fprintf(stderr, "torready pins: wrote %zu host%s to %s\n", nok, nok == 1 ? "" : "s", c->out);
	return failed ? EXIT_FAILED : EXIT_OK;
}

int cmd_pins(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "capture"))
		return cli_usage_error("pins", "expected \"pins capture HOST[:PORT] ...\"");
	struct capture c = { .timeout_s = 10 };
	targets_init(&c.t);
	struct err e;
	err_clear(&e);
	int rc = parse(&c, argc - 1, argv + 1);
	if (rc == 0) {
		sigset_t set;
		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		sigprocmask(SIG_BLOCK, &set, NULL);   /* the engine reads them from a signalfd */
		signal(SIGPIPE, SIG_IGN);
		c.cafile = chainpath_load_pem(c.t.cafile);
		size_t nok = 0;
		if (truststore_load(&c.ts, c.t.store_root, &e) < 0 || run_capture(&c, &e) < 0 ||
		    write_file(&c, &nok, &e) < 0)
			rc = cli_fail("pins", &e);
		else
			rc = report(&c, nok);
	} else if (rc == 1) {
		rc = EXIT_OK;
	}
	for (size_t i = 0; i < c.n; i++)
		buf_free(&c.v[i].yaml);
	free(c.v);
	truststore_free(&c.ts);
	sk_X509_pop_free(c.cafile, X509_free);
	targets_free(&c.t);
	return rc;
}
