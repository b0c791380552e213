/* err.c: filling and formatting struct err. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int fill(struct err *e, int kind, const char *file, int line, int col, const char *fmt,
		va_list ap)
{
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	e->col = col;
	e->kind = kind;
	return -1;
}

int err_set(struct err *e, const char *fmt, ...)
{
	if (!e)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	fill(e, EXIT_USAGE, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int err_at(struct err *e, const char *file, int line, int col, const char *fmt, ...)
{
	if (!e)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	fill(e, EXIT_USAGE, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

int err_internal(struct err *e, const char *fmt, ...)
{
	if (!e)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	fill(e, EXIT_INTERNAL, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

void err_clear(struct err *e)
{
	if (e)
		memset(e, 0, sizeof *e);
}

const char *err_str(const struct err *e, char *buf, size_t len)
{
	if (e->file[0] && e->line > 0)
		snprintf(buf, len, "%s:%d:%d: %s", e->file, e->line, e->col, e->msg);
	else if (e->file[0])
		snprintf(buf, len, "%s: %s", e->file, e->msg);
	else
		snprintf(buf, len, "%s", e->msg);
	return buf;
}
