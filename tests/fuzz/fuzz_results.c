/* fuzz_results.c: reading a results document someone else wrote (results_from_json: what
 * `render` does with each of a department's files), then building every page's view from it
 * (report, site index, each article and handout of the repository's kb/), and writing it
 * back as JSON. */
#include "fuzz_util.h"
#include "kb.h"
#include "render_view.h"
#include "results.h"
#include "results_json.h"
#include "verdict.h"
#include "render_pages.h"

static struct kb kb;
static int have_kb;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct err e;
	have_kb = kb_load(FUZZ_REPO "/kb", &kb, &e) == 0;
	if (!have_kb)
		fprintf(stderr, "fuzz_results: kb not loaded (%s); views are built without it\n", e.msg);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return 0;
	struct results rs;
	struct err e;
	results_init(&rs);
	err_clear(&e);
	if (results_from_json(doc, "fuzz.json", &rs, &e) == 0) {
		const struct results *sets[1] = { &rs };
		for (int fmt = VIEW_HTML; fmt <= VIEW_MD; fmt++) {
			struct view_ctx v = { .rs = &rs, .sets = sets, .nsets = 1,
					      .kb = have_kb ? &kb : NULL, .fmt = fmt,
					      .base_url = "https://example.org/", .page = "report",
					      .show_hosts = fmt == VIEW_MD, .nav = fmt == VIEW_HTML };
			json_t *view = view_report(&v);
			FUZZ_ASSERT(view != NULL);
			json_decref(view);
			v.page = "site";
			view = view_site_index(&v);
			FUZZ_ASSERT(view != NULL);
			json_decref(view);
			for (size_t i = 0; have_kb && i < kb.n; i++) {
				v.page = "article";
				view = view_article(&v, &kb.articles[i]);
				FUZZ_ASSERT(view != NULL);
				json_decref(view);
				v.page = "handout";
				view = view_handout(&v, &kb.articles[i], "https://example.org/a");
				FUZZ_ASSERT(view != NULL);
				json_decref(view);
			}
		}
		struct verdict vd;
		verdict_compute(&rs, &vd);   /* every document has one answer, in words */
		FUZZ_ASSERT(vd.level < VL_COUNT && vd.headline[0] != '\0');
		verdict_free(&vd);
		json_t *back = results_to_json(&rs);
		char *text = json_dumps(back, JSON_COMPACT);
		FUZZ_ASSERT(text != NULL);
		free(text);
		json_decref(back);
	} else {
		FUZZ_ASSERT(e.msg[0] != '\0');
	}
	results_free(&rs);
	json_decref(doc);
	return 0;
}
