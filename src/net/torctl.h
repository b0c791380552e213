/* torctl.h: pure logic for talking to tor's control port (control-spec): splitting the byte
 * stream into replies (mid "250-", data "250+" ... ".", end "250 " lines; async 650 events),
 * reading KEY=VALUE / KEY="quoted" arguments, BOOTSTRAP status events, the file written by
 * ControlPortWriteToFile, and tor's "Bootstrapped N% (tag): summary" log lines. No I/O. */
#ifndef TORREADY_TORCTL_H
#define TORREADY_TORCTL_H

#include <stddef.h>
#include <stdint.h>

#include "targets.h"

/* Limits that keep a hostile or broken peer from making us buffer without end. */
#define TORCTL_MAX_LINES 256
#define TORCTL_MAX_LINE 8192

struct torctl_line {
	char sep;        /* '-' mid, '+' with data, ' ' end */
	char *text;      /* after "NNN?", without CRLF */
	char *data;      /* for '+': the data block, dot-unstuffed, lines joined by "\n"; else NULL */
};

struct torctl_reply {
	int code;                    /* 250, 515, 650, ... */
	size_t nlines;
	struct torctl_line *lines;   /* the last one has sep ' ' */
};

/* Parses one complete reply at the start of buf. Returns the bytes it used (> 0) and fills r
 * (free with torctl_reply_free), 0 when more bytes are needed, -1 when malformed: a line not
 * shaped "NNN[-+ ]...", codes changing inside a reply, a line or reply past the limits. */
long torctl_parse_reply(const char *buf, size_t len, struct torctl_reply *r);
void torctl_reply_free(struct torctl_reply *r);

/* Reads the next KEY=VALUE (VALUE may be "quoted" with C escapes) or bare word from *p,
 * advancing it. key is "" for a bare word (then val holds it). Returns 1 when it read one,
 * 0 at the end, -1 when malformed (an unterminated quote). Values are cut to fit. */
int torctl_next_arg(const char **p, char *key, size_t keylen, char *val, size_t vallen);

enum torctl_severity { TORCTL_NOTICE, TORCTL_WARN, TORCTL_ERR };

struct torctl_bootstrap {
	enum torctl_severity severity;
	int progress;              /* 0..100; -1 when absent */
	char tag[48];
	char summary[200];
	char warning[200];         /* WARN only */
	char reason[32];           /* DONE, CONNECTREFUSED, IDENTITY, ... */
	int count;
	char recommendation[16];   /* "ignore" / "warn" */
	char hostid[64];
	char hostaddr[64];
};

/* Parses a bootstrap status: an event's text "STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=..."
 * or GETINFO status/bootstrap-phase's value "NOTICE BOOTSTRAP PROGRESS=...". 0, or -1 when
 * it is not a BOOTSTRAP status (other STATUS_CLIENT events) or it is malformed. */
int torctl_parse_bootstrap(const char *text, struct torctl_bootstrap *b);

/* Parses ControlPortWriteToFile's content ("PORT=127.0.0.1:9051\n"). 0 / -1. */
int torctl_parse_port_file(const char *text, struct endpoint *ep);

/* Builds "AUTHENTICATE <hex>\r\n" for a cookie into out (>= 2 * len + 16 bytes). Returns its
 * length, 0 when out is too small. */
size_t torctl_build_authenticate(const uint8_t *cookie, size_t len, char *out, size_t outlen);

/* Recognises tor's log line "... Bootstrapped 45% (requesting_descriptors): Asking for ..."
 * and returns the percentage (0..100), -1 for other lines. */
int torctl_log_bootstrapped(const char *line);

#endif
