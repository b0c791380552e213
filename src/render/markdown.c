/* markdown.c: cmark-gfm with its core extensions, safe mode only. */
#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const extensions[] = { "table", "autolink", "strikethrough", "tagfilter" };

void markdown_to_html(const char *md, size_t len, struct buf *out)
{
	static int registered;
	if (!registered) {
		cmark_gfm_core_extensions_ensure_registered();
		registered = 1;
	}
	/* No CMARK_OPT_UNSAFE: raw HTML and javascript: links never reach a page. */
	int opts = CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES | CMARK_OPT_SMART;
	cmark_parser *p = cmark_parser_new(opts);
	for (size_t i = 0; i < sizeof extensions / sizeof *extensions; i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
		if (ext)
			cmark_parser_attach_syntax_extension(p, ext);
	}
	cmark_parser_feed(p, md, len);
	cmark_node *doc = cmark_parser_finish(p);
	char *html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
	buf_puts(out, html);
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(p);
}

void markdown_escape(struct buf *out, const char *s)
{
	const char *start = s;
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t') {
			buf_putc(out, ' ');
			continue;
		}
		/* GFM autolinks "scheme://" and "www." in plain text; an escape splits the text
		 * node, so a peer's URL stays text, never a live link. */
		int autolink = (*s == ':' && s[1] == '/' && s[2] == '/') ||
			       (*s == '.' && s - start >= 3 && !strncasecmp(s - 3, "www", 3));
		/* An escape does not stop cmark-gfm's email autolink (nor its mailto:/xmpp: forms):
		 * it joins the text back before looking for "local@domain". A WORD JOINER (U+2060,
		 * invisible, no line break) before '@' leaves no local part next to the '@', so no
		 * renderer's email linkifier (cmark-gfm, markdown-it linkify, ...) takes it. */
		if (*s == '@')
			buf_puts(out, "\xe2\x81\xa0");
		if (autolink || strchr("\\`*_[]<>|~&#!{}@", *s))
			buf_putc(out, '\\');
		buf_putc(out, *s);
	}
}

void markdown_link_dest(struct buf *out, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		/* Percent-encoded, whatever a Markdown parser would read as the end of the
		 * destination or the start of a title: parentheses, brackets, angle brackets,
		 * quotes, backslashes, spaces and controls. The URL means the same to a browser. */
		if (*p <= 0x20 || *p == 0x7f || strchr("()[]<>\"'\\`", *p)) {
			buf_putc(out, '%');
			buf_putc(out, hex[*p >> 4]);
			buf_putc(out, hex[*p & 15]);
		} else {
			buf_putc(out, (char)*p);
		}
	}
}
