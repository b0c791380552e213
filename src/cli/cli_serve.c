/* cli_serve.c: `torready serve` — options, then the event loop (../shared/spec/serve.md).
 * One process, one thread: libevent's evhttp answers HTTP on connections whose TLS this
 * process terminates itself (serve_tls.c). SIGINT/SIGTERM end the loop cleanly. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "buf.h"
#include "cli.h"
#include "paths.h"
#include "serve.h"
#include "serve_store.h"
#include "site.h"
#include "token_file.h"
#include "tpl.h"

enum { S_LISTEN = 1, S_CERT, S_KEY, S_STORE, S_TOKEN, S_KB, S_TEMPLATES, S_SITE, S_MIN_GROUP,
       S_MAX_CONNS, S_MAX_BUFFERED, S_IDLE, S_NO_REDACT, S_SITE_DIR, S_BASE_URL, S_HELP };

static const struct option opts[] = {
	{ "listen", required_argument, NULL, S_LISTEN },
	{ "tls-cert", required_argument, NULL, S_CERT },
	{ "tls-key", required_argument, NULL, S_KEY },
	{ "store", required_argument, NULL, S_STORE },
	{ "token-file", required_argument, NULL, S_TOKEN },
	{ "kb", required_argument, NULL, S_KB },
	{ "templates", required_argument, NULL, S_TEMPLATES },
	{ "site", required_argument, NULL, S_SITE },
	{ "site-dir", required_argument, NULL, S_SITE_DIR },
	{ "base-url", required_argument, NULL, S_BASE_URL },
	{ "min-group", required_argument, NULL, S_MIN_GROUP },
	{ "max-connections", required_argument, NULL, S_MAX_CONNS },
	{ "max-buffered", required_argument, NULL, S_MAX_BUFFERED },
	{ "idle-timeout", required_argument, NULL, S_IDLE },
	{ "no-redact", no_argument, NULL, S_NO_REDACT },
	{ "help", no_argument, NULL, S_HELP },
	{ NULL, 0, NULL, 0 },
};

static int int_arg(const char *name, const char *v, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < lo || n > hi)
		return cli_usage_error("serve", "%s: want a whole number from %d to %d, not \"%.30s\"",
				       name, lo, hi, v);
	*out = (int)n;
	return 0;
}

static int min_group_given;

static int parse(int argc, char **argv, struct serve_opts *o)
{
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case S_LISTEN: o->listen = optarg; break;
		case S_CERT: o->cert = optarg; break;
		case S_KEY: o->key = optarg; break;
		case S_STORE: o->store = optarg; break;
		case S_TOKEN: o->token_file = optarg; break;
		case S_KB: o->kb_dir = optarg; break;
		case S_TEMPLATES: o->templates_dir = optarg; break;
		case S_SITE: o->site = optarg; break;
		case S_SITE_DIR: o->site_dir = optarg; break;
		case S_BASE_URL: o->base_url = optarg; break;
		case S_NO_REDACT: o->no_redact = 1; break;
		case S_MIN_GROUP:
			if (int_arg("--min-group", optarg, 1, 1000000, &o->min_group))
				return -1;
			min_group_given = 1;
			break;
		case S_MAX_CONNS:
			if (int_arg("--max-connections", optarg, 4, 100000, &o->max_conns))
				return -1;
			break;
		case S_MAX_BUFFERED:   /* at least two whole 4 MiB bodies */
			if (int_arg("--max-buffered", optarg, 8, 65536, &o->max_buffered_mib))
				return -1;
			break;
		case S_IDLE:
			if (int_arg("--idle-timeout", optarg, 1, 3600, &o->idle_seconds))
				return -1;
			break;
		case S_HELP: cli_print_usage("serve", stdout); return 1;
		default:
			cli_usage_error("serve", c == ':' ? "option %s needs a value" : "unknown option %s",
					argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc)
		return cli_usage_error("serve", "unexpected argument \"%.60s\"", argv[optind]), -1;
	if (!o->listen || !o->cert || !o->key)
		return cli_usage_error("serve", "--listen ADDR:PORT, --tls-cert FILE and --tls-key FILE "
				       "are required"), -1;
	return 0;
}

/* The token: the file's first line, surrounding blanks dropped. Too short a token is refused:
 * it is the one thing between the internet and the store. */
static int read_token(struct serve *s)
{
	struct err e;
	err_clear(&e);
	long n = token_file_read(s->o.token_file, s->token, sizeof s->token, &e);
	if (n < 0) {
		fprintf(stderr, "torready serve: %s\n", e.msg);
		return -1;
	}
	if (n < 16) {
		fprintf(stderr, "torready serve: --token-file %s: the token must be 16 to 255 characters "
			"on the first line (e.g. openssl rand -hex 32)\n", s->o.token_file);
		return -1;
	}
	s->token_len = (size_t)n;
	return 0;
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig, (void)what;
	event_base_loopbreak(arg);
}

/* Room for max_conns sockets plus the store and the site's files. */
static void raise_nofile(int want)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)want) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)want ? rl.rlim_max : (rlim_t)want;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int cmd_serve(int argc, char **argv)
{
	struct serve s;
	memset(&s, 0, sizeof s);
	s.o.min_group = 5;
	s.o.max_conns = 1024;
	s.o.max_buffered_mib = 64;
	s.o.idle_seconds = 15;
	s.o.life_seconds = 120;
	s.o.store = "torready.sqlite";
	int rc = parse(argc, argv, &s.o);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	char tdir[4096], kdir[4096];
	if (!s.o.templates_dir)
		s.o.templates_dir = paths_data("templates", tdir, sizeof tdir);
	if (!s.o.kb_dir)
		s.o.kb_dir = paths_data("kb", kdir, sizeof kdir);
	if (s.o.token_file && read_token(&s) < 0)
		return EXIT_USAGE;

	char host[256];
	int port = 0;
	const char *colon = strrchr(s.o.listen, ':');
	if (!colon || colon == s.o.listen || (size_t)(colon - s.o.listen) >= sizeof host ||
	    int_arg("--listen port", colon + 1, 1, 65535, &port))
		return colon ? EXIT_USAGE : cli_usage_error("serve", "--listen: want ADDR:PORT");
	memcpy(host, s.o.listen, (size_t)(colon - s.o.listen));
	host[colon - s.o.listen] = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {   /* [::1]:8443 */
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}

	/* --site: the department's name on every page; its base_url and min_group apply unless
	 * given on the command line. */
	struct site_file site = { 0 };
	if (s.o.site) {
		struct err se;
		err_clear(&se);
		if (site_load(s.o.site, &site, &se) < 0)
			return cli_fail("serve", &se);
		s.o.site_file = &site;
		if (!s.o.base_url && site.base_url)
			s.o.base_url = site.base_url;
		if (!min_group_given && site.min_group > 0)
			s.o.min_group = (int)site.min_group;
	}
	/* The pages hide small groups as /api/summary.json does: one min_group for both. */
	site.min_group = s.o.min_group;
	s.o.site_file = &site;
	char base_url[512];
	if (!s.o.base_url) {   /* the address it listens on, until told the public name */
		snprintf(base_url, sizeof base_url, "https://%s/", s.o.listen);
		s.o.base_url = base_url;
	}
	char errbuf[1024];
	if (serve_tls_init(&s, errbuf, sizeof errbuf) < 0 ||
	    serve_selfcheck_init(&s, errbuf, sizeof errbuf) < 0) {
		fprintf(stderr, "torready serve: %s\n", errbuf);
		return EXIT_USAGE;
	}
	if (!(s.store = serve_store_open(s.o.store, errbuf, sizeof errbuf))) {
		fprintf(stderr, "torready serve: --store %s: %s\n", s.o.store, errbuf);
		return EXIT_USAGE;
	}
	raise_nofile(s.o.max_conns + 64);
	signal(SIGPIPE, SIG_IGN);
	s.base = event_base_new();
	s.http = s.base ? evhttp_new(s.base) : NULL;
	if (!s.http) {
		fprintf(stderr, "torready serve: cannot start the event loop\n");
		return EXIT_INTERNAL;
	}
	if (serve_site_init(&s, errbuf, sizeof errbuf) < 0) {
		fprintf(stderr, "torready serve: %s\n", errbuf);
		return EXIT_USAGE;
	}
	/* Bounds on what one request may make us hold: headers 16 KiB, a body 4 MiB (the spec's
	 * 413 line); a connection idle for idle_seconds is closed. All requests not yet answered
	 * hold max_buffered_mib at most together (serve_tls.c). */
	evhttp_set_max_headers_size(s.http, 16 * 1024);
	evhttp_set_max_body_size(s.http, 4 * 1024 * 1024);
	evhttp_set_timeout(s.http, s.o.idle_seconds);
	/* Lingering close: a body over the bound is read and dropped, then answered 413, rather
	 * than the connection cut mid-upload (the client would only see a reset). */
	evhttp_set_flags(s.http, EVHTTP_SERVER_LINGERING_CLOSE);
	evhttp_set_allowed_methods(s.http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST);
	evhttp_set_bevcb(s.http, serve_tls_bev, &s);
	evhttp_set_gencb(s.http, serve_route, &s);
	struct evhttp_bound_socket *bound = evhttp_bind_socket_with_handle(s.http, host, (ev_uint16_t)port);
	if (!bound) {
		fprintf(stderr, "torready serve: cannot listen on %s: %s\n", s.o.listen, strerror(errno));
		return EXIT_FAILED;
	}
	s.listener = evhttp_bound_socket_get_listener(bound);
	/* No Nagle: evhttp writes the headers and the body separately, and a kept-alive client
	 * would otherwise wait out its delayed ACK (~40 ms) for every answer. Linux hands the
	 * option on to each accepted socket. */
	int one = 1;
	setsockopt(evconnlistener_get_fd(s.listener), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	struct event *sigint = evsignal_new(s.base, SIGINT, on_signal, s.base);
	struct event *sigterm = evsignal_new(s.base, SIGTERM, on_signal, s.base);
	event_add(sigint, NULL);
	event_add(sigterm, NULL);
	fprintf(stderr, "torready serve: listening on https://%s/ (self-check at /self-check)\n",
		s.o.listen);
	event_base_dispatch(s.base);
	fprintf(stderr, "torready serve: stopping\n");
	event_free(sigint);
	event_free(sigterm);
	s.listener = NULL;   /* evhttp_free frees it before the connections whose end would resume it */
	evhttp_free(s.http);
	serve_site_free(&s);
	serve_store_close(s.store);
	event_base_free(s.base);
	SSL_CTX_free(s.ctx);
	tpl_free(s.selfcheck_tpl);
	site_free(&site);
	return EXIT_OK;
}
