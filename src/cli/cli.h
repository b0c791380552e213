/* cli.h: the subcommands, one function each, dispatched from main's command table. Each
 * returns an exit code (err.h) and prints its own messages. */
#ifndef TORREADY_CLI_H
#define TORREADY_CLI_H

#include <stdio.h>

int cmd_check(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_kb(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_pins(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* Prints "torready CMD: message" and the command's usage to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints an error (file:line:col when known) and returns its exit code (2 or 3). */
struct err;
int cli_fail(const char *cmd, const struct err *e);
void cli_print_usage(const char *cmd, FILE *to);
/* check's answer on stdout: the verdict's headline, the main points folded by cause, the
 * report's path under out_dir; every result too with verbose. col: ANSI colour. */
struct results;
void cli_print_answer(const struct results *rs, const char *out_dir, int verbose, int col);

#endif
