/* cli_tools.c: `kb lint` and `template` — the tools authors of guidance and templates use. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "kb.h"
#include "paths.h"
#include "tpl.h"

int cmd_kb(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "lint"))
		return cli_usage_error("kb", argc < 2 ? "expected a subcommand (lint)" : "unknown subcommand \"%.40s\"",
				       argc < 2 ? "" : argv[1]);
	if (argc > 3)
		return cli_usage_error("kb", "unexpected argument \"%.60s\"", argv[3]);
	char dir[4096];
	if (argc == 3)
		snprintf(dir, sizeof dir, "%s", argv[2]);
	else
		paths_data("kb", dir, sizeof dir);
	int problems = kb_lint(dir, stderr);
	if (problems) {
		fprintf(stderr, "torready kb lint: %d problem%s\n", problems, problems == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

struct partial_dir {
	const char *dir;
};

static int load_partial(void *ud, const char *name, struct buf *out)
{
	const struct partial_dir *pd = ud;
	if (!pd->dir || !*name || strchr(name, '/') || name[0] == '.')
		return -1;
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.mustache", pd->dir, name);
	return read_file(path, 16u << 20, out) < 0 ? -1 : 0;
}

static int template_args(int argc, char **argv, const char **file, const char **data,
			 const char **partials)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "partials", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	opterr = 0;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'd')
			*data = optarg;
		else if (c == 'p')
			*partials = optarg;
		else
			return cli_usage_error("template", c == ':' ? "option %s needs a value" : "unknown option %s",
					       argv[optind - 1]);
	}
	if (optind + 1 != argc)
		return cli_usage_error("template", optind >= argc ? "a template FILE is required%s"
						  : "unexpected argument \"%.60s\"",
				       optind >= argc ? "" : argv[optind + 1]);
	*file = argv[optind];
	if (!*data)
		return cli_usage_error("template", "--data JSON_FILE is required");
	return 0;
}

int cmd_template(int argc, char **argv)
{
	const char *file = NULL, *data = NULL, *partials = NULL;
	if (template_args(argc, argv, &file, &data, &partials))
		return EXIT_USAGE;
	struct err e;
	err_clear(&e);
	json_error_t je;
	json_t *doc = json_load_file(data, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		err_at(&e, data, je.line > 0 ? je.line : 1, je.column > 0 ? je.column : 1, "invalid JSON: %s", je.text);
		return cli_fail("template", &e);
	}
	struct buf src, out;
	buf_init(&src);
	buf_init(&out);
	struct partial_dir pd = { partials };
	int rc = EXIT_OK;
	if (read_file(file, 16u << 20, &src) < 0) {
		err_set(&e, "cannot read %s: %s", file, file_strerror(errno));
		rc = cli_fail("template", &e);
	} else if (tpl_render(file, src.data, src.len, doc, load_partial, &pd, &out, &e) < 0) {
		rc = cli_fail("template", &e);
	} else if (fwrite(out.data ? out.data : "", 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		err_set(&e, "cannot write to standard output: %s", strerror(errno));
		rc = cli_fail("template", &e);
	}
	json_decref(doc);
	buf_free(&src);
	buf_free(&out);
	return rc;
}
