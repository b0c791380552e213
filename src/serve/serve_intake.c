/* serve_intake.c: see serve_intake.h. The body is read by jansson (which refuses invalid
 * UTF-8 and duplicate keys; bad JSON is a 400 naming line:col), checked against the results
 * schema, given its verdict level, fingerprinted before redaction (so the same document twice
 * is one row whatever redaction does), then redacted by results_redact().
 * Schema conformance: no JSON Schema validator runs here. results_from_json() checks what
 * schema/results.schema.json says, field by field, and names the field it refuses;
 * tests/schema/agree asks the schema (python3-jsonschema) and that reader about thousands of
 * mutants of the fixtures and fails when one accepts a document the other refuses. A change
 * to either side must keep that test passing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "buf.h"
#include "results.h"
#include "results_json.h"
#include "results_redact.h"
#include "serve_intake.h"
#include "verdict.h"

static void sha256_hex(const char *s, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	if (!EVP_Digest(s, len, md, &n, EVP_sha256(), NULL))
		memset(md, 0, sizeof md);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* A machine id is ours only when it is short and plain; anything else counts the document
 * as its own machine (by digest) rather than trusting odd bytes as a key. */
static const char *machine_of(json_t *doc)
{
	const char *m = json_string_value(json_object_get(json_object_get(doc, "host"), "machine_id"));
	if (!m || !*m || strlen(m) > 128)
		return NULL;
	for (const char *p = m; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      *p == '-' || *p == '_'))
			return NULL;
	return m;
}

int intake_prepare(const char *body, size_t len, int redact, struct intake *in, char *msg,
		   size_t msglen)
{
	memset(in, 0, sizeof *in);
	json_error_t je;
	json_t *doc = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		snprintf(msg, msglen, "bad JSON at %d:%d: %s", je.line, je.column, je.text);
		return -1;
	}
	struct results rs;
	results_init(&rs);
	struct err e;
	err_clear(&e);
	if (results_from_json(doc, "body", &rs, &e) < 0) {
		results_free(&rs);
		snprintf(msg, msglen, "not a results document: %s", e.msg);
		json_decref(doc);
		return -1;
	}
	/* The document's own verdict when it carries a valid one, else verdict.c's rules now: an
	 * older torready's results are counted at the level this one would give them. */
	in->level = verdict_level_name(results_verdict_level(&rs));
	results_free(&rs);
	/* The digest is over the document as submitted, keys sorted: the same document sent
	 * twice (a retry, a timer firing twice) is one row. */
	char *canon = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	sha256_hex(canon ? canon : "", canon ? strlen(canon) : 0, in->digest);
	free(canon);
	const char *machine = machine_of(doc);
	in->machine = xstrdup(machine ? machine : in->digest);
	const char *finished = json_string_value(json_object_get(doc, "finished"));
	in->finished = xstrdup(finished ? finished : "");
	if (redact)
		results_redact(doc);
	in->doc = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(doc);
	if (!in->doc) {
		intake_free(in);
		snprintf(msg, msglen, "the document cannot be stored");
		return -1;
	}
	return 0;
}

void intake_free(struct intake *in)
{
	free(in->machine);
	free(in->finished);
	free(in->doc);
	in->machine = in->finished = in->doc = NULL;
}
