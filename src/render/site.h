/* site.h: the department's site file (../shared/spec/site.md) — who publishes the pages:
 * name, help desk, policy link, logo (inlined, never fetched), base URL, and the smallest
 * group of machines whose counts may be shown on public pages. */
#ifndef TORREADY_SITE_H
#define TORREADY_SITE_H

#include "err.h"

#define SITE_LOGO_MAX (256u * 1024)   /* bytes of the logo file */
#define SITE_TEXT_MAX 200             /* characters of department and contact */

struct site_file {
	char *department, *contact, *contact_url, *policy_url, *base_url;
	char *logo_uri;     /* "data:image/svg+xml;base64,..." or "data:image/png;base64,..." */
	long min_group;     /* 0: not set */
};

/* Reads and checks a site file; every key is optional, unknown keys and bad values stop
 * with file:line:col. The logo is read relative to the file's directory, checked to be a
 * PNG or an SVG, and kept as a data: URI for an <img>, where an SVG's scripts never run. */
int site_load(const char *path, struct site_file *s, struct err *e);
void site_free(struct site_file *s);
/* 0 if the bytes are a well-formed PNG header or an SVG document we accept; else -1 and a
 * reason. Exposed for the tests. */
int site_logo_kind(const unsigned char *p, size_t len, const char **mime, const char **why);

#endif
