/* engine.c: epoll loop, timers, jobs, the global deadline and SIGINT/SIGTERM. */
#include "engine.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "codes.h"
#include "fdbudget.h"

struct watch {
	engine_io_fn fn;
	void *arg;
	unsigned events;
	int active;
};

struct engine_timer {
	long long when;
	engine_timer_fn fn;
	void *arg;
	int active;
};

struct at_end {
	void (*fn)(void *);
	void *arg;
};

struct engine {
	struct results *rs;
	long deadline_ms;
	long long t_start, t_deadline;
	int running, ending;
	int epfd, sigfd;
	struct watch *watches;     /* indexed by fd */
	size_t nwatches;
	struct engine_timer **timers;
	size_t ntimers;
	struct job **jobs;
	size_t njobs;
	size_t open;               /* jobs not finished yet */
	/* Finished jobs whose cleanup is due: the loop reaps these, never scanning every job
	 * (10,000 jobs times thousands of loop turns was most of a large run's time). */
	struct job **reap;
	size_t nreap, capreap;
	struct at_end *ends;
	size_t nends;
};

long long engine_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct engine *engine_new(struct results *rs, long deadline_ms)
{
	fdbudget_init();   /* raises the open-files limit before anything opens a socket */
	struct engine *eng = xcalloc(1, sizeof *eng);
	eng->rs = rs;
	eng->deadline_ms = deadline_ms;
	eng->epfd = epoll_create1(EPOLL_CLOEXEC);
	eng->sigfd = -1;
	if (eng->epfd < 0) {
		free(eng);
		return NULL;
	}
	return eng;
}

void engine_free(struct engine *eng)
{
	if (!eng)
		return;
	for (size_t i = 0; i < eng->njobs; i++)
		free(eng->jobs[i]);
	for (size_t i = 0; i < eng->ntimers; i++)
		free(eng->timers[i]);
	free(eng->jobs);
	free(eng->reap);
	free(eng->timers);
	free(eng->watches);
	free(eng->ends);
	if (eng->sigfd >= 0)
		close(eng->sigfd);
	close(eng->epfd);
	free(eng);
}

int engine_ending(const struct engine *eng)
{
	return eng->ending;
}

struct results *engine_results(struct engine *eng)
{
	return eng->rs;
}

void engine_set_start(struct engine *eng, long long t0)
{
	eng->t_start = t0;
}

long engine_deadline_ms(const struct engine *eng)
{
	return eng->deadline_ms;
}

long engine_remaining_ms(const struct engine *eng)
{
	if (!eng->running)
		return eng->deadline_ms;
	long long left = eng->t_deadline - engine_now();
	return left > 0 ? (long)left : 0;
}

int engine_watch(struct engine *eng, int fd, unsigned events, engine_io_fn fn, void *arg)
{
	if (fd < 0)
		return -1;
	if ((size_t)fd >= eng->nwatches) {
		size_t n = eng->nwatches ? eng->nwatches : 64;
		while (n <= (size_t)fd)
			n *= 2;
		eng->watches = xrealloc(eng->watches, n * sizeof *eng->watches);
		memset(eng->watches + eng->nwatches, 0, (n - eng->nwatches) * sizeof *eng->watches);
		eng->nwatches = n;
	}
	struct watch *w = &eng->watches[fd];
	struct epoll_event ev = { 0 };
	ev.events = (events & ENGINE_READ ? EPOLLIN : 0) | (events & ENGINE_WRITE ? EPOLLOUT : 0);
	ev.data.fd = fd;
	int op = w->active ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(eng->epfd, op, fd, &ev) < 0)
		return -1;
	w->fn = fn;
	w->arg = arg;
	w->events = events;
	w->active = 1;
	return 0;
}

void engine_unwatch(struct engine *eng, int fd)
{
	if (fd < 0 || (size_t)fd >= eng->nwatches || !eng->watches[fd].active)
		return;
	epoll_ctl(eng->epfd, EPOLL_CTL_DEL, fd, NULL);
	memset(&eng->watches[fd], 0, sizeof eng->watches[fd]);
}

struct engine_timer *engine_timer(struct engine *eng, long delay_ms, engine_timer_fn fn, void *arg)
{
	struct engine_timer *t = xcalloc(1, sizeof *t);
	t->when = engine_now() + (delay_ms > 0 ? delay_ms : 0);
	t->fn = fn;
	t->arg = arg;
	t->active = 1;
	eng->timers = xrealloc(eng->timers, (eng->ntimers + 1) * sizeof *eng->timers);
	eng->timers[eng->ntimers++] = t;
	return t;
}

void engine_timer_cancel(struct engine *eng, struct engine_timer *t)
{
	(void)eng;
	if (t)
		t->active = 0;   /* freed by the loop, so cancelling from a callback is safe */
}

struct job *engine_job(struct engine *eng, const char *probe, const char *target, const char *name,
		       const struct job_ops *ops, void *state)
{
	struct job *j = xcalloc(1, sizeof *j);
	j->eng = eng;
	j->ops = ops;
	j->state = state;
	j->res = results_add(eng->rs, probe, target, name);
	if ((eng->njobs & (eng->njobs - 1)) == 0)   /* capacity doubles at powers of two */
		eng->jobs = xrealloc(eng->jobs, (eng->njobs ? eng->njobs * 2 : 1) * sizeof *eng->jobs);
	eng->jobs[eng->njobs++] = j;
	eng->open++;
	return j;
}

void job_done(struct job *j)
{
	if (j->finished)
		return;
	j->finished = 1;
	j->res->duration_ms = (long)(engine_now() - j->t0);
	struct engine *eng = j->eng;
	eng->open--;
	if (eng->nreap == eng->capreap) {
		eng->capreap = eng->capreap ? eng->capreap * 2 : 64;
		eng->reap = xrealloc(eng->reap, eng->capreap * sizeof *eng->reap);
	}
	eng->reap[eng->nreap++] = j;
	/* Cleanup is deferred to the loop: the caller is usually inside one of the job's own
	 * callbacks, with its state still on the stack. */
}

/* A code the catalog does not know (or with a status it does not list) is a bug: the test
 * runners set TORREADY_CHECK_CODES=1, which makes it abort so the test fails. Otherwise it
 * is kept (results stay complete) and said once on stderr. */
static void check_code(const char *probe, enum status st, const char *code)
{
	static int said;
	if (codes_allowed(probe, st, code))
		return;
	const char *strict = getenv("TORREADY_CHECK_CODES");
	if (!said++ || (strict && *strict == '1'))
		fprintf(stderr, "torready: internal: %s ended with %s/%s, which the probe catalog "
			"(src/results/codes.c) does not list\n", probe, status_name(st), code);
	if (strict && *strict == '1')
		abort();
}

void job_finish(struct job *j, enum status st, const char *code, const char *fmt, ...)
{
	if (j->finished)
		return;
	char tmp[RESULT_SUMMARY_MAX * 2];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	/* Whatever a probe's mapping says, running out of local resources is not a verdict. */
	if (!strcmp(code, "local_resource"))
		st = ST_ERROR;
	result_set(j->res, st, code, "%s", tmp);
	check_code(j->res->probe, st, code);
	job_done(j);
}

void job_local_failure(struct job *j, const char *detail)
{
	if (j->finished)
		return;
	result_ev_str(j->res, "detail", detail);
	job_finish(j, ST_ERROR, "local_resource", "This machine ran out of a local resource (%s), so this "
		   "could not be checked: a limit of this machine, not an answer from the network", detail);
}

void job_not_run(struct job *j)
{
	if (j->finished)
		return;
	job_finish(j, ST_ERROR, "not_run", "Not started before the time limit (%ld s): it was still waiting "
		   "for its turn behind the other checks", j->eng->deadline_ms / 1000);
}

void job_contacted(struct job *j, const char *endpoint)
{
	results_contacted(j->eng->rs, endpoint);
}

void engine_at_end(struct engine *eng, void (*fn)(void *), void *arg)
{
	eng->ends = xrealloc(eng->ends, (eng->nends + 1) * sizeof *eng->ends);
	eng->ends[eng->nends].fn = fn;
	eng->ends[eng->nends].arg = arg;
	eng->nends++;
}

static void reap_jobs(struct engine *eng)
{
	/* Index loop: a cleanup may finish other jobs (a shared resource going away), which
	 * appends to the list. */
	for (size_t i = 0; i < eng->nreap; i++) {
		struct job *j = eng->reap[i];
		if (j->cleaned)
			continue;
		j->cleaned = 1;
		if (j->ops->cleanup)
			j->ops->cleanup(j);
	}
	eng->nreap = 0;
}

/* Fires due timers; returns ms until the next one (-1 when none). */
static long run_timers(struct engine *eng)
{
	long long now = engine_now();
	long next = -1;
	/* Index loop: callbacks may add timers (realloc), so never hold a pointer across them. */
	for (size_t i = 0; i < eng->ntimers; i++) {
		struct engine_timer *t = eng->timers[i];
		if (t->active && t->when <= now) {
			t->active = 0;
			t->fn(t->arg);
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < eng->ntimers; i++) {
		struct engine_timer *t = eng->timers[i];
		if (!t->active) {
			free(t);
			continue;
		}
		long d = (long)(t->when - now);
		if (d < 0)
			d = 0;
		if (next < 0 || d < next)
			next = d;
		eng->timers[k++] = t;
	}
	eng->ntimers = k;
	return next;
}

static void expire_all(struct engine *eng, int interrupted)
{
	for (size_t i = 0; i < eng->njobs; i++) {
		struct job *j = eng->jobs[i];
		if (j->finished)
			continue;
		if (interrupted)
			job_finish(j, ST_ERROR, "interrupted",
				   "The run was interrupted before this check finished");
		else if (j->ops->expire)
			j->ops->expire(j);
		if (!j->finished)
			job_finish(j, ST_FAIL, "timeout", "No answer before the deadline (%ld s)",
				   eng->deadline_ms / 1000);
	}
}

static int setup_signals(struct engine *eng)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	eng->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (eng->sigfd < 0)
		return -1;
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = eng->sigfd };
	return epoll_ctl(eng->epfd, EPOLL_CTL_ADD, eng->sigfd, &ev);
}

/* A SIGINT/SIGTERM already waiting on the signalfd (0 if none): one that came while the run
 * was being planned, or while the last batch ran past the deadline, must not be lost. */
static int pending_signal(struct engine *eng)
{
	struct signalfd_siginfo si;
	if (read(eng->sigfd, &si, sizeof si) == (ssize_t)sizeof si && si.ssi_signo)
		return (int)si.ssi_signo;
	return 0;
}

static void dispatch(struct engine *eng, struct epoll_event *evs, int n, int *interrupted)
{
	for (int i = 0; i < n; i++) {
		int fd = evs[i].data.fd;
		if (fd == eng->sigfd) {
			/* Remember which signal: an interrupted run exits 128 + its number. */
			struct signalfd_siginfo si;
			*interrupted = read(fd, &si, sizeof si) == (ssize_t)sizeof si && si.ssi_signo ? (int)si.ssi_signo
												: SIGINT;
			continue;
		}
		if ((size_t)fd >= eng->nwatches || !eng->watches[fd].active)
			continue;   /* unwatched by an earlier callback in this batch */
		struct watch w = eng->watches[fd];
		unsigned ev = (evs[i].events & EPOLLIN ? ENGINE_READ : 0) |
			      (evs[i].events & EPOLLOUT ? ENGINE_WRITE : 0) |
			      (evs[i].events & (EPOLLERR | EPOLLHUP) ? ENGINE_ERROR : 0);
		w.fn(w.arg, fd, ev);
	}
}

int engine_run(struct engine *eng, struct err *e)
{
	if (setup_signals(eng) < 0)
		return err_internal(e, "cannot set up signal handling: %s", strerror(errno));
	if (!eng->t_start)
		eng->t_start = engine_now();
	eng->t_deadline = eng->t_start + eng->deadline_ms;
	eng->running = 1;
	/* Interrupted while planning: start nothing, end every job as interrupted. */
	int interrupted = pending_signal(eng);
	for (size_t i = 0; i < eng->njobs; i++) {
		struct job *j = eng->jobs[i];
		j->t0 = engine_now();
		if (!interrupted)
			j->ops->start(j);
	}
	struct epoll_event evs[64];
	while (!interrupted) {
		reap_jobs(eng);
		if (!eng->open)
			break;
		long next = run_timers(eng);
		reap_jobs(eng);
		if (!eng->open)
			break;
		long left = (long)(eng->t_deadline - engine_now());
		if (left <= 0)
			break;
		long wait = next >= 0 && next < left ? next : left;
		int n = epoll_wait(eng->epfd, evs, 64, (int)wait);
		if (n < 0 && errno != EINTR)
			return err_internal(e, "event loop failed: %s", strerror(errno));
		if (n > 0)
			dispatch(eng, evs, n, &interrupted);
	}
	if (!interrupted)
		interrupted = pending_signal(eng);
	eng->rs->interrupted = interrupted;
	eng->ending = 1;
	expire_all(eng, interrupted);
	reap_jobs(eng);
	for (size_t i = 0; i < eng->nends; i++)
		eng->ends[i].fn(eng->ends[i].arg);
	eng->running = 0;
	return 0;
}
