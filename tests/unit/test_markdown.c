/* test_markdown.c: a peer's text stays text in Markdown — no autolink (email, mailto:,
 * xmpp:, www., http://) under cmark-gfm's autolink extension, checked with the library we
 * render with and with the cmark-gfm command line (GitHub's renderer) — and a link
 * destination built from --base-url cannot be broken out of. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "markdown.h"

static const char *const hostile[] = {
	"contact foo@evil.example now",
	"mailto:x@evil.example",
	"xmpp:x@evil.example",
	"see www.evil.example/path",
	"go to http://evil.example/ or https://evil.example/x",
	"a.b+c_d-e@sub.evil.example.",
	"[click](http://evil.example) <http://evil.example> <x@evil.example>",
	"ftp://evil.example and WWW.EVIL.EXAMPLE",
};

/* Runs the cmark-gfm CLI with the autolink extension; NULL when it is not installed. */
static char *cli_render(const char *md)
{
	char path[] = "/tmp/torready-md-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, md, strlen(md)), (ssize_t)strlen(md));
	close(fd);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "cmark-gfm -e autolink %s 2>/dev/null", path);
	FILE *p = popen(cmd, "r");
	struct buf out;
	buf_init(&out);
	char chunk[512];
	size_t n;
	while (p && (n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_append(&out, chunk, n);
	int rc = p ? pclose(p) : -1;
	unlink(path);
	if (rc != 0) {
		buf_free(&out);
		return NULL;
	}
	return buf_steal(&out);
}

static void test_peer_text_never_links(void **state)
{
	(void)state;
	int cli_seen = 0;
	for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
		struct buf md, html;
		buf_init(&md);
		buf_init(&html);
		buf_puts(&md, "Peer said: ");
		markdown_escape(&md, hostile[i]);
		buf_puts(&md, "\n");
		markdown_to_html(buf_cstr(&md), md.len, &html);
		if (strstr(buf_cstr(&html), "<a "))
			fail_msg("library linked %s: %s", hostile[i], buf_cstr(&html));
		assert_non_null(strstr(buf_cstr(&html), "evil"));
		char *cli = cli_render(buf_cstr(&md));
		if (cli) {
			cli_seen = 1;
			if (strstr(cli, "<a "))
				fail_msg("cmark-gfm -e autolink linked %s: %s", hostile[i], cli);
			free(cli);
		}
		buf_free(&md);
		buf_free(&html);
	}
	/* The CLI is a test dependency (Makefile): its absence must not pass silently. */
	if (!cli_seen && !getenv("TORREADY_NO_CMARK_CLI"))
		fail_msg("cmark-gfm is not installed (Debian package cmark-gfm)");
}

static void test_link_destination_stays_closed(void **state)
{
	(void)state;
	struct buf md, html;
	buf_init(&md);
	buf_init(&html);
	buf_puts(&md, "[the article](");
	markdown_link_dest(&md, "https://kb.example/a) [x](javascript:alert(1)) <b>\"t\"\\");
	buf_puts(&md, "why.html) after\n");
	markdown_to_html(buf_cstr(&md), md.len, &html);
	const char *h = buf_cstr(&html);
	assert_non_null(strstr(h, ">the article</a> after"));
	assert_non_null(strstr(h, "href=\"https://kb.example/a%29%20%5Bx%5D%28javascript"));
	assert_null(strstr(h, "href=\"javascript"));
	assert_null(strstr(strstr(h, "<a ") + 1, "<a "));   /* one link, not two */
	assert_null(strstr(h, "<b>"));
	char *cli = cli_render(buf_cstr(&md));
	if (cli) {
		assert_non_null(strstr(cli, ">the article</a> after"));
		assert_null(strstr(cli, "href=\"javascript"));
		free(cli);
	}
	buf_free(&md);
	buf_free(&html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_peer_text_never_links),
		cmocka_unit_test(test_link_destination_stays_closed),
	};
	return cmocka_run_group_tests_name("markdown", tests, NULL, NULL);
}
