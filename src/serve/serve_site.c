/* serve_site.c: GET / and GET /ARTICLE.html, /handout-ARTICLE.html — the department site,
 * rendered by the same code as `render --page site` (and `--page handout`) from each
 * machine's latest stored results. Rendering happens when the data changed (a second after
 * the last new submission, so a burst of 60 machines is one render), never per request; the
 * pages are then kept in memory and answered from there. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>

#include <event2/event.h>
#include <event2/http.h>
#include <jansson.h>

#include "buf.h"
#include "kb.h"
#include "render.h"
#include "results.h"
#include "results_json.h"
#include "serve.h"
#include "serve_store.h"

#define SITE_MAX_FILES 512
#define SITE_MAX_FILE (8u << 20)

struct site_page {
	char name[128];
	char *data;
	size_t len;
};

static struct site_page pages[SITE_MAX_FILES];
static size_t npages;
static char site_dir[4096];

struct collect {
	struct results **sets;
	size_t n, cap;
};

static void add_doc(struct collect *c, const char *text)
{
	json_t *doc = json_loads(text, 0, NULL);
	if (!doc)
		return;
	struct results *rs = xcalloc(1, sizeof *rs);
	results_init(rs);
	struct err e;
	err_clear(&e);
	if (results_from_json(doc, "store", rs, &e) < 0) {
		results_free(rs);
		free(rs);
	} else {
		if (c->n == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 16;
			c->sets = xrealloc(c->sets, c->cap * sizeof *c->sets);
		}
		c->sets[c->n++] = rs;
	}
	json_decref(doc);
}

/* Keeps site_dir's *.html in memory, replacing what was there. */
static void load_pages(void)
{
	for (size_t i = 0; i < npages; i++)
		free(pages[i].data);
	npages = 0;
	DIR *d = opendir(site_dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) && npages < SITE_MAX_FILES) {
		size_t n = strlen(de->d_name);
		if (n < 6 || n >= sizeof pages[0].name || strcmp(de->d_name + n - 5, ".html") ||
		    de->d_name[0] == '.')
			continue;
		char path[4096 + 256];
		snprintf(path, sizeof path, "%s/%s", site_dir, de->d_name);
		struct buf b;
		buf_init(&b);
		if (read_file(path, SITE_MAX_FILE, &b) < 0) {
			buf_free(&b);
			continue;
		}
		memcpy(pages[npages].name, de->d_name, n + 1);   /* n < sizeof name: checked above */
		pages[npages].len = b.len;
		pages[npages].data = buf_steal(&b);
		npages++;
	}
	closedir(d);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct texts {
	char **v;
	size_t n, cap;
	json_t *service;
};

static int add_text(void *arg, const char *doc)
{
	struct texts *t = arg;
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = xstrdup(doc);
	return 0;
}

static void texts_free(struct texts *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	json_decref(t->service);
	memset(t, 0, sizeof *t);
}

/* Renders the site from the latest documents' text (read from the store beforehand, so a
 * render process never touches SQLite: its state does not survive fork). */
/* The index's self-check figures: counts as words, small groups hidden as in summary.json. */
static json_t *service_view(struct serve *s)
{
	json_t *sum = serve_store_summary(s->store, s->o.min_group);
	json_t *checks = json_object_get(sum, "self_checks");
	json_t *view = json_object();
	long long total = 0;
	static const char *const keys[] = { "clear", "intercepted", "unknown" };
	for (size_t i = 0; i < 3; i++) {
		json_t *v = json_object_get(checks, keys[i]);
		char text[48];
		if (json_is_integer(v)) {
			total += json_integer_value(v);
			snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
		} else {
			snprintf(text, sizeof text, "fewer than %d", s->o.min_group);
			total += 1;
		}
		json_object_set_new(view, keys[i], json_string(text));
	}
	json_object_set_new(view, "has_checks", json_boolean(total > 0));
	json_object_set_new(view, "total", json_integer(total));
	json_decref(sum);
	return view;
}

static int regenerate(struct serve *s, const struct texts *t)
{
	double t0 = now_ms();
	struct collect c = { 0 };
	for (size_t i = 0; i < t->n; i++)
		add_doc(&c, t->v[i]);
	struct render_opts ro = { .out_dir = site_dir, .page = "site", .formats = "html",
				  .kb_dir = s->o.kb_dir, .templates_dir = s->o.templates_dir,
				  .base_url = s->o.base_url, .site = s->o.site_file,
				  .service = t->service };
	struct err e;
	err_clear(&e);
	int rc = render_run((const struct results *const *)c.sets, c.n, &ro, &e);
	/* One printable handout per article, as `render --page handout --topic ID` makes. */
	struct kb kb = { 0 };
	struct err ke;
	err_clear(&ke);
	if (rc == 0 && kb_load(s->o.kb_dir, &kb, &ke) == 0) {
		for (size_t i = 0; i < kb.n && rc == 0; i++) {
			ro.page = "handout";
			ro.topic = kb.articles[i].id;
			rc = render_run((const struct results *const *)c.sets, c.n, &ro, &e);
		}
		kb_free(&kb);
	}
	if (rc < 0) {
		char msg[800];
		fprintf(stderr, "torready serve: cannot render the site: %s\n", err_str(&e, msg, sizeof msg));
	}
	else
		fprintf(stderr, "torready serve: site rendered: %zu machines in %.0f ms\n", c.n,
			now_ms() - t0);
	for (size_t i = 0; i < c.n; i++) {
		results_free(c.sets[i]);
		free(c.sets[i]);
	}
	free(c.sets);
	return rc;
}

/* Rendering a large site takes a while (about half a second for 1,000 machines): it runs in
 * a child process so the event loop keeps answering. The child keeps no descriptor of the
 * parent's (a connection the parent closes must not stay open in the child) and opens its
 * own store connection (SQLite connections do not cross fork). Pages are written atomically,
 * one by one; the parent takes them into memory when the child is done. */
static void regen_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct serve *s = arg;
	if (s->render_pid > 0) {
		s->render_again = 1;
		return;
	}
	s->site_dirty = 0;
	struct texts t = { 0 };
	serve_store_each_latest(s->store, add_text, &t);
	t.service = service_view(s);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		/* The parent's handlers would only write to its (closed) event loop. */
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		syscall(SYS_close_range, 3U, ~0U, 0U);
		_exit(regenerate(s, &t) < 0 ? 1 : 0);
	}
	if (pid < 0) {   /* no process to spare: render here rather than not at all */
		regenerate(s, &t);
		load_pages();
	} else {
		s->render_pid = pid;
	}
	texts_free(&t);
}

static void child_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	struct serve *s = arg;
	int status;
	if (s->render_pid <= 0 || waitpid(s->render_pid, &status, WNOHANG) != s->render_pid)
		return;
	s->render_pid = 0;
	load_pages();
	if (s->render_again) {
		s->render_again = 0;
		serve_site_changed(s);
	}
}

void serve_site_changed(struct serve *s)
{
	if (s->site_dirty)
		return;
	s->site_dirty = 1;
	struct timeval tv = { 1, 0 };
	evtimer_add(s->regen_ev, &tv);
}

/* A self-check visit changes only the index's visit counts: those may wait a minute, so a
 * stream of visitors costs one render a minute, not one per visit. */
void serve_site_checks_changed(struct serve *s)
{
	if (s->site_dirty || evtimer_pending(s->regen_ev, NULL))
		return;
	struct timeval tv = { 60, 0 };
	evtimer_add(s->regen_ev, &tv);
}

int serve_site_init(struct serve *s, char *errbuf, size_t errlen)
{
	if (s->o.site_dir)
		snprintf(site_dir, sizeof site_dir, "%s", s->o.site_dir);
	else
		snprintf(site_dir, sizeof site_dir, "%s.site", s->o.store);
	if (mkdir(site_dir, 0755) < 0 && errno != EEXIST) {
		snprintf(errbuf, errlen, "cannot create %s: %s", site_dir, strerror(errno));
		return -1;
	}
	s->regen_ev = evtimer_new(s->base, regen_cb, s);
	s->chld_ev = evsignal_new(s->base, SIGCHLD, child_cb, s);
	struct texts t = { 0 };
	serve_store_each_latest(s->store, add_text, &t);
	t.service = service_view(s);
	int rc = regenerate(s, &t);
	texts_free(&t);
	if (!s->regen_ev || !s->chld_ev || event_add(s->chld_ev, NULL) < 0 || rc < 0) {
		snprintf(errbuf, errlen, "cannot render the site into %s (see above)", site_dir);
		return -1;
	}
	load_pages();
	return 0;
}

void serve_site_free(struct serve *s)
{
	if (s->regen_ev)
		event_free(s->regen_ev);
	if (s->chld_ev)
		event_free(s->chld_ev);
	if (s->render_pid > 0)
		waitpid(s->render_pid, NULL, 0);
	for (size_t i = 0; i < npages; i++)
		free(pages[i].data);
	npages = 0;
}

void serve_site_get(struct serve *s, struct evhttp_request *req, const char *path)
{
	(void)s;
	const char *name = !strcmp(path, "/") ? "index.html" : path + 1;
	for (size_t i = 0; i < npages; i++)
		if (!strcmp(pages[i].name, name))
			return serve_reply(req, 200, "text/html; charset=utf-8", pages[i].data, pages[i].len);
	serve_reply(req, 404, "text/plain; charset=utf-8", "not found\n", 10);
}
