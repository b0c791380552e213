/* dated_text.h: guidance text that quotes a dated fact (kb/dated.yaml) says what holds on
 * the day the page is rendered. Authors write placeholders instead of numbers and dates:
 *   {dated:ID}        the value in force today, with its unit: "200 days"
 *   {dated:ID:since}  the day that value took effect: "15 March 2026"
 *   {dated:ID:next}   a sentence on the changes still to come, or nothing when none are
 *                     left: "It drops to 100 days on 15 March 2027, then 47 days on 15
 *                     March 2029."
 * Format: kb/README.md, "Dated facts". */
#ifndef TORREADY_DATED_TEXT_H
#define TORREADY_DATED_TEXT_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "dated.h"

enum dated_form { DATED_NOW, DATED_SINCE, DATED_NEXT };

/* Finds the next placeholder in s from *pos: its start, length, the fact id (pointer and
 * length into s) and form. Returns 0 at the end. A malformed one (unknown form) is
 * reported with form -1 so the linter can name it. */
int dated_text_next(const char *s, size_t *pos, size_t *start, size_t *len, const char **id,
		    size_t *idlen, int *form);
/* Copies in to out with every placeholder replaced by what holds at `now` (d may be NULL:
 * placeholders then read "(see the source)"). */
void dated_text_expand(const struct dated *d, time_t now, const char *in, struct buf *out);
/* The day pages are rendered for: $TORREADY_TODAY (YYYY-MM-DD, to preview or test a page as
 * it will read on that day), else now. */
time_t dated_today(void);

#endif
