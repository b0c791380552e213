/* fuzz_tpl.c: the Mustache engine (tpl_render, and tpl_compile + tpl_render_compiled) on a
 * hostile template with fixed JSON data. The input is TEMPLATE, optionally followed by a NUL
 * and the text every partial name resolves to (names starting "no" are missing), so
 * recursion through partials and parents is reachable. */
#include "fuzz_util.h"
#include "tpl.h"

static json_t *data;

static const char DATA_JSON[] =
	"{\"name\": \"<b>Tor</b> & co\", \"n\": 3, \"x\": 1.5, \"t\": true, \"f\": false, \"z\": null,"
	" \"empty\": [], \"s\": \"\","
	" \"list\": [{\"name\": \"a\", \"k\": [1, 2]}, {\"name\": \"b\", \"k\": []}, \"str\", 7],"
	" \"obj\": {\"a\": {\"b\": {\"c\": \"deep\"}}, \"list\": [1, 2, 3], \"name\": \"inner\"},"
	" \"p\": \"p\", \"dyn\": \"obj\", \"self\": \"p\"}";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	json_error_t je;
	data = json_loads(DATA_JSON, 0, &je);
	if (!data)
		abort();
	return 0;
}

struct parts { const char *text; size_t len; };

static int partial(void *ud, const char *name, struct buf *out)
{
	const struct parts *p = ud;
	if (!p->text || !strncmp(name, "no", 2))
		return -1;
	buf_append(out, p->text, p->len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	const uint8_t *nul = memchr(in, '\0', size);
	size_t tlen = nul ? (size_t)(nul - in) : size;
	struct parts p = { NULL, 0 };
	if (nul) {
		p.text = (const char *)nul + 1;
		p.len = size - tlen - 1;
	}
	struct buf out;
	struct err e;
	buf_init(&out);
	err_clear(&e);
	int rc = tpl_render("fuzz.mustache", (const char *)in, tlen, data, partial, &p, &out, &e);
	if (rc < 0)
		FUZZ_ASSERT(e.msg[0] != '\0');
	/* A render stopped by the engine's bounds (line 0) took the most time there is to take;
	 * rendering it again compiled would only halve the fuzzer's speed. */
	int bounded = rc < 0 && e.line == 0;
	buf_reset(&out);
	err_clear(&e);
	struct tpl *t = tpl_compile("fuzz.mustache", (const char *)in, tlen, &e);
	if (!t)   /* a syntax error fails both ways */
		FUZZ_ASSERT(rc < 0);
	if (t && !bounded)
		tpl_render_compiled(t, data, partial, &p, &out, &e);
	tpl_free(t);
	buf_free(&out);
	/* The escaper on the raw input: every byte must survive or become an entity. */
	buf_init(&out);
	tpl_escape_html(&out, (const char *)in, tlen);
	FUZZ_ASSERT(out.len >= tlen);
	buf_free(&out);
	return 0;
}
