/* test_results.c: the results document — bounded, valid UTF-8 strings from peers, the JSON
 * round trip, and atomic writing that leaves no partial file behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "results.h"
#include "results_json.h"

static void test_bounded_utf8(void **state)
{
	(void)state;
	struct results rs;
	results_init(&rs);
	char big[5000];
	memset(big, 'A', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	struct result *r = results_add(&rs, "tor.bridge", big, "nick\xff\xfe");
	assert_true(strlen(r->target) <= RESULT_STRING_MAX + 3);
	assert_string_equal(r->name, "nick??");
	result_set(r, ST_FAIL, "not_tor", "peer said %s", big);
	assert_true(strlen(r->summary) <= RESULT_SUMMARY_MAX + 3);
	result_ev_str(r, "bytes", "caf\xc3\xa9 \xe2\x82 ok");
	assert_string_equal(json_string_value(json_object_get(r->evidence, "bytes")), "caf\xc3\xa9 ?? ok");
	results_free(&rs);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct results rs, back;
	results_init(&rs);
	rs.started = strdup("2026-11-27T10:00:00Z");
	rs.finished = strdup("2026-11-27T10:00:04Z");
	rs.deadline_ms = 10000;
	rs.interrupted = 1;
	results_contacted(&rs, "127.0.0.1:1");
	results_contacted(&rs, "127.0.0.1:1");
	results_contacted(&rs, "[::1]:2");
	struct result *r = results_add(&rs, "tor.dirauth", "127.0.0.1:1", "moria1");
	result_set(r, ST_PASS, "ok", "fine");
	result_ev_int(r, "link_protocol", 5);
	json_t *doc = results_to_json(&rs);
	assert_int_equal(json_array_size(json_object_get(doc, "contacted")), 2);
	assert_true(json_is_true(json_object_get(doc, "interrupted")));
	results_init(&back);
	struct err e;
	assert_int_equal(results_from_json(doc, "x.json", &back, &e), 0);
	assert_int_equal(back.n, 1);
	assert_string_equal(back.items[0]->name, "moria1");
	assert_int_equal(back.items[0]->status, ST_PASS);
	assert_int_equal(json_integer_value(json_object_get(back.items[0]->evidence, "link_protocol")), 5);
	assert_true(back.interrupted);
	assert_int_equal(results_exit_code(&back), 0);
	json_decref(doc);
	results_free(&rs);
	results_free(&back);
}

static void expect_bad(const char *text, const char *needle)
{
	struct results rs;
	results_init(&rs);
	struct err e;
	json_t *doc = json_loads(text, 0, NULL);
	assert_non_null(doc);
	assert_int_equal(results_from_json(doc, "bad.json", &rs, &e), -1);
	assert_string_equal(e.file, "bad.json");
	if (!strstr(e.msg, needle))
		fail_msg("\"%s\" lacks \"%s\"", e.msg, needle);
	json_decref(doc);
	results_free(&rs);
}

/* A document with every field the schema requires; a test adds "results" and what it checks
 * (a key given again replaces this one: json_loads keeps the last). */
#define HEAD "{\"schema\":\"torready-results/1\",\"tool\":{\"name\":\"torready\",\"version\":\"0.1.0\"}," \
	"\"started\":\"\",\"finished\":\"\",\"duration_ms\":0,\"deadline_ms\":0,\"host\":{},\"contacted\":[],"
#define ITEM_REST "\"name\":\"\",\"summary\":\"s\",\"duration_ms\":1,\"evidence\":{}"
#define ITEM(probe, status, code) \
	"{\"probe\":\"" probe "\",\"target\":\"t\",\"status\":\"" status "\",\"code\":\"" code "\"," ITEM_REST "}"

static void test_bad_documents(void **state)
{
	(void)state;
	expect_bad("[]", "must be a JSON object");
	expect_bad("{\"schema\":\"other/1\",\"results\":[]}", "schema");
	expect_bad(HEAD "\"x\":1}", "\"results\" must be a list");
	expect_bad(HEAD "\"results\":[{\"probe\":\"x.y\",\"target\":\"t\",\"status\":\"great\",\"code\":\"ok\"," ITEM_REST "}]}",
		   "results[0].status");
	expect_bad(HEAD "\"results\":[{\"probe\":\"x.y\",\"status\":\"pass\",\"code\":\"ok\"," ITEM_REST "}]}",
		   "results[0].target is missing");
	/* A field of the wrong type names itself, instead of reading as "" or 0. */
	expect_bad(HEAD "\"results\":[{\"probe\":\"x.y\",\"target\":\"t\",\"status\":\"pass\",\"code\":\"ok\",\"name\":\"\",\"summary\":7,\"duration_ms\":1,\"evidence\":{}}]}",
		   "results[0].summary must be a string");
	expect_bad(HEAD "\"results\":[{\"probe\":\"x.y\",\"target\":\"t\",\"status\":\"pass\",\"code\":\"ok\",\"name\":\"\",\"summary\":\"s\",\"duration_ms\":1,\"evidence\":[]}]}",
		   "results[0].evidence must be an object");
	expect_bad(HEAD "\"results\":[{\"probe\":\"x.y\",\"target\":\"t\",\"status\":\"pass\",\"code\":\"ok\",\"name\":\"\",\"summary\":\"s\",\"duration_ms\":\"5\",\"evidence\":{}}]}",
		   "results[0].duration_ms must be a whole number");
	expect_bad(HEAD "\"results\":[],\"interrupted\":1}",
		   "interrupted must be true or false");
	expect_bad(HEAD "\"results\":[],\"contacted\":\"a:1\"}",
		   "contacted must be a list");
	expect_bad(HEAD "\"results\":[],\"contacted\":[\"a:1\", 5]}",
		   "contacted[1] must be a string");
	expect_bad(HEAD "\"results\":[],\"host\":\"me\"}",
		   "host must be an object");
	/* What the schema says beyond types (tests/schema/agree asks thousands more). */
	expect_bad("{\"schema\":\"torready-results/1\",\"results\":[]}", "tool is missing");
	expect_bad(HEAD "\"tool\":{\"name\":\"other\",\"version\":\"1\"},\"results\":[]}", "tool.name");
	expect_bad(HEAD "\"tool\":{\"name\":\"torready\",\"version\":\"\"},\"results\":[]}", "tool.version");
	expect_bad(HEAD "\"started\":\"yesterday\",\"results\":[]}", "started must be an RFC 3339 time");
	expect_bad(HEAD "\"duration_ms\":-1,\"results\":[]}", "duration_ms must be a whole number, 0 or more");
	expect_bad(HEAD "\"host\":{\"machine_id\":\"0123456789ABCDEF0123456789ABCDEF\"},\"results\":[]}", "host.machine_id");
	expect_bad(HEAD "\"contacted\":[\"a:1\",\"b:2\",\"a:1\"],\"results\":[]}", "contacted must not name an endpoint twice");
	expect_bad(HEAD "\"results\":[" ITEM("tor.bridge", "fail", "ok") "]}", "results[0].code ok goes only with status pass");
	expect_bad(HEAD "\"results\":[" ITEM("Tor.Bridge", "fail", "timeout") "]}", "results[0].probe must be a probe name");
	expect_bad(HEAD "\"results\":[" ITEM("tor.bridge", "fail", "Time_Out") "]}", "results[0].code must be a snake_case code");
	expect_bad(HEAD "\"results\":[],\"verdict\":{\"level\":\"fine\",\"headline\":\"x\"}}", "verdict.level");
	expect_bad(HEAD "\"results\":[],\"verdict\":{\"level\":\"ready\",\"headline\":\"x\",\"reasons\":[{\"probe\":\"tor.bridge\"}]}}",
		   "verdict.reasons[0].code is missing");
}

/* What the schema accepts that a strict reading of types might not: 4012.0 is an integer to
 * JSON Schema, unknown keys are later additions, a verdict may leave out its reasons. */
static void test_schema_valid_documents(void **state)
{
	(void)state;
	static const char *const docs[] = {
		HEAD "\"duration_ms\":4012.0,\"results\":[]}",
		HEAD "\"results\":[" ITEM("tor.bridge", "pass", "ok") "],\"later\":{\"x\":1},\"host\":{\"new\":[]}}",
		HEAD "\"results\":[],\"verdict\":{\"level\":\"ready\",\"headline\":\"x\"}}",
		HEAD "\"started\":\"2026-11-27T10:00:00.5+01:00\",\"results\":[" ITEM("new.probe", "warn", "brand_new_2") "]}",
	};
	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		struct results rs;
		results_init(&rs);
		struct err e;
		err_clear(&e);
		json_t *doc = json_loads(docs[i], 0, NULL);
		assert_non_null(doc);
		if (results_from_json(doc, "ok.json", &rs, &e) != 0)
			fail_msg("document %zu refused: %s", i, e.msg);
		json_decref(doc);
		results_free(&rs);
	}
}

static void test_load_reports_position(void **state)
{
	(void)state;
	char path[] = "/tmp/torready-results-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\n  \"schema\": ,\n}", 17), 17);
	close(fd);
	struct results rs;
	results_init(&rs);
	struct err e;
	assert_int_equal(results_load(path, &rs, &e), -1);
	assert_int_equal(e.line, 2);
	assert_true(e.col > 0);
	results_free(&rs);
	unlink(path);
}

static void test_atomic_write(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(write_atomic("/nonexistent-dir/x/results.json", "{}", 2, &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent-dir/x/results.json"));
	char dir[] = "/tmp/torready-out-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/r.json", dir);
	assert_int_equal(write_atomic(path, "hello", 5, &e), 0);
	FILE *f = fopen(path, "r");
	char got[16] = { 0 };
	assert_non_null(f);
	assert_int_equal(fread(got, 1, sizeof got, f), 5);
	fclose(f);
	assert_string_equal(got, "hello");
	unlink(path);
	rmdir(dir);
}

/* `contacted` keeps first-contact order and drops repeats (a hash set, not a scan). */
static void test_contacted_unique(void **state)
{
	(void)state;
	struct results rs;
	results_init(&rs);
	char ep[32];
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 5000; i++) {
			snprintf(ep, sizeof ep, "h%d.example:443", i);
			results_contacted(&rs, ep);
		}
	assert_int_equal(rs.ncontacted, 5000);
	assert_string_equal(rs.contacted[0], "h0.example:443");
	assert_string_equal(rs.contacted[4999], "h4999.example:443");
	results_free(&rs);
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* results.json carries bridge lines with cert= secrets: new files are 0600 (less a stricter
 * umask), a replaced file keeps the mode its owner gave it, and a device stays a device. */
static void test_results_file_mode(void **state)
{
	(void)state;
	struct results rs;
	results_init(&rs);
	struct err e;
	char dir[] = "/tmp/torready-mode-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/results.json", dir);
	mode_t old = umask(022);
	assert_int_equal(results_write(&rs, path, &e), 0);
	assert_int_equal(mode_of(path), 0600);
	unlink(path);
	umask(0277);
	assert_int_equal(results_write(&rs, path, &e), 0);
	assert_int_equal(mode_of(path), 0400);
	unlink(path);
	umask(022);
	assert_int_equal(write_atomic(path, "x", 1, &e), 0);
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(results_write(&rs, path, &e), 0);
	assert_int_equal(mode_of(path), 0640);
	unlink(path);
	assert_int_equal(results_write(&rs, "/dev/null", &e), 0);
	struct stat st;
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(results_write(&rs, dir, &e), -1);
	umask(old);
	rmdir(dir);
	results_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounded_utf8),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_documents),
		cmocka_unit_test(test_schema_valid_documents),
		cmocka_unit_test(test_load_reports_position),
		cmocka_unit_test(test_atomic_write),
		cmocka_unit_test(test_results_file_mode),
		cmocka_unit_test(test_contacted_unique),
	};
	return cmocka_run_group_tests_name("results", tests, NULL, NULL);
}
