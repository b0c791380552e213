/* buf.h: a growable byte buffer (always NUL-terminated) and small allocation helpers. */
#ifndef TORREADY_BUF_H
#define TORREADY_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	char *data;   /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);                       /* len = 0, keeps memory */
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_consume(struct buf *b, size_t n);           /* drop n bytes from the front */
char *buf_steal(struct buf *b);                       /* returns data (never NULL), resets b */
const char *buf_cstr(const struct buf *b);            /* "" when empty */

/* Abort on out-of-memory: there is nothing sensible a prober can do without memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Reads a whole file (at most max bytes); -1 with errno set on failure or when too big. */
int read_file(const char *path, size_t max, struct buf *out);
/* errno after read_file() refused something that is not a regular file (no libc value says
 * that); file_strerror() words it, and every other errno as strerror() does. */
#define ENOT_REGULAR 4242
const char *file_strerror(int err);

#endif
