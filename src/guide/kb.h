/* kb.h: guidance entries (kb/, one YAML file each): loading them into articles, and
 * `kb lint` (the schema for authors is kb/README.md). */
#ifndef TORREADY_KB_H
#define TORREADY_KB_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "cond.h"
#include "err.h"

struct kb_source { char *id, *title, *url; };
/* What a section's news is, for status badges: the author says so (kb/README.md). */
enum kb_tone { KB_TONE_INFO, KB_TONE_GOOD, KB_TONE_CAUTION, KB_TONE_BAD };
struct kb_section {
	char *id, *title, *body;
	struct cond *when;   /* NULL = always */
	enum kb_tone tone;   /* default info */
};
struct kb_advice { char *id, *text; struct cond *when; /* NULL = always */ };

struct kb_article {
	char *id, *title, *summary, *reviewed, *body, *file;
	char **audience;
	size_t naudience;
	struct kb_source *sources;
	size_t nsources;
	struct kb_section *sections;
	size_t nsections;
	struct kb_advice *advice;
	size_t nadvice;
	char **handout;
	size_t nhandout;
};

struct kb {
	struct kb_article *articles;
	size_t n;
};

/* Loads every *.yaml in dir except targets*.yaml (data files the targets loader owns) and
 * hidden files, sorted by file name. The first problem gives -1 with file:line:col; a
 * directory without entries is a problem too. */
int kb_load(const char *dir, struct kb *kb, struct err *e);
/* One entry; its id must equal the file name without ".yaml". On failure a is left empty. */
int kb_load_file(const char *path, struct kb_article *a, struct err *e);
const struct kb_article *kb_find(const struct kb *kb, const char *id);
/* "info", "good", "caution", "bad". */
const char *kb_tone_name(enum kb_tone t);
void kb_free(struct kb *kb);
void kb_article_free(struct kb_article *a);

/* Lints every entry, printing each problem as "file:line:col: message" to out, and keeps
 * going (all files; several problems per file). Returns the number of problems. */
int kb_lint(const char *dir, FILE *out);

/* Appends one GFM footnote definition per source ("[^id]: [title](url)\n"), for the
 * renderer to put after Markdown that cites them as [^id]. */
void kb_footnotes(const struct kb_article *a, struct buf *out);

/* The content rules kb_lint applies (kb_lint.c), usable on their own. */

/* Ids: lower-case letters and digits in words joined by single '-', at most 64 chars. */
int kb_id_valid(const char *id);
/* NULL when date is a real YYYY-MM-DD no later than `latest`, else why not. */
const char *kb_date_problem(const char *date, const char *latest);
/* The latest `reviewed:` date accepted: tomorrow in UTC (authors east of UTC may already be
 * there), or the day after a date pinned with kb_set_today. */
void kb_latest_date(char out[11]);
/* Pins "today" (YYYY-MM-DD) for reproducible checks and tests; NULL goes back to the clock. */
void kb_set_today(const char *date);
/* NULL for an http(s) URL with a host and no spaces, else why not. */
const char *kb_url_problem(const char *url);
/* Sentences in plain text: ".", "!" or "?" followed by a space and a capital, or the end. */
size_t kb_sentences(const char *text);
/* Finds the next citation [^id] at or after *pos (outside code); sets *start and *len to the
 * id and moves *pos past it. 0 when there is none. */
int kb_next_cite(const char *md, size_t *pos, size_t *start, size_t *len);
/* The first Markdown construct at or after byte *at that our pages will not show as the
 * author meant (raw HTML, a level-1 heading, a footnote definition, a link other than
 * http(s) or mailto): the reason, with *at moved to it; NULL when there is none. */
const char *kb_markdown_problem(const char *md, size_t *at);

#endif
