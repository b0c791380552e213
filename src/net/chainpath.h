/* chainpath.h: the certification path a server's chain really forms — each certificate
 * followed by the one whose key signed it (trust anchors from the machine's store first, as
 * OpenSSL does, then --cafile, then what the server sent) — and which kind of root it ends
 * in. Pins are checked against this path only, so a middlebox cannot pass a pin check by
 * appending the real site's intermediate to its own chain. */
#ifndef TORREADY_CHAINPATH_H
#define TORREADY_CHAINPATH_H

#include <jansson.h>
#include <openssl/x509.h>

#include "certinfo.h"
#include "truststore.h"

#define CHAINPATH_MAX 10

struct chain_path {
	X509 *cert[CHAINPATH_MAX];        /* borrowed from the chain, the store or the cafile */
	const char *from[CHAINPATH_MAX];  /* "server", "trust store", "cafile" */
	char pin[CHAINPATH_MAX][CERTINFO_PIN_LEN];
	int n;
	/* "mozilla", "local" (added on this machine), "cafile" (given with --cafile),
	 * "not_trusted" (a root this machine does not trust), "unknown_issuer" (the path stops
	 * at a certificate whose issuer is nowhere to be found), or what trust_entry_class says. */
	const char *root_class;
	const struct trust_entry *root_entry;   /* when the root is in the store */
};

/* presented: leaf first, as the server sent it (not NULL, at least one certificate).
 * ts and cafile may be NULL. */
void chain_path_build(struct chain_path *p, STACK_OF(X509) *presented, const struct truststore *ts,
		      STACK_OF(X509) *cafile);
/* 1 when any certificate on the path has one of the pins (base64, no "sha256//"). */
int chain_path_has_pin(const struct chain_path *p, char *const *pins, size_t npins);
/* 1 when the two paths share no key. */
int chain_path_disjoint(const struct chain_path *a, const struct chain_path *b);
/* The path for people: a list of certinfo_json objects. */
json_t *chain_path_json(const struct chain_path *p);

/* Certificates from a PEM file (--cafile); NULL when none could be read. */
STACK_OF(X509) *chainpath_load_pem(const char *path);

#endif
