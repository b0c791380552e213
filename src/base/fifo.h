/* fifo.h: an intrusive first-in-first-out queue (a link embedded in its owner), doubly linked
 * so that any waiter leaves it in O(1): at a deadline thousands of queued checks are
 * cancelled one by one. The connection budget, the HTTPS pool and the curl transfer queue
 * all wait this way. */
#ifndef TORREADY_FIFO_H
#define TORREADY_FIFO_H

#include <stddef.h>

struct fifo_link {
	struct fifo_link *prev, *next;
	int queued;                 /* in a queue now */
};

struct fifo {
	struct fifo_link *head, *tail;
};

/* The owner of a link: fifo_entry(l, struct conn, wait_link). */
#define fifo_entry(l, type, member) ((type *)(void *)((char *)(l) - offsetof(type, member)))

/* Appends l (no-op when it is queued already). */
void fifo_push(struct fifo *q, struct fifo_link *l);
/* Takes l out wherever it is (no-op when it is not queued). */
void fifo_remove(struct fifo *q, struct fifo_link *l);
/* Takes out and returns the first link, or NULL when q is empty. */
struct fifo_link *fifo_pop(struct fifo *q);

#endif
