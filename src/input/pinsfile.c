/* pinsfile.c: writing a captured pins file (see pinsfile.h). A comment cannot be emitted
 * by libyaml, so the certificates' names go in a comment block above the document, each
 * line cut to printable ASCII: a subject carrying U+0085, U+2028 or U+2029 (line breaks to
 * libyaml) or a newline can then never end the comment and start keys of its own. */
#include "pinsfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "safetext.h"

static void comment_line(struct buf *b, const char *fmt, const char *const *parts, size_t n)
{
	/* fmt is ours; every part is escaped to printable ASCII. */
	buf_puts(b, "# ");
	size_t k = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p == '%' && k < n) {
			text_put_safe(b, parts[k], strlen(parts[k]), TEXT_ASCII);
			k++;
		} else {
			buf_putc(b, *p);
		}
	}
	buf_putc(b, '\n');
}

static void comments(struct buf *b, const struct pinsfile_host *h, size_t n, const char *version,
		     const char *when)
{
	comment_line(b, "Certificate pins captured by torready % on %.", (const char *[]){ version, when }, 2);
	buf_puts(b, "# Check another network against them: torready check --targets THIS_FILE\n"
		    "# A pin matches when any certificate on the chain's verified path (leaf,\n"
		    "# intermediates, root) has that key. Leaf keys change at every renewal;\n"
		    "# intermediates and roots rarely, so keep them all. The names below are\n"
		    "# what the server sent, with anything but printable ASCII written as \\uXXXX.\n");
	for (size_t i = 0; i < n; i++) {
		char port[16];
		snprintf(port, sizeof port, "%d", h[i].port);
		buf_puts(b, "#\n");
		comment_line(b, "%:%", (const char *[]){ h[i].host, port }, 2);
		for (size_t k = 0; k < h[i].ncerts; k++) {
			const struct pinsfile_cert *c = &h[i].certs[k];
			comment_line(b, "  %  %: %, valid until %",
				     (const char *[]){ c->pin, c->role, c->name, c->not_after }, 4);
		}
	}
}

static int out_buf(void *data, unsigned char *s, size_t n)
{
	buf_append(data, s, n);
	return 1;
}

/* One emitter event; the string values are copied by libyaml. */
static int str(yaml_emitter_t *em, const char *s, int quoted)
{
	yaml_event_t ev;
	/* libyaml's emitter lets through 4-byte sequences past U+10FFFF and writes them as
	 * escapes its own parser then refuses (found by tests/fuzz/fuzz_pins.c). */
	if (!text_utf8_valid(s))
		return -1;
	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
					  quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE))
		return -1;
	return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

static int ev(yaml_emitter_t *em, int ok, yaml_event_t *e)
{
	return ok && yaml_emitter_emit(em, e) ? 0 : -1;
}

static int seq(yaml_emitter_t *em, const char *const *v, size_t n, int flow)
{
	yaml_event_t e;
	if (ev(em, yaml_sequence_start_event_initialize(&e, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE
									: YAML_BLOCK_SEQUENCE_STYLE), &e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (str(em, v[i], 1) < 0)
			return -1;
	return ev(em, yaml_sequence_end_event_initialize(&e), &e);
}

static int host_entry(yaml_emitter_t *em, const struct pinsfile_host *h)
{
	yaml_event_t e;
	char port[16];
	snprintf(port, sizeof port, "%d", h->port);
	const char **pins = xcalloc(h->ncerts + 1, sizeof *pins);
	for (size_t i = 0; i < h->ncerts; i++)
		pins[i] = h->certs[i].pin;
	int rc = ev(em, yaml_mapping_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE), &e) < 0 ||
		 str(em, "host", 0) < 0 || str(em, h->host, 1) < 0 ||
		 str(em, "port", 0) < 0 || str(em, port, 0) < 0 ||
		 str(em, "pin-sha256", 0) < 0 || seq(em, pins, h->ncerts, 0) < 0 ||
		 str(em, "issuers", 0) < 0 || seq(em, h->issuers, h->nissuers, 1) < 0 ||
		 ev(em, yaml_mapping_end_event_initialize(&e), &e) < 0 ? -1 : 0;
	free(pins);
	return rc;
}

static int document(yaml_emitter_t *em, const struct pinsfile_host *h, size_t n)
{
	yaml_event_t e;
	if (ev(em, yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING), &e) < 0 ||
	    ev(em, yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 1), &e) < 0 ||
	    ev(em, yaml_mapping_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE), &e) < 0 ||
	    str(em, "pins", 0) < 0 ||
	    ev(em, yaml_sequence_start_event_initialize(&e, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE), &e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (host_entry(em, &h[i]) < 0)
			return -1;
	if (ev(em, yaml_sequence_end_event_initialize(&e), &e) < 0 ||
	    ev(em, yaml_mapping_end_event_initialize(&e), &e) < 0 ||
	    ev(em, yaml_document_end_event_initialize(&e, 1), &e) < 0 ||
	    ev(em, yaml_stream_end_event_initialize(&e), &e) < 0 || !yaml_emitter_flush(em))
		return -1;
	return 0;
}

int pinsfile_write(struct buf *out, const struct pinsfile_host *h, size_t n, const char *version,
		   const char *when, struct err *e)
{
	struct buf doc;
	buf_init(&doc);
	yaml_emitter_t em;
	if (!yaml_emitter_initialize(&em))
		return err_internal(e, "cannot initialise the YAML emitter");
	yaml_emitter_set_output(&em, out_buf, &doc);
	yaml_emitter_set_unicode(&em, 0);   /* \uXXXX escapes: the file is ASCII */
	yaml_emitter_set_width(&em, -1);    /* no folding inside a quoted string */
	int rc = document(&em, h, n);
	const char *why = em.problem;
	if (rc < 0)
		err_set(e, "cannot write the pins file: %s", why ? why : "a value is not UTF-8 text");
	yaml_emitter_delete(&em);
	if (rc == 0) {
		comments(out, h, n, version, when);
		buf_append(out, doc.data, doc.len);
		if (doc.len && doc.data[doc.len - 1] != '\n')
			buf_putc(out, '\n');   /* libyaml ends an implicit document without one */
	}
	buf_free(&doc);
	return rc;
}
