/* kb_internal.h: what the files of the kb module share and nothing else includes: the
 * review-date and dated-fact checks of `kb lint` (kb_lint_dated.c, called by kb.c). */
#ifndef TORREADY_KB_INTERNAL_H
#define TORREADY_KB_INTERNAL_H

#include <stdio.h>
#include <time.h>

#include "dated.h"
#include "kb.h"

/* Prints warnings (reviewed more than a year before today; a quoted dated fact changed
 * since the review) and problems (a placeholder naming no fact of d) as file:line:col.
 * Returns the number of problems; warnings do not count. */
int kb_lint_dated(const struct kb_article *a, const struct dated *d, time_t today, FILE *out);

#endif
