/* cli_pins.c: `torready pins capture HOST[:PORT]...` — record today's chains (expected
 * issuers; leaf, intermediate and root pins) as a targets file with a pins: list, for a
 * department to capture "golden" pins on a network it trusts and check elsewhere with
 * `--targets FILE`. The fetches run concurrently on the engine like any probe. A chain that
 * leads to no trust anchor in use is recorded only with --allow-untrusted; the file itself
 * is written by pinsfile.c (libyaml's emitter), never pieced together here. */
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
#include "pinsfile.h"
#include "results.h"
#include "safetext.h"
#include "targets.h"
#include "tlsfetch.h"

struct cert_seen {
	char pin[CERTINFO_PIN_LEN];
	char role[16];
	char name[600];
	char not_after[32];
};

struct captured {
	struct endpoint ep;
	int ok;
	int untrusted;          /* the chain leads to no trust anchor in use */
	struct cert_seen certs[CHAINPATH_MAX]; int ncerts;
	char issuers[2][256]; int nissuers;
	char problem[600];      /* why it failed, or a warning about the chain */
};

struct capture {
	const char *out;
	long timeout_s;
	int allow_untrusted;    /* --allow-untrusted */
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

/* What one host's chain showed; the file is written from these by pinsfile_write. */
static void record_path(struct captured *h, const struct chain_path *p)
{
	for (int i = 0; i < p->n && h->ncerts < CHAINPATH_MAX; i++) {
		int dup = 0;
		for (int k = 0; k < i; k++)
			dup |= !strcmp(p->pin[k], p->pin[i]);
		if (dup)
			continue;
		struct cert_seen *c = &h->certs[h->ncerts++];
		snprintf(c->pin, sizeof c->pin, "%s", p->pin[i]);
		snprintf(c->role, sizeof c->role, "%s", i == 0 ? "leaf" : i == p->n - 1 ? "root" : "intermediate");
		certinfo_name(X509_get_subject_name(p->cert[i]), c->name, sizeof c->name);
		certinfo_not_after(p->cert[i], c->not_after);
		c->not_after[10] = '\0';   /* the date is enough in a comment */
	}
	/* The issuer's CN and O, as tls.intercept compares them. A value cut at the buffer's
	 * end (or not UTF-8) could never match, so it is left out rather than recorded. */
	const X509_NAME *iss = X509_get_issuer_name(p->cert[0]);
	static const int nids[2] = { NID_commonName, NID_organizationName };
	for (int i = 0; i < 2; i++) {
		char *v = h->issuers[h->nissuers];
		certinfo_name_field(iss, nids[i], v, sizeof h->issuers[0]);
		uint32_t cp;
		size_t len = strlen(v), k = 0, step;
		while (k < len && (step = text_utf8((const unsigned char *)v + k, len - k, &cp)))
			k += step;
		if (v[0] && k == len && len < sizeof h->issuers[0] - 1 &&
		    !(h->nissuers && !strcmp(h->issuers[0], v)))
			h->nissuers++;
	}
}

static void warn_chain(struct captured *h, const struct chain_path *p)
{
	char root[300];
	X509 *last = p->cert[p->n - 1];
	int is_root = p->root_entry || certinfo_self_signed(last);
	certinfo_display_name(is_root ? X509_get_subject_name(last) : X509_get_issuer_name(last), root, sizeof root);
	h->untrusted = strcmp(p->root_class, "mozilla") && strcmp(p->root_class, "local") &&
		       strcmp(p->root_class, "cafile");
	if (!strcmp(p->root_class, "local"))
		snprintf(h->problem, sizeof h->problem, "the chain ends in \"%s\", a root added to this machine: this "
			 "network may be intercepting HTTPS; capture pins on a network you trust", root);
	else if (h->untrusted)
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
	record_path(h, &p);
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
	struct pinsfile_host *hosts = xcalloc(c->n + 1, sizeof *hosts);
	struct pinsfile_cert *certs = xcalloc(c->n * CHAINPATH_MAX + 1, sizeof *certs);
	const char **issuers = xcalloc(c->n * 2 + 1, sizeof *issuers);
	*nok = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct captured *h = &c->v[i];
		if (!h->ok)
			continue;
		struct pinsfile_host *ph = &hosts[(*nok)++];
		ph->host = h->ep.host;
		ph->port = h->ep.port;
		ph->certs = &certs[i * CHAINPATH_MAX];
		ph->ncerts = (size_t)h->ncerts;
		for (int k = 0; k < h->ncerts; k++)
			certs[i * CHAINPATH_MAX + k] = (struct pinsfile_cert){ h->certs[k].pin, h->certs[k].role,
									       h->certs[k].name, h->certs[k].not_after };
		ph->issuers = &issuers[i * 2];
		ph->nissuers = (size_t)h->nissuers;
		for (int k = 0; k < h->nissuers; k++)
			issuers[i * 2 + k] = h->issuers[k];
	}
	struct buf b;
	buf_init(&b);
	int rc = 0;
	if (*nok == 0)
		rc = 0;   /* nothing worth writing: the caller reports every failure */
	else if (pinsfile_write(&b, hosts, *nok, TORREADY_VERSION, ts, e) < 0)
		rc = -1;
	else if (!c->out || !strcmp(c->out, "-"))
		fwrite(b.data, 1, b.len, stdout);
	else
		rc = write_atomic(c->out, b.data, b.len, e);
	buf_free(&b);
	free(hosts);
	free(certs);
	free(issuers);
	return rc;
}

/* A chain that leads to no trust anchor in use may be the very middlebox the pins are
 * meant to catch: recording it needs --allow-untrusted. Exit 2 before writing anything. */
static int refuse_untrusted(const struct capture *c)
{
	int n = 0;
	for (size_t i = 0; i < c->n; i++)
		n += c->v[i].ok && c->v[i].untrusted;
	if (!n)
		return 0;
	for (size_t i = 0; i < c->n; i++) {   /* every problem of the run, the failures too */
		char ep[HOST_MAX + 16];
		endpoint_str(&c->v[i].ep, ep, sizeof ep);
		if (!c->v[i].ok || c->v[i].untrusted)
			fprintf(stderr, "torready pins: %s%s: %s\n", c->v[i].ok ? "" : "cannot capture ",
				text_term(0, ep), text_term(1, c->v[i].problem));
	}
	fprintf(stderr, "torready pins: not writing pins for a chain this machine does not trust: "
			"capture on a network you trust, add its CA with --cafile, or give "
			"--allow-untrusted to record it anyway\n");
	return EXIT_USAGE;
}

enum { P_OUT = 1000, P_RESOLVE, P_CAFILE, P_TIMEOUT, P_STORE_ROOT, P_ALLOW_UNTRUSTED, P_HELP };
static const struct option pin_opts[] = {
	{ "out", required_argument, NULL, P_OUT },
	{ "resolve", required_argument, NULL, P_RESOLVE },
	{ "cafile", required_argument, NULL, P_CAFILE },
	{ "timeout", required_argument, NULL, P_TIMEOUT },
	{ "store-root", required_argument, NULL, P_STORE_ROOT },
	{ "allow-untrusted", no_argument, NULL, P_ALLOW_UNTRUSTED },
	{ "help", no_argument, NULL, P_HELP },
	{ NULL, 0, NULL, 0 },
};

static int set_opt(struct capture *c, int opt, const char *arg)
{
	char *end;
	switch (opt) {
	case P_OUT: c->out = arg; return 0;
	case P_ALLOW_UNTRUSTED: c->allow_untrusted = 1; return 0;
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
			fprintf(stderr, "torready pins: %s %s: %s\n", c->v[i].ok ? "warning:" : "cannot capture",
				text_term(0, ep), text_term(1, c->v[i].problem));
		failed |= !c->v[i].ok;
	}
	if (nok && c->out && strcmp(c->out, "-"))
		fprintf(stderr, "torready pins: wrote %zu host%s to %s\n", nok, nok == 1 ? "" : "s", text_term(0, c->out));
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
		if (truststore_load(&c.ts, c.t.store_root, &e) < 0 || run_capture(&c, &e) < 0)
			rc = cli_fail("pins", &e);
		else if (!c.allow_untrusted && (rc = refuse_untrusted(&c)) != 0)
			;
		else if (write_file(&c, &nok, &e) < 0)
			rc = cli_fail("pins", &e);
		else
			rc = report(&c, nok);
	} else if (rc == 1) {
		rc = EXIT_OK;
	}
	free(c.v);
	truststore_free(&c.ts);
	sk_X509_pop_free(c.cafile, X509_free);
	targets_free(&c.t);
	return rc;
}
