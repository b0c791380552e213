/* tor_link.c: the link-handshake job (../shared/facts/tor.md, tor-spec §4) over a route: direct
 * TLS, TLS through the run's PT over SOCKS5 (obfs4), or TLS inside a webtunnel upgrade. */
#include "tor_link.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "buf.h"
#include "conn.h"
#include "ptproto.h"
#include "tor_dns.h"
#include "tor_pt.h"
#include "torcell.h"
#include "torcerts.h"

/* A CERTS cell is at most 64 KiB; anything past a whole first flight is not Tor. */
#define LINK_MAX_IN (3 * 65536)
/* An HTTP upgrade answer's head is small; a server that streams more is not webtunnel. */
#define UPGRADE_MAX_HEAD 16384

enum link_step { WAIT_UPGRADE, WAIT_VERSIONS, WAIT_CERTS, WAIT_NETINFO };

/* How much of a non-Tor answer is kept as evidence. */
#define FIRST_BYTES 64

struct link {
	struct job *job;
	struct conn *conn;
	enum tor_link_route route;
	struct endpoint ep;
	char expected[41];
	const struct bridge *bridge;
	struct tor_pt *pt;
	struct conn *tcp;              /* PT route: a bare TCP connect beside the tunnel */
	int tcp_state;                 /* 0 pending, 1 connected, -1 failed (tcp_code) */
	const char *tcp_code;
	char pt_failed[160];           /* the PT's SOCKS failure, judged once the TCP check is in */
	const struct targets *t;
	char *url_host, *url_path, *sni;
	int url_port;
	struct tor_dns *dns;
	int upgraded;
	enum link_step step;
	int circid_len, version;
	char seen_fp[41];
	struct engine_timer *reply_timer;
	unsigned char first[FIRST_BYTES];   /* the start of the answer to VERSIONS (evidence) */
	size_t nfirst;
};

static void pt_verdict(struct link *l);

/* Where the job is, in words the evidence and summaries share. */
static const char *link_phase(const struct link *l)
{
	if (!l->conn)
		return l->route == TOR_LINK_PT ? "pt_start" : l->route == TOR_LINK_WEBTUNNEL ? "dns" : "connect";
	const char *p = conn_phase(l->conn);
	if (!strcmp(p, "socks"))
		return "pt_handshake";
	if (l->route == TOR_LINK_WEBTUNNEL && !l->upgraded)
		return !strcmp(p, "tls") ? "front_tls" : !strcmp(p, "open") ? "upgrade" : p;
	return !strcmp(p, "open") ? "tor_handshake" : p;
}

static const char *phase_words(const char *phase)
{
	static const struct { const char *phase, *words; } w[] = {
		{ "queued", "waiting for a free connection slot" },
		{ "pt_start", "starting the pluggable-transport program" },
		{ "pt_handshake", "the transport's handshake with the bridge" },
		{ "dns", "looking up the server's name" },
		{ "connect", "connecting" },
		{ "front_tls", "the TLS handshake with the web server" },
		{ "upgrade", "asking the web server to open the tunnel" },
		{ "tls", "the TLS handshake" },
		{ "tor_handshake", "the Tor handshake" },
	};
	for (size_t i = 0; i < sizeof w / sizeof *w; i++)
		if (!strcmp(w[i].phase, phase))
			return w[i].words;
	return phase;
}

static void link_fail(struct link *l, const char *code, const char *fmt, const char *detail)
{
	result_ev_str(l->job->res, "phase", link_phase(l));
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

static void send_versions(struct link *l)
{
	SSL *ssl = conn_ssl(l->conn);
	result_ev_str(l->job->res, "tls_version", SSL_get_version(ssl));
	uint8_t cell[TORCELL_VERSIONS_LEN];
	size_t n = torcell_build_versions(cell);
	l->step = WAIT_VERSIONS;
	conn_send(l->conn, cell, n);
	/* A relay answers VERSIONS at once; a TLS server that is not Tor stays silent. */
	long wait = engine_remaining_ms(l->job->eng) / 2;
	if (wait < 2000)
		wait = 2000;
	if (wait > 10000)
		wait = 10000;
	l->reply_timer = engine_timer(l->job->eng, wait, reply_timeout, l);
}

static void send_upgrade(struct link *l)
{
	uint8_t nonce[16];
	char key[32];
	RAND_bytes(nonce, sizeof nonce);
	EVP_EncodeBlock((unsigned char *)key, nonce, sizeof nonce);
	struct buf req;
	buf_init(&req);
	char hostport[HOST_MAX + 8];
	if (l->url_port == 443)
		snprintf(hostport, sizeof hostport, "%s", l->url_host);
	else
		snprintf(hostport, sizeof hostport, "%s:%d", l->url_host, l->url_port);
	buf_printf(&req, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
			 "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
		   l->url_path, hostport, key);
	l->step = WAIT_UPGRADE;
	conn_send(l->conn, req.data, req.len);
	buf_free(&req);
}

static void on_open(void *arg)
{
	struct link *l = arg;
	if (l->job->finished)
		return;
	if (l->route == TOR_LINK_WEBTUNNEL && !l->upgraded) {
		result_ev_str(l->job->res, "front_tls_version", SSL_get_version(conn_ssl(l->conn)));
		send_upgrade(l);
		return;
	}
	send_versions(l);
}

/* A header's value in an HTTP head (case-insensitive name), copied into out; 0 / -1. */
static int header_value(const char *head, const char *name, char *out, size_t outlen)
{
	size_t n = strlen(name);
	for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n")) {
		const char *h = p + 2;
		if (strncasecmp(h, name, n) || h[n] != ':')
			continue;
		h += n + 1;
		while (*h == ' ' || *h == '\t')
			h++;
		size_t k = strcspn(h, "\r\n");
		snprintf(out, outlen, "%.*s", (int)(k < outlen ? k : outlen - 1), h);
		return 0;
	}
	return -1;
}

/* Reads the answer to our upgrade; on 101 the rest of the stream is the bridge's TLS. */
static void got_upgrade(struct link *l, struct buf *in)
{
	char *end = in->len ? memmem(in->data, in->len, "\r\n\r\n", 4) : NULL;
	if (!end) {
		if (in->len > UPGRADE_MAX_HEAD || memchr(in->data, '\0', in->len))
			link_fail(l, "upgrade_failed", "The web server's answer is not HTTP%s", NULL);
		return;
	}
	size_t headlen = (size_t)(end - in->data) + 4;
	char *head = xstrndup(in->data, headlen);
	int status = 0;
	if (sscanf(head, "HTTP/1.%*d %3d", &status) != 1)
		status = 0;
	result_ev_int(l->job->res, "http_status", status);
	char upgrade[64];
	if (header_value(head, "Upgrade", upgrade, sizeof upgrade) == 0)
		result_ev_str(l->job->res, "upgrade", upgrade);
	free(head);
	if (status != 101) {
		char detail[64];
		snprintf(detail, sizeof detail, "HTTP status %d", status);
		link_fail(l, "upgrade_failed", "The webtunnel server answered but did not open the tunnel (%s)", detail);
		return;
	}
	buf_consume(in, headlen);
	l->upgraded = 1;
	result_ev_bool(l->job->res, "tunnel_open", 1);
	if (conn_start_tls(l->conn, NULL) < 0)
		link_fail(l, "tls_error", "Cannot start TLS inside the tunnel%s", NULL);
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
	l->step = WAIT_NETINFO;
	return 0;
}

static const char *via_words(const struct link *l)
{
	return l->route == TOR_LINK_PT ? " through its pluggable transport"
	       : l->route == TOR_LINK_WEBTUNNEL ? " through its webtunnel" : "";
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
	int proven = l->expected[0] && !strcmp(l->seen_fp, l->expected);
	result_ev_bool(l->job->res, "identity_proven", proven);
	if (!l->expected[0]) {
		job_finish(l->job, ST_PASS, "ok",
			   "Reached a Tor relay%s (the bridge line names no fingerprint to check it against)",
			   via_words(l));
		return;
	}
	result_ev_str(l->job->res, "fingerprint_expected", l->expected);
	if (!proven) {
		job_finish(l->job, ST_FAIL, "identity_mismatch",
			   "A Tor relay answered, but it is not the one expected (its fingerprint is %s)",
			   l->seen_fp);
		return;
	}
	job_finish(l->job, ST_PASS, "ok", "Reached the relay%s and it proved its identity", via_words(l));
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

/* The peer answered the Tor handshake with bytes that are not Tor (a web server's
 * "HTTP/1.1 400 Bad Request", a captive portal's page): not_tor, with the answer's start as
 * evidence — as text with anything unprintable as \xNN, and as hex. */
static void not_tor_answer(struct link *l)
{
	char text[FIRST_BYTES * 4 + 1], hex[FIRST_BYTES * 2 + 1], line[48];
	size_t t = 0, k = 0;
	for (size_t i = 0; i < l->nfirst; i++) {
		unsigned char c = l->first[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			text[t++] = (char)c;
		else
			t += (size_t)snprintf(text + t, sizeof text - t, "\\x%02x", c);
		snprintf(hex + 2 * i, 3, "%02x", c);
	}
	text[t] = '\0';
	for (size_t i = 0; i < l->nfirst && l->first[i] != '\r' && l->first[i] != '\n' && k < sizeof line - 1; i++)
		line[k++] = l->first[i] >= 0x20 && l->first[i] < 0x7f ? (char)l->first[i] : '.';
	line[k] = '\0';
	result_ev_str(l->job->res, "first_bytes", text);
	result_ev_str(l->job->res, "first_bytes_hex", hex);
	int http = l->nfirst >= 5 && !memcmp(l->first, "HTTP/", 5);
	result_ev_str(l->job->res, "phase", link_phase(l));
	job_finish(l->job, ST_FAIL, "not_tor", "The server answered the Tor handshake with something else (\"%s\")%s",
		   line, http ? ": a web server (or a captive portal), not a Tor relay" : ": this is not a Tor relay");
}

static void on_data(void *arg, struct buf *in)
{
	struct link *l = arg;
	if (!l->job->finished && l->step == WAIT_UPGRADE) {
		got_upgrade(l, in);
		return;
	}
	if (!l->job->finished && l->step == WAIT_VERSIONS) {
		size_t n = in->len < FIRST_BYTES ? in->len : FIRST_BYTES;
		if (n > l->nfirst) {
			memcpy(l->first, in->data, n);
			l->nfirst = n;
		}
		/* A relay's first cell is VERSIONS (circ id 2 bytes, then command 7). Anything
		 * else is not Tor — decided now, not when a fixed-size cell's 514 bytes are in. */
		if (in->len >= 3 && (unsigned char)in->data[2] != TORCELL_VERSIONS) {
			not_tor_answer(l);
			return;
		}
	}
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
	{ "handshake_failed", "The bridge did not complete the transport's handshake: a wrong cert=, or not a bridge of this kind%s" },
};

/* Failures before the Tor TLS mean something else on the routes that tunnel. */
static const char *route_code(const struct link *l, const char *code, const char **fmt)
{
	const char *phase = link_phase(l);
	if (!strcmp(code, "too_much"))
		return l->route == TOR_LINK_WEBTUNNEL && !l->upgraded ? "upgrade_failed" : "not_tor";
	if (!strcmp(phase, "pt_handshake") && (!strcmp(code, "proxy_failed") || !strcmp(code, "eof") ||
					       !strcmp(code, "reset")))
		return "handshake_failed";
	if (!strcmp(phase, "front_tls") && !strcmp(code, "tls_error"))
		*fmt = "The TLS connection to the webtunnel's web server failed%s";
	if (!strcmp(phase, "upgrade") && (!strcmp(code, "eof") || !strcmp(code, "reset")))
		*fmt = "The web server closed the connection instead of opening the tunnel%s";
	return code;
}

static void conn_failed(struct link *l, const char *code, const char *detail)
{
	const char *fmt = NULL;
	if (!strcmp(code, "local_resource")) {
		result_ev_str(l->job->res, "phase", link_phase(l));
		job_local_failure(l->job, detail);
		return;
	}
	code = route_code(l, code, &fmt);
	for (size_t i = 0; !fmt && i < sizeof conn_summaries / sizeof *conn_summaries; i++)
		if (!strcmp(conn_summaries[i].code, code))
			fmt = conn_summaries[i].summary;
	result_ev_str(l->job->res, "detail", detail);
	result_ev_str(l->job->res, "phase", link_phase(l));
	job_finish(l->job, ST_FAIL, code, fmt ? fmt : "The server did not behave like a Tor relay%s", "");
}

static void on_error(void *arg, const char *code, const char *detail)
{
	struct link *l = arg;
	if (l->job->finished)
		return;
	if (!strcmp(code, "local_resource")) {
		result_ev_str(l->job->res, "phase", link_phase(l));
		job_local_failure(l->job, detail);
		return;
	}
	/* Closed (or cut) after answering something that was not a VERSIONS cell: the
	 * answer says more than the close. */
	if (l->step == WAIT_VERSIONS && l->route != TOR_LINK_WEBTUNNEL && l->conn && !l->nfirst &&
	    (!strcmp(code, "too_much") || !strcmp(code, "eof") || !strcmp(code, "reset"))) {
		const struct buf *in = conn_input(l->conn);   /* more than fits came at once */
		l->nfirst = in->len < FIRST_BYTES ? in->len : FIRST_BYTES;
		if (l->nfirst)   /* an empty buffer may have no storage at all */
			memcpy(l->first, in->data, l->nfirst);
	}
	if (l->nfirst > 0 && l->step == WAIT_VERSIONS &&
	    (!strcmp(code, "eof") || !strcmp(code, "reset") || !strcmp(code, "too_much"))) {
		not_tor_answer(l);
		return;
	}
	if (l->route == TOR_LINK_PT && !strcmp(code, "proxy_error")) {
		result_ev_str(l->job->res, "detail", detail);
		result_ev_str(l->job->res, "phase", link_phase(l));
		job_finish(l->job, ST_ERROR, "pt_error", "The pluggable-transport program does not speak SOCKS5 properly, "
			   "so this bridge could not be tested");
		return;
	}
	if (l->route == TOR_LINK_PT && !strcmp(link_phase(l), "pt_handshake") &&
	    (!strcmp(code, "proxy_failed") || !strcmp(code, "eof") || !strcmp(code, "reset"))) {
		snprintf(l->pt_failed, sizeof l->pt_failed, "%s", detail);
		if (l->tcp_state)
			pt_verdict(l);
		return;   /* else when the TCP check is in, or at the deadline */
	}
	conn_failed(l, code, detail);
}

static const struct conn_cbs link_cbs = { on_open, on_data, on_error };

static void open_direct(struct link *l, const struct conn_socks *socks)
{
	struct conn_opts o = { .tls = 1, .max_in = LINK_MAX_IN, .socks = socks };
	l->conn = conn_open(l->job->eng, &l->ep, &o, &link_cbs, l);
}

/* The PT failed or stalled on the bridge: was the bridge's port open at all? */
static void pt_verdict(struct link *l)
{
	if (l->tcp_state < 0 && strcmp(l->tcp_code, "timeout")) {
		conn_failed(l, l->tcp_code, l->pt_failed[0] ? l->pt_failed : "the bridge's port does not accept connections");
		return;
	}
	result_ev_str(l->job->res, "phase", "pt_handshake");
	if (l->pt_failed[0])
		result_ev_str(l->job->res, "detail", l->pt_failed);
	if (l->tcp_state > 0)
		job_finish(l->job, ST_FAIL, "handshake_failed", "The bridge accepts connections, but the %s handshake did "
			   "not complete: a wrong cert= in the line, or something on the network interferes",
			   l->bridge->transport);
	else
		job_finish(l->job, ST_FAIL, l->pt_failed[0] ? "handshake_failed" : "timeout",
			   "The bridge did not answer through the %s transport", l->bridge->transport);
}

/* The PT hides where a stalled handshake stalls; a bare TCP connect to the bridge tells a
 * closed or filtered port from a bridge that accepts connections but not our handshake. */
static void tcp_open(void *arg)
{
	struct link *l = arg;
	l->tcp_state = 1;
	result_ev_bool(l->job->res, "tcp_reachable", 1);
	conn_close(l->tcp);   /* that was all it was for */
	l->tcp = NULL;
	if (l->pt_failed[0] && !l->job->finished)
		pt_verdict(l);
}

static void tcp_data(void *arg, struct buf *in)
{
	(void)arg;
	buf_reset(in);
}

static void tcp_error(void *arg, const char *code, const char *detail)
{
	struct link *l = arg;
	(void)detail;
	if (l->tcp_state)
		return;
	l->tcp_state = -1;
	l->tcp_code = code;
	result_ev_bool(l->job->res, "tcp_reachable", 0);
	conn_close(l->tcp);
	l->tcp = NULL;
	if (l->pt_failed[0] && !l->job->finished)
		pt_verdict(l);
}

static const struct conn_cbs tcp_cbs = { tcp_open, tcp_data, tcp_error };

static void pt_ready(void *arg, const struct pt_method *m, const char *code, const char *detail)
{
	struct link *l = arg;
	if (l->job->finished)
		return;
	result_ev_str(l->job->res, "pt_program", tor_pt_program(l->pt));
	if (!m) {
		result_ev_str(l->job->res, "detail", detail);
		result_ev_str(l->job->res, "phase", "pt_start");
		job_finish(l->job, ST_ERROR, code, "%s",
			   !strcmp(code, "pt_missing") ? "The pluggable-transport program for this bridge is not installed here"
						       : "The pluggable-transport program failed, so this bridge could not be tested");
		return;
	}
	struct conn_socks s = { .proxy = m->addr };
	uint8_t user[255], pass[255];
	if (ptproto_socks_auth(l->bridge->args, l->bridge->nargs, user, &s.ulen, pass, &s.plen) == 0) {
		s.user = user;
		s.pass = pass;
	}
	open_direct(l, &s);
}

static void dns_done(void *arg, const char *ip, const char *detail)
{
	struct link *l = arg;
	l->dns = NULL;
	if (l->job->finished)
		return;
	if (!ip) {
		result_ev_str(l->job->res, "detail", detail);
		result_ev_str(l->job->res, "phase", "dns");
		job_finish(l->job, ST_FAIL, "dns_error", "The webtunnel server's name %s could not be looked up", l->url_host);
		return;
	}
	snprintf(l->ep.host, sizeof l->ep.host, "%s", ip);
	l->ep.port = l->url_port;
	char ep[HOST_MAX + 16];
	endpoint_str(&l->ep, ep, sizeof ep);
	job_contacted(l->job, ep);
	result_ev_str(l->job->res, "connect_to", ep);
	/* As webtunnel's client does: the certificate must be valid for the name sent as SNI. */
	struct conn_opts o = { .tls = 1, .max_in = LINK_MAX_IN, .sni = l->sni, .verify_host = l->sni,
			       .cafile = l->t ? l->t->cafile : NULL };
	l->conn = conn_open(l->job->eng, &l->ep, &o, &link_cbs, l);
}

static void link_start(struct job *j)
{
	struct link *l = j->state;
	char ep[HOST_MAX + 16];
	if (l->route == TOR_LINK_WEBTUNNEL) {
		l->dns = tor_dns_lookup(j->eng, l->t, l->url_host, l->url_port, SOCK_STREAM, dns_done, l);
		return;
	}
	endpoint_str(&l->ep, ep, sizeof ep);
	job_contacted(j, ep);
	result_ev_str(j->res, "address", ep);
	if (l->route == TOR_LINK_PT) {
		struct conn_opts o = { .max_in = 4096 };
		l->tcp = conn_open(j->eng, &l->ep, &o, &tcp_cbs, l);
		tor_pt_want(l->pt, l->bridge->transport, pt_ready, l);
	}
	else
		open_direct(l, NULL);
}

static void link_expire(struct job *j)
{
	struct link *l = j->state;
	const char *phase = link_phase(l);
	result_ev_str(j->res, "phase", phase);
	if (!strcmp(phase, "queued")) {
		job_not_run(j);
		return;
	}
	char detail[160];
	const char *code = !strcmp(phase, "connect") && l->conn ? conn_pending_failure(l->conn, detail, sizeof detail) : NULL;
	if (code) {   /* refused in time; the loop was too busy to read it */
		conn_failed(l, code, detail);
		return;
	}
	if (!strcmp(phase, "pt_start")) {
		job_finish(j, ST_ERROR, "pt_error", "The pluggable-transport program did not get ready before the deadline");
		return;
	}
	if (!strcmp(phase, "pt_handshake")) {
		pt_verdict(l);
		return;
	}
	job_finish(j, ST_FAIL, "timeout", "No answer before the deadline (stuck in %s)", phase_words(phase));
}

static void link_cleanup(struct job *j)
{
	struct link *l = j->state;
	engine_timer_cancel(j->eng, l->reply_timer);
	tor_pt_cancel(l->pt, l);
	tor_dns_cancel(l->dns);
	conn_close(l->conn);
	conn_close(l->tcp);
	free(l->url_host);
	free(l->url_path);
	free(l->sni);
	free(l);
}

static const struct job_ops link_ops = { link_start, link_expire, link_cleanup };

struct job *tor_link_job_route(struct engine *eng, const struct tor_link_params *p)
{
	struct link *l = xcalloc(1, sizeof *l);
	l->route = p->route;
	l->ep = p->ep;
	snprintf(l->expected, sizeof l->expected, "%s", p->expected_fp ? p->expected_fp : "");
	l->bridge = p->bridge;
	l->pt = p->pt;
	l->t = p->t;
	l->url_host = p->url_host ? xstrdup(p->url_host) : NULL;
	l->url_path = xstrdup(p->url_path && *p->url_path ? p->url_path : "/");
	l->sni = p->sni ? xstrdup(p->sni) : NULL;
	l->url_port = p->url_port;
	l->step = WAIT_VERSIONS;
	struct job *j = engine_job(eng, p->probe, p->target, p->name ? p->name : "", &link_ops, l);
	l->job = j;
	return j;
}

struct job *tor_link_job(struct engine *eng, const char *probe, const char *target,
			 const char *name, const struct endpoint *ep, const char *expected_fp)
{
	struct tor_link_params p = { .probe = probe, .target = target, .name = name, .route = TOR_LINK_DIRECT,
				     .ep = *ep, .expected_fp = expected_fp };
	return tor_link_job_route(eng, &p);
}
