/* tor_stun.c: a STUN Binding exchange over UDP on the engine (see tor_stun.h, RFC 5389 §7.2.1). */
#include "tor_stun.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "fdbudget.h"
#include "stun.h"
#include "tor_dns.h"

#define STUN_RTO_MS 500
#define STUN_MAX_SENDS 7

struct tor_stun {
	struct engine *eng;
	struct job *job;
	const struct targets *t;
	char *server;
	char host[HOST_MAX];
	int port;
	struct tor_dns *dns;
	int fd;
	uint8_t txid[12];
	int sends;
	long rto;
	struct engine_timer *timer;
	int done, answered;
	char code[24], detail[160], mapped[64];
	tor_stun_fn fn;
	void *arg;
};

int tor_stun_parse_server(const char *server, char *host, size_t hostlen, int *port)
{
	if (strncasecmp(server, "stun:", 5))
		return -1;
	struct endpoint ep;
	struct err e;
	if (endpoint_parse(server + 5, 3478, &ep, &e) < 0 || strlen(ep.host) >= hostlen)
		return -1;
	snprintf(host, hostlen, "%s", ep.host);
	*port = ep.port;
	return 0;
}

static void finish(struct tor_stun *s, int answered, const char *code, const char *detail)
{
	if (s->done)
		return;
	s->done = 1;
	s->answered = answered;
	snprintf(s->code, sizeof s->code, "%s", code);
	snprintf(s->detail, sizeof s->detail, "%s", detail ? detail : "");
	engine_timer_cancel(s->eng, s->timer);
	s->timer = NULL;
	if (s->fd >= 0) {
		engine_unwatch(s->eng, s->fd);
		close(s->fd);
		s->fd = -1;
	}
	s->fn(s->arg, s);
}

static void send_request(struct tor_stun *s);

static void retransmit(void *arg)
{
	struct tor_stun *s = arg;
	s->timer = NULL;
	if (s->sends >= STUN_MAX_SENDS) {
		finish(s, 0, "timeout", "no answer to any of our STUN requests");
		return;
	}
	send_request(s);
}

static void send_request(struct tor_stun *s)
{
	uint8_t req[STUN_HEADER_LEN];
	size_t n = stun_build_binding_request(req, s->txid);
	if (send(s->fd, req, n, 0) < 0 && errno != EAGAIN) {
		finish(s, 0, errno_is_local(errno) ? "local_resource" : errno == ECONNREFUSED ? "refused" : "unreachable", strerror(errno));
		return;
	}
	s->sends++;
	s->timer = engine_timer(s->eng, s->rto, retransmit, s);
	s->rto *= 2;
}

static void on_readable(void *arg, int fd, unsigned events)
{
	struct tor_stun *s = arg;
	(void)events;
	uint8_t buf[1500];
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			/* ICMP port unreachable comes back as ECONNREFUSED on a connected socket. */
			finish(s, 0, errno_is_local(errno) ? "local_resource" : errno == ECONNREFUSED ? "refused" : "unreachable", strerror(errno));
			return;
		}
		struct stun_answer a;
		if (stun_parse_answer(buf, (size_t)n, s->txid, &a) != STUN_OK)
			continue;   /* not ours, or junk: keep waiting */
		snprintf(s->mapped, sizeof s->mapped, "%s", a.mapped);
		char detail[160];
		if (a.success)
			snprintf(detail, sizeof detail, "answered");
		else
			snprintf(detail, sizeof detail, "answered with STUN error %d %.100s", a.error_code, a.reason);
		finish(s, 1, "ok", detail);
		return;
	}
}

static void dns_done(void *arg, const char *ip, const char *detail)
{
	struct tor_stun *s = arg;
	s->dns = NULL;
	if (!ip) {
		finish(s, 0, "dns_error", detail);
		return;
	}
	struct endpoint ep = { .port = s->port };
	snprintf(ep.host, sizeof ep.host, "%s", s->host);
	char contacted[HOST_MAX + 16];
	job_contacted(s->job, endpoint_str(&ep, contacted, sizeof contacted));
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, ip, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)s->port);
		len = sizeof *a4;
	} else {
		inet_pton(AF_INET6, ip, &a6->sin6_addr);
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)s->port);
		len = sizeof *a6;
	}
	s->fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0 || connect(s->fd, (struct sockaddr *)&ss, len) < 0) {
		finish(s, 0, errno_is_local(errno) ? "local_resource" : errno == ECONNREFUSED ? "refused" : "unreachable", strerror(errno));
		return;
	}
	engine_watch(s->eng, s->fd, ENGINE_READ, on_readable, s);
	send_request(s);
}

static void bad_server(void *arg)
{
	struct tor_stun *s = arg;
	s->timer = NULL;
	finish(s, 0, "bad_address", "not a stun:HOST[:PORT] address");
}

struct tor_stun *tor_stun_start(struct engine *eng, struct job *job, const struct targets *t, const char *server,
				tor_stun_fn fn, void *arg)
{
	struct tor_stun *s = xcalloc(1, sizeof *s);
	s->eng = eng;
	s->job = job;
	s->t = t;
	s->server = xstrdup(server);
	s->fd = -1;
	s->fn = fn;
	s->arg = arg;
	s->rto = STUN_RTO_MS;
	RAND_bytes(s->txid, sizeof s->txid);
	if (tor_stun_parse_server(server, s->host, sizeof s->host, &s->port) < 0)
		s->timer = engine_timer(eng, 0, bad_server, s);
	else
		s->dns = tor_dns_lookup(eng, t, s->host, s->port, SOCK_DGRAM, dns_done, s);
	return s;
}

int tor_stun_done(const struct tor_stun *s)
{
	return s->done;
}

int tor_stun_answered(const struct tor_stun *s)
{
	return s->answered;
}

json_t *tor_stun_evidence(const struct tor_stun *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "server", results_str_safe(s->server, strlen(s->server)));
	json_object_set_new(o, "answered", json_boolean(s->answered));
	if (s->code[0] && !s->answered)
		json_object_set_new(o, "code", json_string(s->code));
	if (s->detail[0])
		json_object_set_new(o, "detail", results_str_safe(s->detail, strlen(s->detail)));
	if (s->mapped[0])
		json_object_set_new(o, "sees_us_as", json_string(s->mapped));
	return o;
}

void tor_stun_give_up(struct tor_stun *s)
{
	if (!s->done) {
		s->done = 1;
		engine_timer_cancel(s->eng, s->timer);
		s->timer = NULL;
		tor_dns_cancel(s->dns);
		s->dns = NULL;
		snprintf(s->code, sizeof s->code, "timeout");
		snprintf(s->detail, sizeof s->detail, "%s", s->sends ? "no answer before the deadline"
							 : "the name was not looked up before the deadline");
	}
}

void tor_stun_free(struct tor_stun *s)
{
	if (!s)
		return;
	engine_timer_cancel(s->eng, s->timer);
	tor_dns_cancel(s->dns);
	if (s->fd >= 0) {
		engine_unwatch(s->eng, s->fd);
		close(s->fd);
	}
	free(s->server);
	free(s);
}
