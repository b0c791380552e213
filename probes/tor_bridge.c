/* tor_bridge.c: probe tor.bridge — for each bridge line, can this network reach the bridge,
 * by its own kind of door, and is it the relay the line names? Vanilla bridges get the link
 * handshake directly; obfs4 (and the PT's other transports) through the run's PT process;
 * webtunnel through its HTTPS upgrade (identity proven inside); meek_lite and snowflake by
 * their front doors (tor_fronts.c), since their relays sit behind a broker or server. */
#include <stdio.h>
#include <string.h>

#include "probe.h"
#include "tor_dns.h"
#include "tor_fronts.h"
#include "tor_link.h"
#include "tor_pt.h"
#include "url_split.h"

/* Transports a managed PT client carries to a bridge over SOCKS. */
static const char *const pt_transports[] = { "obfs4", "obfs3", "scramblesuit", NULL };

static int is_pt_transport(const char *tr)
{
	for (size_t i = 0; pt_transports[i]; i++)
		if (!strcmp(pt_transports[i], tr))
			return 1;
	return 0;
}

static void unsupported_start(struct job *j)
{
	job_finish(j, ST_ERROR, "unsupported_transport",
		   "torready cannot test this kind of bridge (only vanilla, obfs4, webtunnel, snowflake and meek_lite)");
}

static const struct job_ops unsupported_ops = { unsupported_start, NULL, NULL };

static void bad_line_start(struct job *j)
{
	job_finish(j, ST_ERROR, "bad_bridge_line", "The webtunnel line has no usable url=https://..., so it cannot be tested");
}

static const struct job_ops bad_line_ops = { bad_line_start, NULL, NULL };

/* A short label for a transport's line ("obfs4 192.0.2.1:443"), since the line is long. */
static const char *label(const struct bridge *b, char *out, size_t len)
{
	char ep[HOST_MAX + 16];
	snprintf(out, len, "%s %s", b->transport, endpoint_str(&b->addr, ep, sizeof ep));
	return out;
}

static struct job *plan_webtunnel(struct engine *eng, const struct targets *t, const struct bridge *b)
{
	struct url_split u;
	const char *url = bridge_arg(b, "url");
	if (!url || url_split_https(url, 0, &u) < 0)
		return engine_job(eng, "tor.bridge", b->line, "", &bad_line_ops, NULL);
	const char *host = u.host;
	const char *servername = bridge_arg(b, "servername");
	char name[HOST_MAX + 16];
	snprintf(name, sizeof name, "webtunnel %s", host);
	struct tor_link_params p = {
		.probe = "tor.bridge", .target = b->line, .name = name, .route = TOR_LINK_WEBTUNNEL, .ep = b->addr,
		.expected_fp = b->fp, .t = t, .url_host = host, .url_path = u.path, .url_port = u.port,
		.sni = servername && *servername ? servername : host,
	};
	return tor_link_job_route(eng, &p);
}

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	(void)e;
	struct tor_doors *doors = tor_doors_new();
	for (size_t i = 0; i < t->nbridges; i++) {
		const struct bridge *b = &t->bridges[i];
		struct job *j;
		char name[HOST_MAX + 64];
		if (!strcmp(b->transport, "meek_lite") || !strcmp(b->transport, "snowflake")) {
			tor_fronts_plan(eng, t, b, label(b, name, sizeof name), doors);
			continue;
		}
		if (!b->transport[0]) {
			j = tor_link_job(eng, "tor.bridge", b->line, "", &b->addr, b->fp);
		} else if (!strcmp(b->transport, "webtunnel")) {
			j = plan_webtunnel(eng, t, b);
		} else if (is_pt_transport(b->transport)) {
			struct tor_link_params p = { .probe = "tor.bridge", .target = b->line,
						     .name = label(b, name, sizeof name), .route = TOR_LINK_PT,
						     .ep = b->addr, .expected_fp = b->fp, .bridge = b,
						     .pt = tor_pt_get(eng, t, b->transport) };
			j = tor_link_job_route(eng, &p);
		} else {
			j = engine_job(eng, "tor.bridge", b->line, label(b, name, sizeof name), &unsupported_ops, NULL);
		}
		result_ev_str(j->res, "transport", b->transport[0] ? b->transport : "vanilla");
		if (b->fp[0])
			result_ev_str(j->res, "fingerprint", b->fp);
	}
	tor_doors_free(doors);
	return 0;
}

const struct probe probe_tor_bridge = {
	.id = "tor.bridge",
	.plan = plan,
};
