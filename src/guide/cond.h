/* cond.h: the `when:` conditions of guidance entries — parsed from YAML, checked against the
 * code table, and evaluated over a results document (the language is in kb/README.md). */
#ifndef TORREADY_COND_H
#define TORREADY_COND_H

#include <yaml.h>

#include "buf.h"
#include "err.h"
#include "results.h"
#include "verdict.h"
#include "ydoc.h"

/* Deeper nesting is refused (it also stops YAML alias loops). */
#define COND_MAX_DEPTH 16

struct cond;

/* Parses the condition at n. Unknown keys, probes, codes and statuses, and conditions that
 * can never hold, fail with file:line:col. */
int cond_parse(struct ydoc *d, yaml_node_t *n, struct cond **out, struct err *e);
/* 1 true, 0 false. A NULL condition means "always". */
int cond_eval(const struct cond *c, const struct results *rs);
/* 1 when a positive atom of c matches this single result (probe, status, code): used to
 * attach advice whose condition holds to the findings it is about. Atoms under `not:` or
 * `none:`, and atoms that only set an upper bound (`at_most:` alone), never mention. */
int cond_mentions(const struct cond *c, const struct result *r);
/* 1 when an atom of c, in any position, selects this probe id (by id or family): without
 * one, c can mention no result of the probe. */
int cond_selects(const struct cond *c, const char *probe);
/* 1 when c names a probe whose answer needs a network (any but PF_LOCAL ones, codes.h), in
 * any position: on an offline machine such guidance says nothing true, so pages drop it. */
int cond_needs_network(const struct cond *c);
/* Whether c holds on a machine with these results and verdict level (NULL holds
 * everywhere): as cond_eval, but never, offline, when c needs a network (verdict.md), and
 * never, intercepted, when c reads a site's own setup (PF_SITE: the box answered for it). */
int cond_holds(const struct cond *c, const struct results *rs, enum verdict_level level);
/* Appends c in YAML flow form ("{all: [{probe: tor.dirauth, status: fail, every: true}]}"),
 * which cond_parse reads back to the same condition. NULL gives "{always: true}". */
void cond_describe(const struct cond *c, struct buf *out);
void cond_free(struct cond *c);

#endif
