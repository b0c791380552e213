/* ydoc.h: a loaded YAML document (libyaml's node tree) with helpers that turn every
 * problem into "file:line:col: message" — shared by the targets and kb loaders. */
#ifndef TORREADY_YDOC_H
#define TORREADY_YDOC_H

#include <stddef.h>
#include <yaml.h>

#include "err.h"

struct ydoc {
	yaml_document_t doc;
	char *file;   /* the name used in messages */
	int loaded;
};

/* Parses text (one document). Empty input gives a document whose root is NULL.
 * A second document in the stream is an error. */
int ydoc_load(struct ydoc *d, const char *file, const char *text, size_t len, struct err *e);
int ydoc_load_file(struct ydoc *d, const char *path, struct err *e);
void ydoc_free(struct ydoc *d);

yaml_node_t *ydoc_root(struct ydoc *d);
yaml_node_t *ydoc_node(struct ydoc *d, int index);

/* err_at() at the node's position (1-based line and column). Returns -1. */
int ydoc_fail(struct ydoc *d, const yaml_node_t *n, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A human word for the node's type: "a mapping", "a list", "a string". */
const char *ydoc_kind(const yaml_node_t *n);

/* Iteration over a mapping: for (i = 0; ydoc_pair(d, map, i, &k, &v); i++) */
int ydoc_pair(struct ydoc *d, yaml_node_t *map, size_t i, yaml_node_t **key, yaml_node_t **val);
/* Iteration over a sequence. */
yaml_node_t *ydoc_item(struct ydoc *d, yaml_node_t *seq, size_t i);
size_t ydoc_len(const yaml_node_t *n);

/* Scalar text (NUL-terminated by libyaml) or NULL when n is not a scalar. */
const char *ydoc_str(const yaml_node_t *n);

/* Expect helpers: each fails with a message naming `what` and the node's position. */
int ydoc_expect_map(struct ydoc *d, yaml_node_t *n, const char *what, struct err *e);
int ydoc_expect_seq(struct ydoc *d, yaml_node_t *n, const char *what, struct err *e);
int ydoc_expect_str(struct ydoc *d, yaml_node_t *n, const char *what, const char **out, struct err *e);
int ydoc_expect_int(struct ydoc *d, yaml_node_t *n, const char *what, long min, long max,
		    long *out, struct err *e);
int ydoc_expect_bool(struct ydoc *d, yaml_node_t *n, const char *what, int *out, struct err *e);
/* A scalar or a list of scalars, collected into a NULL-terminated array the caller frees
 * (the array only; strings point into the document). */
int ydoc_expect_strlist(struct ydoc *d, yaml_node_t *n, const char *what, const char ***out,
			size_t *count, struct err *e);

/* Fails on a key not in `allowed` (NULL-terminated), on a non-scalar key, and on a key
 * given twice. `what` names the mapping in messages ("targets file", "dirauth entry"). */
int ydoc_check_keys(struct ydoc *d, yaml_node_t *map, const char *const *allowed,
		    const char *what, struct err *e);
/* Value of key in a mapping, or NULL. */
yaml_node_t *ydoc_get(struct ydoc *d, yaml_node_t *map, const char *key);

#endif
