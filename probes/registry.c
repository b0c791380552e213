/* registry.c: the table of every probe family, like tmux's cmd_table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codes.h"
#include "registry.h"

extern const struct probe probe_net_baseline;
extern const struct probe probe_tor_dirauth;
extern const struct probe probe_tor_bridge;
extern const struct probe probe_tor_dirport;
extern const struct probe probe_tor_bootstrap;
extern const struct probe probe_tls_intercept;
extern const struct probe probe_tls_truststore;
extern const struct probe probe_mail_tls;
extern const struct probe probe_https_redirect, probe_https_hsts, probe_https_preload,
	probe_https_tls, probe_https_cert, probe_https_mixed, probe_https_client;

const struct probe *const probe_registry[] = {
	&probe_net_baseline,
	&probe_tor_dirauth,
	&probe_tor_bridge,
	&probe_tor_dirport,
	&probe_tor_bootstrap,
	&probe_tls_intercept,
	&probe_tls_truststore,
	&probe_mail_tls,
	&probe_https_redirect, &probe_https_hsts, &probe_https_preload, &probe_https_tls,
	&probe_https_cert, &probe_https_mixed, &probe_https_client,
	NULL,
};

static int word_matches(const char *w, size_t n, const struct probe *p)
{
	const struct probe_info *pi = codes_probe(p->id);
	const char *family = pi ? pi->family : "";
	return (strlen(p->id) == n && !strncmp(p->id, w, n)) ||
	       (strlen(family) == n && !strncmp(family, w, n));
}

int probe_selected(const char *only, const struct probe *p)
{
	if (!only || !*only)
		return 1;
	for (const char *w = only; *w;) {
		size_t n = strcspn(w, ",");
		if (word_matches(w, n, p))
			return 1;
		w += n;
		if (*w == ',')
			w++;
	}
	return 0;
}

int probe_check_only(const char *only, struct err *e)
{
	for (const char *w = only; w && *w;) {
		size_t n = strcspn(w, ",");
		/* Every id and family of the catalog is accepted, planned here or not. */
		char word[64];
		snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), w);
		int ok = n == 0 || (n < sizeof word && codes_probe_known(word));
		if (!ok)
			return err_set(e, "--only: unknown probe or family \"%.*s\"", (int)(n > 60 ? 60 : n), w);
		w += n;
		if (*w == ',')
			w++;
	}
	return 0;
}
