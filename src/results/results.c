/* results.c: the results model, its JSON document, and atomic writing. */
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

static const char *const status_names[ST_COUNT] = { "pass", "warn", "fail", "error", "skip" };

const char *status_name(enum status s)
{
	return (unsigned)s < ST_COUNT ? status_names[s] : "error";
}

int status_parse(const char *s, enum status *out)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (s && !strcmp(s, status_names[i])) {
			*out = (enum status)i;
			return 0;
		}
	return -1;
}

void results_init(struct results *rs)
{
	memset(rs, 0, sizeof *rs);
	rs->host = json_object();
}

static void result_free(struct result *r)
{
	free(r->probe);
	free(r->target);
	free(r->name);
	free(r->code);
	free(r->summary);
	json_decref(r->evidence);
	free(r);
}

void results_free(struct results *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		result_free(rs->items[i]);
	free(rs->items);
	for (size_t i = 0; i < rs->ncontacted; i++)
		free(rs->contacted[i]);
	free(rs->contacted);
	free(rs->contacted_slots);
	free(rs->started);
	free(rs->finished);
	json_decref(rs->host);
	json_decref(rs->verdict);
	memset(rs, 0, sizeof *rs);
}

/* Copies at most max bytes of s, cutting only at a UTF-8 boundary, invalid bytes → '?'. */
static char *bounded_utf8(const char *s, size_t len, size_t max)
{
	struct buf b;
	buf_init(&b);
	size_t i = 0;
	while (i < len && b.len < max) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		int ok = n > 0 && i + n <= len && b.len + n <= max;
		for (size_t k = 1; ok && k < n; k++)
			ok = ((unsigned char)s[i + k] >> 6) == 2;
		if (ok && c == 0)
			ok = 0;   /* NUL inside a string would truncate it for every reader */
		if (ok) {
			buf_append(&b, s + i, n);
			i += n;
		} else {
			buf_putc(&b, '?');
			i++;
		}
	}
	if (i < len && b.len + 3 <= max + 3)
		buf_puts(&b, "...");
	return buf_steal(&b);
}

json_t *results_str_safe(const char *s, size_t len)
{
	char *t = bounded_utf8(s ? s : "", s ? len : 0, RESULT_STRING_MAX);
	json_t *j = json_string(t);
	free(t);
	return j ? j : json_string("?");
}

struct result *results_add(struct results *rs, const char *probe, const char *target,
			   const char *name)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->items = xrealloc(rs->items, rs->cap * sizeof *rs->items);
	}
	struct result *r = xcalloc(1, sizeof *r);
	r->probe = xstrdup(probe);
	r->target = bounded_utf8(target, strlen(target), RESULT_STRING_MAX);
	r->name = bounded_utf8(name ? name : "", name ? strlen(name) : 0, RESULT_STRING_MAX);
	r->status = ST_ERROR;
	r->code = xstrdup("not_run");
	r->summary = xstrdup("The probe did not run");
	r->evidence = json_object();
	rs->items[rs->n++] = r;
	return r;
}

void result_set(struct result *r, enum status st, const char *code, const char *fmt, ...)
{
	char tmp[RESULT_SUMMARY_MAX * 2];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	free(r->code);
	free(r->summary);
	r->status = st;
	r->code = xstrdup(code);
	r->summary = bounded_utf8(tmp, strlen(tmp), RESULT_SUMMARY_MAX);
	r->done = 1;
}

void result_ev_str(struct result *r, const char *key, const char *val)
{
	json_object_set_new(r->evidence, key, results_str_safe(val, val ? strlen(val) : 0));
}

void result_ev_int(struct result *r, const char *key, long long val)
{
	json_object_set_new(r->evidence, key, json_integer(val));
}

void result_ev_bool(struct result *r, const char *key, int val)
{
	json_object_set_new(r->evidence, key, json_boolean(val));
}

void result_ev_set(struct result *r, const char *key, json_t *val)
{
	json_object_set_new(r->evidence, key, val ? val : json_null());
}

static size_t endpoint_hash(const char *s)
{
	size_t h = 14695981039346656037u;   /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot of endpoint in the index: where it is, or the empty slot where it would go. */
static size_t *contacted_slot(const struct results *rs, const char *endpoint)
{
	size_t mask = rs->ncontacted_slots - 1, k = endpoint_hash(endpoint) & mask;
	while (rs->contacted_slots[k] && strcmp(rs->contacted[rs->contacted_slots[k] - 1], endpoint))
		k = (k + 1) & mask;
	return &rs->contacted_slots[k];
}

/* Hashed: 10,000 targets contacted one by one made the linear check a quarter of a run. */
void results_contacted(struct results *rs, const char *endpoint)
{
	if (rs->ncontacted * 2 >= rs->ncontacted_slots) {
		free(rs->contacted_slots);
		rs->ncontacted_slots = rs->ncontacted_slots ? rs->ncontacted_slots * 2 : 64;
		rs->contacted_slots = xcalloc(rs->ncontacted_slots, sizeof *rs->contacted_slots);
		for (size_t i = 0; i < rs->ncontacted; i++)
			*contacted_slot(rs, rs->contacted[i]) = i + 1;
	}
	size_t *slot = contacted_slot(rs, endpoint);
	if (*slot)
		return;
	if (rs->ncontacted == rs->capcontacted) {
		rs->capcontacted = rs->capcontacted ? rs->capcontacted * 2 : 16;
		rs->contacted = xrealloc(rs->contacted, rs->capcontacted * sizeof *rs->contacted);
	}
	rs->contacted[rs->ncontacted++] = bounded_utf8(endpoint, strlen(endpoint), 300);
	/* The stored text may be cut or cleaned: index what is stored, as the old scan compared. */
	slot = contacted_slot(rs, rs->contacted[rs->ncontacted - 1]);
	if (!*slot)
		*slot = rs->ncontacted;
}

void results_count(const struct results *rs, size_t counts[ST_COUNT])
{
	memset(counts, 0, ST_COUNT * sizeof *counts);
	for (size_t i = 0; i < rs->n; i++)
		counts[rs->items[i]->status < ST_COUNT ? rs->items[i]->status : ST_ERROR]++;
}

int results_exit_code(const struct results *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		if (rs->items[i]->status == ST_FAIL)
			return EXIT_FAILED;
	return EXIT_OK;
}

void now_rfc3339(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int write_all(int fd, const char *data, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* An existing path that is not a regular file (--json /dev/null, a FIFO a reader waits on)
 * is written in place: renaming over it would replace a device node with a file. */
static int write_in_place(const char *path, const char *data, size_t len, struct err *e)
{
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || write_all(fd, data, len) < 0 || close(fd) < 0) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		return err_set(e, "cannot write %s: %s", path, strerror(saved ? saved : EIO));
	}
	return 0;
}

/* durable: fsync before the rename, so the file survives a power cut too. Pages are cheap to
 * make again, and a site of a thousand of them would spend seconds in fsync: they skip it
 * (the rename still means a reader never sees half a page).
 * fresh_mode: the mode of a new file, less the umask (a stricter umask wins). A file that
 * is replaced keeps its own mode, so a user's chmod 600 survives the next run. */
static int write_replace(const char *path, const char *data, size_t len, int durable,
			 mode_t fresh_mode, struct err *e)
{
	struct stat st;
	mode_t mode;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return err_set(e, "cannot write %s: it is a directory", path);
		if (!S_ISREG(st.st_mode))
			return write_in_place(path, data, len, e);
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(077);
		umask(mask);
		mode = fresh_mode & ~mask;
	}
	struct buf tmp;
	buf_init(&tmp);
	buf_printf(&tmp, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp.data);   /* 0600 from the start: never briefly readable by others */
	if (fd < 0) {
		int rc = err_set(e, "cannot write %s: %s", path, strerror(errno));
		buf_free(&tmp);
		return rc;
	}
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0)
		goto fail;
	if ((durable && fsync(fd) < 0) || close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp.data, path) < 0) {
		fd = -1;
		goto fail;
	}
	buf_free(&tmp);
	return 0;
fail:;
	int saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp.data);
	buf_free(&tmp);
	return err_set(e, "cannot write %s: %s", path, strerror(saved ? saved : EIO));
}

int write_atomic(const char *path, const char *data, size_t len, struct err *e)
{
	return write_replace(path, data, len, 1, 0644, e);
}

int write_atomic_page(const char *path, const char *data, size_t len, struct err *e)
{
	return write_replace(path, data, len, 0, 0644, e);
}

int write_private(const char *path, const char *data, size_t len, struct err *e)
{
	return write_replace(path, data, len, 1, 0600, e);
}
