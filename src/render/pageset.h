/* pageset.h: writing a set of pages into an output directory as one unit. */
#ifndef TORREADY_PAGESET_H
#define TORREADY_PAGESET_H

#include <stddef.h>

#include "err.h"

struct pageset_file {
	const char *name;   /* a plain file name, no '/' */
	const char *data;
	size_t len;
};

/* Writes every file into a fresh directory beside out_dir, then swaps it in whole: out_dir
 * shows the old set or the new one, never a mix, and a failed write leaves nothing behind.
 * Files already in out_dir that the set does not contain (results.json, a user's own) are
 * carried over. Missing parents of out_dir are made. Where a swap is impossible (out_dir
 * is a mount point, or the file system cannot exchange directories) each file is still
 * replaced atomically, one by one. */
int pageset_write(const char *out_dir, const struct pageset_file *files, size_t n, struct err *e);

#endif
