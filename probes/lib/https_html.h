/* https_html.h: finding mixed content in a page — the parts an https:// page loads over
 * plain http:// — with libxml2's forgiving HTML parser (as browsers parse, not by regex). */
#ifndef TORREADY_HTTPS_HTML_H
#define TORREADY_HTTPS_HTML_H

#include <jansson.h>
#include <stddef.h>

/* At most this many URLs of each kind are kept as evidence (the counts are exact). */
#define MIXED_KEEP 20

struct mixed_report {
	size_t nactive, npassive;   /* active: script, iframe, frame, stylesheet, form, object,
				     * embed; passive: img, audio, video, source */
	json_t *active, *passive;   /* arrays of {"tag", "url"} (owned), bounded */
	int parsed;                 /* 0 when libxml2 produced no document */
};

/* Scans html[0..len) served at page_url (used with <base href> to resolve relative URLs).
 * Always fills r; free with mixed_report_clear. */
void mixed_scan(const char *html, size_t len, const char *page_url, struct mixed_report *r);
void mixed_report_clear(struct mixed_report *r);

#endif
