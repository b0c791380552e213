/* child.h: child processes (tor, pluggable transports) driven by the engine: spawned with
 * argv (posix_spawn, never a shell) in their own process group, stdout read line by line
 * without blocking, stdin kept as a pipe (PTs exit when it closes), and always killed and
 * reaped with a bounded wait. */
#ifndef TORREADY_CHILD_H
#define TORREADY_CHILD_H

#include <sys/types.h>

#include "engine.h"
#include "err.h"

struct child;

/* One line of the child's stdout, without its newline (NUL-terminated; len excludes it).
 * Lines longer than CHILD_LINE_MAX are cut there and the rest is delivered as more lines. */
typedef void (*child_line_fn)(void *arg, const char *line, size_t len);
/* The child's stdout closed and the child was reaped (status as from waitpid; -1 when it
 * could not be collected). Called at most once. Callbacks must not call child_free. */
typedef void (*child_exit_fn)(void *arg, int status);

#define CHILD_LINE_MAX 4096

struct child_spec {
	char *const *argv;     /* argv[0] is the program: a path, or a name looked up on PATH */
	char *const *env;      /* extra "KEY=VALUE" entries added to our environment; NULL-ended */
	int stderr_to_stdout;  /* else stderr is discarded */
};

/* Starts the child. -1 with e filled when it cannot start; e->msg starts with "missing: "
 * when the program does not exist or is not executable. The callbacks run from the loop. */
struct child *child_spawn(struct engine *eng, const struct child_spec *spec, child_line_fn on_line,
			  child_exit_fn on_exit, void *arg, struct err *e);
pid_t child_pid(const struct child *c);
/* 1 until the child has been reaped. */
int child_running(const struct child *c);
/* Asks the child to stop: closes its stdin and sends SIGTERM to its process group. Never
 * blocks; the callbacks stay armed (on_exit comes later). */
void child_terminate(struct child *c);
/* Kills the child for good and releases everything: SIGTERM to the group, waits up to
 * grace_ms for it to exit, then SIGKILL and waits up to another 1 s; reaps it. Blocks for at
 * most grace_ms + 1000 ms, so call it from job cleanup or engine_at_end, not from a hot path.
 * No callback runs after this. NULL is fine. */
void child_free(struct child *c, long grace_ms);

/* Makes a private temporary directory (mode 700) for a child's files, named
 * $TMPDIR/torready-TAG.XXXXXX, into out. 0 / -1. */
int child_make_tmpdir(const char *tag, char *out, size_t outlen);
/* Removes a directory tree (not following symlinks); quiet about what is already gone. */
void child_remove_tree(const char *dir);

/* Finds prog on PATH (or checks it when it contains a '/'): 0 with the path in out, -1 when
 * it is missing or not executable. */
int child_find_program(const char *prog, char *out, size_t outlen);

#endif
