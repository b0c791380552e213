/* cli_render.c: `torready render` — pages from results gathered earlier (one or many). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "cli.h"
#include "render.h"
#include "results.h"
#include "results_gather.h"
#include "targets.h"

enum { R_RESULTS = 1, R_OUT, R_PAGE, R_TOPIC, R_FORMAT, R_KB, R_TEMPLATES, R_BASE_URL, R_SHOW_HOSTS, R_REDACT, R_SITE, R_HELP };

static const struct option opts[] = {
	{ "results", required_argument, NULL, R_RESULTS },
	{ "out", required_argument, NULL, R_OUT },
	{ "page", required_argument, NULL, R_PAGE },
	{ "topic", required_argument, NULL, R_TOPIC },
	{ "format", required_argument, NULL, R_FORMAT },
	{ "kb", required_argument, NULL, R_KB },
	{ "templates", required_argument, NULL, R_TEMPLATES },
	{ "base-url", required_argument, NULL, R_BASE_URL },
	{ "show-hosts", no_argument, NULL, R_SHOW_HOSTS },
	{ "redact", no_argument, NULL, R_REDACT },
	{ "site", required_argument, NULL, R_SITE },
	{ "help", no_argument, NULL, R_HELP },
	{ NULL, 0, NULL, 0 },
};

static int parse(int argc, char **argv, struct render_opts *ro, struct strlist *files, int *redact,
		 const char **site)
{
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case R_RESULTS: strlist_add(files, optarg); break;
		case R_OUT: ro->out_dir = optarg; break;
		case R_PAGE: ro->page = optarg; break;
		case R_TOPIC: ro->topic = optarg; break;
		case R_FORMAT: ro->formats = optarg; break;
		case R_KB: ro->kb_dir = optarg; break;
		case R_TEMPLATES: ro->templates_dir = optarg; break;
		case R_BASE_URL: ro->base_url = optarg; break;
		case R_SHOW_HOSTS: ro->show_hosts = 1; break;
		case R_REDACT: *redact = 1; break;
		case R_SITE: *site = optarg; break;
		case R_HELP: cli_print_usage("render", stdout); return 1;
		default:
			cli_usage_error("render", c == ':' ? "option %s needs a value" : "unknown option %s",
					argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		cli_usage_error("render", "unexpected argument \"%.60s\"", argv[optind]);
		return -1;
	}
	if (!files->n) {
		cli_usage_error("render", "--results FILE is required");
		return -1;
	}
	if (!ro->out_dir) {
		cli_usage_error("render", "--out DIR is required");
		return -1;
	}
	return 0;
}

int cmd_render(int argc, char **argv)
{
	struct render_opts ro = { 0 };
	struct strlist files = { 0 };
	int redact = 0;
	const char *site_path = NULL;
	struct site_file site = { 0 };
	int rc = parse(argc, argv, &ro, &files, &redact, &site_path);
	if (rc) {
		strlist_free(&files);
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	}
	struct results *sets = NULL;
	size_t nsets = 0;
	const struct results **ptrs = NULL;
	struct err e;
	err_clear(&e);
	if (site_path) {
		/* A bad site file is bad input (exit 2), like a bad results file. */
		if (site_load(site_path, &site, &e) < 0) {
			rc = cli_fail("render", &e);
			goto out;
		}
		ro.site = &site;
	}
	if (results_gather(&files, redact, &sets, &nsets, &e) < 0) {
		rc = cli_fail("render", &e);
		goto out;
	}
	ptrs = xcalloc(nsets, sizeof *ptrs);
	for (size_t i = 0; i < nsets; i++)
		ptrs[i] = &sets[i];
	rc = render_run(ptrs, nsets, &ro, &e) < 0 ? cli_fail("render", &e) : EXIT_OK;
out:
	site_free(&site);
	results_gather_free(sets, nsets);
	free(ptrs);
	strlist_free(&files);
	return rc;
}
