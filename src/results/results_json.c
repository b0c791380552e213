/* results_json.c: the results document, written (with its verdict) and read back (for
 * `render`, and for `serve` intake and its site), validating as it goes so that a hand-edited
 * or foreign file gets a message naming the file and the field. Reading checks everything
 * schema/results.schema.json says, no more and no less: serve's intake is this reader, and
 * tests/schema/agree asks the schema and this reader about thousands of mutants of the
 * fixtures and fails on any document one accepts and the other refuses. Apart from results.c
 * so that the results model does not depend on the verdict, which is computed from it. */
#include "results_json.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "machine_id.h"
#include "results.h"
#include "verdict.h"

#define RESULTS_MAX_BYTES (64u << 20)

static const char *get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The schema's "type": "integer" is any number with no fraction, so 4012.0 is one too (the
 * schema bounds integers to what jansson can hold, which refuses more as invalid JSON). */
static int whole_number(json_t *v, long *out)
{
	if (json_is_integer(v)) {
		*out = (long)json_integer_value(v);
		return 1;
	}
	if (!json_is_real(v))
		return 0;
	double d = json_real_value(v);
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || d != (double)(long long)d)
		return 0;   /* the range first: converting a double out of range is undefined */
	*out = (long)d;
	return 1;
}

/* An optional field has the type we write, or is absent: a wrong type is an error naming
 * the field, never silently read as "" or 0 (which would make pages say something else). */
enum jtype { J_STR, J_INT, J_BOOL, J_OBJ, J_ARR };

static int check_type(json_t *o, const char *key, enum jtype t, const char *where, const char *path,
		      struct err *e)
{
	json_t *v = json_object_get(o, key);
	static const char *const words[] = { "a string", "a whole number, 0 or more", "true or false",
					     "an object", "a list" };
	long n;
	if (!v)
		return 0;
	int ok = t == J_STR ? json_is_string(v) : t == J_INT ? whole_number(v, &n) && n >= 0 :
		 t == J_BOOL ? json_is_boolean(v) : t == J_OBJ ? json_is_object(v) : json_is_array(v);
	if (ok)
		return 0;
	return err_at(e, path, 0, 0, "%s%s%s must be %s", where, *where ? "." : "", key, words[t]);
}

/* A field the schema requires: present, and of its type. */
static int need(json_t *o, const char *key, enum jtype t, const char *where, const char *path,
		struct err *e)
{
	if (!json_object_get(o, key))
		return err_at(e, path, 0, 0, "%s%s%s is missing", where, *where ? "." : "", key);
	return check_type(o, key, t, where, path, e);
}

/* maxLength and minLength count characters (code points), not bytes; jansson's strings are
 * valid UTF-8, so a character is a byte that does not continue one. */
static size_t chars(json_t *s)
{
	const char *p = json_string_value(s);
	size_t n = 0, len = json_string_length(s);
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)p[i] & 0xC0) != 0x80;
	return n;
}

static int length_ok(json_t *o, const char *key, size_t min, size_t max)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		return 1;
	size_t n = chars(v);
	return n >= min && n <= max;
}

static int lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "^[a-z]+\.[a-z_]+$", at most 64 characters. Jansson strings may hold NUL: the length
 * decides, so "tor.bridge\0x" is not a probe name. */
static int probe_name_ok(json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v), i = 0;
	if (len > 64)
		return 0;
	while (i < len && lower(s[i]))
		i++;
	if (i == 0 || i == len || s[i] != '.')
		return 0;
	size_t start = ++i;
	while (i < len && (lower(s[i]) || s[i] == '_'))
		i++;
	return i > start && i == len;
}

/* "^[a-z0-9]+(_[a-z0-9]+)*$", at most 64 characters. */
static int code_ok(json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (len == 0 || len > 64 || s[0] == '_' || s[len - 1] == '_')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!(lower(s[i]) || digit(s[i]) || (s[i] == '_' && s[i + 1] != '_')))
			return 0;
	return 1;
}

static int digits(const char *s, size_t len, size_t *i, size_t n)
{
	for (size_t k = 0; k < n; k++, (*i)++)
		if (*i >= len || !digit(s[*i]))
			return 0;
	return 1;
}

static int lit(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return 0;
	(*i)++;
	return 1;
}

/* The schema's $defs/time: empty, or YYYY-MM-DDTHH:MM:SS[.F](Z|+HH:MM|-HH:MM) by shape. */
static int time_ok(json_t *v)
{
	const char *s = json_string_value(v);
	size_t len = json_string_length(v), i = 0;
	if (len == 0)
		return 1;
	if (!(digits(s, len, &i, 4) && lit(s, len, &i, '-') && digits(s, len, &i, 2) &&
	      lit(s, len, &i, '-') && digits(s, len, &i, 2) && lit(s, len, &i, 'T') &&
	      digits(s, len, &i, 2) && lit(s, len, &i, ':') && digits(s, len, &i, 2) &&
	      lit(s, len, &i, ':') && digits(s, len, &i, 2)))
		return 0;
	if (i < len && s[i] == '.') {
		i++;
		if (!digits(s, len, &i, 1))
			return 0;
		while (i < len && digit(s[i]))
			i++;
	}
	if (i < len && s[i] == 'Z')
		return i + 1 == len;
	if (!(i < len && (s[i] == '+' || s[i] == '-')))
		return 0;
	i++;
	return digits(s, len, &i, 2) && lit(s, len, &i, ':') && digits(s, len, &i, 2) && i == len;
}

static int by_string(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	size_t lx = json_string_length(x), ly = json_string_length(y);
	int c = memcmp(json_string_value(x), json_string_value(y), lx < ly ? lx : ly);
	return c ? c : (lx > ly) - (lx < ly);
}

/* "uniqueItems": sorted copies side by side, so a hostile list of 80,000 stays cheap. */
static int strings_unique(json_t *a)
{
	size_t n = json_array_size(a);
	if (n < 2)
		return 1;
	json_t **v = xcalloc(n, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(a, i);
	qsort(v, n, sizeof *v, by_string);
	int ok = 1;
	for (size_t i = 1; i < n && ok; i++)
		ok = by_string(&v[i - 1], &v[i]) != 0;
	free(v);
	return ok;
}

static int read_item(json_t *it, size_t i, const char *path, struct results *rs, struct err *e)
{
	if (!json_is_object(it))
		return err_at(e, path, 0, 0, "results[%zu] must be an object", i);
	char where[40];
	snprintf(where, sizeof where, "results[%zu]", i);
	static const struct { const char *key; enum jtype t; } fields[] = {
		{ "probe", J_STR }, { "target", J_STR }, { "name", J_STR }, { "status", J_STR },
		{ "code", J_STR }, { "summary", J_STR }, { "duration_ms", J_INT }, { "evidence", J_OBJ },
	};
	for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
		if (need(it, fields[k].key, fields[k].t, where, path, e) < 0)
			return -1;
	if (!probe_name_ok(json_object_get(it, "probe")))
		return err_at(e, path, 0, 0, "results[%zu].probe must be a probe name (like tor.bridge, at most 64 characters)", i);
	if (!code_ok(json_object_get(it, "code")))
		return err_at(e, path, 0, 0, "results[%zu].code must be a snake_case code (at most 64 characters)", i);
	enum status st;
	json_t *sj = json_object_get(it, "status");
	if (json_string_length(sj) != strlen(json_string_value(sj)) || status_parse(json_string_value(sj), &st) < 0)
		return err_at(e, path, 0, 0, "results[%zu].status \"%.20s\" is not one of pass, warn, fail, error, skip",
			      i, get_str(it, "status"));
	if (!strcmp(get_str(it, "code"), "ok") && st != ST_PASS)
		return err_at(e, path, 0, 0, "results[%zu].code ok goes only with status pass", i);
	struct result *r = results_add(rs, get_str(it, "probe"), get_str(it, "target"), get_str(it, "name"));
	result_set(r, st, get_str(it, "code"), "%s", get_str(it, "summary"));
	whole_number(json_object_get(it, "duration_ms"), &r->duration_ms);
	json_decref(r->evidence);
	r->evidence = json_incref(json_object_get(it, "evidence"));
	return 0;
}

/* The verdict, when there is one, as the schema has it: a known level, a headline, and
 * optionally reasons naming results and the inspection CA. A verdict with no reasons is
 * computed again from the results (the pages list the reasons), as for older files with none. */
static int read_verdict(json_t *v, const char *path, json_t **out, struct err *e)
{
	*out = NULL;
	if (!v)
		return 0;
	enum verdict_level l;
	if (!json_is_object(v))
		return err_at(e, path, 0, 0, "verdict must be an object");
	json_t *lv = json_object_get(v, "level");
	if (!json_is_string(lv) || json_string_length(lv) != strlen(json_string_value(lv)) ||
	    verdict_level_parse(json_string_value(lv), &l) < 0)
		return err_at(e, path, 0, 0, "verdict.level must be one of intercepted, offline, tor_blocked, problems, ready");
	if (need(v, "headline", J_STR, "verdict", path, e) < 0 || check_type(v, "reasons", J_ARR, "verdict", path, e) < 0 ||
	    check_type(v, "inspection_ca", J_STR, "verdict", path, e) < 0)
		return -1;
	if (!length_ok(v, "headline", 1, SIZE_MAX))
		return err_at(e, path, 0, 0, "verdict.headline must not be empty");
	json_t *reasons = json_object_get(v, "reasons"), *it;
	size_t i;
	json_array_foreach(reasons, i, it) {
		char where[48];
		snprintf(where, sizeof where, "verdict.reasons[%zu]", i);
		if (!json_is_object(it))
			return err_at(e, path, 0, 0, "%s must be an object", where);
		if (need(it, "probe", J_STR, where, path, e) < 0 || need(it, "code", J_STR, where, path, e) < 0 ||
		    check_type(it, "target", J_STR, where, path, e) < 0)
			return -1;
		if (!probe_name_ok(json_object_get(it, "probe")))
			return err_at(e, path, 0, 0, "%s.probe must be a probe name (like tor.bridge, at most 64 characters)", where);
		if (!code_ok(json_object_get(it, "code")))
			return err_at(e, path, 0, 0, "%s.code must be a snake_case code (at most 64 characters)", where);
	}
	if (!reasons)
		return 0;
	json_t *head = json_object_get(v, "headline"), *ca = json_object_get(v, "inspection_ca");
	json_t *o = json_object(), *a = json_array();
	json_object_set_new(o, "level", json_string(verdict_level_name(l)));
	json_object_set_new(o, "headline", results_str_safe(json_string_value(head), json_string_length(head)));
	json_array_foreach(reasons, i, it) {
		const char *p = get_str(it, "probe"), *t = get_str(it, "target"), *c = get_str(it, "code");
		json_array_append_new(a, json_pack("{s:o, s:o, s:o}", "probe", results_str_safe(p, strlen(p)),
						   "target", results_str_safe(t ? t : "", t ? strlen(t) : 0),
						   "code", results_str_safe(c, strlen(c))));
	}
	json_object_set_new(o, "reasons", a);
	if (ca)
		json_object_set_new(o, "inspection_ca", results_str_safe(json_string_value(ca), json_string_length(ca)));
	*out = o;
	return 0;
}

/* host: an object whose os, tor and pt are strings of at most 1,024 characters and whose
 * machine_id, when present, is 32 lower-case hex digits; other keys are later additions. */
static int check_host(json_t *h, const char *path, struct err *e)
{
	static const char *const text[] = { "os", "tor", "pt" };
	for (size_t k = 0; k < sizeof text / sizeof *text; k++) {
		if (check_type(h, text[k], J_STR, "host", path, e) < 0)
			return -1;
		if (!length_ok(h, text[k], 0, 1024))
			return err_at(e, path, 0, 0, "host.%s must be at most 1024 characters", text[k]);
	}
	json_t *id = json_object_get(h, "machine_id");
	if (id && !(json_is_string(id) && json_string_length(id) == strlen(json_string_value(id)) &&
		    machine_id_valid(json_string_value(id))))
		return err_at(e, path, 0, 0, "host.machine_id must be 32 lower-case hexadecimal digits");
	return 0;
}

int results_from_json(json_t *doc, const char *path, struct results *rs, struct err *e)
{
	if (!json_is_object(doc))
		return err_at(e, path, 0, 0, "a results document must be a JSON object");
	json_t *sv = json_object_get(doc, "schema");
	if (!json_is_string(sv) || json_string_length(sv) != strlen(RESULTS_SCHEMA) ||
	    strcmp(json_string_value(sv), RESULTS_SCHEMA))
		return err_at(e, path, 0, 0, "not a torready results document (schema must be \"%s\")",
			      RESULTS_SCHEMA);
	json_t *items = json_object_get(doc, "results");
	if (!json_is_array(items))
		return err_at(e, path, 0, 0, "\"results\" must be a list");
	static const struct { const char *key; enum jtype t; } top[] = {
		{ "tool", J_OBJ }, { "started", J_STR }, { "finished", J_STR }, { "duration_ms", J_INT },
		{ "deadline_ms", J_INT }, { "host", J_OBJ }, { "contacted", J_ARR },
	};
	for (size_t k = 0; k < sizeof top / sizeof *top; k++)
		if (need(doc, top[k].key, top[k].t, "", path, e) < 0)
			return -1;
	if (check_type(doc, "interrupted", J_BOOL, "", path, e) < 0)
		return -1;
	json_t *tool = json_object_get(doc, "tool"), *tn = json_object_get(tool, "name");
	if (!json_is_string(tn) || json_string_length(tn) != 8 || strcmp(json_string_value(tn), "torready"))
		return err_at(e, path, 0, 0, "tool.name must be \"torready\"");
	if (need(tool, "version", J_STR, "tool", path, e) < 0)
		return -1;
	if (!length_ok(tool, "version", 1, 64))
		return err_at(e, path, 0, 0, "tool.version must be 1 to 64 characters");
	if (!time_ok(json_object_get(doc, "started")) || !time_ok(json_object_get(doc, "finished")))
		return err_at(e, path, 0, 0, "%s must be an RFC 3339 time (like 2026-11-27T10:00:00Z) or empty",
			      time_ok(json_object_get(doc, "started")) ? "finished" : "started");
	if (check_host(json_object_get(doc, "host"), path, e) < 0)
		return -1;
	json_t *c = json_object_get(doc, "contacted");
	size_t i;
	json_t *it;
	json_array_foreach(c, i, it) {
		if (!json_is_string(it))
			return err_at(e, path, 0, 0, "contacted[%zu] must be a string", i);
		size_t n = chars(it);
		if (n < 1 || n > 1024)
			return err_at(e, path, 0, 0, "contacted[%zu] must be 1 to 1024 characters", i);
	}
	if (!strings_unique(c))
		return err_at(e, path, 0, 0, "contacted must not name an endpoint twice");
	json_t *verdict;
	if (read_verdict(json_object_get(doc, "verdict"), path, &verdict, e) < 0)
		return -1;
	free(rs->started);
	free(rs->finished);
	rs->started = xstrdup(get_str(doc, "started"));
	rs->finished = xstrdup(get_str(doc, "finished"));
	whole_number(json_object_get(doc, "duration_ms"), &rs->duration_ms);
	whole_number(json_object_get(doc, "deadline_ms"), &rs->deadline_ms);
	rs->interrupted = json_is_true(json_object_get(doc, "interrupted"));
	json_decref(rs->host);
	rs->host = json_incref(json_object_get(doc, "host"));
	json_array_foreach(c, i, it)
		results_contacted(rs, json_string_value(it));
	json_array_foreach(items, i, it)
		if (read_item(it, i, path, rs, e) < 0) {
			json_decref(verdict);
			return -1;
		}
	json_decref(rs->verdict);
	rs->verdict = verdict ? verdict : results_verdict(rs);   /* none written: the same rules, now */
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
