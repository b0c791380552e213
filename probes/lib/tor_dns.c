/* tor_dns.c: resolve entries, then getaddrinfo_a polled on the engine (see tor_dns.h). */
#include "tor_dns.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "buf.h"

#define POLL_MS 20

struct tor_dns {
	struct engine *eng;
	tor_dns_fn fn;
	void *arg;
	char ip[64];
	char detail[160];
	struct gaicb req;
	struct gaicb *reqs[1];
	struct addrinfo hints;
	char *host;
	int pending_gai;
	struct engine_timer *timer;
};

/* Lookups still running in a resolver thread when their owner gave up: their memory must
 * outlive the thread, so they are kept here and freed when they finish or at exit. */
static struct tor_dns **orphans;
static size_t norphans;

/* The address of one resolve entry for host (on port, or on any port when any_port), as a
 * literal in out; -1 when the entry does not apply. */
static int from_entry(const char *e, const char *host, int port, int any_port, char *out, size_t outlen)
{
	size_t hlen = strlen(host);
	if (*e == '+' || *e == '-')
		e++;   /* curl's "+host" (add) form; "-host" removals never match below */
	if (strncasecmp(e, host, hlen) || e[hlen] != ':')
		return -1;
	char *end;
	long p = strtol(e + hlen + 1, &end, 10);
	if (*end != ':' || (!any_port && p != port && p != 0))
		return -1;
	const char *a = end + 1;
	size_t n = strcspn(a, ",");
	if (*a == '[' && n > 2 && a[n - 1] == ']') {
		a++;
		n -= 2;
	}
	char tmp[64];
	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, a, n);
	tmp[n] = '\0';
	if (!host_is_ip_literal(tmp))
		return -1;
	snprintf(out, outlen, "%s", tmp);
	return 0;
}

int tor_dns_from_resolve(const struct strlist *resolve, const char *host, int port, char *out, size_t outlen)
{
	/* An entry for this port first, then one for any port of the host: a name the user
	 * mapped never goes to the system resolver. */
	for (int any = 0; any < 2; any++)
		for (size_t i = 0; resolve && i < resolve->n; i++)
			if (from_entry(resolve->v[i], host, port, any, out, outlen) == 0)
				return 0;
	return -1;
}

static void free_dns(struct tor_dns *d);

/* Tells the owner, then frees the lookup (the owner forgets it in the callback). */
static void report(void *arg)
{
	struct tor_dns *d = arg;
	d->timer = NULL;
	d->fn(d->arg, d->ip[0] ? d->ip : NULL, d->detail);
	free_dns(d);
}

static void take_result(struct tor_dns *d, int rc)
{
	if (rc != 0 || !d->req.ar_result) {
		snprintf(d->detail, sizeof d->detail, "the name %.80s could not be looked up: %s", d->host,
			 gai_strerror(rc ? rc : EAI_NONAME));
	} else {
		const struct addrinfo *ai = d->req.ar_result;
		const void *a = ai->ai_family == AF_INET ? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
							 : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		inet_ntop(ai->ai_family, a, d->ip, sizeof d->ip);
	}
	if (d->req.ar_result)
		freeaddrinfo(d->req.ar_result);
	d->req.ar_result = NULL;
	d->pending_gai = 0;
}

static void poll_gai(void *arg)
{
	struct tor_dns *d = arg;
	d->timer = NULL;
	int rc = gai_error(&d->req);
	if (rc == EAI_INPROGRESS) {
		d->timer = engine_timer(d->eng, POLL_MS, poll_gai, d);
		return;
	}
	take_result(d, rc);
	report(d);
}

struct tor_dns *tor_dns_lookup(struct engine *eng, const struct targets *t, const char *host, int port,
			       int socktype, tor_dns_fn fn, void *arg)
{
	struct tor_dns *d = xcalloc(1, sizeof *d);
	d->eng = eng;
	d->fn = fn;
	d->arg = arg;
	d->host = xstrdup(host);
	if (host_is_ip_literal(host) || tor_dns_from_resolve(t ? &t->resolve : NULL, host, port, d->ip, sizeof d->ip) == 0) {
		if (!d->ip[0])
			snprintf(d->ip, sizeof d->ip, "%s", host);
		d->timer = engine_timer(eng, 0, report, d);
		return d;
	}
	d->hints.ai_socktype = socktype;
	d->hints.ai_family = AF_UNSPEC;
	d->hints.ai_flags = AI_ADDRCONFIG;
	d->req.ar_name = d->host;
	d->req.ar_request = &d->hints;
	d->reqs[0] = &d->req;
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	int rc = getaddrinfo_a(GAI_NOWAIT, d->reqs, 1, &sev);
	if (rc != 0) {
		snprintf(d->detail, sizeof d->detail, "cannot look up %.80s: %s", host, gai_strerror(rc));
		d->timer = engine_timer(eng, 0, report, d);
		return d;
	}
	d->pending_gai = 1;
	d->timer = engine_timer(eng, POLL_MS, poll_gai, d);
	return d;
}

static void free_dns(struct tor_dns *d)
{
	if (d->req.ar_result)
		freeaddrinfo(d->req.ar_result);
	free(d->host);
	free(d);
}

static void reap_orphans(void)
{
	size_t k = 0;
	for (size_t i = 0; i < norphans; i++) {
		struct tor_dns *d = orphans[i];
		if (gai_error(&d->req) != EAI_INPROGRESS)
			free_dns(d);
		else
			orphans[k++] = d;
	}
	norphans = k;
	if (!norphans) {
		free(orphans);
		orphans = NULL;
	}
}

void tor_dns_cancel(struct tor_dns *d)
{
	if (!d)
		return;
	engine_timer_cancel(d->eng, d->timer);
	reap_orphans();
	if (d->pending_gai && gai_cancel(&d->req) != EAI_ALLDONE && gai_error(&d->req) == EAI_INPROGRESS) {
		orphans = xrealloc(orphans, (norphans + 1) * sizeof *orphans);
		orphans[norphans++] = d;
		return;
	}
	free_dns(d);
}
