/* test_site.c: which logo files the site file accepts (PNG with a sane IHDR, SVG text that
 * starts with <svg), and which it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "site.h"

static int kind(const void *p, size_t n, const char **mime)
{
	const char *why = NULL;
	int rc = site_logo_kind(p, n, mime, &why);
	if (rc < 0)
		assert_non_null(why);
	return rc;
}

static void test_png(void **state)
{
	(void)state;
	unsigned char png[33] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
				  0, 0, 0, 16, 0, 0, 0, 16, 8, 6, 0, 0, 0 };
	const char *mime = NULL;
	assert_int_equal(kind(png, sizeof png, &mime), 0);
	assert_string_equal(mime, "image/png");
	assert_int_equal(kind(png, 20, &mime), -1);            /* cut short */
	png[19] = 0;                                            /* zero width */
	assert_int_equal(kind(png, sizeof png, &mime), -1);
	png[19] = 16;
	png[20] = 0x7f;                                         /* absurd height */
	assert_int_equal(kind(png, sizeof png, &mime), -1);
}

static void test_svg(void **state)
{
	(void)state;
	const char *mime = NULL;
	const char *ok[] = { "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
			     "\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- logo -->\n<svg>\n</svg>",
			     "<!DOCTYPE svg>\n<svg\tviewBox=\"0 0 1 1\"></svg>" };
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
		assert_int_equal(kind(ok[i], strlen(ok[i]), &mime), 0);
		assert_string_equal(mime, "image/svg+xml");
	}
	const char *bad[] = { "", "<html><svg></svg></html>", "<svgx>", "GIF89a", "<?xml version=\"1.0\"?>",
			      "<!-- never closed <svg>" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(kind(bad[i], strlen(bad[i]), &mime), -1);
	assert_int_equal(kind("<svg>\0</svg>", 12, &mime), -1);   /* binary */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png),
		cmocka_unit_test(test_svg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
