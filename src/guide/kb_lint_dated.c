/* kb_lint_dated.c: the linter's view of time. An article whose `reviewed:` date is more than
 * a year old gets a warning, and so does one that quotes a dated fact (kb/dated.yaml) whose
 * value changed after the article was reviewed: the sentence around the number may no longer
 * read right. A placeholder naming an unknown fact, or an unknown form, is a problem. */
#include "kb_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "dated_text.h"

#define YEAR_SECONDS (366L * 24 * 60 * 60)

static int parse_day(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	int y, m, d;
	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	*out = timegm(&tm);
	return *out == (time_t)-1 ? -1 : 0;
}

/* line:col of the first occurrence of needle in the file's text, else 1:1. */
static void where(const char *text, const char *needle, size_t nlen, int *line, int *col)
{
	*line = 1;
	*col = 1;
	const char *hit = NULL;
	for (const char *p = text; text && (p = strstr(p, needle)); p++)
		if (!strncmp(p, needle, nlen)) {
			hit = p;
			break;
		}
	if (!hit)
		return;
	for (const char *p = text; p < hit; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static int check_text(const char *text, const char *file, const char *t, const struct dated *d,
		      time_t reviewed, time_t today, FILE *out, int *warned)
{
	size_t pos = 0, start, len, idlen;
	const char *id;
	int form, problems = 0, line, col;
	while (t && dated_text_next(t, &pos, &start, &len, &id, &idlen, &form)) {
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)(idlen < 100 ? idlen : 100), id);
		where(text, t + start, len, &line, &col);
		const struct dated_fact *f = d ? dated_find(d, name) : NULL;
		if (!f) {
			fprintf(out, "%s:%d:%d: {dated:%s}: no such fact in dated.yaml\n", file, line, col, name);
			problems++;
			continue;
		}
		if (form < 0) {
			fprintf(out, "%s:%d:%d: %.*s: use {dated:ID}, {dated:ID:since} or {dated:ID:next}\n",
				file, line, col, (int)(len < 100 ? len : 100), t + start);
			problems++;
			continue;
		}
		for (size_t i = 0; i < f->n && !*warned; i++)
			if (f->v[i].from > reviewed && f->v[i].from <= today) {
				fprintf(out, "%s:%d:%d: warning: %s changed on %s, after this article was reviewed: "
					"read the text again and update `reviewed`\n", file, line, col, name,
					f->v[i].from_text);
				*warned = 1;
			}
	}
	return problems;
}

int kb_lint_dated(const struct kb_article *a, const struct dated *d, time_t today, FILE *out)
{
	struct buf text;
	buf_init(&text);
	read_file(a->file, 1u << 20, &text);
	time_t reviewed;
	int problems = 0, warned = 0, line, col;
	if (parse_day(a->reviewed, &reviewed) == 0) {
		if (today - reviewed > YEAR_SECONDS) {
			where(buf_cstr(&text), "reviewed:", 9, &line, &col);
			fprintf(out, "%s:%d:%d: warning: reviewed %s, more than a year ago: check the facts "
				"and sources again\n", a->file, line, col, a->reviewed);
		}
		const char *t = buf_cstr(&text);
		problems += check_text(t, a->file, a->body, d, reviewed, today, out, &warned);
		problems += check_text(t, a->file, a->summary, d, reviewed, today, out, &warned);
		for (size_t i = 0; i < a->nsections; i++)
			problems += check_text(t, a->file, a->sections[i].body, d, reviewed, today, out, &warned);
		for (size_t i = 0; i < a->nadvice; i++)
			problems += check_text(t, a->file, a->advice[i].text, d, reviewed, today, out, &warned);
		for (size_t i = 0; i < a->nhandout; i++)
			problems += check_text(t, a->file, a->handout[i], d, reviewed, today, out, &warned);
	}
	buf_free(&text);
	return problems;
}
