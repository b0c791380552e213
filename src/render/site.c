/* site.c: loading the department's site file. The logo is the only file it reads besides
 * the site file: bounded, never fetched from a URL, and embedded as a data: URI inside an
 * <img>, so even an SVG carrying <script> or event handlers cannot run anything (images do
 * not run scripts, and the pages' Content-Security-Policy allows only data: images). */
#include "site.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "buf.h"
#include "kb.h"
#include "ydoc.h"

static int has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

static int text_field(struct ydoc *y, yaml_node_t *root, const char *key, char **out, struct err *e)
{
	yaml_node_t *n = ydoc_get(y, root, key);
	const char *s;
	if (!n)
		return 0;
	if (ydoc_expect_str(y, n, key, &s, e) < 0)
		return -1;
	if (!*s || strlen(s) > SITE_TEXT_MAX || has_control(s))
		return ydoc_fail(y, n, e, "%s must be 1 to %d characters of one line", key, SITE_TEXT_MAX);
	*out = xstrdup(s);
	return 0;
}

/* Links on every page: http(s) only, no credentials (a password in a URL would be published). */
static int url_field(struct ydoc *y, yaml_node_t *root, const char *key, char **out, struct err *e)
{
	yaml_node_t *n = ydoc_get(y, root, key);
	const char *s, *why = NULL;
	if (!n)
		return 0;
	if (ydoc_expect_str(y, n, key, &s, e) < 0)
		return -1;
	if (strlen(s) > 2000 || has_control(s))
		why = "not a usable URL";
	else
		why = kb_url_problem(s);
	if (why)
		return ydoc_fail(y, n, e, "%s: %s", key, why);
	const char *host = strstr(s, "://");
	size_t hl = host ? strcspn(host + 3, "/?#") : 0;
	if (host && memchr(host + 3, '@', hl))
		return ydoc_fail(y, n, e, "%s: a URL with a user name or password would be published on every page", key);
	*out = xstrdup(s);
	return 0;
}

int site_logo_kind(const unsigned char *p, size_t len, const char **mime, const char **why)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	if (len >= 8 && !memcmp(p, png, 8)) {
		/* The first chunk must be a 13-byte IHDR with a sane size. */
		if (len < 33 || memcmp(p + 8, "\0\0\0\x0dIHDR", 8)) {
			*why = "a PNG without its IHDR header";
			return -1;
		}
		unsigned long w = (unsigned long)p[16] << 24 | p[17] << 16 | p[18] << 8 | p[19];
		unsigned long h = (unsigned long)p[20] << 24 | p[21] << 16 | p[22] << 8 | p[23];
		if (!w || !h || w > 4096 || h > 4096) {
			*why = "a PNG must be 1 to 4096 pixels wide and high";
			return -1;
		}
		*mime = "image/png";
		return 0;
	}
	/* SVG: text, no NUL, starting (after a BOM, space, an XML declaration and comments)
	 * with an <svg element. Scripts inside stay inert in an <img>. */
	size_t i = 0;
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		i = 3;
	if (memchr(p, '\0', len)) {
		*why = "neither a PNG nor an SVG (text) file";
		return -1;
	}
	for (int guard = 0; guard < 64; guard++) {
		while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
			i++;
		const char *end = NULL;
		if (i + 5 <= len && !memcmp(p + i, "<?xml", 5))
			end = "?>";
		else if (i + 4 <= len && !memcmp(p + i, "<!--", 4))
			end = "-->";
		else if (i + 9 <= len && !memcmp(p + i, "<!DOCTYPE", 9))
			end = ">";
		if (!end)
			break;
		const unsigned char *q = memmem(p + i, len - i, end, strlen(end));
		if (!q)
			break;
		i = (size_t)(q - p) + strlen(end);
	}
	if (i + 4 < len && !memcmp(p + i, "<svg", 4) && (p[i + 4] == ' ' || p[i + 4] == '>' ||
						      p[i + 4] == '\n' || p[i + 4] == '\t' || p[i + 4] == '\r')) {
		*mime = "image/svg+xml";
		return 0;
	}
	*why = "neither a PNG nor an SVG file (an SVG must start with <svg)";
	return -1;
}

static int load_logo(struct ydoc *y, yaml_node_t *root, const char *site_path, struct site_file *s, struct err *e)
{
	yaml_node_t *n = ydoc_get(y, root, "logo");
	const char *name, *mime, *why;
	if (!n)
		return 0;
	if (ydoc_expect_str(y, n, "logo", &name, e) < 0)
		return -1;
	if (!*name || strstr(name, "://") || has_control(name))
		return ydoc_fail(y, n, e, "logo must be a file name (relative to the site file); it is never fetched");
	struct buf path, data;
	buf_init(&path);
	buf_init(&data);
	const char *slash = strrchr(site_path, '/');
	if (name[0] == '/')
		buf_puts(&path, name);
	else if (slash)
		buf_printf(&path, "%.*s/%s", (int)(slash - site_path), site_path, name);
	else
		buf_puts(&path, name);
	int rc = 0;
	struct stat st;
	if (stat(path.data, &st) == 0 && !S_ISREG(st.st_mode))   /* a FIFO or device would block */
		rc = ydoc_fail(y, n, e, "logo %.200s: not a regular file", path.data);
	else if (read_file(path.data, SITE_LOGO_MAX, &data) < 0)
		rc = ydoc_fail(y, n, e, "logo %.200s: %s", path.data,
			       errno == EFBIG || errno == E2BIG ? "larger than 256 KiB" : strerror(errno));
	else if (data.len > SITE_LOGO_MAX)
		rc = ydoc_fail(y, n, e, "logo %.200s: larger than 256 KiB", path.data);
	else if (site_logo_kind((const unsigned char *)buf_cstr(&data), data.len, &mime, &why) < 0)
		rc = ydoc_fail(y, n, e, "logo %.200s: %s", path.data, why);
	if (rc == 0) {
		size_t n64 = 4 * ((data.len + 2) / 3) + 1;
		unsigned char *b64 = xmalloc(n64);
		EVP_EncodeBlock(b64, (const unsigned char *)buf_cstr(&data), (int)data.len);
		struct buf uri;
		buf_init(&uri);
		buf_printf(&uri, "data:%s;base64,%s", mime, (char *)b64);
		s->logo_uri = buf_steal(&uri);
		free(b64);
	}
	buf_free(&path);
	buf_free(&data);
	return rc;
}

int site_load(const char *path, struct site_file *s, struct err *e)
{
	static const char *const keys[] = { "department", "contact", "contact_url", "policy_url", "logo",
					    "base_url", "min_group", NULL };
	struct ydoc y;
	memset(s, 0, sizeof *s);
	int rc = -1;
	if (ydoc_load_file(&y, path, e) < 0)
		goto out;   /* a failed load still holds the file name: ydoc_free releases it */
	yaml_node_t *root = ydoc_root(&y), *n;
	if (!root) {
		rc = 0;   /* an empty file: every key is optional */
		goto out;
	}
	if (ydoc_expect_map(&y, root, "the site file", e) < 0 || ydoc_check_keys(&y, root, keys, "site file", e) < 0)
		goto out;
	if (text_field(&y, root, "department", &s->department, e) < 0 ||
	    text_field(&y, root, "contact", &s->contact, e) < 0 ||
	    url_field(&y, root, "contact_url", &s->contact_url, e) < 0 ||
	    url_field(&y, root, "policy_url", &s->policy_url, e) < 0 ||
	    url_field(&y, root, "base_url", &s->base_url, e) < 0 || load_logo(&y, root, path, s, e) < 0)
		goto out;
	if ((n = ydoc_get(&y, root, "min_group")) &&
	    ydoc_expect_int(&y, n, "min_group", 1, 1000000, &s->min_group, e) < 0)
		goto out;
	rc = 0;
out:
	ydoc_free(&y);
	if (rc < 0)
		site_free(s);
	return rc;
}

void site_free(struct site_file *s)
{
	if (!s)
		return;
	free(s->department);
	free(s->contact);
	free(s->contact_url);
	free(s->policy_url);
	free(s->base_url);
	free(s->logo_uri);
	memset(s, 0, sizeof *s);
}
