/* test_machine_id.c: the per-installation id is made once, kept private (0600 in a 0700
 * directory), reused, and a damaged file is not trusted. Uses a temporary XDG_STATE_HOME. */
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

#include "machine_id.h"

static void test_made_once_private(void **state)
{
	(void)state;
	char tmp[] = "/tmp/torready-mid-XXXXXX", path[512], dir[256];
	assert_non_null(mkdtemp(tmp));
	snprintf(dir, sizeof dir, "%s/st/torready", tmp);
	snprintf(path, sizeof path, "%s/machine-id", dir);
	setenv("XDG_STATE_HOME", strcat(strcpy((char[256]){ 0 }, tmp), "/st"), 1);
	char a[MACHINE_ID_LEN + 1], b[MACHINE_ID_LEN + 1];
	assert_int_equal(machine_id_get(a), 0);
	assert_true(machine_id_valid(a));
	assert_int_equal(machine_id_get(b), 0);
	assert_string_equal(a, b);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* a damaged file is not an id: the call fails rather than invent a second identity */
	FILE *f = fopen(path, "w");
	fputs("not-an-id\n", f);
	fclose(f);
	assert_int_equal(machine_id_get(b), -1);
	unlink(path);
	rmdir(dir);
	snprintf(dir, sizeof dir, "%s/st", tmp);
	rmdir(dir);
	rmdir(tmp);
}

static void test_no_home(void **state)
{
	(void)state;
	char id[MACHINE_ID_LEN + 1];
	setenv("XDG_STATE_HOME", "relative/dir", 1);
	unsetenv("HOME");
	assert_int_equal(machine_id_get(id), -1);
	assert_false(machine_id_valid("0123"));
	assert_false(machine_id_valid("0123456789ABCDEF0123456789abcdef"));
	assert_true(machine_id_valid("0123456789abcdef0123456789abcdef"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_made_once_private),
		cmocka_unit_test(test_no_home),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
