/* err.h: the one error convention: functions return 0 on success, -1 on failure and fill
 * a struct err with a message and, when the problem is in a file, its location. */
#ifndef TORREADY_ERR_H
#define TORREADY_ERR_H

#include <stddef.h>

/* Exit codes of the CLI contract (../shared/spec/cli.md). */
enum exit_code { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

struct err {
	char msg[512];
	char file[256];   /* empty when the problem has no file */
	int line, col;    /* 1-based; 0 when unknown */
	int kind;         /* EXIT_USAGE for bad input, EXIT_INTERNAL for our own failures */
};

/* Both return -1 so callers can write `return err_set(e, ...)`. A NULL e is allowed. */
int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int err_at(struct err *e, const char *file, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Marks the error as internal (exit 3) rather than bad input (exit 2). */
int err_internal(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(struct err *e);
/* Formats "file:line:col: msg" (or just msg) into buf. */
const char *err_str(const struct err *e, char *buf, size_t len);

#endif
