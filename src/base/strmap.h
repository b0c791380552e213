/* strmap.h: a small string -> index hash table (open addressing, FNV-1a), for the places a
 * crafted input could make a linear scan quadratic: `contacted` de-duplication and finding
 * groups over tens of thousands of entries. Keys are copied. */
#ifndef TORREADY_STRMAP_H
#define TORREADY_STRMAP_H

#include <stddef.h>

struct strmap_slot {
	char *key;    /* NULL: empty */
	size_t hash, val;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap, n;   /* cap is 0 or a power of two */
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* The value stored for key, or NULL. */
size_t *strmap_get(const struct strmap *m, const char *key);
/* Stores key -> val unless key is there already; returns 1 when it was added, 0 when the
 * key existed (its value is left as it was and written to *old when old is not NULL). */
int strmap_add(struct strmap *m, const char *key, size_t val, size_t *old);

#endif
