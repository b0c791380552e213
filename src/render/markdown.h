/* markdown.h: Markdown (GFM) to HTML through cmark-gfm in safe mode, and escaping of
 * untrusted text for Markdown output. */
#ifndef TORREADY_MARKDOWN_H
#define TORREADY_MARKDOWN_H

#include <stddef.h>

#include "buf.h"

/* GFM tables, autolinks, strikethrough and footnotes; raw HTML dropped and dangerous URLs
 * (javascript:, vbscript:, data: other than images) removed, as cmark's safe mode does. */
void markdown_to_html(const char *md, size_t len, struct buf *out);
/* Appends s with Markdown's special characters backslash-escaped and newlines folded, so a
 * peer's string is shown as text, never as markup or a live link (autolinks are broken up). */
void markdown_escape(struct buf *out, const char *s);

/* Appends url for use as a Markdown link destination, [text](HERE): characters that could
 * end it or start a title are percent-encoded. */
void markdown_link_dest(struct buf *out, const char *url);

#endif
