/* test_truststore.c: reading a Debian-style store under a root directory — absolute symlinks
 * re-rooted, hash links not double-counted, DER files, the bundle, "!" lines, lookups. */
#include <ftw.h>
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

#include "certgen.h"
#include "truststore.h"

static char dir[64];

static void mkdirs(const char *rel)
{
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s%s", dir, rel);
	for (char *p = tmp + strlen(dir) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
	mkdir(tmp, 0755);
}

static void pem(const char *rel, X509 *x)
{
	char path[512];
	snprintf(path, sizeof path, "%s%s", dir, rel);
	assert_int_equal(cg_write_pem(path, x), 0);
}

static void der(const char *rel, X509 *x)
{
	char path[512];
	snprintf(path, sizeof path, "%s%s", dir, rel);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(i2d_X509_fp(f, x), 1);
	fclose(f);
}

static void link_to(const char *target, const char *rel)
{
	char path[512];
	snprintf(path, sizeof path, "%s%s", dir, rel);
	assert_int_equal(symlink(target, path), 0);
}

static void text(const char *rel, const char *s)
{
	char path[512];
	snprintf(path, sizeof path, "%s%s", dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(s, f);
	fclose(f);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(p);
}

static const struct trust_entry *by_cn(const struct truststore *ts, const char *cn)
{
	for (size_t i = 0; i < ts->n; i++) {
		char name[256];
		certinfo_display_name(X509_get_subject_name(ts->v[i].x), name, sizeof name);
		if (!strcmp(name, cn))
			return &ts->v[i];
	}
	return NULL;
}

static void test_store(void **state)
{
	(void)state;
	EVP_PKEY *k[5];
	for (int i = 0; i < 5; i++)
		k[i] = cg_key();
	X509 *m1 = cg_cert(k[0], "Mozilla One", NULL, NULL, k[0], 1, NULL, NULL);
	X509 *m2 = cg_cert(k[1], "Mozilla Two", NULL, NULL, k[1], 1, NULL, NULL);
	X509 *off = cg_cert(k[2], "Switched Off", NULL, NULL, k[2], 1, NULL, NULL);
	X509 *loc = cg_cert(k[3], "Local Addition", NULL, NULL, k[3], 1, NULL, NULL);
	X509 *leaf = cg_cert(k[4], "leaf.test", NULL, loc, k[3], 0, "DNS:leaf.test", NULL);
	snprintf(dir, sizeof dir, "/tmp/torready-unit.XXXXXX");
	assert_non_null(mkdtemp(dir));
	mkdirs("/usr/share/ca-certificates/mozilla");
	mkdirs("/usr/local/share/ca-certificates/sub");
	mkdirs("/etc/ssl/certs");
	pem("/usr/share/ca-certificates/mozilla/One.crt", m1);
	der("/usr/share/ca-certificates/mozilla/Two.crt", m2);
	pem("/usr/share/ca-certificates/mozilla/Off.crt", off);
	pem("/usr/local/share/ca-certificates/sub/local.crt", loc);
	/* As update-ca-certificates links them: absolute targets, then hash links. */
	link_to("/usr/share/ca-certificates/mozilla/One.crt", "/etc/ssl/certs/One.pem");
	link_to("../../../usr/share/ca-certificates/mozilla/Two.crt", "/etc/ssl/certs/Two.pem");
	link_to("/usr/local/share/ca-certificates/sub/local.crt", "/etc/ssl/certs/local.pem");
	link_to("One.pem", "/etc/ssl/certs/0a1b2c3d.0");
	text("/etc/ssl/certs/junk.pem", "not a certificate\n");
	text("/etc/ca-certificates.conf", "# comment\nmozilla/One.crt\nmozilla/Two.crt\n!mozilla/Off.crt\n!mozilla/Gone.crt\n");

	struct truststore ts;
	assert_int_equal(truststore_load(&ts, dir, NULL), 0);
	assert_true(ts.found);
	assert_int_equal(ts.n, 4);
	assert_int_equal(ts.unreadable, 1);
	assert_int_equal(ts.ndisabled, 2);
	assert_string_equal(ts.disabled_names[1], "mozilla/Gone.crt");
	assert_string_equal(trust_entry_class(by_cn(&ts, "Mozilla One")), "mozilla");
	assert_string_equal(trust_entry_class(by_cn(&ts, "Mozilla Two")), "mozilla");
	assert_string_equal(trust_entry_class(by_cn(&ts, "Switched Off")), "disabled");
	assert_string_equal(trust_entry_class(by_cn(&ts, "Local Addition")), "local");
	assert_string_equal(by_cn(&ts, "Local Addition")->file, "/usr/local/share/ca-certificates/sub/local.crt");
	assert_true(by_cn(&ts, "Local Addition")->in_etc);
	assert_ptr_equal(truststore_find_issuer(&ts, leaf), by_cn(&ts, "Local Addition"));
	assert_ptr_equal(truststore_find_same(&ts, m2), by_cn(&ts, "Mozilla Two"));
	assert_null(truststore_find_same(&ts, off));   /* not trusted */
	assert_ptr_equal(truststore_find_issuer(&ts, m1), by_cn(&ts, "Mozilla One"));   /* self-signed */
	truststore_free(&ts);

	/* The root "/" prefix is not doubled, and a missing store is not an error. */
	assert_int_equal(truststore_load(&ts, "/nonexistent-torready-store", NULL), 0);
	assert_false(ts.found);
	assert_int_equal(ts.n, 0);
	truststore_free(&ts);

	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	X509 *all[] = { m1, m2, off, loc, leaf };
	for (int i = 0; i < 5; i++) {
		X509_free(all[i]);
		EVP_PKEY_free(k[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
