/* child.c: spawning, reading and reaping child processes on the engine (see child.h). */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

extern char **environ;

struct child {
	struct engine *eng;
	pid_t pid;
	int out_fd, in_fd;        /* our ends: the child's stdout (read), its stdin (write) */
	int reaped, status, exit_told;
	child_line_fn on_line;
	child_exit_fn on_exit;
	void *arg;
	struct buf line;
	struct engine_timer *reap_timer;
};

int child_find_program(const char *prog, char *out, size_t outlen)
{
	if (!prog || !*prog)
		return -1;
	if (strchr(prog, '/')) {
		struct stat st;
		if (stat(prog, &st) < 0 || !S_ISREG(st.st_mode) || access(prog, X_OK) < 0)
			return -1;
		snprintf(out, outlen, "%s", prog);
		return 0;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin";
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		char cand[4096];
		if (n && n + strlen(prog) + 2 < sizeof cand) {
			snprintf(cand, sizeof cand, "%.*s/%s", (int)n, p, prog);
			struct stat st;
			if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0) {
				snprintf(out, outlen, "%s", cand);
				return 0;
			}
		}
		p += n;
		if (*p == ':')
			p++;
	}
	return -1;
}

/* Our environment with the extra entries added (an extra KEY replaces ours). */
static char **build_env(char *const *extra)
{
	size_t n = 0, k = 0;
	while (environ && environ[n])
		n++;
	size_t nx = 0;
	while (extra && extra[nx])
		nx++;
	char **env = xcalloc(n + nx + 1, sizeof *env);
	for (size_t i = 0; i < n; i++) {
		size_t klen = strcspn(environ[i], "=");
		int replaced = 0;
		for (size_t x = 0; x < nx && !replaced; x++)
			replaced = !strncmp(extra[x], environ[i], klen) && extra[x][klen] == '=';
		if (!replaced)
			env[k++] = environ[i];
	}
	for (size_t x = 0; x < nx; x++)
		env[k++] = extra[x];
	env[k] = NULL;
	return env;
}

static void deliver_lines(struct child *c, int flush)
{
	for (;;) {
		char *nl = c->line.len ? memchr(c->line.data, '\n', c->line.len) : NULL;
		size_t n;
		if (nl)
			n = (size_t)(nl - c->line.data);
		else if (c->line.len >= CHILD_LINE_MAX || (flush && c->line.len))
			n = c->line.len < CHILD_LINE_MAX ? c->line.len : CHILD_LINE_MAX;
		else
			return;
		char *copy = xstrndup(c->line.data, n);
		size_t len = n;
		if (len && copy[len - 1] == '\r')
			copy[--len] = '\0';
		buf_consume(&c->line, nl ? n + 1 : n);
		if (c->on_line)
			c->on_line(c->arg, copy, len);
		free(copy);
	}
}

static void tell_exit(struct child *c)
{
	if (c->exit_told)
		return;
	c->exit_told = 1;
	if (c->on_exit)
		c->on_exit(c->arg, c->reaped ? c->status : -1);
}

static int try_reap(struct child *c)
{
	if (c->reaped)
		return 1;
	int st;
	pid_t r = waitpid(c->pid, &st, WNOHANG);
	if (r == c->pid || (r < 0 && errno == ECHILD)) {
		c->reaped = 1;
		c->status = r == c->pid ? st : -1;
	}
	return c->reaped;
}

/* stdout closed: the child is exiting. Poll for its exit status without blocking. */
static void reap_poll(void *arg)
{
	struct child *c = arg;
	c->reap_timer = NULL;
	if (try_reap(c)) {
		tell_exit(c);
		return;
	}
	c->reap_timer = engine_timer(c->eng, 20, reap_poll, c);
}

/* stdout closed: deliver what is left, then collect the exit status. */
static void stdout_closed(struct child *c)
{
	engine_unwatch(c->eng, c->out_fd);
	close(c->out_fd);
	c->out_fd = -1;
	deliver_lines(c, 1);
	reap_poll(c);
}

static void on_readable(void *arg, int fd, unsigned events)
{
	struct child *c = arg;
	(void)events;
	char chunk[4096];
	/* A bounded helping per wake-up: a child that floods its stdout must not starve the loop
	 * (and the deadline); epoll calls again while there is more. */
	for (int rounds = 0; rounds < 16; rounds++) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n > 0) {
			buf_append(&c->line, chunk, (size_t)n);
			deliver_lines(c, 0);
		} else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			return;
		} else {
			stdout_closed(c);
			return;
		}
	}
}

static int make_pipes(int out[2], int in[2])
{
	if (pipe2(out, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(in, O_CLOEXEC) < 0) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	return 0;
}

static int spawn(pid_t *pid, const char *path, const struct child_spec *spec, int out[2], int in[2])
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	if (spec->stderr_to_stdout)
		posix_spawn_file_actions_adddup2(&fa, out[1], 2);
	else
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* Its own process group (so killing the group takes its helpers along), and a clean
	 * signal state: we block SIGINT/SIGTERM for our signalfd and ignore SIGPIPE, and a
	 * child would inherit both. */
	sigset_t none, defaults;
	sigemptyset(&none);
	sigemptyset(&defaults);
	sigaddset(&defaults, SIGPIPE);
	sigaddset(&defaults, SIGINT);
	sigaddset(&defaults, SIGTERM);
	sigaddset(&defaults, SIGCHLD);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &defaults);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	char **env = build_env(spec->env);
	int rc = posix_spawn(pid, path, &fa, &at, spec->argv, env);
	free(env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return rc;
}

struct child *child_spawn(struct engine *eng, const struct child_spec *spec, child_line_fn on_line,
			  child_exit_fn on_exit, void *arg, struct err *e)
{
	char path[4096];
	if (!spec->argv || !spec->argv[0] || child_find_program(spec->argv[0], path, sizeof path) < 0) {
		err_set(e, "missing: %.200s is not installed or not executable",
			spec->argv && spec->argv[0] ? spec->argv[0] : "(no program)");
		return NULL;
	}
	int out[2], in[2];
	if (make_pipes(out, in) < 0) {
		err_set(e, "cannot create pipes: %s", strerror(errno));
		return NULL;
	}
	pid_t pid;
	int rc = spawn(&pid, path, spec, out, in);
	close(out[1]);
	close(in[0]);
	if (rc != 0) {
		close(out[0]);
		close(in[1]);
		err_set(e, "%s%.200s: cannot run: %s", rc == ENOENT || rc == EACCES ? "missing: " : "",
			path, strerror(rc));
		return NULL;
	}
	struct child *c = xcalloc(1, sizeof *c);
	c->eng = eng;
	c->pid = pid;
	c->out_fd = out[0];
	c->in_fd = in[1];
	c->on_line = on_line;
	c->on_exit = on_exit;
	c->arg = arg;
	engine_watch(eng, c->out_fd, ENGINE_READ, on_readable, c);
	return c;
}

pid_t child_pid(const struct child *c)
{
	return c->pid;
}

int child_running(const struct child *c)
{
	return c && !c->reaped;
}

void child_terminate(struct child *c)
{
	if (!c)
		return;
	if (c->in_fd >= 0) {
		close(c->in_fd);
		c->in_fd = -1;
	}
	if (!c->reaped)
		kill(-c->pid, SIGTERM);
}

/* Waits up to ms for the child to be reaped; 1 when it was. */
static int wait_reaped(struct child *c, long ms)
{
	long long end = engine_now() + ms;
	while (!try_reap(c)) {
		if (engine_now() >= end)
			return 0;
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return 1;
}

void child_free(struct child *c, long grace_ms)
{
	if (!c)
		return;
	engine_timer_cancel(c->eng, c->reap_timer);
	if (c->out_fd >= 0) {
		engine_unwatch(c->eng, c->out_fd);
		close(c->out_fd);
	}
	if (c->in_fd >= 0)
		close(c->in_fd);
	if (!c->reaped) {
		kill(-c->pid, SIGTERM);
		if (!wait_reaped(c, grace_ms)) {
			kill(-c->pid, SIGKILL);
			wait_reaped(c, 1000);
		}
	}
	/* Helpers the child started in its group (a PT under tor) go with it. */
	kill(-c->pid, SIGKILL);
	buf_free(&c->line);
	free(c);
}

int child_make_tmpdir(const char *tag, char *out, size_t outlen)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(out, outlen, "%s/torready-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
	if (n < 0 || (size_t)n >= outlen || !mkdtemp(out)) {
		if (outlen)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void child_remove_tree(const char *dir)
{
	if (dir && *dir)
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}
