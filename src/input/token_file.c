/* token_file.c: see token_file.h. One reader for serve and submit, so both sides agree on
 * what the token in a file is (a trailing blank or CRLF must not make a 401). */
#include "token_file.h"

#include <errno.h>
#include <string.h>

#include "buf.h"

long token_file_read(const char *path, char *out, size_t cap, struct err *e)
{
	struct buf b;
	buf_init(&b);
	if (read_file(path, 4096, &b) < 0) {
		int en = errno;
		buf_free(&b);
		return err_set(e, "--token-file %s: %s", path, file_strerror(en));
	}
	const char *p = b.data;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = strcspn(p, "\r\n");
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (!n || n >= cap) {
		buf_free(&b);
		return err_set(e, n ? "--token-file %s: the token on its first line is too long" :
				   "--token-file %s: no token on its first line", path);
	}
	memcpy(out, p, n);
	out[n] = '\0';
	buf_free(&b);
	return (long)n;
}
