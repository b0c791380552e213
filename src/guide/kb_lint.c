/* kb_lint.c: the content rules for guidance entries — ids, dates, URLs, summary length,
 * citations and Markdown our pages would not show as meant. */
#include "kb.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define KB_ID_MAX 64
#define URL_MAX 2048

static char pinned_today[11];

void kb_footnotes(const struct kb_article *a, struct buf *out)
{
	for (size_t i = 0; i < a->nsources; i++)
		buf_printf(out, "[^%s]: [%s](%s)\n", a->sources[i].id,
			   a->sources[i].title ? a->sources[i].title : a->sources[i].id,
			   a->sources[i].url ? a->sources[i].url : "");
}

int kb_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (!n || n > KB_ID_MAX || id[0] == '-' || id[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)id[i];
		if (c == '-' && id[i + 1] == '-')
			return 0;
		if (!(c == '-' || isdigit(c) || (c >= 'a' && c <= 'z')))
			return 0;
	}
	return 1;
}

void kb_set_today(const char *date)
{
	snprintf(pinned_today, sizeof pinned_today, "%s", date ? date : "");
}

void kb_latest_date(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (pinned_today[0] && sscanf(pinned_today, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon,
				      &tm.tm_mday) == 3) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		t = timegm(&tm);
	}
	t += 24 * 60 * 60;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

const char *kb_date_problem(const char *date, const char *latest)
{
	if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-')
		return "must be a date written YYYY-MM-DD";
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)date[i]))
			return "must be a date written YYYY-MM-DD";
	int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
	if (y < 2000)
		return "is before 2000, which cannot be a review date";
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return "is not a real date";
	if (latest && strcmp(date, latest) > 0)
		return "is in the future";
	return NULL;
}

const char *kb_url_problem(const char *url)
{
	const char *host;
	if (!strncmp(url, "https://", 8))
		host = url + 8;
	else if (!strncmp(url, "http://", 7))
		host = url + 7;
	else
		return "must start with https:// or http://";
	if (!*host || strchr("/?#:", *host))
		return "has no host name";
	if (strlen(url) > URL_MAX)
		return "is too long";
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>')
			return "contains a space, a quote, an angle bracket or a control character";
	return NULL;
}

static int sentence_start(unsigned char c)
{
	/* Bytes >= 0x80 begin a non-ASCII letter; counting it keeps the limit strict. */
	return isupper(c) || isdigit(c) || c >= 0x80 || c == '"' || c == '(';
}

size_t kb_sentences(const char *text)
{
	size_t n = 0;
	int open = 0;   /* words seen since the last sentence end */
	for (const char *p = text; *p; p++) {
		if (!strchr(".!?", *p)) {
			open |= !isspace((unsigned char)*p);
			continue;
		}
		const char *q = p;
		while (*q && strchr(".!?\"')", *q))
			q++;
		const char *r = q;
		while (isspace((unsigned char)*r))
			r++;
		if (open && (!*r || (r > q && sentence_start((unsigned char)*r)))) {
			n++;
			open = 0;
		}
		p = q - 1;
	}
	return n + (size_t)open;
}

/* The length of a backtick or fence run starting at s. */
static size_t run_of(const char *s, char c)
{
	size_t k = 0;
	while (s[k] == c)
		k++;
	return k;
}

/* End of a fenced code block opened at md+i (after up to 3 spaces), or 0 if none opens. */
static size_t fence_end(const char *md, size_t i)
{
	size_t j = i;
	while (md[j] == ' ' && j - i < 3)
		j++;
	char f = md[j];
	size_t len = (f == '`' || f == '~') ? run_of(md + j, f) : 0;
	if (len < 3)
		return 0;
	const char *p = strchr(md + j, '\n');
	while (p) {
		const char *l = p + 1;
		while (*l == ' ' && l - p <= 3)
			l++;
		const char *nl = strchr(l, '\n');
		if (run_of(l, f) >= len)
			return nl ? (size_t)(nl - md) : strlen(md);
		p = nl;
	}
	return strlen(md);
}

/* mask[i] = 1 where md[i] is inside a code span or fenced code block. */
static unsigned char *code_mask(const char *md)
{
	size_t n = strlen(md), i = 0;
	unsigned char *m = xcalloc(n + 1, 1);
	int bol = 1;
	while (i < n) {
		size_t end;
		if (bol && (end = fence_end(md, i))) {
			memset(m + i, 1, end - i);
			i = end;
			continue;
		}
		if (md[i] == '`') {
			size_t r = run_of(md + i, '`'), j = i + r;
			const char *stop = strstr(md + j, "\n\n");
			size_t lim = stop ? (size_t)(stop - md) : n;
			while (j < lim && !(md[j] == '`' && run_of(md + j, '`') == r))
				j += md[j] == '`' ? run_of(md + j, '`') : 1;
			if (j < lim) {
				memset(m + i, 1, j + r - i);
				i = j + r;
			} else {
				i += r;
			}
			bol = 0;
			continue;
		}
		bol = md[i] == '\n';
		i++;
	}
	return m;
}

/* At md+i, "[^label]": the label's length, or 0. */
static size_t cite_label(const char *md, size_t i)
{
	if (md[i] != '[' || md[i + 1] != '^')
		return 0;
	size_t k = i + 2;
	while (md[k] && md[k] != ']' && md[k] != '[' && !isspace((unsigned char)md[k]))
		k++;
	return md[k] == ']' && k > i + 2 ? k - i - 2 : 0;
}

static int at_line_start(const char *md, size_t i)
{
	size_t sp = 0;
	while (i > 0 && md[i - 1] == ' ' && sp < 3) {
		i--;
		sp++;
	}
	return i == 0 || md[i - 1] == '\n';
}

/* Callers walk a text's citations one call at a time: the code mask of the text asked last
 * is kept (with a copy of the text, so a reused address cannot fool it), which makes the
 * walk linear instead of a mask per citation. */
static const unsigned char *mask_of(const char *md, size_t n)
{
	static char *text;
	static unsigned char *mask;
	static size_t len;
	if (text && len == n && !memcmp(text, md, n))
		return mask;
	free(text);
	free(mask);
	text = xstrdup(md);
	len = n;
	mask = code_mask(md);
	return mask;
}

int kb_next_cite(const char *md, size_t *pos, size_t *start, size_t *len)
{
	size_t n = strlen(md);
	/* Most texts, and every walk's last call, have no "[^" left: no mask needed. */
	const char *c = *pos < n ? strstr(md + *pos, "[^") : NULL;
	if (!c)
		return 0;
	const unsigned char *mask = mask_of(md, n);
	int found = 0;
	for (size_t i = (size_t)(c - md); i < n && !found; i++) {
		size_t l = mask[i] ? 0 : cite_label(md, i);
		if (!l || (md[i + l + 3] == ':' && at_line_start(md, i)))
			continue;
		*start = i + 2;
		*len = l;
		*pos = i + l + 3;
		found = 1;
	}
	return found;
}

static int scheme_ok(const char *s, size_t len)
{
	return (len == 4 && !strncasecmp(s, "http", 4)) || (len == 5 && !strncasecmp(s, "https", 5)) ||
	       (len == 6 && !strncasecmp(s, "mailto", 6));
}

/* At s: a URL scheme ("https") followed by ':'; its length, or 0. */
static size_t scheme_len(const char *s)
{
	size_t k = 0;
	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[k]) || s[k] == '+' || s[k] == '.' || s[k] == '-')
		k++;
	return s[k] == ':' && k >= 2 && k <= 32 ? k : 0;
}

/* At md+i, '<': NULL for an autolink with a safe scheme or an e-mail address, else why. */
static const char *angle_problem(const char *md, size_t i)
{
	const char *s = md + i + 1;
	size_t sl = scheme_len(s);
	size_t k = 0;
	while (s[k] && s[k] != '>' && !isspace((unsigned char)s[k]) && s[k] != '<')
		k++;
	int closed = s[k] == '>';
	if (sl && closed)
		return scheme_ok(s, sl) ? NULL : "links must be https://, http:// or mailto: (others are removed)";
	if (closed && memchr(s, '@', k))
		return NULL;
	if (isalpha((unsigned char)*s) || *s == '/' || *s == '!' || *s == '?')
		return "raw HTML is dropped from our pages; write it in Markdown";
	return NULL;
}

/* A "===" line under text makes that text a level-1 heading. */
static int setext_h1(const char *md, size_t i, size_t j)
{
	size_t k = j + run_of(md + j, '=');
	while (md[k] == ' ' || md[k] == '\t')
		k++;
	if (k == j || (md[k] && md[k] != '\n') || i < 2)
		return 0;
	size_t p = i - 1;   /* the previous line's newline */
	while (p > 0 && md[p - 1] != '\n') {
		if (!strchr(" \t\r", md[p - 1]))
			return 1;
		p--;
	}
	return 0;
}

static const char *line_problem(const char *md, size_t i)
{
	size_t j = i;
	while (md[j] == ' ' && j - i < 3)
		j++;
	if ((md[j] == '#' && (md[j + 1] == ' ' || md[j + 1] == '\t' || md[j + 1] == '\n' || !md[j + 1])) ||
	    (md[j] == '=' && setext_h1(md, i, j)))
		return "a level-1 heading competes with the page title; use ## or lower";
	size_t l = cite_label(md, j);
	if (l && md[j + l + 3] == ':')
		return "footnote definitions are made from sources:; cite with [^id] only";
	return NULL;
}

/* At md+i, "](": the link target's offset when its scheme is one we drop, else 0. */
static size_t bad_link(const char *md, size_t i)
{
	const char *u = md + i + 2;
	while (*u == ' ' || *u == '<')
		u++;
	size_t sl = scheme_len(u);
	return sl && !scheme_ok(u, sl) ? (size_t)(u - md) : 0;
}

const char *kb_markdown_problem(const char *md, size_t *at)
{
	unsigned char *mask = code_mask(md);
	const char *why = NULL;
	size_t n = strlen(md), where = 0;
	for (size_t i = *at; i < n && !why; i++) {
		if (mask[i])
			continue;
		where = i;
		if (i == 0 || md[i - 1] == '\n')
			why = line_problem(md, i);
		if (!why && md[i] == '<')
			why = angle_problem(md, i);
		if (!why && md[i] == ']' && md[i + 1] == '(' && (where = bad_link(md, i)))
			why = "links must be https://, http:// or mailto: (others are removed)";
	}
	free(mask);
	if (why)
		*at = where;
	return why;
}
