/* test_render_memo.c: a render run's once-only work (src/render/render_memo.c) gives the pages the
 * same answers as asking every machine: machines grouped by what their results say, each
 * `when:` of the repository's kb counted over many machines both ways; and the site's
 * navigation lists the articles only while the list is short. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kb.h"
#include "render_memo.h"
#include "render_util.h"

#define NMACHINES 40

static void add(struct results *rs, const char *probe, enum status st, const char *code)
{
	result_set(results_add(rs, probe, "t", ""), st, code, "%s", "s");
}

/* Machine i: a few kinds of network, some repeated, some in another order. */
static void machine(struct results *rs, size_t i)
{
	results_init(rs);
	int offline = i % 9 == 4, order = i % 2;
	if (order)
		add(rs, "tor.dirauth", i % 3 ? ST_PASS : ST_FAIL, i % 3 ? "ok" : "timeout");
	add(rs, "net.baseline", offline ? ST_FAIL : ST_PASS, offline ? "offline" : "ok");
	add(rs, "tor.bridge", i % 5 > 1 ? ST_PASS : ST_FAIL, i % 5 > 1 ? "ok" : i % 5 ? "timeout" : "refused");
	if (i % 7 == 3)
		add(rs, "https.cert", ST_FAIL, "untrusted_issuer");
	if (!order)
		add(rs, "tor.dirauth", i % 3 ? ST_PASS : ST_FAIL, i % 3 ? "ok" : "timeout");
}

static void test_groups_answer_like_machines(void **state)
{
	(void)state;
	struct results rs[NMACHINES];
	const struct results *sets[NMACHINES];
	for (size_t i = 0; i < NMACHINES; i++) {
		machine(&rs[i], i);
		sets[i] = &rs[i];
	}
	struct rv_memo *memo = rv_memo_new(sets, NMACHINES);
	size_t ng = rv_memo_groups(memo), total = 0;
	assert_true(ng > 1 && ng < NMACHINES);
	for (size_t g = 0; g < ng; g++) {
		assert_int_equal(rv_memo_group_of(memo, rv_memo_group_rep(memo, g)), g);
		total += rv_memo_group_size(memo, g);
	}
	assert_int_equal(total, NMACHINES);
	/* Results in another order are the same results; another code is not. */
	assert_int_equal(rv_memo_group_of(memo, 0), rv_memo_group_of(memo, 15));   /* order only */
	assert_int_not_equal(rv_memo_group_of(memo, 1), rv_memo_group_of(memo, 3));
	assert_int_not_equal(rv_memo_group_of(memo, 0), rv_memo_group_of(memo, 6));   /* a code only */
	for (size_t i = 0; i < NMACHINES; i++)
		assert_int_equal(rv_memo_level(memo, i), results_verdict_level(&rs[i]));

	struct kb kb = { 0 };
	struct err e;
	err_clear(&e);
	assert_int_equal(kb_load("kb", &kb, &e), 0);
	struct view_ctx plain = { .sets = sets, .nsets = NMACHINES, .kb = &kb, .page = "site" };
	struct view_ctx fast = plain;
	fast.memo = memo;
	size_t conds = 0, held = 0;
	for (int pass = 0; pass < 2; pass++)   /* the second pass reads remembered answers */
		for (size_t a = 0; a < kb.n; a++) {
			const struct kb_article *art = &kb.articles[a];
			for (size_t k = 0; k < art->nsections + art->nadvice; k++) {
				const struct cond *c = k < art->nsections ? art->sections[k].when
									 : art->advice[k - art->nsections].when;
				size_t n = rv_holds_on(&plain, c);
				assert_int_equal(rv_holds_on(&fast, c), n);
				for (size_t m = 0; m < NMACHINES; m++)
					assert_int_equal(rv_holds(&fast, c, m), rv_holds(&plain, c, m));
				conds++;
				held += n > 0 && n < NMACHINES;
			}
		}
	/* The kb's conditions tell these machines apart: the test compares something. */
	assert_true(conds > 20);
	assert_true(held > 4);
	rv_memo_free(memo);
	kb_free(&kb);
	for (size_t i = 0; i < NMACHINES; i++)
		results_free(&rs[i]);
}

static void expect_nav(size_t narticles, int listed)
{
	struct kb kb = { .articles = calloc(narticles, sizeof *kb.articles), .n = narticles };
	char (*ids)[32] = calloc(narticles, sizeof *ids);
	for (size_t i = 0; i < narticles; i++) {
		snprintf(ids[i], sizeof ids[i], "topic-%zu", i);
		kb.articles[i].id = kb.articles[i].title = ids[i];
	}
	struct results one;
	results_init(&one);
	const struct results *sets[] = { &one };
	struct rv_memo *memo = rv_memo_new(sets, 1);
	struct view_ctx v = { .rs = &one, .sets = sets, .nsets = 1, .kb = &kb, .page = "site", .nav = 1,
			      .base_url = "", .memo = memo };
	for (int page = 0; page < 2; page++) {   /* the second page shares the first one's list */
		json_t *view = json_object();
		rv_page_common(&v, view, "t");
		assert_true(json_is_true(json_object_get(view, "has_nav")));
		assert_int_equal(json_is_true(json_object_get(view, "has_nav_list")), listed);
		json_t *nav = json_object_get(view, "nav");
		assert_int_equal(json_array_size(nav), listed ? narticles : 0);
		if (listed) {
			char want[32];
			snprintf(want, sizeof want, "topic-%zu.html", narticles - 1);
			assert_string_equal(json_string_value(json_object_get(json_array_get(nav, narticles - 1),
									       "href")), want);
		}
		json_decref(view);
	}
	rv_memo_free(memo);
	results_free(&one);
	free(ids);
	free(kb.articles);
}

static void test_nav_short_and_long(void **state)
{
	(void)state;
	expect_nav(3, 1);
	expect_nav(RV_NAV_LIST_MAX, 1);
	expect_nav(RV_NAV_LIST_MAX + 1, 0);
	expect_nav(1000, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_answer_like_machines),
		cmocka_unit_test(test_nav_short_and_long),
	};
	return cmocka_run_group_tests_name("render_memo", tests, NULL, NULL);
}
