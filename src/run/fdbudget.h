/* fdbudget.h: one budget of simultaneous connections for the whole run, sized from the
 * open-files limit. Every connection (conn.c) and every pooled libcurl transfer
 * (probes/lib/https_net.c) takes slots from it; what does not fit waits in one queue, first come
 * first served, and starts when a slot frees. A run of 10,000 targets under `ulimit -n 1024`
 * then queues instead of failing with EMFILE, and running out of descriptors is never
 * mistaken for a network that blocks. */
#ifndef TORREADY_FDBUDGET_H
#define TORREADY_FDBUDGET_H

#include <stddef.h>

#include "fifo.h"

/* A waiter is embedded in its owner (a conn, a transfer); grant runs once when its slots
 * are taken on its behalf — from inside fdbudget_put, so it must not call back into a
 * half-freed owner. */
struct fdbudget_waiter {
	size_t slots;
	void (*grant)(void *arg);
	void *arg;
	struct fifo_link link;      /* link.queued: waiting now */
};

/* Raises the soft open-files limit to the hard one (once per process) and sizes the budget:
 * the limit minus a reserve for files, child processes' pipes and libcurl's own descriptors.
 * Called by engine_new; safe to call again. */
void fdbudget_init(void);
/* Slots in all, and slots free now. */
size_t fdbudget_size(void);
size_t fdbudget_free(void);
/* Takes n slots now if they are free and nobody queues before; 1 taken / 0 not. */
int fdbudget_take(size_t n);
/* Queues w (w->slots, w->grant, w->arg set): grant runs once they are taken for it. */
void fdbudget_wait(struct fdbudget_waiter *w);
/* Leaves the queue without a grant; no-op when w is not queued. */
void fdbudget_cancel(struct fdbudget_waiter *w);
/* Gives n slots back and grants waiters in order while they fit. */
void fdbudget_put(size_t n);

/* 1 for an errno that means this machine ran out of something (descriptors, memory, buffer
 * space), never that the network refused: such failures are status error, code
 * local_resource. */
int errno_is_local(int err);

#endif
