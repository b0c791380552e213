/* tor_bootstrap.c: probe tor.bootstrap — can a real tor connect to the Tor network from here,
 * directly and through each kind of bridge in the run? Each job launches tor with its own
 * temporary DataDirectory and the network off, takes control of it over the control port
 * (cookie authentication, TAKEOWNERSHIP), switches the network on and follows its BOOTSTRAP
 * status events to 100% or the deadline; tor is always killed and reaped, its files removed. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "child.h"
#include "conn.h"
#include "https_net.h"
#include "probe.h"
#include "tor_pt.h"
#include "torctl.h"

#define POLL_MS 50
#define KEEP_LOG 40          /* "Bootstrapped" lines kept as evidence */
#define KEEP_WARN 6          /* [warn]/[err] lines kept */
#define STALL_MS 5000        /* no progress for this long at the deadline: stuck */
#define CTL_MAX_IN (1024 * 1024)
/* Bridges handed to one tor at most: tor's work grows with the square of its bridge list
 * (5,000 lines took it minutes), and whether tor can bootstrap through a kind of bridge
 * needs a few that work, not all of them. tor.bridge still tests every bridge. */
#define BOOT_SAMPLE 20

struct boot {
	struct job *job;
	const struct targets *t;
	char transport[32];           /* "" for the direct run */
	char tor_path[4096], pt_path[4096];
	char dir[256];
	struct child *tor;
	struct conn *ctl;
	struct engine_timer *poll;
	int replies;                  /* answers to our pipelined commands */
	char auth[96];                /* "AUTHENTICATE <cookie hex>\r\n" */
	struct torctl_bootstrap last, warn;
	int have_status, have_warn;
	long long progress_at;
	json_t *log, *warns;
	size_t *pick, npick;          /* indexes of t->bridges given to this tor */
};

/* Commands sent at once after connecting; tor answers them in order. */
static const char *const commands[] = { NULL /* AUTHENTICATE */, "TAKEOWNERSHIP\r\n", "SETEVENTS STATUS_CLIENT\r\n",
					"SETCONF DisableNetwork=0\r\n", "GETINFO status/bootstrap-phase\r\n" };
#define NCOMMANDS (sizeof commands / sizeof *commands)

static const char *via(const struct boot *b)
{
	static char buf[64];
	if (!b->transport[0])
		return "";
	snprintf(buf, sizeof buf, " through %s bridges", b->transport);
	return buf;
}

static void record(struct boot *b)
{
	struct result *r = b->job->res;
	result_ev_set(r, "bootstrap_log", json_incref(b->log));
	if (json_array_size(b->warns))
		result_ev_set(r, "tor_warnings", json_incref(b->warns));
	if (!b->have_status)
		return;
	result_ev_int(r, "progress", b->last.progress);
	result_ev_str(r, "tag", b->last.tag);
	result_ev_str(r, "summary", b->last.summary);
	if (b->have_warn) {
		result_ev_str(r, "reason", b->warn.reason);
		result_ev_str(r, "warning", b->warn.warning);
		result_ev_int(r, "count", b->warn.count);
		result_ev_str(r, "recommendation", b->warn.recommendation);
		if (b->warn.hostid[0])
			result_ev_str(r, "host", b->warn.hostid);
		if (b->warn.hostaddr[0])
			result_ev_str(r, "hostaddr", b->warn.hostaddr);
	}
}

static void fail_tor(struct boot *b, const char *why)
{
	record(b);
	result_ev_str(b->job->res, "detail", why);
	job_finish(b->job, ST_ERROR, "tor_failed", "Tor could not be run here: %s", why);
}

static void got_status(struct boot *b, const char *text)
{
	struct torctl_bootstrap st;
	if (torctl_parse_bootstrap(text, &st) < 0)
		return;
	if (st.severity != TORCTL_NOTICE) {
		b->warn = st;
		b->have_warn = 1;
	}
	if (!b->have_status || st.progress > b->last.progress)
		b->progress_at = engine_now();
	if (!b->have_status || st.progress >= b->last.progress)
		b->last = st;
	b->have_status = 1;
	if (b->last.progress == 100 && !b->job->finished) {
		record(b);
		job_finish(b->job, ST_PASS, "ok", "Tor connected to the Tor network%s in %.1f s", via(b),
			   (engine_now() - b->job->t0) / 1000.0);
	}
}

static void got_reply(struct boot *b, const struct torctl_reply *r)
{
	if (r->code == 650) {
		if (!strncmp(r->lines[0].text, "STATUS_CLIENT ", 14))
			got_status(b, r->lines[0].text);
		return;
	}
	size_t i = (size_t)b->replies++;
	if (r->code != 250) {
		char why[200];
		snprintf(why, sizeof why, "its control port refused a command (%d %.120s)", r->code, r->lines[0].text);
		fail_tor(b, why);
		return;
	}
	const char *pfx = "status/bootstrap-phase=";
	if (i == NCOMMANDS - 1 && !strncmp(r->lines[0].text, pfx, strlen(pfx)))
		got_status(b, r->lines[0].text + strlen(pfx));
}

static void ctl_data(void *arg, struct buf *in)
{
	struct boot *b = arg;
	while (!b->job->finished) {
		struct torctl_reply r;
		long used = torctl_parse_reply(in->data, in->len, &r);
		if (used == 0)
			return;
		if (used < 0) {
			fail_tor(b, "its control port sent something that is not a control-protocol reply");
			return;
		}
		got_reply(b, &r);
		torctl_reply_free(&r);
		buf_consume(in, (size_t)used);
	}
}

static void ctl_open(void *arg)
{
	struct boot *b = arg;
	conn_send(b->ctl, b->auth, strlen(b->auth));
	for (size_t i = 1; i < NCOMMANDS; i++)
		conn_send(b->ctl, commands[i], strlen(commands[i]));
}

/* The AUTHENTICATE command from the cookie file, once tor has written it. 0 / -1. */
static int read_cookie(struct boot *b)
{
	char path[300];
	snprintf(path, sizeof path, "%s/data/control_auth_cookie", b->dir);
	struct buf cookie;
	buf_init(&cookie);
	int ok = read_file(path, 64, &cookie) == 0 && cookie.len == 32 &&
		 torctl_build_authenticate((const uint8_t *)cookie.data, cookie.len, b->auth, sizeof b->auth);
	buf_free(&cookie);
	return ok ? 0 : -1;
}

static void ctl_error(void *arg, const char *code, const char *detail)
{
	struct boot *b = arg;
	(void)code;
	if (b->job->finished)
		return;
	char why[200];
	snprintf(why, sizeof why, "its control connection failed (%.150s)", detail);
	fail_tor(b, why);
}

static const struct conn_cbs ctl_cbs = { ctl_open, ctl_data, ctl_error };

/* Tor writes its control address once the port is open, and its cookie. */
static void poll_port(void *arg)
{
	struct boot *b = arg;
	b->poll = NULL;
	if (b->job->finished)
		return;
	char path[300];
	snprintf(path, sizeof path, "%s/control.port", b->dir);
	struct buf text;
	buf_init(&text);
	struct endpoint ep;
	if (read_file(path, 4096, &text) == 0 && torctl_parse_port_file(buf_cstr(&text), &ep) == 0 &&
	    read_cookie(b) == 0) {
		buf_free(&text);
		struct conn_opts o = { .max_in = CTL_MAX_IN, .reserved = 1 };
		b->ctl = conn_open(b->job->eng, &ep, &o, &ctl_cbs, b);
		return;
	}
	buf_free(&text);
	b->poll = engine_timer(b->job->eng, POLL_MS, poll_port, b);
}

static void keep_line(json_t *arr, const char *line, size_t max)
{
	json_array_append_new(arr, results_str_safe(line, strlen(line)));
	while (json_array_size(arr) > max)
		json_array_remove(arr, 0);
}

/* Warnings tor always prints in our setup, which say nothing about the network. */
static int noise(const char *line)
{
	return strstr(line, "running Tor as root") || strstr(line, "DirAuthority or AlternateDirAuthority") ||
	       strstr(line, "TestingTorNetwork is set");
}

static void tor_line(void *arg, const char *line, size_t len)
{
	struct boot *b = arg;
	(void)len;
	if (torctl_log_bootstrapped(line) >= 0)
		keep_line(b->log, line, KEEP_LOG);
	else if ((strstr(line, "[warn]") || strstr(line, "[err]")) && !noise(line))
		keep_line(b->warns, line, KEEP_WARN);
	const char *v = strstr(line, "] Tor ");
	json_t *host = engine_results(b->job->eng)->host;
	if (v && strstr(v, " running on ") && !json_object_get(host, "tor")) {
		v += 6;
		json_object_set_new(host, "tor", results_str_safe(v, strcspn(v, " ")));
	}
}

static void tor_exit(void *arg, int status)
{
	struct boot *b = arg;
	if (b->job->finished)
		return;
	char why[120];
	if (status >= 0 && WIFEXITED(status))
		snprintf(why, sizeof why, "tor exited (status %d) before connecting", WEXITSTATUS(status));
	else
		snprintf(why, sizeof why, "tor ended before connecting");
	fail_tor(b, why);
}

/* Options of ours a targets file's tor.torrc may not change: they keep tor under our control
 * and its files in our directory; bridges come from the bridges list. */
static int reserved_option(const char *line)
{
	static const char *const keys[] = { "DataDirectory", "ControlPort", "ControlPortWriteToFile",
		"ControlSocket", "CookieAuthentication", "CookieAuthFile", "HashedControlPassword", "SocksPort",
		"DisableNetwork", "__OwningControllerProcess", "RunAsDaemon", "UseBridges", "Bridge",
		"ClientTransportPlugin", "PidFile", NULL };
	while (*line == ' ' || *line == '\t')
		line++;
	size_t n = strcspn(line, " \t");
	for (size_t i = 0; keys[i]; i++)
		if (strlen(keys[i]) == n && !strncasecmp(keys[i], line, n))
			return 1;
	return 0;
}

static void put_line(struct buf *rc, const char *line)
{
	for (const char *p = line; *p; p++)
		buf_putc(rc, (unsigned char)*p < 0x20 && *p != '\t' ? ' ' : *p);
	buf_putc(rc, '\n');
}

/* 1 when a tor.torrc line sets option (case-insensitive, as tor reads it). */
static int torrc_has(const struct targets *t, const char *option)
{
	size_t n = strlen(option);
	for (size_t i = 0; i < t->torrc.n; i++) {
		const char *l = t->torrc.v[i];
		while (*l == ' ' || *l == '\t')
			l++;
		if (!strncasecmp(l, option, n) && (l[n] == ' ' || l[n] == '\t'))
			return 1;
	}
	return 0;
}

/* A --dirauth as a torrc DirAuthority line (tor wants a directory port: the OR port
 * stands in when none was given). */
static void put_dirauth(struct buf *rc, const struct dirauth *d)
{
	char name[64];
	size_t k = 0;
	for (const char *p = d->name; *p && k < sizeof name - 1; p++)
		if (isalnum((unsigned char)*p))
			name[k++] = *p;
	name[k] = '\0';
	const struct endpoint *dir = d->dir_addr.port ? &d->dir_addr : &d->or_addr;
	buf_printf(rc, "DirAuthority %s orport=%d v3ident=%s %s:%d %s\n", k ? name : "given", d->or_addr.port, d->fp, d->or_addr.host,
		   dir->port, d->fp);
}

static void make_torrc(const struct boot *b, struct buf *rc)
{
	buf_printf(rc, "# written by torready for one bootstrap test; removed afterwards\n"
		       "DataDirectory %s/data\nControlPort auto\nControlPortWriteToFile %s/control.port\n"
		       "CookieAuthentication 1\nSocksPort 0\nDisableNetwork 1\n__OwningControllerProcess %ld\n"
		       "Log notice stdout\nAvoidDiskWrites 1\n",
		   b->dir, b->dir, (long)getpid());
	for (size_t i = 0; i < b->t->torrc.n; i++)
		if (!reserved_option(b->t->torrc.v[i]))
			put_line(rc, b->t->torrc.v[i]);
	if (b->t->no_defaults) {
		/* --no-defaults contacts only what was given: never tor's built-in fallback
		 * directories, and the --dirauth authorities when the torrc names none itself. */
		if (!torrc_has(b->t, "FallbackDir"))
			buf_puts(rc, "UseDefaultFallbackDirs 0\n");
		if (!torrc_has(b->t, "DirAuthority"))
			for (size_t i = 0; i < b->t->ndirauths; i++)
				put_dirauth(rc, &b->t->dirauths[i]);
	}
	if (!b->transport[0])
		return;
	buf_puts(rc, "UseBridges 1\n");
	for (size_t i = 0; i < b->npick; i++) {
		buf_puts(rc, "Bridge ");
		put_line(rc, b->t->bridges[b->pick[i]].line);
	}
	int vanilla = !strcmp(b->transport, "vanilla");
	if (!vanilla)
		buf_printf(rc, "ClientTransportPlugin %s exec %s\n", b->transport, b->pt_path);
}

/* ---------------------------------------------------------------- what tor may contact */

/* Every "IP:PORT" token of a torrc line, and "IP:N" for its orport=N (DirAuthority,
 * FallbackDir lines). */
static void contacts_of_line(struct job *j, const char *line)
{
	char tok[300], ip[HOST_MAX] = "";
	long orport = 0;
	for (const char *p = line; *p;) {
		p += strspn(p, " \t");
		size_t n = strcspn(p, " \t");
		if (n && n < sizeof tok) {
			memcpy(tok, p, n);
			tok[n] = '\0';
			struct endpoint ep;
			struct err e;
			if (!strncasecmp(tok, "orport=", 7))
				orport = strtol(tok + 7, NULL, 10);
			else if (strchr(tok, ':') && !strchr(tok, '=') && endpoint_parse(tok, 0, &ep, &e) == 0 &&
				 ep.port > 0 && host_is_ip_literal(ep.host)) {
				char buf[HOST_MAX + 16];
				job_contacted(j, endpoint_str(&ep, buf, sizeof buf));
				if (!ip[0])
					snprintf(ip, sizeof ip, "%s", ep.host);
			}
		}
		p += n;
	}
	if (ip[0] && orport > 0 && orport < 65536) {
		struct endpoint ep = { .port = (int)orport };
		char buf[HOST_MAX + 16];
		snprintf(ep.host, sizeof ep.host, "%s", ip);
		job_contacted(j, endpoint_str(&ep, buf, sizeof buf));
	}
}

static void contact_endpoint(struct job *j, const struct endpoint *ep)
{
	char buf[HOST_MAX + 16];
	if (ep->port > 0)
		job_contacted(j, endpoint_str(ep, buf, sizeof buf));
}

/* "https://host[:port]/..." as host:port. */
static void contact_url(struct job *j, const char *url)
{
	char host[HOST_MAX];
	int port, https;
	if (url && url_parts(url, host, sizeof host, &port, &https) == 0) {
		struct endpoint ep = { .port = port };
		snprintf(ep.host, sizeof ep.host, "%s", host);
		contact_endpoint(j, &ep);
	}
}

/* A comma-separated list of hosts (fronts=) or stun:host:port entries (ice=). */
static void contact_list(struct job *j, const char *list, int stun, int default_port)
{
	char item[HOST_MAX + 32];
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",");
		if (n && n < sizeof item) {
			memcpy(item, p, n);
			item[n] = '\0';
			const char *h = item;
			if (stun && !strncasecmp(h, "stun:", 5))
				h += 5;
			struct endpoint ep;
			struct err e;
			if (endpoint_parse(h, default_port, &ep, &e) == 0)
				contact_endpoint(j, &ep);
		}
		p += n;
		if (*p == ',')
			p++;
	}
}

/* What this run's tor (and its transport program) contacts or may contact, recorded in
 * `contacted` when it starts: a report that lists "every address contacted" must include
 * what our children reach, not only our own connections. */
static void note_contacts(struct boot *b)
{
	struct job *j = b->job;
	const struct targets *t = b->t;
	if (!b->transport[0]) {
		if (torrc_has(t, "DirAuthority") || torrc_has(t, "FallbackDir")) {
			for (size_t i = 0; i < t->torrc.n; i++) {
				const char *l = t->torrc.v[i] + strspn(t->torrc.v[i], " \t");
				if (!strncasecmp(l, "DirAuthority", 12) || !strncasecmp(l, "FallbackDir", 11))
					contacts_of_line(j, l);
			}
		}
		if (!torrc_has(t, "DirAuthority")) {
			for (size_t i = 0; i < t->ndirauths; i++) {
				contact_endpoint(j, &t->dirauths[i].or_addr);
				contact_endpoint(j, &t->dirauths[i].dir_addr);
				contact_endpoint(j, &t->dirauths[i].or6_addr);
			}
		}
		if (!t->no_defaults && !torrc_has(t, "FallbackDir") && !torrc_has(t, "DirAuthority"))
			job_contacted(j, "tor's built-in fallback directories (about 200 relays listed in tor itself)");
		return;
	}
	for (size_t i = 0; i < b->npick; i++) {   /* the bridges this tor is given */
		const struct bridge *br = &t->bridges[b->pick[i]];
		if (!strcmp(br->transport, "snowflake")) {
			contact_list(j, bridge_arg(br, "fronts"), 0, 443);
			contact_list(j, bridge_arg(br, "front"), 0, 443);
			contact_list(j, bridge_arg(br, "ice"), 1, 3478);
			job_contacted(j, "snowflake volunteer proxies (WebRTC peers the broker assigns, not known in advance)");
		} else if (!strcmp(br->transport, "meek_lite")) {
			contact_list(j, bridge_arg(br, "front"), 0, 443);
			if (!bridge_arg(br, "front"))
				contact_url(j, bridge_arg(br, "url"));
		} else if (!strcmp(br->transport, "webtunnel")) {
			contact_url(j, bridge_arg(br, "url"));
		} else {
			contact_endpoint(j, &br->addr);
		}
	}
}

static int write_text(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	int ok = fwrite(text, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int prepare(struct boot *b, char *torrc, char *defaults, size_t len)
{
	char data[300];
	snprintf(data, sizeof data, "%s/data", b->dir);
	snprintf(torrc, len, "%s/torrc", b->dir);
	snprintf(defaults, len, "%s/torrc-defaults", b->dir);
	if (mkdir(data, 0700) < 0)
		return -1;
	struct buf rc;
	buf_init(&rc);
	make_torrc(b, &rc);
	int r = write_text(torrc, rc.data, rc.len) | write_text(defaults, "", 0);
	buf_free(&rc);
	return r;
}

static void start(struct job *j)
{
	struct boot *b = j->state;
	if (!b->tor_path[0]) {
		job_finish(j, ST_ERROR, "tor_missing", "Tor is not installed here, so a real connection was not tried");
		return;
	}
	result_ev_str(j->res, "tor_program", b->tor_path);
	if (b->transport[0] && strcmp(b->transport, "vanilla")) {
		if (!b->pt_path[0]) {
			job_finish(j, ST_ERROR, "pt_missing", "No pluggable-transport program for %s bridges is installed here",
				   b->transport);
			return;
		}
		result_ev_str(j->res, "pt_program", b->pt_path);
	}
	char torrc[300], defaults[300];
	if (child_make_tmpdir("tor", b->dir, sizeof b->dir) < 0 || prepare(b, torrc, defaults, sizeof torrc) < 0) {
		fail_tor(b, "cannot write its configuration in a temporary directory");
		return;
	}
	char *argv[] = { b->tor_path, "-f", torrc, "--defaults-torrc", defaults, NULL };
	struct child_spec spec = { .argv = argv, .stderr_to_stdout = 1 };
	struct err e;
	b->tor = child_spawn(j->eng, &spec, tor_line, tor_exit, b, &e);
	if (!b->tor) {
		fail_tor(b, e.msg);
		return;
	}
	note_contacts(b);
	b->progress_at = engine_now();
	b->poll = engine_timer(j->eng, POLL_MS, poll_port, b);
}

static void expire(struct job *j)
{
	struct boot *b = j->state;
	record(b);
	long still = (long)((engine_now() - b->progress_at) / 1000);
	if (!b->have_status) {
		job_finish(j, ST_FAIL, "stuck", "Tor had not even started connecting%s when the time ran out", via(b));
	} else if (b->have_warn) {
		job_finish(j, ST_FAIL, "stuck", "Tor got stuck at %d%% (%s)%s: %s (%s)", b->last.progress, b->last.summary,
			   via(b), b->warn.warning[0] ? b->warn.warning : "a problem", b->warn.reason);
	} else if (engine_now() - b->progress_at >= STALL_MS) {
		job_finish(j, ST_FAIL, "stuck", "Tor made no progress for %ld s%s, stuck at %d%% (%s)", still, via(b),
			   b->last.progress, b->last.summary);
	} else {
		job_finish(j, ST_WARN, "timeout", "Tor was still connecting%s when the time ran out (%d%%: %s); "
			   "a longer --timeout would tell more", via(b), b->last.progress, b->last.summary);
	}
}

static void cleanup(struct job *j)
{
	struct boot *b = j->state;
	engine_timer_cancel(j->eng, b->poll);
	conn_close(b->ctl);   /* tor owned by this connection exits when it closes */
	child_free(b->tor, 2000);
	child_remove_tree(b->dir);
	json_decref(b->log);
	json_decref(b->warns);
	free(b->pick);
	free(b);
}

static const struct job_ops ops = { start, expire, cleanup };

static unsigned long long line_hash(const char *s)
{
	unsigned long long h = 14695981039346656037ull;   /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct ranked {
	unsigned long long h;
	size_t i;
};

static int by_rank(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	return x->h != y->h ? (x->h < y->h ? -1 : 1) : (x->i > y->i) - (x->i < y->i);
}

/* This transport's bridges, or BOOT_SAMPLE of them: those whose lines hash lowest, a
 * sample that looks random but is the same for the same lines in any order. */
static void pick_bridges(struct boot *b)
{
	int vanilla = !strcmp(b->transport, "vanilla");
	struct ranked *r = xcalloc(b->t->nbridges ? b->t->nbridges : 1, sizeof *r);
	size_t n = 0;
	for (size_t i = 0; i < b->t->nbridges; i++) {
		const struct bridge *br = &b->t->bridges[i];
		if (vanilla ? !br->transport[0] : !strcmp(br->transport, b->transport))
			r[n++] = (struct ranked){ line_hash(br->line), i };
	}
	if (n > BOOT_SAMPLE)
		qsort(r, n, sizeof *r, by_rank);
	b->npick = n > BOOT_SAMPLE ? BOOT_SAMPLE : n;
	b->pick = xcalloc(b->npick ? b->npick : 1, sizeof *b->pick);
	for (size_t i = 0; i < b->npick; i++)
		b->pick[i] = r[i].i;
	struct result *res = b->job->res;
	result_ev_int(res, "bridges_given", (long long)n);
	result_ev_int(res, "bridges_used", (long long)b->npick);
	if (n > b->npick) {
		char note[200];
		snprintf(note, sizeof note, "%zu of the %zu %s bridges, chosen by a hash of each line (the same "
			 "lines give the same sample); tor.bridge tests every one", b->npick, n, b->transport);
		result_ev_str(res, "bridges_sample", note);
	}
	free(r);
}

static void add_job(struct engine *eng, const struct targets *t, const char *tor, const char *transport)
{
	struct boot *b = xcalloc(1, sizeof *b);
	b->t = t;
	snprintf(b->tor_path, sizeof b->tor_path, "%s", tor);
	snprintf(b->transport, sizeof b->transport, "%s", transport);
	if (*transport && strcmp(transport, "vanilla") && tor_pt_find(t, transport, b->pt_path, sizeof b->pt_path) < 0)
		b->pt_path[0] = '\0';
	b->log = json_array();
	b->warns = json_array();
	char target[64];
	snprintf(target, sizeof target, "%s bridges", transport);
	b->job = engine_job(eng, "tor.bootstrap", *transport ? target : "tor", *transport ? transport : "direct", &ops, b);
	result_ev_str(b->job->res, "transport", *transport ? transport : "direct");
	if (*transport)
		pick_bridges(b);
}

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	(void)e;
	char tor[4096];
	/* The direct run needs directory authorities: tor's own (a default run), or ones given
	 * (--dirauth, DirAuthority in tor.torrc). Under --no-defaults with none given, a direct
	 * tor would only reach Tor's public fallbacks, which nobody asked to contact. */
	int direct = !t->no_defaults || t->ndirauths > 0 || torrc_has(t, "DirAuthority");
	if (!direct && t->nbridges == 0)
		return 0;
	if (child_find_program(t->tor_binary && *t->tor_binary ? t->tor_binary : "tor", tor, sizeof tor) < 0) {
		add_job(eng, t, "", "");   /* one tor_missing result says it all */
		return 0;
	}
	if (direct)
		add_job(eng, t, tor, "");
	for (size_t i = 0; i < t->nbridges; i++) {
		const char *tr = t->bridges[i].transport[0] ? t->bridges[i].transport : "vanilla";
		int seen = 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = !strcmp(tr, t->bridges[k].transport[0] ? t->bridges[k].transport : "vanilla");
		if (!seen)
			add_job(eng, t, tor, tr);
	}
	return 0;
}

const struct probe probe_tor_bootstrap = {
	.id = "tor.bootstrap",
	.plan = plan,
};
