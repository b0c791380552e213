/* render_memo.h: what a render run works out once and every page reuses — each machine's
 * verdict level, machines grouped by what their results say (a condition is evaluated once
 * per group, not once per machine, page and format), and view pieces that are the same on
 * every page (navigation, converted guidance, grouped findings). Internal to render_*.c. */
#ifndef TORREADY_RENDER_MEMO_H
#define TORREADY_RENDER_MEMO_H

#include <stddef.h>

#include <jansson.h>

#include "cond.h"
#include "results.h"
#include "verdict.h"

struct rv_memo;

/* Groups the machines (sets[0..nsets)) by their results' (probe, status, code) multiset and
 * verdict level: cond_eval reads nothing else, so every machine of a group answers alike. */
struct rv_memo *rv_memo_new(const struct results *const *sets, size_t nsets);
void rv_memo_free(struct rv_memo *m);

size_t rv_memo_groups(const struct rv_memo *m);
/* Group g's first machine, and how many machines it holds. */
size_t rv_memo_group_rep(const struct rv_memo *m, size_t g);
size_t rv_memo_group_size(const struct rv_memo *m, size_t g);
size_t rv_memo_group_of(const struct rv_memo *m, size_t machine);
enum verdict_level rv_memo_level(const struct rv_memo *m, size_t machine);

/* The remembered answer of c on group g: -1 when not asked yet. */
int rv_memo_cond_get(struct rv_memo *m, const struct cond *c, size_t g);
void rv_memo_cond_put(struct rv_memo *m, const struct cond *c, size_t g, int answer);

/* A view piece under a key the caller makes unique (format included): borrowed, or NULL. */
json_t *rv_memo_get(const struct rv_memo *m, const char *key);
/* Keeps val under key, taking over the caller's reference; returns val (borrowed). */
json_t *rv_memo_put(struct rv_memo *m, const char *key, json_t *val);

#endif
