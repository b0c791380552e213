/* strmap.c: see strmap.h. Linear probing at a load of at most one half. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

/* Seeded once per process, so that a crafted file cannot aim all its keys at one bucket. */
static size_t seed(void)
{
	static size_t v;
	static int done;
	if (!done) {
		if (getentropy(&v, sizeof v) < 0)
			v = (size_t)time(NULL) ^ (size_t)getpid();
		done = 1;
	}
	return v;
}

static size_t hash_str(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL ^ seed();
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof *m);
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof *m);
}

static struct strmap_slot *find(const struct strmap *m, const char *key, size_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct strmap_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && !strcmp(s->key, key)))
			return s;
	}
}

size_t *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	struct strmap_slot *s = find(m, key, hash_str(key));
	return s->key ? &s->val : NULL;
}

static void grow(struct strmap *m)
{
	struct strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 16;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
	free(old.slots);
}

int strmap_add(struct strmap *m, const char *key, size_t val, size_t *old)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	size_t h = hash_str(key);
	struct strmap_slot *s = find(m, key, h);
	if (s->key) {
		if (old)
			*old = s->val;
		return 0;
	}
	*s = (struct strmap_slot){ .key = xstrdup(key), .hash = h, .val = val };
	m->n++;
	return 1;
}
