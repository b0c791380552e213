/* engine.h: the one event loop. Every job of every probe runs here concurrently (epoll, no
 * thread per target) under one global deadline; sockets, libcurl's multi interface and
 * child processes' pipes all plug in through engine_watch and engine_timer. */
#ifndef TORREADY_ENGINE_H
#define TORREADY_ENGINE_H

#include "results.h"

struct engine;
struct engine_timer;
struct job;

enum { ENGINE_READ = 1, ENGINE_WRITE = 2, ENGINE_ERROR = 4 };

typedef void (*engine_io_fn)(void *arg, int fd, unsigned events);
typedef void (*engine_timer_fn)(void *arg);

struct job_ops {
	void (*start)(struct job *j);
	/* Optional: the deadline came first. Default: fail/timeout. */
	void (*expire)(struct job *j);
	/* Releases the job's state (sockets, memory); called exactly once, outside callbacks. */
	void (*cleanup)(struct job *j);
};

struct job {
	struct engine *eng;
	struct result *res;
	const struct job_ops *ops;
	void *state;
	long long t0;      /* engine_now() at start */
	int finished;      /* callbacks of a finished job must return at once */
	int cleaned;       /* the engine's: cleanup has run */
};

/* deadline_ms: the one deadline for the whole run, from engine_run's start. */
struct engine *engine_new(struct results *rs, long deadline_ms);
void engine_free(struct engine *eng);
struct results *engine_results(struct engine *eng);
long engine_deadline_ms(const struct engine *eng);
/* The deadline counts from t0 (engine_now() when the command started) instead of from
 * engine_run's start, so loading and planning are inside --timeout too. */
void engine_set_start(struct engine *eng, long long t0);
/* Milliseconds left before the deadline (0 when past); the whole deadline before the run. */
long engine_remaining_ms(const struct engine *eng);
long long engine_now(void);   /* monotonic milliseconds */
/* 1 once the loop is over (deadline, interrupt, or every job done): jobs are being expired
 * and cleaned up, so queued work must not start now. */
int engine_ending(const struct engine *eng);

/* Adds (or changes) interest in fd. events = ENGINE_READ | ENGINE_WRITE. */
int engine_watch(struct engine *eng, int fd, unsigned events, engine_io_fn fn, void *arg);
void engine_unwatch(struct engine *eng, int fd);
struct engine_timer *engine_timer(struct engine *eng, long delay_ms, engine_timer_fn fn, void *arg);
void engine_timer_cancel(struct engine *eng, struct engine_timer *t);

/* Creates a job and its result slot (in plan order, so results keep a stable order). */
struct job *engine_job(struct engine *eng, const char *probe, const char *target, const char *name,
		       const struct job_ops *ops, void *state);
/* A job calls this once its result is set: records the duration; cleanup runs soon after. */
void job_done(struct job *j);
/* Convenience: result_set + job_done. */
void job_finish(struct job *j, enum status st, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* This machine ran out of something (descriptors, memory, buffer space: detail says what),
 * so the check could not be made: error/local_resource, never a verdict on the network. */
void job_local_failure(struct job *j, const char *detail);
/* The check was still waiting for its turn (queued behind the connection budget or the
 * transfer pool) when the deadline came: error/not_run, not a timeout of the target. */
void job_not_run(struct job *j);
/* Records an endpoint as contacted in the run's results. */
void job_contacted(struct job *j, const char *endpoint);

/* Runs at the very end (after every job), e.g. to kill a shared child process. */
void engine_at_end(struct engine *eng, void (*fn)(void *arg), void *arg);

/* Runs every job until all are done, the deadline passes, or SIGINT/SIGTERM arrives (those
 * two must be blocked by the caller; the engine reads them from a signalfd). 0 / -1. */
int engine_run(struct engine *eng, struct err *e);

#endif
