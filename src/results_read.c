/* results_read.c: reading a results document back (for `render`), validating as it goes
 * so that a hand-edited or foreign file gets a message naming the file and the field. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "results.h"

#define RESULTS_MAX_BYTES (64u << 20)

static const char *get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int read_item(json_t *it, size_t i, const char *path, struct results *rs, struct err *e)
{
	if (!json_is_object(it))
		return err_at(e, path, 0, 0, "results[%zu] must be an object", i);
	static const char *const required[] = { "probe", "target", "status", "code" };
	for (size_t k = 0; k < sizeof required / sizeof *required; k++)
		if (!get_str(it, required[k]))
			return err_at(e, path, 0, 0, "results[%zu].%s is missing or not a string", i,
				      required[k]);
	enum status st;
	if (status_parse(get_str(it, "status"), &st) < 0)
		return err_at(e, path, 0, 0, "results[%zu].status \"%.20s\" is not one of pass, warn, fail, error, skip",
			      i, get_str(it, "status"));
	struct result *r = results_add(rs, get_str(it, "probe"), get_str(it, "target"),
				       get_str(it, "name") ? get_str(it, "name") : "");
	const char *summary = get_str(it, "summary");
	result_set(r, st, get_str(it, "code"), "%s", summary ? summary : "");
	json_t *dur = json_object_get(it, "duration_ms");
	r->duration_ms = json_is_integer(dur) ? (long)json_integer_value(dur) : 0;
	json_t *ev = json_object_get(it, "evidence");
	if (json_is_object(ev)) {
		json_decref(r->evidence);
		r->evidence = json_incref(ev);
	}
	return 0;
}

int results_from_json(json_t *doc, const char *path, struct results *rs, struct err *e)
{
	if (!json_is_object(doc))
		return err_at(e, path, 0, 0, "a results document must be a JSON object");
	const char *schema = get_str(doc, "schema");
	if (!schema || strcmp(schema, RESULTS_SCHEMA))
		return err_at(e, path, 0, 0, "not a torready results document (schema must be \"%s\")",
			      RESULTS_SCHEMA);
	json_t *items = json_object_get(doc, "results");
	if (!json_is_array(items))
		return err_at(e, path, 0, 0, "\"results\" must be a list");
	free(rs->started);
	free(rs->finished);
	rs->started = xstrdup(get_str(doc, "started") ? get_str(doc, "started") : "");
	rs->finished = xstrdup(get_str(doc, "finished") ? get_str(doc, "finished") : "");
	json_t *v = json_object_get(doc, "duration_ms");
	rs->duration_ms = json_is_integer(v) ? (long)json_integer_value(v) : 0;
	v = json_object_get(doc, "deadline_ms");
	rs->deadline_ms = json_is_integer(v) ? (long)json_integer_value(v) : 0;
	rs->interrupted = json_is_true(json_object_get(doc, "interrupted"));
	v = json_object_get(doc, "host");
	if (json_is_object(v)) {
		json_decref(rs->host);
		rs->host = json_incref(v);
	}
	json_t *c = json_object_get(doc, "contacted");
	size_t i;
	json_t *it;
	json_array_foreach(c, i, it)
		if (json_is_string(it))
			results_contacted(rs, json_string_value(it));
	json_array_foreach(items, i, it)
		if (read_item(it, i, path, rs, e) < 0)
			return -1;
	return 0;
}

int results_load(const char *path, struct results *rs, struct err *e)
{
	struct buf b;
	buf_init(&b);
	if (read_file(path, RESULTS_MAX_BYTES, &b) < 0) {
		int rc = err_set(e, "%s: cannot read: %s", path, file_strerror(errno));
		buf_free(&b);
		return rc;
	}
	json_error_t je;
	json_t *doc = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &je);
	buf_free(&b);
	if (!doc)
		return err_at(e, path, je.line > 0 ? je.line : 1, je.column > 0 ? je.column : 1,
			      "invalid JSON: %s", je.text);
	int rc = results_from_json(doc, path, rs, e);
	json_decref(doc);
	return rc;
}
