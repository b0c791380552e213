/* tor_dirauth.c: probe tor.dirauth — can this network reach each directory authority's
 * ORPort (IPv4, and IPv6 where it has one) and does it prove its identity? */
#include <stdio.h>

#include "probe.h"
#include "tor_link.h"

static int plan(struct engine *eng, const struct targets *t, struct err *e)
{
	(void)e;
	for (size_t i = 0; i < t->ndirauths; i++) {
		const struct dirauth *da = &t->dirauths[i];
		char ep[HOST_MAX + 16];
		tor_link_job(eng, "tor.dirauth", endpoint_str(&da->or_addr, ep, sizeof ep), da->name,
			     &da->or_addr, da->fp);
		if (da->or6_addr.port)
			tor_link_job(eng, "tor.dirauth", endpoint_str(&da->or6_addr, ep, sizeof ep),
				     da->name, &da->or6_addr, da->fp);
	}
	return 0;
}

const struct probe probe_tor_dirauth = {
	.id = "tor.dirauth",
	.plan = plan,
};
