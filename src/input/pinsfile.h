/* pinsfile.h: the targets file `pins capture` writes — pins: entries emitted by libyaml's
 * emitter (every string double-quoted, non-ASCII escaped), and a leading comment block that
 * names each certificate in printable ASCII only. Nothing a server sends is written by hand. */
#ifndef TORREADY_PINSFILE_H
#define TORREADY_PINSFILE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

struct pinsfile_cert {
	const char *pin;         /* base64 SHA-256 of the SubjectPublicKeyInfo */
	const char *role;        /* "leaf", "intermediate", "root" (comment only) */
	const char *name;        /* the certificate's subject (comment only) */
	const char *not_after;   /* RFC 3339 (comment only) */
};

struct pinsfile_host {
	const char *host;
	int port;
	const struct pinsfile_cert *certs; size_t ncerts;
	const char *const *issuers; size_t nissuers;
};

/* Appends the whole file to out. -1 (nothing usable in out) when a value libyaml cannot
 * emit, such as a string that is not UTF-8. */
int pinsfile_write(struct buf *out, const struct pinsfile_host *h, size_t n, const char *version,
		   const char *when, struct err *e);

#endif
