/* fifo.c: see fifo.h. */
#include "fifo.h"

void fifo_push(struct fifo *q, struct fifo_link *l)
{
	if (l->queued)
		return;
	l->queued = 1;
	l->next = NULL;
	l->prev = q->tail;
	if (q->tail)
		q->tail->next = l;
	else
		q->head = l;
	q->tail = l;
}

void fifo_remove(struct fifo *q, struct fifo_link *l)
{
	if (!l->queued)
		return;
	if (l->prev)
		l->prev->next = l->next;
	else
		q->head = l->next;
	if (l->next)
		l->next->prev = l->prev;
	else
		q->tail = l->prev;
	l->prev = l->next = NULL;
	l->queued = 0;
}

struct fifo_link *fifo_pop(struct fifo *q)
{
	struct fifo_link *l = q->head;
	if (l)
		fifo_remove(q, l);
	return l;
}
