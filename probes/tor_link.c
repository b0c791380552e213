/* tor_link.c: the link-handshake job (../shared/facts/tor.md, tor-spec §4). */
#include "tor_link.h"

#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "conn.h"
#include "torcell.h"

/* A CERTS cell is at most 64 KiB; anything past a whole first flight is not Tor. */
#define LINK_MAX_IN (3 * 65536)

enum link_step { WAIT_VERSIONS, WAIT_CERTS, WAIT_NETINFO };

struct link {
	struct job *job;
	struct conn *conn;
	struct endpoint ep;
	char expected[41];
	enum link_step step;
	int circid_len, version;
	int certs_ok;
	char seen_fp[41];
	struct engine_timer *reply_timer;
};

static void link_fail(struct link *l, const char *code, const char *fmt, const char *detail)
{
	result_ev_str(l->job->res, "phase", conn_phase(l->conn));
	if (detail)
		result_ev_str(l->job->res, "detail", detail);
	job_finish(l->job, ST_FAIL, code, fmt, detail ? detail : "");
}

static void reply_timeout(void *arg)
{
	struct link *l = arg;
	l->reply_timer = NULL;
	if (l->job->finished)
		return;
	link_fail(l, "not_tor", "The server speaks TLS but did not answer the Tor handshake%s", NULL);
}

static void on_open(void *arg)
{
	struct link *l = arg;
	if (l->job->finished)
		return;
	SSL *ssl = conn_ssl(l->conn);
	result_ev_str(l->job->res, "tls_version", SSL_get_version(ssl));
	uint8_t cell[TORCELL_VERSIONS_LEN];
	size_t n = torcell_build_versions(cell);
	conn_send(l->conn, cell, n);
	/* A relay answers VERSIONS at once; a TLS server that is not Tor stays silent. */
	long wait = engine_remaining_ms(l->job->eng) / 2;
	if (wait < 2000)
		wait = 2000;
	if (wait > 10000)
		wait = 10000;
	l->reply_timer = engine_timer(l->job->eng, wait, reply_timeout, l);
}

static int got_versions(struct link *l, const struct torcell *c)
{
	if (c->cmd != TORCELL_VERSIONS) {
		link_fail(l, "not_tor", "The server answered, but not with the Tor protocol%s", NULL);
		return -1;
	}
	l->version = torcell_negotiate(c->payload, c->len);
	if (l->version <= 0) {
		link_fail(l, "not_tor", "The server offered no Tor link protocol we share%s", NULL);
		return -1;
	}
	engine_timer_cancel(l->job->eng, l->reply_timer);
	l->reply_timer = NULL;
	result_ev_int(l->job->res, "link_protocol", l->version);
	l->circid_len = torcell_circid_len(l->version);
	l->step = WAIT_CERTS;
	return 0;
}

static void record_certs(struct link *l, const struct torcerts_info *info)
{
	json_t *types = json_array();
	for (int i = 0; i < info->ntypes; i++)
		json_array_append_new(types, json_integer(info->types[i]));
	result_ev_set(l->job->res, "cert_types", types);
	if (info->fingerprint[0])
		result_ev_str(l->job->res, "fingerprint_seen", info->fingerprint);
}

static int got_certs(struct link *l, const struct torcell *c)
{
	struct torcerts_info info;
	X509 *peer = SSL_get1_peer_certificate(conn_ssl(l->conn));
	enum torcerts_verdict v = torcerts_check(c->payload, c->len, peer, time(NULL), &info);
	X509_free(peer);
	record_certs(l, &info);
	if (v == TORCERTS_MALFORMED || v == TORCERTS_MISSING) {
		link_fail(l, "not_tor", "The server's Tor certificates are missing or malformed: %s", info.detail);
		return -1;
	}
	if (v != TORCERTS_OK) {
		result_ev_str(l->job->res, "certs_verdict", torcerts_verdict_name(v));
		link_fail(l, "identity_mismatch", "The relay could not prove an identity: %s", info.detail);
		return -1;
	}
	memcpy(l->seen_fp, info.fingerprint, sizeof l->seen_fp);
	l->certs_ok = 1;
	l->step = WAIT_NETINFO;
	return 0;
}

static void verdict(struct link *l, const struct torcell *c)
{
	struct torcell_netinfo ni;
	if (torcell_parse_netinfo_full(c->payload, c->len, &ni) == 0 && ni.other_addr[0])
		result_ev_str(l->job->res, "relay_sees_us_as", ni.other_addr);
	uint8_t cell[TORCELL_FIXED_MAX];
	size_t n = torcell_build_netinfo(cell, sizeof cell, l->circid_len, l->ep.host);
	if (n)
		conn_send(l->conn, cell, n);   /* polite: a client answers NETINFO before closing */
	result_ev_bool(l->job->res, "identity_checked", l->expected[0] != '\0');
	if (!l->expected[0]) {
		job_finish(l->job, ST_PASS, "ok",
			   "Reached a Tor relay (the bridge line names no fingerprint to check it against)");
		return;
	}
	result_ev_str(l->job->res, "fingerprint_expected", l->expected);
	if (strcmp(l->seen_fp, l->expected)) {
		job_finish(l->job, ST_FAIL, "identity_mismatch",
			   "A Tor relay answered, but it is not the one expected (its fingerprint is %s)",
			   l->seen_fp);
		return;
	}
	job_finish(l->job, ST_PASS, "ok", "Reached the relay and it proved its identity");
}

/* Returns -1 when the job ended. */
static int handle_cell(struct link *l, const struct torcell *c)
{
	if (l->step == WAIT_VERSIONS)
		return got_versions(l, c);
	if (c->cmd == TORCELL_PADDING || c->cmd == TORCELL_VPADDING || c->cmd == TORCELL_AUTH_CHALLENGE)
		return 0;
	if (l->step == WAIT_CERTS && c->cmd == TORCELL_CERTS)
		return got_certs(l, c);
	if (l->step == WAIT_NETINFO && c->cmd == TORCELL_NETINFO) {
		verdict(l, c);
		return -1;
	}
	link_fail(l, "not_tor", "The server sent an unexpected Tor cell (%s)", torcell_cmd_name(c->cmd));
	return -1;
}

static void on_data(void *arg, struct buf *in)
{
	struct link *l = arg;
	while (!l->job->finished) {
		struct torcell c;
		int clen = l->step == WAIT_VERSIONS ? 2 : l->circid_len;
		long used = torcell_parse((const uint8_t *)in->data, in->len, clen, &c);
		if (used == 0)
			return;
		if (used < 0) {
			link_fail(l, "not_tor", "The server's answer is not a Tor cell%s", NULL);
			return;
		}
		if (handle_cell(l, &c) < 0)
			return;
		buf_consume(in, (size_t)used);
	}
}

static const struct {
	const char *code, *summary;
} conn_summaries[] = {
	{ "refused", "The connection was refused: nothing listens there, or a firewall rejects it%s" },
	{ "reset", "The connection was cut (reset) — a sign of blocking or a broken server%s" },
	{ "eof", "The server closed the connection before the handshake finished%s" },
	{ "unreachable", "The address cannot be reached from this network%s" },
	{ "timeout", "No answer in time%s" },
	{ "tls_error", "The TLS handshake failed, so this is not a working Tor relay%s" },
};

static void on_error(void *arg, const char *code, const char *detail)
{
	struct link *l = arg;
	if (l->job->finished)
		return;
	if (!strcmp(code, "too_much"))
		code = "not_tor";
	const char *fmt = "The server did not behave like a Tor relay%s";
	for (size_t i = 0; i < sizeof conn_summaries / sizeof *conn_summaries; i++)
		if (!strcmp(conn_summaries[i].code, code))
			fmt = conn_summaries[i].summary;
	result_ev_str(l->job->res, "detail", detail);
	result_ev_str(l->job->res, "phase", conn_phase(l->conn));
	job_finish(l->job, ST_FAIL, code, fmt, "");
}

static const struct conn_cbs link_cbs = { on_open, on_data, on_error };

static void link_start(struct job *j)
{
	struct link *l = j->state;
	char ep[HOST_MAX + 16];
	endpoint_str(&l->ep, ep, sizeof ep);
	job_contacted(j, ep);
	result_ev_str(j->res, "address", ep);
	struct conn_opts o = { .tls = 1, .sni = NULL, .max_in = LINK_MAX_IN };
	l->conn = conn_open(j->eng, &l->ep, &o, &link_cbs, l);
}

static void link_expire(struct job *j)
{
	struct link *l = j->state;
	result_ev_str(j->res, "phase", l->conn ? conn_phase(l->conn) : "connect");
	const char *where = !l->conn || !strcmp(conn_phase(l->conn), "connect") ? "connecting"
			    : !strcmp(conn_phase(l->conn), "tls") ? "the TLS handshake"
			    : "the Tor handshake";
	job_finish(j, ST_FAIL, "timeout", "No answer before the deadline (stuck in %s)", where);
}

static void link_cleanup(struct job *j)
{
	struct link *l = j->state;
	engine_timer_cancel(j->eng, l->reply_timer);
	conn_close(l->conn);
	free(l);
}

static const struct job_ops link_ops = { link_start, link_expire, link_cleanup };

struct job *tor_link_job(struct engine *eng, const char *probe, const char *target,
			 const char *name, const struct endpoint *ep, const char *expected_fp)
{
	struct link *l = xcalloc(1, sizeof *l);
	l->ep = *ep;
	snprintf(l->expected, sizeof l->expected, "%s", expected_fp);
	struct job *j = engine_job(eng, probe, target, name, &link_ops, l);
	l->job = j;
	return j;
}
