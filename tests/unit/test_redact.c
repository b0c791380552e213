/* test_redact.c: results_redact removes the public address relays saw, bridge addresses
 * wherever they appear, webtunnel URLs and cert= secrets, and leaves the rest alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "results_redact.h"

static const char doc_text[] =
	"{\"schema\":\"torready-results/1\",\"host\":{\"os\":\"Debian\"},"
	"\"contacted\":[\"198.51.100.7:443\",\"valid.test:8443\",\"[2001:db8::5]:9001\"],"
	"\"results\":["
	"{\"probe\":\"tor.bridge\",\"target\":\"obfs4 198.51.100.7:443 4C1A cert=SECRETcert+/x iat-mode=0\","
	" \"summary\":\"198.51.100.7:443 did not answer\",\"status\":\"fail\",\"code\":\"timeout\","
	" \"evidence\":{\"address\":\"198.51.100.7:443\",\"fingerprint\":\"4C1A\","
	"  \"relay_sees_us_as\":\"203.0.113.9\",\"log\":[\"conn to 198.51.100.7 failed; cert=SECRETcert+/x\"]}},"
	"{\"probe\":\"tor.bridge\",\"target\":\"Bridge [2001:db8::5]:9001 5D2B\",\"summary\":\"ok\","
	" \"status\":\"pass\",\"code\":\"ok\",\"evidence\":{}},"
	"{\"probe\":\"tor.bridge\",\"target\":\"webtunnel [2001:db8::9]:443 6E3C url=https://hidden.example/secretpath ver=0.0.1\","
	" \"summary\":\"hidden.example refused\",\"status\":\"fail\",\"code\":\"refused\",\"evidence\":{}},"
	"{\"probe\":\"tor.bridge\",\"target\":\"snowflake 192.0.2.3:80 2B28 url=https://cdn.example/\","
	" \"summary\":\"s\",\"status\":\"pass\",\"code\":\"ok\",\"evidence\":{\"stun\":[{\"server\":\"stun:a:3478\",\"sees_us_as\":\"203.0.113.9:5000\"}]}},"
	"{\"probe\":\"https.cert\",\"target\":\"https://valid.test:8443/\",\"summary\":\"fine\","
	" \"status\":\"pass\",\"code\":\"ok\",\"evidence\":{}}]}";

static void test_redacts(void **state)
{
	(void)state;
	json_t *doc = json_loads(doc_text, 0, NULL);
	assert_non_null(doc);
	assert_true(results_redact(doc) > 0);
	char *out = json_dumps(doc, JSON_COMPACT);
	assert_null(strstr(out, "198.51.100.7"));
	assert_null(strstr(out, "2001:db8::5"));
	assert_null(strstr(out, "2001:db8::9"));
	assert_null(strstr(out, "hidden.example"));
	assert_null(strstr(out, "secretpath"));
	assert_null(strstr(out, "SECRETcert"));
	assert_null(strstr(out, "203.0.113.9"));
	assert_null(strstr(out, "relay_sees_us_as"));
	/* what is not secret stays */
	assert_non_null(strstr(out, "4C1A"));
	assert_non_null(strstr(out, "valid.test:8443"));
	assert_non_null(strstr(out, "https://cdn.example/"));
	assert_non_null(strstr(out, "cert=[redacted]"));
	assert_non_null(strstr(out, "obfs4 [bridge address]:443 4C1A"));
	json_t *c = json_object_get(doc, "contacted");
	assert_int_equal(json_array_size(c), 1);
	assert_string_equal(json_string_value(json_array_get(c, 0)), "valid.test:8443");
	/* a second pass changes nothing */
	assert_int_equal(results_redact(doc), 0);
	free(out);
	json_decref(doc);
}

static void test_odd_documents(void **state)
{
	(void)state;
	json_t *a = json_loads("[1,\"cert=x\"]", 0, NULL);
	assert_int_equal(results_redact(a), 0);
	json_decref(a);
	json_t *o = json_loads("{\"results\":[{\"probe\":\"tor.bridge\",\"target\":\"x\"},7,"
			       "{\"probe\":\"tor.bridge\",\"target\":\"\"},{\"probe\":3}],\"contacted\":5}", 0, NULL);
	assert_int_equal(results_redact(o), 0);
	json_decref(o);
	assert_int_equal(results_redact(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redacts),
		cmocka_unit_test(test_odd_documents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
