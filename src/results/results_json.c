/* results_json.c: the results document, written (with its verdict) and read back (for
 * `render`), validating as it goes so that a hand-edited or foreign file gets a message
 * naming the file and the field. Apart from results.c so that the results model does not
 * depend on the verdict, which is computed from it. */
#include "results_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "results.h"
#include "verdict.h"

#define RESULTS_MAX_BYTES (64u << 20)

static const char *get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An optional field has the type we write, or is absent: a wrong type is an error naming
 * the field, never silently read as "" or 0 (which would make pages say something else). */
enum jtype { J_STR, J_INT, J_BOOL, J_OBJ, J_ARR };

static int check_type(json_t *o, const char *key, enum jtype t, const char *where, const char *path,
		      struct err *e)
{
	json_t *v = json_object_get(o, key);
	static const char *const words[] = { "a string", "a whole number", "true or false",
					     "an object", "a list" };
	if (!v)
		return 0;
	int ok = t == J_STR ? json_is_string(v) : t == J_INT ? json_is_integer(v) :
		 t == J_BOOL ? json_is_boolean(v) : t == J_OBJ ? json_is_object(v) : json_is_array(v);
	if (ok)
		return 0;
	return err_at(e, path, 0, 0, "%s%s%s must be %s", where, *where ? "." : "", key, words[t]);
}

static int read_item(json_t *it, size_t i, const char *path, struct results *rs, struct err *e)
{
	if (!json_is_object(it))
		return err_at(e, path, 0, 0, "results[%zu] must be an object", i);
	char where[40];
	snprintf(where, sizeof where, "results[%zu]", i);
	if (check_type(it, "name", J_STR, where, path, e) < 0 ||
	    check_type(it, "summary", J_STR, where, path, e) < 0 ||
	    check_type(it, "duration_ms", J_INT, where, path, e) < 0 ||
	    check_type(it, "evidence", J_OBJ, where, path, e) < 0)
		return -1;
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

/* A verdict as written by torready: a known level, a headline, reasons naming results; any
 * other shape is dropped (and computed again from the results, as for older files). */
static json_t *read_verdict(json_t *v)
{
	enum verdict_level l;
	json_t *head = json_object_get(v, "headline"), *reasons = json_object_get(v, "reasons");
	json_t *ca = json_object_get(v, "inspection_ca");
	if (!json_is_object(v) || verdict_level_parse(get_str(v, "level"), &l) < 0 || !json_is_string(head) ||
	    !json_is_array(reasons) || (ca && !json_is_string(ca)))
		return NULL;
	json_t *out = json_object(), *a = json_array(), *it;
	json_object_set_new(out, "level", json_string(verdict_level_name(l)));
	json_object_set_new(out, "headline", results_str_safe(json_string_value(head), json_string_length(head)));
	size_t i;
	json_array_foreach(reasons, i, it) {
		const char *p = get_str(it, "probe"), *t = get_str(it, "target"), *c = get_str(it, "code");
		if (!p || !t || !c) {
			json_decref(a);
			json_decref(out);
			return NULL;
		}
		json_array_append_new(a, json_pack("{s:o, s:o, s:o}", "probe", results_str_safe(p, strlen(p)),
						   "target", results_str_safe(t, strlen(t)), "code", results_str_safe(c, strlen(c))));
	}
	json_object_set_new(out, "reasons", a);
	if (ca)
		json_object_set_new(out, "inspection_ca", results_str_safe(json_string_value(ca), json_string_length(ca)));
	return out;
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
	static const struct { const char *key; enum jtype t; } top[] = {
		{ "started", J_STR }, { "finished", J_STR }, { "duration_ms", J_INT },
		{ "deadline_ms", J_INT }, { "interrupted", J_BOOL }, { "host", J_OBJ },
		{ "contacted", J_ARR },
	};
	for (size_t k = 0; k < sizeof top / sizeof *top; k++)
		if (check_type(doc, top[k].key, top[k].t, "", path, e) < 0)
			return -1;
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
	json_array_foreach(c, i, it) {
		if (!json_is_string(it))
			return err_at(e, path, 0, 0, "contacted[%zu] must be a string", i);
		results_contacted(rs, json_string_value(it));
	}
	json_array_foreach(items, i, it)
		if (read_item(it, i, path, rs, e) < 0)
			return -1;
	json_decref(rs->verdict);
	rs->verdict = read_verdict(json_object_get(doc, "verdict"));
	if (!rs->verdict)
		rs->verdict = results_verdict(rs);   /* an older file: the same rules, now */
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

json_t *results_to_json(const struct results *rs)
{
	json_t *doc = json_object();
	json_object_set_new(doc, "schema", json_string(RESULTS_SCHEMA));
	json_object_set_new(doc, "tool", json_pack("{s:s, s:s}", "name", "torready", "version", TORREADY_VERSION));
	json_object_set_new(doc, "started", json_string(rs->started ? rs->started : ""));
	json_object_set_new(doc, "finished", json_string(rs->finished ? rs->finished : ""));
	json_object_set_new(doc, "duration_ms", json_integer(rs->duration_ms));
	json_object_set_new(doc, "deadline_ms", json_integer(rs->deadline_ms));
	json_object_set(doc, "host", rs->host ? rs->host : json_object());
	if (rs->interrupted)
		json_object_set_new(doc, "interrupted", json_true());
	json_object_set_new(doc, "verdict", results_verdict(rs));
	json_t *c = json_array();
	for (size_t i = 0; i < rs->ncontacted; i++)
		json_array_append_new(c, results_str_safe(rs->contacted[i], strlen(rs->contacted[i])));
	json_object_set_new(doc, "contacted", c);
	json_t *arr = json_array();
	for (size_t i = 0; i < rs->n; i++) {
		const struct result *r = rs->items[i];
		json_t *o = json_object();
		json_object_set_new(o, "probe", json_string(r->probe));
		json_object_set_new(o, "target", results_str_safe(r->target, strlen(r->target)));
		json_object_set_new(o, "name", results_str_safe(r->name, strlen(r->name)));
		json_object_set_new(o, "status", json_string(status_name(r->status)));
		json_object_set_new(o, "code", json_string(r->code));
		json_object_set_new(o, "summary", results_str_safe(r->summary, strlen(r->summary)));
		json_object_set_new(o, "duration_ms", json_integer(r->duration_ms));
		json_object_set(o, "evidence", r->evidence);
		json_array_append_new(arr, o);
	}
	json_object_set_new(doc, "results", arr);
	return doc;
}

int results_write(const struct results *rs, const char *path, struct err *e)
{
	json_t *doc = results_to_json(rs);
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!text)
		return err_internal(e, "cannot encode the results document");
	int rc = 0;
	if (!strcmp(path, "-")) {
		if (fputs(text, stdout) == EOF || fputc('\n', stdout) == EOF || fflush(stdout) == EOF)
			rc = err_set(e, "cannot write results to standard output: %s", strerror(errno));
	} else {
		size_t len = strlen(text);
		text[len] = '\0';
		struct buf b;
		buf_init(&b);
		buf_append(&b, text, len);
		buf_putc(&b, '\n');
		/* Bridge lines and their cert= secrets are in here: 0600 unless the file exists. */
		rc = write_private(path, b.data, b.len, e);
		buf_free(&b);
	}
	free(text);
	return rc;
}
