/* torrc_allow.h: which tor.torrc lines a targets file may pass to the tor that tor.bootstrap
 * launches — an allowlist of the options a reachability test needs (see torrc_allow.c). */
#ifndef TORREADY_TORRC_ALLOW_H
#define TORREADY_TORRC_ALLOW_H

#include <stddef.h>

/* 0 when line may go into tor's configuration; else -1 with why filled in. A line must be
 * one line of text: no control character (newline, CR, tab...) and no backslash (tor's
 * line continuation and escapes). */
int torrc_line_allowed(const char *line, char *why, size_t whylen);

/* A bridge line (torrc syntax, after "Bridge "): the same one-line rule. */
int torrc_bridge_line_ok(const char *line, char *why, size_t whylen);

#endif
