/* truststore.c: reading a Debian-style trust store (ca-certificates) under a root directory
 * and classifying each root: Mozilla set, local addition, or disabled. */
#include "truststore.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

#define TS_MAX_FILE (8 * 1024 * 1024)
#define TS_MAX_DEPTH 8

enum { F_MOZILLA = 1, F_LOCAL = 2, F_ETC = 4, F_DISABLED = 8 };

/* root + rel, with rel absolute ("/etc/..."). */
static void rooted(const struct truststore *ts, const char *rel, char *out, size_t len)
{
	snprintf(out, len, "%s%s", strcmp(ts->root, "/") ? ts->root : "", rel);
}

/* Follows symlinks as if root were "/": /etc/ssl/certs links point at absolute paths. */
static int resolve(const struct truststore *ts, const char *rel, char *out, size_t len)
{
	char cur[PATH_MAX];
	snprintf(cur, sizeof cur, "%s", rel);
	for (int hops = 0; hops < 8; hops++) {
		struct stat st;
		rooted(ts, cur, out, len);
		if (lstat(out, &st) < 0)
			return -1;
		if (!S_ISLNK(st.st_mode))
			return 0;
		char target[PATH_MAX];
		ssize_t k = readlink(out, target, sizeof target - 1);
		if (k < 0)
			return -1;
		target[k] = '\0';
		if (target[0] == '/') {
			snprintf(cur, sizeof cur, "%s", target);
		} else {
			char *slash = strrchr(cur, '/');
			char dir[PATH_MAX];
			snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - cur) : 0, cur);
			int k2 = snprintf(cur, sizeof cur, "%s/%s", dir, target);
			if (k2 < 0 || (size_t)k2 >= sizeof cur)
				return -1;
		}
	}
	return -1;
}

/* Remembers the first read failure of something that exists (absent is not a failure). */
static void read_failed(struct truststore *ts, const char *path, int err)
{
	if (ts->read_errno || err == ENOENT || err == ENOTDIR)
		return;
	ts->read_errno = err ? err : EIO;
	snprintf(ts->read_error_path, sizeof ts->read_error_path, "%s", path);
}

static struct trust_entry *find_fp(struct truststore *ts, const unsigned char fp[32])
{
	for (size_t i = 0; i < ts->n; i++)
		if (!memcmp(ts->v[i].fp, fp, 32))
			return &ts->v[i];
	return NULL;
}

static void add_flags(struct trust_entry *t, unsigned flags)
{
	t->in_mozilla |= !!(flags & F_MOZILLA);
	t->in_local |= !!(flags & F_LOCAL);
	t->in_etc |= !!(flags & F_ETC);
	t->disabled |= !!(flags & F_DISABLED);
}

/* Takes x. */
static void add_cert(struct truststore *ts, X509 *x, const char *rel, const char *source, unsigned flags)
{
	unsigned char fp[32];
	unsigned int fplen = 0;
	if (!X509_digest(x, EVP_sha256(), fp, &fplen) || fplen != 32) {
		X509_free(x);
		return;
	}
	struct trust_entry *t = find_fp(ts, fp);
	if (t) {
		X509_free(x);
	} else {
		ts->v = xrealloc(ts->v, (ts->n + 1) * sizeof *ts->v);
		t = &ts->v[ts->n++];
		memset(t, 0, sizeof *t);
		t->x = x;
		memcpy(t->fp, fp, 32);
		certinfo_spki_pin(x, t->pin);
		t->file = xstrdup(rel);
		t->source = xstrdup(source);
	}
	add_flags(t, flags);
}

/* Every certificate in a PEM file (or one DER certificate); the number read. */
static int read_certs(struct truststore *ts, const char *rel, unsigned flags)
{
	char path[PATH_MAX];
	struct buf b;
	buf_init(&b);
	if (resolve(ts, rel, path, sizeof path) < 0)
		return 0;   /* absent (a "!" line may name a removed file; there may be no bundle) */
	/* /etc/ssl/certs mostly links to files already read: no need to parse them again. */
	int known = 0;
	for (size_t i = 0; i < ts->n; i++)
		if (!strcmp(ts->v[i].source, path)) {
			add_flags(&ts->v[i], flags);
			known++;
		}
	if (known)
		return known;
	int rc = read_file(path, TS_MAX_FILE, &b);
	if (rc < 0 || !b.len) {
		if (rc < 0 && errno != EFBIG)   /* too big is a strange file, not a failure to read */
			read_failed(ts, path, errno);
		buf_free(&b);
		ts->unreadable++;
		return 0;
	}
	int count = 0;
	BIO *bio = BIO_new_mem_buf(b.data, (int)b.len);
	X509 *x;
	while (bio && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		add_cert(ts, x, rel, path, flags);
		count++;
	}
	BIO_free(bio);
	if (!count) {
		const unsigned char *p = (const unsigned char *)b.data;
		if (b.len && (x = d2i_X509(NULL, &p, (long)b.len))) {
			add_cert(ts, x, rel, path, flags);
			count++;
		}
	}
	ERR_clear_error();
	buf_free(&b);
	if (!count)
		ts->unreadable++;
	return count;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && !strcmp(s + n - k, suffix);
}

/* c_rehash's links: 8 hex digits, a dot, a number. They repeat the named files. */
static int is_hash_link(const char *name)
{
	int i = 0;
	for (; i < 8; i++)
		if (!isxdigit((unsigned char)name[i]))
			return 0;
	if (name[i] != '.' && !(name[i] == 'r' && name[i + 1] == '.'))
		return 0;
	return 1;
}

static int dir_exists(const struct truststore *ts, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;
	return resolve(ts, rel, path, sizeof path) == 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Reads the *.crt (and, for etc, *.pem) files of a directory, sorted; recursive when asked. */
static void read_dir(struct truststore *ts, const char *rel, unsigned flags, int recurse, int depth)
{
	char path[PATH_MAX];
	if (depth > TS_MAX_DEPTH || resolve(ts, rel, path, sizeof path) < 0)
		return;
	struct dirent **names = NULL;
	int n = scandir(path, &names, NULL, alphasort);
	if (n < 0)
		read_failed(ts, path, errno);   /* out of descriptors, or not allowed in */
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		char sub[PATH_MAX], real[PATH_MAX];
		struct stat st;
		int k = snprintf(sub, sizeof sub, "%s/%s", rel, nm);
		if (nm[0] == '.' || k < 0 || (size_t)k >= sizeof sub || resolve(ts, sub, real, sizeof real) < 0 || stat(real, &st) < 0) {
			free(names[i]);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (recurse)
				read_dir(ts, sub, flags, recurse, depth + 1);
		} else if ((flags & F_ETC) ? (ends_with(nm, ".pem") || ends_with(nm, ".crt")) &&
						     !is_hash_link(nm) && strcmp(nm, "ca-certificates.crt")
					   : ends_with(nm, ".crt")) {
			read_certs(ts, sub, flags);
		}
		free(names[i]);
	}
	free(names);
}

/* "!mozilla/Name.crt" lines of /etc/ca-certificates.conf: roots an admin switched off. */
static void read_conf(struct truststore *ts)
{
	char path[PATH_MAX];
	struct buf b;
	buf_init(&b);
	if (resolve(ts, TS_CONF, path, sizeof path) < 0 || read_file(path, 1024 * 1024, &b) < 0 || !b.len) {
		buf_free(&b);
		return;
	}
	char *save = NULL;
	for (char *line = strtok_r(b.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = '\0';
		if (line[0] != '!' || !line[1] || strstr(line, ".."))
			continue;
		ts->disabled_names = xrealloc(ts->disabled_names, (ts->ndisabled + 1) * sizeof *ts->disabled_names);
		ts->disabled_names[ts->ndisabled++] = xstrdup(line + 1);
		char rel[PATH_MAX];
		snprintf(rel, sizeof rel, "%s/%s", TS_SHARE_DIR, line + 1);
		read_certs(ts, rel, F_DISABLED);
	}
	buf_free(&b);
}

int truststore_load(struct truststore *ts, const char *root, struct err *e)
{
	(void)e;
	memset(ts, 0, sizeof *ts);
	ts->root = xstrdup(root && *root ? root : "/");
	size_t k = strlen(ts->root);
	while (k > 1 && ts->root[k - 1] == '/')
		ts->root[--k] = '\0';
	int have_etc = dir_exists(ts, TS_ETC_DIR);
	ts->found = have_etc || dir_exists(ts, TS_MOZILLA_DIR) || dir_exists(ts, TS_LOCAL_DIR);
	if (!ts->found)
		return 0;
	read_dir(ts, TS_MOZILLA_DIR, F_MOZILLA, 0, 0);
	read_dir(ts, TS_LOCAL_DIR, F_LOCAL, 1, 0);
	read_conf(ts);
	if (have_etc) {
		read_dir(ts, TS_ETC_DIR, F_ETC, 0, 0);
		read_certs(ts, TS_BUNDLE, F_ETC);
	} else {
		/* No /etc/ssl/certs: take what update-ca-certificates would install. */
		for (size_t i = 0; i < ts->n; i++)
			if (ts->v[i].in_mozilla && !ts->v[i].disabled)
				ts->v[i].in_etc = 1;
	}
	return 0;
}

void truststore_free(struct truststore *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		X509_free(ts->v[i].x);
		free(ts->v[i].file);
		free(ts->v[i].source);
	}
	for (size_t i = 0; i < ts->ndisabled; i++)
		free(ts->disabled_names[i]);
	free(ts->v);
	free(ts->disabled_names);
	free(ts->root);
	memset(ts, 0, sizeof *ts);
}

int trust_entry_trusted(const struct trust_entry *t)
{
	return t->in_etc || t->in_local;
}

const char *trust_entry_class(const struct trust_entry *t)
{
	if (!trust_entry_trusted(t))
		return t->disabled ? "disabled" : "not_trusted";
	return t->in_mozilla ? "mozilla" : "local";
}

const struct trust_entry *truststore_find_issuer(const struct truststore *ts, X509 *child)
{
	for (size_t i = 0; i < ts->n; i++)
		if (trust_entry_trusted(&ts->v[i]) && certinfo_signed_by(child, ts->v[i].x))
			return &ts->v[i];
	return NULL;
}

const struct trust_entry *truststore_find_same(const struct truststore *ts, X509 *x)
{
	char pin[CERTINFO_PIN_LEN];
	if (certinfo_spki_pin(x, pin) < 0)
		return NULL;
	for (size_t i = 0; i < ts->n; i++) {
		const struct trust_entry *t = &ts->v[i];
		if (trust_entry_trusted(t) && !strcmp(t->pin, pin) &&
		    !X509_NAME_cmp(X509_get_subject_name(t->x), X509_get_subject_name(x)))
			return t;
	}
	return NULL;
}
