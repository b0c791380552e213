/* token_file.h: the bearer token that `serve` expects and `check --submit` sends, read from
 * the first line of a file (so it never appears in argv, ps or shell history). */
#ifndef TORREADY_TOKEN_FILE_H
#define TORREADY_TOKEN_FILE_H

#include <stddef.h>

#include "err.h"

/* Reads the first line of path (a regular file of at most 4 KiB), blanks around it dropped,
 * into out (cap bytes, NUL-terminated). Returns its length, or -1 with e saying why in words
 * that name the flag: unreadable, not a regular file, no token, or cap-1 bytes or more. */
long token_file_read(const char *path, char *out, size_t cap, struct err *e);

#endif
