/* fuzz_site.c: the department's site file loader (site_load, `render --site FILE`) on a file
 * holding the input, beside a logo file it may name. Input: the site YAML, then optionally a
 * NUL and the bytes of a file called "logo" in the same private directory (under /dev/shm or
 * $TMPDIR, removed at exit), so `logo: logo` reaches the PNG/SVG checks and the data: URI.
 * Whatever loads must be what the pages may print: one-line bounded texts, http(s) URLs
 * without credentials, a logo that is a data: URI of a PNG or SVG the checker accepts. */
#include <unistd.h>

#include "fuzz_util.h"
#include "site.h"

static char dir[256], path[300], logo[300];

static void cleanup(void)
{
	unlink(path);
	unlink(logo);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/torready-fuzz-site.XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof path, "%s/site.yaml", dir);
	snprintf(logo, sizeof logo, "%s/logo", dir);
	atexit(cleanup);
	return 0;
}

static void put(const char *p, const uint8_t *data, size_t size)
{
	FILE *f = fopen(p, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
}

static void check_text(const char *s, size_t max)
{
	if (!s)
		return;
	FUZZ_ASSERT(*s && strlen(s) <= max);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		FUZZ_ASSERT(*p >= 0x20 && *p != 0x7f);
}

/* A published link: http(s), no user name or password before the host. */
static void check_url(const char *s)
{
	if (!s)
		return;
	check_text(s, 2000);
	FUZZ_ASSERT(!strncmp(s, "http://", 7) || !strncmp(s, "https://", 8));
	const char *host = strstr(s, "://") + 3;
	FUZZ_ASSERT(!memchr(host, '@', strcspn(host, "/?#")));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t ylen = nul ? (size_t)(nul - data) : size;
	put(path, data, ylen);
	if (nul)
		put(logo, nul + 1, size - ylen - 1);
	else
		unlink(logo);
	struct site_file s;
	struct err e;
	err_clear(&e);
	if (site_load(path, &s, &e) == 0) {
		check_text(s.department, SITE_TEXT_MAX);
		check_text(s.contact, SITE_TEXT_MAX);
		check_url(s.contact_url);
		check_url(s.policy_url);
		check_url(s.base_url);
		FUZZ_ASSERT(s.min_group >= 0 && s.min_group <= 1000000);
		if (s.logo_uri)
			FUZZ_ASSERT(!strncmp(s.logo_uri, "data:image/png;base64,", 22) ||
				    !strncmp(s.logo_uri, "data:image/svg+xml;base64,", 26));
		site_free(&s);
	} else {
		FUZZ_ASSERT(e.msg[0] != '\0');
	}
	/* The logo checker alone, on the logo bytes: it answers, with a reason when it refuses. */
	if (nul) {
		const char *mime = NULL, *why = NULL;
		if (site_logo_kind(nul + 1, size - ylen - 1, &mime, &why) == 0)
			FUZZ_ASSERT(mime);
		else
			FUZZ_ASSERT(why && *why);
	}
	return 0;
}
