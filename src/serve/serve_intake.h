/* serve_intake.h: a submitted body → what the store keeps, or why it is refused. Pure code
 * (no I/O), shared by POST /api/results and its fuzz target. */
#ifndef TORREADY_SERVE_INTAKE_H
#define TORREADY_SERVE_INTAKE_H

#include <stddef.h>

struct intake {
	char digest[65];      /* SHA-256 hex of the submitted document, canonical form */
	char *machine;        /* host.machine_id when plain and short, else the digest */
	char *finished;       /* "" when absent */
	const char *level;    /* verdict.md level (static string) */
	char *doc;            /* the (redacted) document to store, ASCII JSON */
};

/* 0 and fills in (free with intake_free); -1 with a message for a 400 answer: "bad JSON at
 * LINE:COL: ..." or "not a results document: FIELD ...". */
int intake_prepare(const char *body, size_t len, int redact, struct intake *in, char *msg,
		   size_t msglen);
void intake_free(struct intake *in);

#endif
