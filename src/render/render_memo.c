/* render_memo.c: a render run's once-only work (render_memo.h). A department's thousands of
 * machines fall into a few dozen groups with the same results, and a site's pages share most
 * of their pieces: remembering both turns per-page, per-machine work into per-run work. */
#include "render_memo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

struct cond_slot {
	const struct cond *c;   /* NULL: free */
	signed char *answer;    /* per group: -1 not asked, 0, 1 */
};

struct rv_memo {
	size_t nsets, ngroups;
	size_t *group_of;       /* per machine */
	size_t *rep, *size;     /* per group */
	unsigned char *level;   /* per machine: enum verdict_level */
	struct cond_slot *slots;
	size_t nslots, used;    /* nslots: a power of two */
	json_t *pieces;         /* key → view piece */
};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What cond_eval can see of one machine: its results' probe, status and code, in order. */
static void signature(const struct results *rs, enum verdict_level level, struct buf *out)
{
	char **keys = xcalloc(rs->n ? rs->n : 1, sizeof *keys);
	size_t n = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = rs->items[i];
		if (!r)
			continue;
		struct buf k;
		buf_init(&k);
		buf_printf(&k, "%s\x1f%d\x1f%s", r->probe ? r->probe : "", (int)r->status,
			   r->code ? r->code : "");
		keys[n++] = xstrdup(buf_cstr(&k));
		buf_free(&k);
	}
	qsort(keys, n, sizeof *keys, str_cmp);
	buf_printf(out, "%d", (int)level);
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "\x1e%s", keys[i]);
		free(keys[i]);
	}
	free(keys);
}

struct rv_memo *rv_memo_new(const struct results *const *sets, size_t nsets)
{
	struct rv_memo *m = xcalloc(1, sizeof *m);
	m->nsets = nsets;
	m->group_of = xcalloc(nsets ? nsets : 1, sizeof *m->group_of);
	m->rep = xcalloc(nsets ? nsets : 1, sizeof *m->rep);
	m->size = xcalloc(nsets ? nsets : 1, sizeof *m->size);
	m->level = xcalloc(nsets ? nsets : 1, 1);
	m->pieces = json_object();
	json_t *ids = json_object();
	for (size_t i = 0; i < nsets; i++) {
		enum verdict_level l = results_verdict_level(sets[i]);
		m->level[i] = (unsigned char)l;
		struct buf sig;
		buf_init(&sig);
		signature(sets[i], l, &sig);
		json_t *g = json_object_get(ids, buf_cstr(&sig));
		size_t k = g ? (size_t)json_integer_value(g) : m->ngroups;
		if (!g) {
			json_object_set_new_nocheck(ids, buf_cstr(&sig), json_integer((json_int_t)k));
			m->rep[m->ngroups++] = i;
		}
		m->group_of[i] = k;
		m->size[k]++;
		buf_free(&sig);
	}
	json_decref(ids);
	m->nslots = 256;
	m->slots = xcalloc(m->nslots, sizeof *m->slots);
	return m;
}

void rv_memo_free(struct rv_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nslots; i++)
		free(m->slots[i].answer);
	free(m->slots);
	free(m->group_of);
	free(m->rep);
	free(m->size);
	free(m->level);
	json_decref(m->pieces);
	free(m);
}

size_t rv_memo_groups(const struct rv_memo *m) { return m->ngroups; }
size_t rv_memo_group_rep(const struct rv_memo *m, size_t g) { return m->rep[g]; }
size_t rv_memo_group_size(const struct rv_memo *m, size_t g) { return m->size[g]; }
size_t rv_memo_group_of(const struct rv_memo *m, size_t machine) { return m->group_of[machine]; }

enum verdict_level rv_memo_level(const struct rv_memo *m, size_t machine)
{
	return (enum verdict_level)m->level[machine];
}

static size_t slot_of(const struct cond_slot *slots, size_t nslots, const struct cond *c)
{
	uint64_t h = (uint64_t)(uintptr_t)c * 0x9E3779B97F4A7C15ull;
	size_t i = (size_t)(h >> 20) & (nslots - 1);
	while (slots[i].c && slots[i].c != c)
		i = (i + 1) & (nslots - 1);
	return i;
}

static void grow(struct rv_memo *m)
{
	size_t n = m->nslots * 2;
	struct cond_slot *s = xcalloc(n, sizeof *s);
	for (size_t i = 0; i < m->nslots; i++)
		if (m->slots[i].c)
			s[slot_of(s, n, m->slots[i].c)] = m->slots[i];
	free(m->slots);
	m->slots = s;
	m->nslots = n;
}

int rv_memo_cond_get(struct rv_memo *m, const struct cond *c, size_t g)
{
	const struct cond_slot *s = &m->slots[slot_of(m->slots, m->nslots, c)];
	return s->c ? s->answer[g] : -1;
}

void rv_memo_cond_put(struct rv_memo *m, const struct cond *c, size_t g, int answer)
{
	size_t i = slot_of(m->slots, m->nslots, c);
	if (!m->slots[i].c) {
		if ((m->used + 1) * 4 > m->nslots * 3) {
			grow(m);
			i = slot_of(m->slots, m->nslots, c);
		}
		m->slots[i].c = c;
		m->slots[i].answer = xcalloc(m->ngroups ? m->ngroups : 1, 1);
		memset(m->slots[i].answer, -1, m->ngroups ? m->ngroups : 1);
		m->used++;
	}
	m->slots[i].answer[g] = (signed char)answer;
}

json_t *rv_memo_get(const struct rv_memo *m, const char *key)
{
	return json_object_get(m->pieces, key);
}

json_t *rv_memo_put(struct rv_memo *m, const char *key, json_t *val)
{
	json_object_set_new_nocheck(m->pieces, key, val);
	return val;
}
