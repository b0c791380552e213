/* fdbudget.c: the run's connection budget (see fdbudget.h) and the local-errno test. */
#include "fdbudget.h"

#include <errno.h>
#include <sys/resource.h>

/* Descriptors kept out of the budget: stdio, epoll and signalfd, the trust store and kb files
 * read while the loop runs, tor's and PT programs' pipes, libcurl's connection cache and
 * resolver pipes, the results file written at the end. A fixed part plus a share, so a big
 * limit still leaves room for a busy run's files. */
#define RESERVE_FIXED 48
#define RESERVE_SHARE 16      /* 1/16 of the limit */
/* Below this the run cannot work anyway; the budget stays this big and what does not fit in
 * the real limit fails with EMFILE, reported as local_resource (that is what tiny limits
 * are for in tests). */
#define BUDGET_MIN 16

static struct {
	int ready;
	size_t size, used;
	struct fifo queue;
	int granting;
} b;

void fdbudget_init(void)
{
	if (b.ready)
		return;
	b.ready = 1;
	struct rlimit rl;
	rlim_t n = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		/* The soft limit is a default meant for select(); the engine uses epoll. */
		if (rl.rlim_cur < rl.rlim_max) {
			struct rlimit up = { rl.rlim_max, rl.rlim_max };
			if (setrlimit(RLIMIT_NOFILE, &up) == 0)
				rl.rlim_cur = rl.rlim_max;
		}
		n = rl.rlim_cur;
	}
	if (n == RLIM_INFINITY || n > (1u << 20))
		n = 1u << 20;
	size_t reserve = RESERVE_FIXED + (size_t)n / RESERVE_SHARE;
	b.size = (size_t)n > reserve + BUDGET_MIN ? (size_t)n - reserve : BUDGET_MIN;
}

size_t fdbudget_size(void)
{
	fdbudget_init();
	return b.size;
}

size_t fdbudget_free(void)
{
	fdbudget_init();
	return b.used < b.size ? b.size - b.used : 0;
}

int fdbudget_take(size_t n)
{
	fdbudget_init();
	/* More than the whole budget would wait for ever: let it run alone instead. */
	if (n > b.size)
		n = b.size;
	if (b.queue.head || b.used + n > b.size)
		return 0;
	b.used += n;
	return 1;
}

void fdbudget_wait(struct fdbudget_waiter *w)
{
	fifo_push(&b.queue, &w->link);
}

void fdbudget_cancel(struct fdbudget_waiter *w)
{
	fifo_remove(&b.queue, &w->link);
}

void fdbudget_put(size_t n)
{
	if (n > b.size)
		n = b.size;
	b.used = b.used > n ? b.used - n : 0;
	/* A grant may free slots again (a connect that fails at once): one loop, no recursion. */
	if (b.granting)
		return;
	b.granting = 1;
	while (b.queue.head) {
		struct fdbudget_waiter *w = fifo_entry(b.queue.head, struct fdbudget_waiter, link);
		size_t need = w->slots > b.size ? b.size : w->slots;
		if (b.used + need > b.size)
			break;
		fdbudget_cancel(w);
		b.used += need;
		w->grant(w->arg);
	}
	b.granting = 0;
}

int errno_is_local(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOMEM || err == ENOBUFS;
}
