/* pageset.c: a page set written into a fresh directory and swapped in whole (pageset.h).
 * Without this, two renders into one --out could leave index.html from one beside
 * index.md from the other, and a disk filling up half-way left half a set. */
#include "pageset.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "results.h"

static int make_dirs(const char *dir, struct err *e)
{
	char path[4096];
	if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
		return err_set(e, "--out: the path is too long");
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return err_set(e, "cannot create %s: %s", path, strerror(errno));
		*p = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return err_set(e, "cannot create %s: %s", path, strerror(errno));
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes a tree we made (or a page name the new set replaced). */
static void rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int in_set(const char *name, const struct pageset_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(files[i].name, name))
			return 1;
	return 0;
}

static int write_file(const char *dir, const char *shown, const struct pageset_file *f, struct err *e)
{
	struct buf path;
	buf_init(&path);
	buf_printf(&path, "%s/%s", dir, f->name);
	int fd = open(path.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	size_t off = 0;
	while (fd >= 0 && off < f->len) {
		ssize_t k = write(fd, f->data + off, f->len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	int saved = errno;
	if (fd < 0 || off < f->len || close(fd) < 0) {
		if (fd >= 0 && off < f->len)
			close(fd);
		int rc = err_set(e, "cannot write %s/%s: %s", shown, f->name, strerror(saved ? saved : EIO));
		buf_free(&path);
		return rc;
	}
	buf_free(&path);
	return 0;
}

/* The old way, file by file (each still atomic): for a mount point or a file system that
 * cannot exchange two directories. */
static int write_each(const char *out_dir, const struct pageset_file *files, size_t n, struct err *e)
{
	if (make_dirs(out_dir, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct buf path;
		buf_init(&path);
		buf_printf(&path, "%s/%s", out_dir, files[i].name);
		int rc = write_atomic_page(path.data, files[i].data, files[i].len, e);
		buf_free(&path);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* After an exchange, old holds what out_dir held: entries the new set does not replace
 * move back (never over anything: a render racing us keeps its own files), the rest go. */
static void carry_over(const char *old, const char *out_dir, const struct pageset_file *files, size_t n)
{
	int ofd = open(old, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = ofd >= 0 ? fdopendir(ofd) : NULL;
	if (!d) {
		if (ofd >= 0)
			close(ofd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (in_set(de->d_name, files, n))
			continue;
		struct buf from, to;
		buf_init(&from);
		buf_init(&to);
		buf_printf(&from, "%s/%s", old, de->d_name);
		buf_printf(&to, "%s/%s", out_dir, de->d_name);
		renameat2(AT_FDCWD, from.data, AT_FDCWD, to.data, RENAME_NOREPLACE);
		buf_free(&from);
		buf_free(&to);
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		struct buf p;
		buf_init(&p);
		buf_printf(&p, "%s/%s", old, files[i].name);
		if (unlink(p.data) < 0 && errno == EISDIR)
			rm_tree(p.data);
		buf_free(&p);
	}
	rmdir(old);   /* fails, leaving it, only when a racing render took a name first */
}

int pageset_write(const char *out_dir, const struct pageset_file *files, size_t n, struct err *e)
{
	char *copy = xstrdup(out_dir), *copy2 = xstrdup(out_dir);
	char *parent = dirname(copy), *base = basename(copy2);
	struct buf tmp;
	buf_init(&tmp);
	int rc = -1;
	struct stat st;
	int exists = lstat(out_dir, &st) == 0;
	if (exists && S_ISLNK(st.st_mode)) {
		/* A link to the real directory stays a link: swapping would replace the link
		 * with a directory (and carry files out of its target). */
		rc = write_each(out_dir, files, n, e);
		goto out;
	}
	if (exists && !S_ISDIR(st.st_mode)) {
		err_set(e, "--out %s: not a directory", out_dir);
		goto out;
	}
	if (make_dirs(parent, e) < 0)
		goto out;
	buf_printf(&tmp, "%s/.%s.tmp.XXXXXX", parent, base);
	if (!mkdtemp(tmp.data)) {
		rc = write_each(out_dir, files, n, e);   /* e.g. no right to write beside it */
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (write_file(tmp.data, out_dir, &files[i], e) < 0) {
			rm_tree(tmp.data);
			goto out;
		}
	mode_t mask = umask(077);
	umask(mask);
	chmod(tmp.data, exists ? st.st_mode & 07777 : 0755 & ~mask);
	if (!exists && rename(tmp.data, out_dir) == 0) {
		rc = 0;
		goto out;
	}
	if (renameat2(AT_FDCWD, tmp.data, AT_FDCWD, out_dir, RENAME_EXCHANGE) == 0) {
		carry_over(tmp.data, out_dir, files, n);
		rc = 0;
		goto out;
	}
	rm_tree(tmp.data);
	rc = write_each(out_dir, files, n, e);
out:
	buf_free(&tmp);
	free(copy);
	free(copy2);
	return rc;
}
