/* truststore.h: the machine's trusted root certificates (Debian layout), each classified as
 * from the Mozilla set, added locally, or disabled — read under a root directory so tests
 * can use a fake store and never touch the real /etc. */
#ifndef TORREADY_TRUSTSTORE_H
#define TORREADY_TRUSTSTORE_H

#include <limits.h>
#include <openssl/x509.h>
#include <stddef.h>

#include "certinfo.h"
#include "err.h"

/* Where Debian keeps things, relative to the store root. */
#define TS_MOZILLA_DIR "/usr/share/ca-certificates/mozilla"
#define TS_SHARE_DIR "/usr/share/ca-certificates"
#define TS_LOCAL_DIR "/usr/local/share/ca-certificates"
#define TS_ETC_DIR "/etc/ssl/certs"
#define TS_BUNDLE "/etc/ssl/certs/ca-certificates.crt"
#define TS_CONF "/etc/ca-certificates.conf"

struct trust_entry {
	X509 *x;
	unsigned char fp[32];     /* SHA-256 of the DER certificate */
	char pin[CERTINFO_PIN_LEN];
	char *file;               /* where it was first seen, relative to the store root */
	char *source;             /* the file actually read (symlinks followed) */
	unsigned in_mozilla : 1;  /* a file of the Mozilla set */
	unsigned in_local : 1;    /* under /usr/local/share/ca-certificates */
	unsigned in_etc : 1;      /* in /etc/ssl/certs or its bundle: trusted now */
	unsigned disabled : 1;    /* named by a "!" line of /etc/ca-certificates.conf */
};

struct truststore {
	char *root;               /* "/" or the directory given */
	struct trust_entry *v;
	size_t n;
	char **disabled_names;    /* the "!" lines, without the "!" */
	size_t ndisabled;
	int found;                /* any part of a Debian-style store exists */
	size_t unreadable;        /* files that are not certificates */
	/* The first directory or file of the store that exists but could not be read (errno
	 * and path): the list is then incomplete, so no verdict may rest on it. 0 / "". */
	int read_errno;
	char read_error_path[PATH_MAX];
};

/* Reads the store under root (NULL = "/"). A missing store is not an error: found = 0. */
int truststore_load(struct truststore *ts, const char *root, struct err *e);
void truststore_free(struct truststore *ts);

/* Trusted now, or about to be (a local addition waiting for update-ca-certificates). */
int trust_entry_trusted(const struct trust_entry *t);
/* "mozilla", "local", "disabled" (switched off and no longer installed) or "not_trusted". */
const char *trust_entry_class(const struct trust_entry *t);

/* The trusted root that issued child (names match and its key verifies the signature). */
const struct trust_entry *truststore_find_issuer(const struct truststore *ts, X509 *child);
/* The trusted entry with the same subject and key as x (x itself, or a re-issue). */
const struct trust_entry *truststore_find_same(const struct truststore *ts, X509 *x);

#endif
