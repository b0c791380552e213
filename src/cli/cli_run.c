/* cli_run.c: `check` and `probe` — targets in, engine run, results (and pages) out. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "engine.h"
#include "hostinfo.h"
#include "machine_id.h"
#include "paths.h"
#include "probe.h"
#include "registry.h"
#include "render.h"
#include "results.h"
#include "results_json.h"
#include "safetext.h"
#include "submit.h"
#include "verdict.h"
#include "targets.h"
#include "validate.h"

#define DEFAULT_TIMEOUT_S 10

struct run_opts {
	const char *cmd;
	const char *out_dir;      /* check */
	const char *json;         /* probe */
	const char *only;
	const char *targets_file;
	const char *submit, *token_file;   /* check --submit URL --token-file FILE (submit.c) */
	int no_defaults, progress;
	int verbose;              /* check: every result, not only the main points */
	long timeout_s;           /* 0: not given */
	struct targets flags;     /* what the probe flags add */
};

enum { OPT_OUT = 1000, OPT_TARGETS, OPT_NO_DEFAULTS, OPT_TIMEOUT, OPT_ONLY, OPT_JSON, OPT_PROGRESS,
       OPT_BRIDGE, OPT_DIRAUTH, OPT_SITE, OPT_PIN, OPT_CAFILE, OPT_RESOLVE, OPT_SOCKS, OPT_MAIL,
       OPT_STORE_ROOT, OPT_SUBMIT, OPT_TOKEN_FILE, OPT_TOR, OPT_PT, OPT_HELP, OPT_VERBOSE };

static const struct option long_opts[] = {
	{ "out", required_argument, NULL, OPT_OUT },
	{ "targets", required_argument, NULL, OPT_TARGETS },
	{ "no-defaults", no_argument, NULL, OPT_NO_DEFAULTS },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "progress", no_argument, NULL, OPT_PROGRESS },
	{ "bridge", required_argument, NULL, OPT_BRIDGE },
	{ "dirauth", required_argument, NULL, OPT_DIRAUTH },
	{ "site", required_argument, NULL, OPT_SITE },
	{ "pin", required_argument, NULL, OPT_PIN },
	{ "cafile", required_argument, NULL, OPT_CAFILE },
	{ "resolve", required_argument, NULL, OPT_RESOLVE },
	{ "socks", required_argument, NULL, OPT_SOCKS },
	{ "mail", required_argument, NULL, OPT_MAIL },
	{ "store-root", required_argument, NULL, OPT_STORE_ROOT },
	{ "submit", required_argument, NULL, OPT_SUBMIT },
	{ "token-file", required_argument, NULL, OPT_TOKEN_FILE },
	{ "tor", required_argument, NULL, OPT_TOR },
	{ "pt", required_argument, NULL, OPT_PT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ NULL, 0, NULL, 0 },
};

static int set_once(char **dst, const char *val)
{
	free(*dst);
	*dst = xstrdup(val);
	return 0;
}

static int program_path(const char *what, char **dst, const char *val, struct err *e);

static int probe_flag(struct run_opts *o, int c, const char *arg, struct err *e)
{
	struct targets *t = &o->flags;
	struct endpoint ep;
	char tmp[HOST_MAX + 16];
	switch (c) {
	case OPT_BRIDGE: return targets_add_bridge(t, arg, e);
	case OPT_DIRAUTH: return targets_add_dirauth_flag(t, arg, e);
	case OPT_SITE: return targets_add_site(t, arg, NULL, e);
	case OPT_PIN: return targets_add_pin_flag(t, arg, e);
	case OPT_CAFILE: return set_once(&t->cafile, arg);
	case OPT_RESOLVE:
		if (text_find_control(arg) >= 0)
			return err_set(e, "--resolve \"%.80s\": a control character is not allowed", arg);
		if (check_resolve(arg, e) < 0)
			return -1;
		strlist_add(&t->resolve, arg);
		return 0;
	case OPT_SOCKS:
		if (endpoint_parse(arg, 0, &ep, e) < 0)
			return -1;
		return set_once(&t->socks, arg);
	case OPT_MAIL:
		if (endpoint_parse(arg, 587, &ep, e) < 0)
			return -1;
		strlist_add(&t->mail, endpoint_str(&ep, tmp, sizeof tmp));
		return 0;
	case OPT_STORE_ROOT: return set_once(&t->store_root, arg);
	case OPT_TOR: return program_path("--tor", &t->tor_binary, arg, e);
	case OPT_PT: return program_path("--pt", &t->tor_pt, arg, e);
	}
	return 0;
}

/* Program paths come from the command line or the environment only, never from a targets
 * file (which is data people pass around): --tor/--pt, else TORREADY_TOR/TORREADY_PT. */
static int program_path(const char *what, char **dst, const char *val, struct err *e)
{
	if (!*val)
		return err_set(e, "%s: give a program path", what);
	if (text_find_control(val) >= 0)
		return err_set(e, "%s \"%.80s\": a control character is not allowed", what, val);
	return set_once(dst, val);
}

static int program_env(struct targets *t, struct err *e)
{
	const char *tor = getenv("TORREADY_TOR"), *pt = getenv("TORREADY_PT");
	if (!t->tor_binary && tor && *tor && program_path("TORREADY_TOR", &t->tor_binary, tor, e) < 0)
		return -1;
	if (!t->tor_pt && pt && *pt && program_path("TORREADY_PT", &t->tor_pt, pt, e) < 0)
		return -1;
	return 0;
}

static int parse_timeout(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 3600)
		return -1;
	*out = v;
	return 0;
}

static const char *opt_name(int c)
{
	for (const struct option *p = long_opts; p->name; p++)
		if (p->val == c)
			return p->name;
	return "?";
}

/* Returns -1 after printing a usage error (exit 2), 1 for --help, 0 to go on. */
static int parse_args(struct run_opts *o, int argc, char **argv)
{
	opterr = 0;
	optind = 1;
	int c;
	struct err e;
	int check = !strcmp(o->cmd, "check");
	while ((c = getopt_long(argc, argv, ":", long_opts, NULL)) != -1) {
		if (c == OPT_HELP) {
			cli_print_usage(o->cmd, stdout);
			return 1;
		}
		if (c == '?' || c == ':') {
			const char *bad = argv[optind - 1];
			cli_usage_error(o->cmd, c == ':' ? "option %s needs a value" : "unknown option %s", bad);
			return -1;
		}
		if (((c == OPT_OUT || c == OPT_SUBMIT || c == OPT_TOKEN_FILE || c == OPT_VERBOSE) && !check) || ((c == OPT_JSON || c == OPT_ONLY) && check)) {
			cli_usage_error(o->cmd, "option --%s is not for %s", opt_name(c), o->cmd);
			return -1;
		}
		switch (c) {
		case OPT_OUT: o->out_dir = optarg; break;
		case OPT_SUBMIT: o->submit = optarg; break;
		case OPT_TOKEN_FILE: o->token_file = optarg; break;
		case OPT_JSON: o->json = optarg; break;
		case OPT_ONLY: o->only = optarg; break;
		case OPT_TARGETS: o->targets_file = optarg; break;
		case OPT_NO_DEFAULTS: o->no_defaults = 1; break;
		case OPT_PROGRESS: o->progress = 1; break;
		case OPT_VERBOSE: o->verbose = 1; break;
		case OPT_TIMEOUT:
			if (parse_timeout(optarg, &o->timeout_s) < 0) {
				cli_usage_error(o->cmd, "--timeout \"%.20s\": give whole seconds from 1 to 3600", optarg);
				return -1;
			}
			break;
		default:
			if (probe_flag(o, c, optarg, &e) < 0) {
				/* Every message names the flag it is about. */
				if (!strncmp(e.msg, "--", 2))
					cli_usage_error(o->cmd, "%s", e.msg);
				else
					cli_usage_error(o->cmd, "--%s: %s", opt_name(c), e.msg);
				return -1;
			}
		}
	}
	if (optind < argc) {
		cli_usage_error(o->cmd, "unexpected argument \"%.60s\"", argv[optind]);
		return -1;
	}
	if (!o->submit != !o->token_file) {
		cli_usage_error(o->cmd, "--submit URL and --token-file FILE go together");
		return -1;
	}
	if (o->only && probe_check_only(o->only, &e) < 0) {
		cli_usage_error(o->cmd, "%s", e.msg);
		return -1;
	}
	return 0;
}

/* Defaults, then the targets file, then the flags: lists add up, single values override. */
static int load_targets(struct run_opts *o, struct targets *t, struct err *e)
{
	targets_init(t);
	if (!o->no_defaults) {
		char path[4096];
		if (targets_load(t, paths_data("kb/targets.yaml", path, sizeof path), 1, e) < 0) {
			e->kind = EXIT_INTERNAL;   /* our own data file: not the user's input */
			return -1;
		}
	}
	if (o->targets_file && targets_load(t, o->targets_file, 0, e) < 0)
		return -1;
	if (program_env(&o->flags, e) < 0)
		return -1;
	targets_merge(t, &o->flags);
	/* The CA file is read by OpenSSL inside a transfer, where a FIFO would stall it until
	 * the deadline: refused here, like every other input that is not a regular file. */
	struct stat st;
	if (t->cafile) {
		int why = stat(t->cafile, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR :
			  !S_ISREG(st.st_mode) ? ENOT_REGULAR : 0;
		if (why)
			return err_set(e, "cafile %s: %s", t->cafile, file_strerror(why));
	}
	t->no_defaults = o->no_defaults;
	if (o->timeout_s)
		t->timeout_s = o->timeout_s;
	if (!t->timeout_s)
		t->timeout_s = DEFAULT_TIMEOUT_S;
	return 0;
}

static int plan_all(struct engine *eng, const struct targets *t, const char *only, struct err *e)
{
	for (size_t i = 0; probe_registry[i]; i++)
		if (probe_selected(only, probe_registry[i]) && probe_registry[i]->plan(eng, t, e) < 0)
			return -1;
	return 0;
}

static int use_colour(void)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(nc && *nc);
}


/* SIGINT and SIGTERM keep their default action (the shell sees 130/143) while we load and
 * check inputs — a hostile file must never make only SIGKILL work. They are blocked only
 * here, just before the engine exists: it reads them from a signalfd, and one that arrives
 * during planning stays pending and interrupts the run at once. */
static void block_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Until then a signal ends the command at once with the shell's status for it (130, 143):
 * nothing has been created yet, so there is nothing to clean up. */
static void exit_on_signal(int sig)
{
	_exit(128 + sig);
}

static int run_engine(struct run_opts *o, const struct targets *t, struct results *rs,
		      long long t_run0, struct err *e)
{
	hostinfo_fill(rs->host);
	block_signals();
	struct engine *eng = engine_new(rs, t->timeout_s * 1000);
	if (!eng)
		return err_internal(e, "cannot create the event loop");
	engine_set_start(eng, t_run0);   /* --timeout covers loading and planning too */
	int rc = plan_all(eng, t, o->only, e);
	char ts[32];
	now_rfc3339(ts);
	rs->started = xstrdup(ts);
	rs->deadline_ms = t->timeout_s * 1000;
	int progress = o->progress || isatty(STDERR_FILENO);
	if (progress && rc == 0)
		fprintf(stderr, "torready: %zu checks, deadline %ld s...\n", rs->n, t->timeout_s);
	if (rc == 0)
		rc = engine_run(eng, e);
	rs->duration_ms = (long)(engine_now() - t_run0);   /* the true wall time of the run */
	now_rfc3339(ts);
	rs->finished = xstrdup(ts);
	engine_free(eng);
	if (progress && rc == 0)
		fprintf(stderr, "torready: done in %.1f s\n", rs->duration_ms / 1000.0);
	return rc;
}

static int mkdir_p(const char *dir, struct err *e)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return err_set(e, "cannot create %s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return err_set(e, "cannot create %s: %s", tmp, strerror(errno));
	return 0;
}

static int write_outputs(struct run_opts *o, const struct results *rs, struct err *e)
{
	if (strcmp(o->cmd, "check"))
		return results_write(rs, o->json ? o->json : "-", e);
	const char *dir = o->out_dir ? o->out_dir : "output";
	if (mkdir_p(dir, e) < 0)
		return -1;
	char path[4096];
	snprintf(path, sizeof path, "%s/results.json", dir);
	machine_id_fill(rs->host);   /* check only: one installation, one machine in aggregates */
	if (results_write(rs, path, e) < 0)
		return -1;
	const struct results *sets[1] = { rs };
	struct render_opts ro = { .out_dir = dir, .page = "report", .formats = "html,md" };
	return render_run(sets, 1, &ro, e);
}

/* After the results are written: a failed submission leaves them where they are and says so. */
static int submit_written(struct run_opts *o, const struct targets *t)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/results.json", o->out_dir ? o->out_dir : "output");
	struct err e;
	err_clear(&e);
	if (results_submit(o->submit, o->token_file, path, t->cafile, &e) < 0) {
		fprintf(stderr, "torready check: not submitted: %s\n"
			"torready check: the results are kept in %s\n", text_term(0, e.msg), text_term(1, path));
		return -1;
	}
	fprintf(stderr, "torready check: results submitted to %s\n", text_term(0, o->submit));
	return 0;
}

static int run_command(const char *cmd, int argc, char **argv)
{
	long long t_run0 = engine_now();
	struct run_opts o = { .cmd = cmd };
	targets_init(&o.flags);
	struct targets t;
	targets_init(&t);
	struct results rs;
	results_init(&rs);
	struct err e;
	err_clear(&e);
	int rc = parse_args(&o, argc, argv);
	if (rc != 0) {
		rc = rc > 0 ? EXIT_OK : EXIT_USAGE;
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, exit_on_signal);
	signal(SIGTERM, exit_on_signal);
	if (load_targets(&o, &t, &e) < 0 || run_engine(&o, &t, &rs, t_run0, &e) < 0) {
		rc = cli_fail(cmd, &e);
		goto out;
	}
	/* The one answer, computed once: results.json, the pages and the terminal show it. */
	rs.verdict = results_verdict(&rs);
	if (write_outputs(&o, &rs, &e) < 0) {
		rc = cli_fail(cmd, &e);
		goto out;
	}
	if (!strcmp(cmd, "check"))
		cli_print_answer(&rs, o.out_dir ? o.out_dir : "output", o.verbose, use_colour());
	rc = results_exit_code(&rs);
	if (o.submit && submit_written(&o, &t) < 0 && rc == EXIT_OK)
		rc = EXIT_FAILED;
	/* Interrupted: the shell convention, 130 for SIGINT and 143 for SIGTERM (cli.md). */
	if (rs.interrupted)
		rc = 128 + (rs.interrupted == SIGTERM ? SIGTERM : SIGINT);
out:
	results_free(&rs);
	targets_free(&t);
	targets_free(&o.flags);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	return run_command("check", argc, argv);
}

int cmd_probe(int argc, char **argv)
{
	return run_command("probe", argc, argv);
}
