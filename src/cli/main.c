/* main.c: the command table and top-level usage; nothing else lives here. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "err.h"

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "check", cmd_check },
	{ "probe", cmd_probe },
	{ "render", cmd_render },
	{ "kb", cmd_kb },
	{ "template", cmd_template },
	{ "pins", cmd_pins },
	{ "serve", cmd_serve },
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		cli_print_usage(NULL, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		cli_print_usage(NULL, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("torready %s\n", TORREADY_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return cli_usage_error(NULL, "unknown command \"%.40s\"", argv[1]);
}
