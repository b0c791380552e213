/* tor_bridge.c: probe tor.bridge — for each bridge line, is the bridge reachable and is it
 * the relay the line names? Vanilla bridges get the full link handshake; transports come
 * with the Tor reachability work and are reported as unsupported until then. */
#include <string.h>

#include "probe.h"
#include "tor_link.h"

static void unsupported_start(struct job *j)
{
	job_finish(j, ST_ERROR, "unsupported_transport",
		   "This version of torready cannot test this kind of bridge yet");
}

static const struct job_ops unsupported_ops = { unsupported_start, NULL, NULL };

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	(void)e;
	for (size_t i = 0; i < t->nbridges; i++) {
		const struct bridge *b = &t->bridges[i];
		if (b->transport[0]) {
			struct job *j = engine_job(eng, "tor.bridge", b->line, "", &unsupported_ops, NULL);
			result_ev_str(j->res, "transport", b->transport);
			continue;
		}
		struct job *j = tor_link_job(eng, "tor.bridge", b->line, "", &b->addr, b->fp);
		result_ev_str(j->res, "transport", "vanilla");
		if (b->fp[0])
			result_ev_str(j->res, "fingerprint", b->fp);
	}
	return 0;
}

const struct probe probe_tor_bridge = {
	.id = "tor.bridge",
	.family = "tor",
	.title = "Tor bridges: reachable, and proving their identity",
	.plan = plan,
};
