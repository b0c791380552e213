/* dated.c: loading kb/dated.yaml (dated.h). Small and strict: unknown keys, duplicate ids,
 * dates out of order or not real dates are errors with a position, so a typo in a date can
 * not silently move a rule. */
#include "dated.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "ydoc.h"

/* "YYYY-MM-DD", a real calendar date, to its UTC midnight. */
static int parse_date(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || s[4] != '-' || s[7] != '-')
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	time_t t = timegm(&tm);
	struct tm back;
	if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_year != y - 1900 || back.tm_mon != m - 1 ||
	    back.tm_mday != d)
		return -1;
	*out = t;
	return 0;
}

static int str_field(struct ydoc *y, yaml_node_t *map, const char *key, int required, char **out,
		     struct err *e)
{
	yaml_node_t *n = ydoc_get(y, map, key);
	const char *s;
	if (!n) {
		if (required)
			return ydoc_fail(y, map, e, "a dated fact needs `%s`", key);
		return 0;
	}
	if (ydoc_expect_str(y, n, key, &s, e) < 0)
		return -1;
	if (!*s || strlen(s) > 400)
		return ydoc_fail(y, n, e, "%s must be 1 to 400 characters", key);
	*out = strdup(s);
	return 0;
}

static int load_value(struct ydoc *y, yaml_node_t *n, struct dated_fact *f, struct err *e)
{
	static const char *const keys[] = { "from", "value", NULL };
	const char *from;
	struct dated_value *v = &f->v[f->n];
	if (ydoc_expect_map(y, n, "a value", e) < 0 || ydoc_check_keys(y, n, keys, "value", e) < 0)
		return -1;
	yaml_node_t *fn = ydoc_get(y, n, "from"), *vn = ydoc_get(y, n, "value");
	if (!fn || !vn)
		return ydoc_fail(y, n, e, "a value needs `from` and `value`");
	if (ydoc_expect_str(y, fn, "from", &from, e) < 0 ||
	    ydoc_expect_int(y, vn, "value", -1000000000L, 1000000000L, &v->value, e) < 0)
		return -1;
	if (parse_date(from, &v->from) < 0)
		return ydoc_fail(y, fn, e, "from must be a date YYYY-MM-DD, not \"%.20s\"", from);
	if (f->n && v->from <= f->v[f->n - 1].from)
		return ydoc_fail(y, fn, e, "from dates must increase (%s after %s)", from, f->v[f->n - 1].from_text);
	snprintf(v->from_text, sizeof v->from_text, "%s", from);
	f->n++;
	return 0;
}

static int load_fact(struct dated *d, struct ydoc *y, yaml_node_t *n, struct err *e)
{
	static const char *const keys[] = { "id", "title", "unit", "applies_to", "source", "reviewed",
					    "values", NULL };
	if (ydoc_expect_map(y, n, "a dated fact", e) < 0 || ydoc_check_keys(y, n, keys, "dated fact", e) < 0)
		return -1;
	struct dated_fact *f = &d->f[d->n++];
	if (str_field(y, n, "id", 1, &f->id, e) < 0 || str_field(y, n, "title", 1, &f->title, e) < 0 ||
	    str_field(y, n, "unit", 0, &f->unit, e) < 0 || str_field(y, n, "applies_to", 0, &f->applies_to, e) < 0 ||
	    str_field(y, n, "source", 1, &f->source, e) < 0 || str_field(y, n, "reviewed", 1, &f->reviewed, e) < 0)
		return -1;
	time_t t;
	if (strncmp(f->source, "https://", 8))
		return ydoc_fail(y, ydoc_get(y, n, "source"), e, "source must be an https:// URL");
	if (parse_date(f->reviewed, &t) < 0)
		return ydoc_fail(y, ydoc_get(y, n, "reviewed"), e, "reviewed must be a date YYYY-MM-DD");
	for (size_t i = 0; i + 1 < d->n; i++)
		if (!strcmp(d->f[i].id, f->id))
			return ydoc_fail(y, ydoc_get(y, n, "id"), e, "id %s is given twice", f->id);
	yaml_node_t *vals = ydoc_get(y, n, "values");
	if (!vals)
		return ydoc_fail(y, n, e, "a dated fact needs `values`");
	if (ydoc_expect_seq(y, vals, "values", e) < 0)
		return -1;
	if (ydoc_len(vals) == 0 || ydoc_len(vals) > DATED_MAX_VALUES)
		return ydoc_fail(y, vals, e, "values must list 1 to %d entries", DATED_MAX_VALUES);
	for (size_t i = 0; i < ydoc_len(vals); i++)
		if (load_value(y, ydoc_item(y, vals, i), f, e) < 0)
			return -1;
	return 0;
}

int dated_load(struct dated *d, const char *path, struct err *e)
{
	struct ydoc y;
	memset(d, 0, sizeof *d);
	if (ydoc_load_file(&y, path, e) < 0)
		return -1;
	int rc = -1;
	yaml_node_t *root = ydoc_root(&y), *facts;
	static const char *const keys[] = { "facts", NULL };
	if (!root) {
		err_at(e, path, 1, 1, "the file is empty");
		goto out;
	}
	if (ydoc_expect_map(&y, root, "the dated-facts file", e) < 0 ||
	    ydoc_check_keys(&y, root, keys, "dated-facts file", e) < 0)
		goto out;
	if (!(facts = ydoc_get(&y, root, "facts"))) {
		ydoc_fail(&y, root, e, "the file needs `facts`");
		goto out;
	}
	if (ydoc_expect_seq(&y, facts, "facts", e) < 0)
		goto out;
	if (ydoc_len(facts) > DATED_MAX_FACTS) {
		ydoc_fail(&y, facts, e, "at most %d facts", DATED_MAX_FACTS);
		goto out;
	}
	d->f = calloc(ydoc_len(facts) + 1, sizeof *d->f);
	for (size_t i = 0; i < ydoc_len(facts); i++)
		if (load_fact(d, &y, ydoc_item(&y, facts, i), e) < 0)
			goto out;
	rc = 0;
out:
	ydoc_free(&y);
	if (rc < 0)
		dated_free(d);
	return rc;
}

void dated_free(struct dated *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct dated_fact *f = &d->f[i];
		free(f->id);
		free(f->title);
		free(f->unit);
		free(f->applies_to);
		free(f->source);
		free(f->reviewed);
	}
	free(d->f);
	memset(d, 0, sizeof *d);
}

const struct dated_fact *dated_find(const struct dated *d, const char *id)
{
	for (size_t i = 0; d && i < d->n; i++)
		if (d->f[i].id && !strcmp(d->f[i].id, id))
			return &d->f[i];
	return NULL;
}

int dated_value_at(const struct dated_fact *f, time_t t, long *out)
{
	int found = -1;
	for (size_t i = 0; f && i < f->n && f->v[i].from <= t; i++) {
		*out = f->v[i].value;
		found = 0;
	}
	return found;
}

const struct dated *dated_default(struct err *e)
{
	static struct dated d;
	static int state;   /* 0 not tried, 1 loaded, -1 failed */
	if (state == 0) {
		char path[4096];
		state = dated_load(&d, paths_data("kb/dated.yaml", path, sizeof path), e) < 0 ? -1 : 1;
	} else if (state < 0) {
		err_set(e, "kb/dated.yaml could not be read");
	}
	return state > 0 ? &d : NULL;
}
