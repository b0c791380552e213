/* fuzz_kb.c: the guidance-entry loader (kb_load_file: YAML, schema, `when:` conditions,
 * Markdown rules, citations) on a file holding the input. The file is named
 * fuzz-entry.yaml, so an entry with `id: fuzz-entry` can load fully; it lives in a private
 * directory under /dev/shm (or $TMPDIR) removed at exit. Loaded entries are also turned into
 * footnotes and their conditions described and evaluated. */
#include <unistd.h>

#include "cond.h"
#include "fuzz_util.h"
#include "kb.h"

static char dir[256], path[300];
static struct results rs;

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/torready-fuzz-kb.XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof path, "%s/fuzz-entry.yaml", dir);
	atexit(cleanup);
	kb_set_today("2026-01-15");   /* `reviewed:` dates are judged against a fixed day */
	/* A small results document for the conditions to be evaluated against. */
	results_init(&rs);
	result_set(results_add(&rs, "tor.dirauth", "moria1", "moria1"), ST_FAIL, "timeout", "x");
	result_set(results_add(&rs, "tor.bridge", "127.0.0.1:1 X", ""), ST_PASS, "ok", "y");
	result_set(results_add(&rs, "net.baseline", "a", ""), ST_PASS, "ok", "z");
	return 0;
}

static void exercise(const struct kb_article *a)
{
	struct buf b;
	buf_init(&b);
	kb_footnotes(a, &b);
	for (size_t i = 0; i < a->nsections; i++) {
		cond_eval(a->sections[i].when, &rs);
		cond_describe(a->sections[i].when, &b);
	}
	for (size_t i = 0; i < a->nadvice; i++) {
		cond_eval(a->advice[i].when, &rs);
		for (size_t k = 0; k < rs.n; k++)
			cond_mentions(a->advice[i].when, rs.items[k]);
		cond_describe(a->advice[i].when, &b);
	}
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	struct kb_article a;
	struct err e;
	err_clear(&e);
	if (kb_load_file(path, &a, &e) == 0) {
		FUZZ_ASSERT(a.id && a.title && a.body);
		exercise(&a);
		kb_article_free(&a);
	} else {
		FUZZ_ASSERT(e.msg[0] != '\0');
	}
	return 0;
}
