/* tor_pt.c: the run's shared pluggable-transport client process (see tor_pt.h, pt-spec §3). */
#include "tor_pt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "child.h"

struct waiter {
	char transport[PT_NAME_MAX];
	tor_pt_fn fn;
	void *arg;
};

struct tor_pt {
	struct engine *eng;
	const struct targets *t;
	char transports[256];
	char program[4096];
	struct child *child;
	char state_dir[256];
	struct pt_state st;
	int started;
	const char *fail_code;        /* set once the PT cannot serve (more) requests */
	char fail_detail[PT_MSG_MAX];
	struct waiter *w;
	size_t nw;
	struct engine_timer *notify_timer;
};

static struct tor_pt *the_pt;

static int has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && !strncmp(p, word, n))
			return 1;
		p += k;
		if (*p == ',')
			p++;
	}
	return 0;
}

int tor_pt_find(const struct targets *t, const char *transport, char *out, size_t outlen)
{
	if (t && t->tor_pt && *t->tor_pt)
		return child_find_program(t->tor_pt, out, outlen);
	static const struct { const char *prog, *carries; } known[] = {
		{ "lyrebird", "obfs4,meek_lite,webtunnel,snowflake" },
		{ "obfs4proxy", "obfs4,meek_lite" },
		{ "snowflake-client", "snowflake" },
	};
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (has_word(known[i].carries, transport) && child_find_program(known[i].prog, out, outlen) == 0)
			return 0;
	return -1;
}

const char *tor_pt_program(const struct tor_pt *pt)
{
	return pt->program;
}

/* Tells one waiter how things stand. */
static void answer(struct tor_pt *pt, const struct waiter *w)
{
	char detail[PT_MSG_MAX + 80];
	if (pt->fail_code) {
		w->fn(w->arg, NULL, pt->fail_code, pt->fail_detail);
		return;
	}
	const struct pt_method *m = ptproto_method(&pt->st, w->transport);
	if (m && m->ok) {
		w->fn(w->arg, m, "ok", "");
		return;
	}
	if (m)
		snprintf(detail, sizeof detail, "the transport program cannot do %.60s: %.200s", w->transport, m->msg);
	else
		snprintf(detail, sizeof detail, "the transport program does not offer %s", w->transport);
	w->fn(w->arg, NULL, "pt_error", detail);
}

static void notify_all(struct tor_pt *pt)
{
	while (pt->nw) {
		struct waiter w = pt->w[0];   /* a copy: the callback may add or cancel waiters */
		memmove(pt->w, pt->w + 1, (pt->nw - 1) * sizeof *pt->w);
		pt->nw--;
		answer(pt, &w);
	}
}

static void notify_timer(void *arg)
{
	struct tor_pt *pt = arg;
	pt->notify_timer = NULL;
	notify_all(pt);
}

static int known_yet(const struct tor_pt *pt)
{
	return pt->fail_code || pt->st.verdict == PT_READY;
}

static void set_failed(struct tor_pt *pt, const char *code, const char *detail)
{
	if (pt->fail_code)
		return;
	pt->fail_code = code;
	snprintf(pt->fail_detail, sizeof pt->fail_detail, "%.299s", detail);
}

static void on_line(void *arg, const char *line, size_t len)
{
	struct tor_pt *pt = arg;
	enum pt_verdict before = pt->st.verdict;
	enum pt_verdict v = ptproto_feed(&pt->st, line, len);
	if (v == before)
		return;
	if (v == PT_FAILED)
		set_failed(pt, "pt_error", pt->st.error);
	notify_all(pt);
}

static void pt_exited(void *arg, int status)
{
	struct tor_pt *pt = arg;
	char how[64], detail[PT_MSG_MAX + 120];
	if (status >= 0 && WIFEXITED(status))
		snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(status));
	else if (status >= 0 && WIFSIGNALED(status))
		snprintf(how, sizeof how, "signal %d", WTERMSIG(status));
	else
		snprintf(how, sizeof how, "unknown status");
	if (pt->st.verdict == PT_PENDING)
		snprintf(detail, sizeof detail, "the transport program ended (%s) before it was ready%s%.200s", how,
			 pt->st.last_log[0] ? "; it said: " : "", pt->st.last_log);
	else
		snprintf(detail, sizeof detail, "the transport program ended (%s)", how);
	set_failed(pt, "pt_error", detail);
	notify_all(pt);
}

static void start(struct tor_pt *pt)
{
	pt->started = 1;
	if (!pt->program[0]) {
		char detail[PT_MSG_MAX];
		snprintf(detail, sizeof detail, "no pluggable-transport program for %.100s was found (%s)", pt->transports,
			 pt->t && pt->t->tor_pt ? "the --pt or TORREADY_PT program is not an executable file" : "install obfs4proxy or lyrebird");
		set_failed(pt, "pt_missing", detail);
		return;
	}
	if (child_make_tmpdir("pt", pt->state_dir, sizeof pt->state_dir) < 0) {
		set_failed(pt, "pt_error", "cannot create a state directory for the transport");
		return;
	}
	char e_state[300], e_transports[300];
	snprintf(e_state, sizeof e_state, "TOR_PT_STATE_LOCATION=%s/", pt->state_dir);
	snprintf(e_transports, sizeof e_transports, "TOR_PT_CLIENT_TRANSPORTS=%s", pt->transports);
	char *env[] = { "TOR_PT_MANAGED_TRANSPORT_VER=1", e_transports, e_state, "TOR_PT_EXIT_ON_STDIN_CLOSE=1", NULL };
	char *argv[] = { pt->program, NULL };
	const char *base = strrchr(pt->program, '/');
	json_t *host = engine_results(pt->eng)->host;
	if (!json_object_get(host, "pt"))
		json_object_set_new(host, "pt", results_str_safe(base ? base + 1 : pt->program,
								 strlen(base ? base + 1 : pt->program)));
	struct child_spec spec = { .argv = argv, .env = env };
	struct err e;
	pt->child = child_spawn(pt->eng, &spec, on_line, pt_exited, pt, &e);
	if (!pt->child)
		set_failed(pt, strncmp(e.msg, "missing: ", 9) ? "pt_error" : "pt_missing", e.msg);
}

void tor_pt_want(struct tor_pt *pt, const char *transport, tor_pt_fn fn, void *arg)
{
	pt->w = xrealloc(pt->w, (pt->nw + 1) * sizeof *pt->w);
	struct waiter *w = &pt->w[pt->nw++];
	snprintf(w->transport, sizeof w->transport, "%s", transport);
	w->fn = fn;
	w->arg = arg;
	if (!pt->started)
		start(pt);
	if (known_yet(pt) && !pt->notify_timer)
		pt->notify_timer = engine_timer(pt->eng, 0, notify_timer, pt);
}

void tor_pt_cancel(struct tor_pt *pt, void *arg)
{
	if (!pt)
		return;
	size_t k = 0;
	for (size_t i = 0; i < pt->nw; i++)
		if (pt->w[i].arg != arg)
			pt->w[k++] = pt->w[i];
	pt->nw = k;
}

static void pt_end(void *arg)
{
	struct tor_pt *pt = arg;
	engine_timer_cancel(pt->eng, pt->notify_timer);
	child_free(pt->child, 1000);
	child_remove_tree(pt->state_dir);
	free(pt->w);
	if (the_pt == pt)
		the_pt = NULL;
	free(pt);
}

struct tor_pt *tor_pt_get(struct engine *eng, const struct targets *t, const char *transport)
{
	if (!the_pt || the_pt->eng != eng) {
		the_pt = xcalloc(1, sizeof *the_pt);
		the_pt->eng = eng;
		the_pt->t = t;
		ptproto_init(&the_pt->st);
		engine_at_end(eng, pt_end, the_pt);
	}
	struct tor_pt *pt = the_pt;
	if (!has_word(pt->transports, transport) && strlen(pt->transports) + strlen(transport) + 2 < sizeof pt->transports)
		snprintf(pt->transports + strlen(pt->transports), sizeof pt->transports - strlen(pt->transports), "%s%s",
			 pt->transports[0] ? "," : "", transport);
	if (!pt->program[0] && tor_pt_find(t, transport, pt->program, sizeof pt->program) < 0)
		pt->program[0] = '\0';
	return pt;
}
