/* engine_curl.c: glue between curl_multi_socket_action and the engine's epoll loop. At most
 * MAX_RUNNING transfers are in the multi at once; the rest wait in a queue. libcurl 7.88's
 * multi handle keeps its transfers in lists it walks on every add and remove, so 150,000 at
 * once took minutes before the first byte was sent (and no signal was read meanwhile). */
#include "engine_curl.h"

#include <stdlib.h>

#include "buf.h"
#include "fifo.h"

#define MAX_RUNNING 256

struct transfer {
	engine_curl_done_fn done;
	void *arg;
	CURL *easy;
	struct fifo_link link;            /* link.queued: waiting for a place, not in the multi yet */
};

struct curl_glue {
	CURLM *multi;
	struct engine *eng;
	struct engine_timer *timer, *pump_timer;
	size_t running;
	struct fifo queue;                /* first come first served */
};

/* One multi per process: the engine is one per run, and curl keeps connection caches. */
static struct curl_glue glue;

/* Moves waiting transfers into the multi while there is room. One that libcurl refuses
 * ends at once through its done callback, as a failed transfer. */
static void pump(void)
{
	while (glue.multi && glue.queue.head && glue.running < MAX_RUNNING) {
		struct transfer *t = fifo_entry(fifo_pop(&glue.queue), struct transfer, link);
		if (curl_multi_add_handle(glue.multi, t->easy) == CURLM_OK) {
			glue.running++;
			continue;
		}
		CURL *easy = t->easy;
		engine_curl_done_fn done = t->done;
		void *arg = t->arg;
		curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
		free(t);
		done(arg, easy, CURLE_OUT_OF_MEMORY);
	}
}

static void on_pump_timer(void *arg)
{
	(void)arg;
	glue.pump_timer = NULL;
	pump();
}

static void check_done(void)
{
	CURLMsg *m;
	int left;
	while ((m = curl_multi_info_read(glue.multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		CURL *easy = m->easy_handle;
		CURLcode rc = m->data.result;
		struct transfer *t = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
		curl_multi_remove_handle(glue.multi, easy);
		curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
		if (glue.running)
			glue.running--;
		if (t) {
			engine_curl_done_fn done = t->done;
			void *arg = t->arg;
			free(t);
			done(arg, easy, rc);
		}
	}
	pump();
}

static void on_io(void *arg, int fd, unsigned events)
{
	(void)arg;
	int mask = (events & ENGINE_READ ? CURL_CSELECT_IN : 0) |
		   (events & ENGINE_WRITE ? CURL_CSELECT_OUT : 0) |
		   (events & ENGINE_ERROR ? CURL_CSELECT_ERR : 0);
	int running;
	curl_multi_socket_action(glue.multi, fd, mask, &running);
	check_done();
}

static int on_socket(CURL *easy, curl_socket_t fd, int what, void *userp, void *sockp)
{
	(void)easy;
	(void)userp;
	(void)sockp;
	if (what == CURL_POLL_REMOVE)
		engine_unwatch(glue.eng, fd);
	else
		engine_watch(glue.eng, fd, (what & CURL_POLL_IN ? ENGINE_READ : 0) |
					   (what & CURL_POLL_OUT ? ENGINE_WRITE : 0), on_io, NULL);
	return 0;
}

static void on_timer(void *arg)
{
	(void)arg;
	glue.timer = NULL;
	int running;
	curl_multi_socket_action(glue.multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done();
}

static int set_timer(CURLM *multi, long ms, void *userp)
{
	(void)multi;
	(void)userp;
	engine_timer_cancel(glue.eng, glue.timer);
	glue.timer = ms >= 0 ? engine_timer(glue.eng, ms, on_timer, NULL) : NULL;
	return 0;
}

static void glue_end(void *arg)
{
	(void)arg;
	engine_timer_cancel(glue.eng, glue.timer);
	engine_timer_cancel(glue.eng, glue.pump_timer);
	glue.timer = glue.pump_timer = NULL;
	/* Jobs have been cleaned up by now, and with them every queued transfer. */
	struct fifo_link *l;
	while ((l = fifo_pop(&glue.queue)))
		free(fifo_entry(l, struct transfer, link));
	glue.running = 0;
	curl_multi_cleanup(glue.multi);
	glue.multi = NULL;
	glue.eng = NULL;
}

static int glue_init(struct engine *eng)
{
	if (glue.multi && glue.eng == eng)
		return 0;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	glue.multi = curl_multi_init();
	if (!glue.multi)
		return -1;
	glue.eng = eng;
	curl_multi_setopt(glue.multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(glue.multi, CURLMOPT_TIMERFUNCTION, set_timer);
	engine_at_end(eng, glue_end, NULL);
	return 0;
}

int engine_curl_add(struct engine *eng, CURL *easy, engine_curl_done_fn done, void *arg)
{
	if (glue_init(eng) < 0)
		return -1;
	struct transfer *t = xcalloc(1, sizeof *t);
	t->done = done;
	t->arg = arg;
	t->easy = easy;
	curl_easy_setopt(easy, CURLOPT_PRIVATE, (char *)t);
	if (glue.running < MAX_RUNNING && !glue.queue.head) {
		if (curl_multi_add_handle(glue.multi, easy) != CURLM_OK) {
			curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
			free(t);
			return -1;
		}
		glue.running++;
		return 0;
	}
	fifo_push(&glue.queue, &t->link);
	return 0;
}

int engine_curl_waiting(CURL *easy)
{
	struct transfer *t = NULL;
	if (!easy || !glue.multi)
		return 0;
	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
	return t && t->link.queued;
}

void engine_curl_remove(struct engine *eng, CURL *easy)
{
	(void)eng;
	if (!glue.multi || !easy)
		return;
	struct transfer *t = NULL;
	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
	if (t && t->link.queued) {   /* never started: only its place in the queue goes */
		fifo_remove(&glue.queue, &t->link);
		free(t);
		return;
	}
	if (t && glue.running)
		glue.running--;
	free(t);
	curl_multi_remove_handle(glue.multi, easy);
	/* A place came free outside check_done (a job ended its own transfer): fill it from
	 * the loop, not from inside the caller's cleanup. */
	if (glue.queue.head && !glue.pump_timer && glue.eng)
		glue.pump_timer = engine_timer(glue.eng, 0, on_pump_timer, NULL);
}
