/* ptproto.h: pure logic of the pluggable-transport managed protocol (pt-spec v1) as a client
 * sees it: parsing the lines a PT prints on stdout (VERSION, CMETHOD, CMETHODS DONE and the
 * errors), following them to "ready" or "failed", and packing a bridge line's arguments into
 * SOCKS5 username/password (RFC 1929) the way tor does. No I/O. */
#ifndef TORREADY_PTPROTO_H
#define TORREADY_PTPROTO_H

#include <stddef.h>
#include <stdint.h>

#include "targets.h"

enum pt_kind {
	PT_VERSION,          /* "VERSION 1": arg = the version */
	PT_VERSION_ERROR,    /* msg = the rest of the line */
	PT_ENV_ERROR,
	PT_CMETHOD,          /* transport, method, addr */
	PT_CMETHOD_ERROR,    /* transport, msg */
	PT_CMETHODS_DONE,
	PT_PROXY_DONE,
	PT_PROXY_ERROR,
	PT_LOG,              /* msg = "SEVERITY=... MESSAGE=..." as printed */
	PT_STATUS,
	PT_OTHER,            /* a line we do not know: pt-spec says to ignore it */
	PT_BAD,              /* a known keyword with malformed arguments */
};

#define PT_NAME_MAX 64
#define PT_MSG_MAX 300

struct pt_line {
	enum pt_kind kind;
	char transport[PT_NAME_MAX];
	char method[16];               /* "socks5", "socks4" */
	struct endpoint addr;
	char arg[PT_NAME_MAX];         /* VERSION's version */
	char msg[PT_MSG_MAX];          /* errors, LOG, STATUS: the rest of the line (cut) */
};

/* Parses one stdout line (without its newline). Always fills out->kind; unknown keywords
 * give PT_OTHER, known ones with bad arguments PT_BAD (msg says why). */
void ptproto_parse_line(const char *line, size_t len, struct pt_line *out);

#define PT_MAX_METHODS 8

struct pt_method {
	char transport[PT_NAME_MAX];
	int ok;                         /* 1: CMETHOD (socks5 at addr); 0: CMETHOD-ERROR (msg) */
	struct endpoint addr;
	char msg[PT_MSG_MAX];
};

enum pt_verdict { PT_PENDING, PT_READY, PT_FAILED };

struct pt_state {
	int version_ok;
	enum pt_verdict verdict;
	char error[PT_MSG_MAX];         /* with PT_FAILED: what went wrong, for people */
	struct pt_method methods[PT_MAX_METHODS];
	int nmethods;
	char last_log[PT_MSG_MAX];      /* the last LOG line, useful evidence on failure */
};

void ptproto_init(struct pt_state *st);
/* Feeds one stdout line; returns the verdict so far. After PT_READY or PT_FAILED further lines
 * only update last_log. Failures: VERSION-ERROR, ENV-ERROR, PROXY-ERROR, a VERSION other
 * than 1, CMETHOD before VERSION, CMETHODS DONE before VERSION, a malformed known line. */
enum pt_verdict ptproto_feed(struct pt_state *st, const char *line, size_t len);
/* The method for a transport once known, else NULL. */
const struct pt_method *ptproto_method(const struct pt_state *st, const char *transport);

/* Packs args (the bridge line's k=v pairs) as tor does for a PT's SOCKS5 auth: "k=v;k=v" with
 * '\\', '=' and ';' inside keys and values escaped by a backslash; the first 255 bytes are the
 * username and the rest the password; when everything fits in the username, the password is
 * a single NUL byte (RFC 1929 needs 1..255 bytes). Returns 0, or -1 when there is nothing to
 * send (no args: use no authentication) or it exceeds 510 bytes. */
int ptproto_socks_auth(const struct bridge_arg *args, size_t nargs, uint8_t user[255], size_t *ulen,
		       uint8_t pass[255], size_t *plen);

#endif
