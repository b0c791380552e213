/* results_gather.c: files and directories → one results set per machine. Deduplication
 * sorts (key, finished) pairs instead of comparing every pair, so 10,000 files stay cheap. */
#include "results_gather.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/sha.h>

#include "buf.h"
#include "machine_id.h"
#include "results_json.h"
#include "results_redact.h"

#define RESULTS_FILE_MAX (64u << 20)

struct doc {
	json_t *json;
	char *path;
	char key[72];         /* "id:" + machine id, or "doc:" + SHA-256 hex of the content */
	const char *finished; /* inside json */
	size_t order;         /* position met */
	int keep;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's *.json regular files (not recursive), sorted, appended to out. */
static int list_dir(const char *dir, struct strlist *out, struct err *e)
{
	DIR *d = opendir(dir);
	if (!d)
		return err_set(e, "--results %.200s: cannot open the directory: %s", dir, strerror(errno));
	struct strlist names = { 0 };
	struct dirent *de;
	int rc = 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l < 6 || de->d_name[0] == '.' || strcmp(de->d_name + l - 5, ".json"))
			continue;
		if (names.n + out->n >= GATHER_FILES_MAX) {
			rc = err_set(e, "--results %.200s: more than %d results files", dir, GATHER_FILES_MAX);
			break;
		}
		struct buf p;
		buf_init(&p);
		buf_printf(&p, "%s/%s", dir, de->d_name);
		struct stat st;
		if (stat(p.data, &st) == 0 && S_ISREG(st.st_mode))
			strlist_add(&names, p.data);
		buf_free(&p);
	}
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, by_name);
	for (size_t i = 0; i < names.n; i++)
		strlist_add(out, names.v[i]);
	strlist_free(&names);
	return rc;
}

static int expand(const struct strlist *paths, struct strlist *files, struct err *e)
{
	for (size_t i = 0; i < paths->n; i++) {
		struct stat st;
		if (stat(paths->v[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (list_dir(paths->v[i], files, e) < 0)
				return -1;
		} else {
			strlist_add(files, paths->v[i]);   /* results_load-like errors come later */
		}
	}
	return 0;
}

static int load_doc(const char *path, struct doc *d, struct err *e)
{
	struct buf b;
	buf_init(&b);
	if (read_file(path, RESULTS_FILE_MAX, &b) < 0) {
		int rc = err_set(e, "%s: cannot read: %s", path, file_strerror(errno));
		buf_free(&b);
		return rc;
	}
	json_error_t je;
	d->json = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &je);
	buf_free(&b);
	if (!d->json)
		return err_at(e, path, je.line > 0 ? je.line : 1, je.column > 0 ? je.column : 1,
			      "invalid JSON: %s", je.text);
	const char *id = json_string_value(json_object_get(json_object_get(d->json, "host"), "machine_id"));
	if (id && machine_id_valid(id)) {
		snprintf(d->key, sizeof d->key, "id:%s", id);
	} else {
		/* The content, not the bytes: the same document re-indented is still one machine. */
		char *canon = json_dumps(d->json, JSON_COMPACT | JSON_SORT_KEYS);
		unsigned char md[SHA256_DIGEST_LENGTH];
		SHA256((const unsigned char *)(canon ? canon : ""), canon ? strlen(canon) : 0, md);
		free(canon);
		int n = snprintf(d->key, sizeof d->key, "doc:");
		for (size_t i = 0; i < sizeof md; i++)
			n += snprintf(d->key + n, sizeof d->key - (size_t)n, "%02x", md[i]);
	}
	d->finished = json_string_value(json_object_get(d->json, "finished"));
	if (!d->finished)
		d->finished = "";
	return 0;
}

/* Same machine together, oldest first, later-named file last among equals. */
static int by_machine(const void *a, const void *b)
{
	const struct doc *x = *(struct doc *const *)a, *y = *(struct doc *const *)b;
	int c = strcmp(x->key, y->key);
	if (!c)
		c = strcmp(x->finished, y->finished);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

int results_gather(const struct strlist *paths, int redact, struct results **sets, size_t *nsets,
		   struct err *e)
{
	struct strlist files = { 0 };
	*sets = NULL;
	*nsets = 0;
	if (expand(paths, &files, e) < 0) {
		strlist_free(&files);
		return -1;
	}
	if (!files.n) {
		strlist_free(&files);
		return err_set(e, "--results: no *.json results files found");
	}
	struct doc *docs = xcalloc(files.n, sizeof *docs);
	struct doc **byk = xcalloc(files.n, sizeof *byk);
	int rc = 0;
	size_t loaded = 0;
	for (; loaded < files.n && rc == 0; loaded++) {
		docs[loaded].order = loaded;
		docs[loaded].path = files.v[loaded];
		rc = load_doc(files.v[loaded], &docs[loaded], e);
		byk[loaded] = &docs[loaded];
	}
	if (rc == 0) {
		qsort(byk, files.n, sizeof *byk, by_machine);
		for (size_t i = 0; i < files.n; i++)
			if (i + 1 == files.n || strcmp(byk[i]->key, byk[i + 1]->key))
				byk[i]->keep = 1;
		size_t kept = 0;
		for (size_t i = 0; i < files.n; i++)
			kept += docs[i].keep;
		*sets = xcalloc(kept, sizeof **sets);
		for (size_t i = 0; i < files.n && rc == 0; i++) {
			if (!docs[i].keep)
				continue;
			if (redact)
				results_redact(docs[i].json);
			results_init(&(*sets)[*nsets]);
			rc = results_from_json(docs[i].json, docs[i].path, &(*sets)[*nsets], e);
			(*nsets)++;
		}
	}
	for (size_t i = 0; i < loaded; i++)
		json_decref(docs[i].json);
	free(docs);
	free(byk);
	strlist_free(&files);
	if (rc < 0) {
		results_gather_free(*sets, *nsets);
		*sets = NULL;
		*nsets = 0;
	}
	return rc;
}

void results_gather_free(struct results *sets, size_t nsets)
{
	for (size_t i = 0; i < nsets; i++)
		results_free(&sets[i]);
	free(sets);
}
