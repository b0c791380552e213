/* dated_text.c: placeholders for dated facts in guidance text (dated_text.h). Expansion is
 * plain text: values are numbers and dates we format ourselves, so nothing from the data file
 * can inject Markdown. */
#include "dated_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "{dated:"

int dated_text_next(const char *s, size_t *pos, size_t *start, size_t *len, const char **id,
		    size_t *idlen, int *form)
{
	const char *p = strstr(s + *pos, PREFIX);
	while (p) {
		const char *q = p + strlen(PREFIX);
		size_t k = strspn(q, "abcdefghijklmnopqrstuvwxyz0123456789-");
		const char *close = strchr(q, '}');
		if (k && close && close - q <= 96) {
			*start = (size_t)(p - s);
			*len = (size_t)(close + 1 - p);
			*id = q;
			*idlen = k;
			if (q + k == close)
				*form = DATED_NOW;
			else if (!strncmp(q + k, ":since}", 7))
				*form = DATED_SINCE;
			else if (!strncmp(q + k, ":next}", 6))
				*form = DATED_NEXT;
			else
				*form = -1;
			*pos = *start + *len;
			return 1;
		}
		p = strstr(p + 1, PREFIX);
	}
	return 0;
}

static void plain_date(time_t t, struct buf *out)
{
	static const char *const months[] = { "January", "February", "March", "April", "May", "June", "July",
					      "August", "September", "October", "November", "December" };
	struct tm tm;
	gmtime_r(&t, &tm);
	buf_printf(out, "%d %s %d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
}

static void value(const struct dated_fact *f, long v, struct buf *out)
{
	buf_printf(out, "%ld", v);
	if (f->unit)
		buf_printf(out, " %s", f->unit);
}

/* Index of the value in force at now, or -1 before the first. */
static long current(const struct dated_fact *f, time_t now)
{
	long k = -1;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].from <= now)
			k = (long)i;
	return k;
}

static void expand_one(const struct dated_fact *f, int form, time_t now, struct buf *out)
{
	long k = current(f, now);
	if (form == DATED_NOW) {
		if (k < 0)
			buf_puts(out, "(not yet set)");
		else
			value(f, f->v[k].value, out);
	} else if (form == DATED_SINCE) {
		if (k >= 0)
			plain_date(f->v[k].from, out);
	} else {
		size_t first = (size_t)(k + 1);
		for (size_t i = first; i < f->n; i++) {
			long prev = i ? f->v[i - 1].value : 0;
			buf_puts(out, i == first ? "It " : ", then ");
			if (i == first)
				buf_puts(out, i && f->v[i].value < prev ? "drops to " : "becomes ");
			value(f, f->v[i].value, out);
			buf_puts(out, " on ");
			plain_date(f->v[i].from, out);
		}
		if (first < f->n)
			buf_putc(out, '.');
	}
}

void dated_text_expand(const struct dated *d, time_t now, const char *in, struct buf *out)
{
	size_t pos = 0, from = 0, start, len, idlen;
	const char *id;
	int form;
	while (dated_text_next(in, &pos, &start, &len, &id, &idlen, &form)) {
		buf_append(out, in + from, start - from);
		from = pos;
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)(idlen < 100 ? idlen : 100), id);
		const struct dated_fact *f = d ? dated_find(d, name) : NULL;
		if (f && form >= 0)
			expand_one(f, form, now, out);
		else
			buf_puts(out, "(see the source)");
	}
	buf_puts(out, in + from);
}

time_t dated_today(void)
{
	const char *s = getenv("TORREADY_TODAY");
	struct tm tm = { 0 };
	int y, m, dd;
	if (s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &y, &m, &dd) == 3) {
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = dd;
		tm.tm_hour = 12;
		time_t t = timegm(&tm);
		if (t != (time_t)-1)
			return t;
	}
	return time(NULL);
}
