/* chainpath.c: building the signature-checked path from a leaf to its root. */
#include "chainpath.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <string.h>

static void add(struct chain_path *p, X509 *x, const char *from)
{
	p->cert[p->n] = x;
	p->from[p->n] = from;
	certinfo_spki_pin(x, p->pin[p->n]);
	p->n++;
}

static int on_path(const struct chain_path *p, X509 *x)
{
	for (int i = 0; i < p->n; i++)
		if (p->cert[i] == x || !X509_cmp(p->cert[i], x))
			return 1;
	return 0;
}

static X509 *issuer_in(STACK_OF(X509) *sk, const struct chain_path *p, X509 *child)
{
	for (int i = 0; sk && i < sk_X509_num(sk); i++) {
		X509 *c = sk_X509_value(sk, i);
		if (!on_path(p, c) && certinfo_signed_by(child, c))
			return c;
	}
	return NULL;
}

static X509 *same_in(STACK_OF(X509) *sk, X509 *x)
{
	for (int i = 0; sk && i < sk_X509_num(sk); i++) {
		X509 *c = sk_X509_value(sk, i);
		if (!X509_NAME_cmp(X509_get_subject_name(c), X509_get_subject_name(x)) && certinfo_same_key(c, x))
			return c;
	}
	return NULL;
}

static void classify_root(struct chain_path *p, const struct truststore *ts, STACK_OF(X509) *cafile)
{
	X509 *last = p->cert[p->n - 1];
	if (!p->root_entry && ts && strcmp(p->from[p->n - 1], "cafile"))
		p->root_entry = truststore_find_same(ts, last);
	if (p->root_entry)
		p->root_class = trust_entry_class(p->root_entry);
	else if (!strcmp(p->from[p->n - 1], "cafile") || same_in(cafile, last))
		p->root_class = "cafile";
	else if (certinfo_self_signed(last))
		p->root_class = "not_trusted";
	else
		p->root_class = "unknown_issuer";
}

void chain_path_build(struct chain_path *p, STACK_OF(X509) *presented, const struct truststore *ts,
		      STACK_OF(X509) *cafile)
{
	memset(p, 0, sizeof *p);
	add(p, sk_X509_value(presented, 0), "server");
	while (p->n < CHAINPATH_MAX) {
		X509 *cur = p->cert[p->n - 1], *next;
		if (certinfo_self_signed(cur))
			break;
		/* Trust anchors first, as OpenSSL's default (X509_V_FLAG_TRUSTED_FIRST) does: a
		 * server's cross-signed intermediate must not lead us away from a trusted root. */
		const struct trust_entry *t = ts ? truststore_find_issuer(ts, cur) : NULL;
		if (t) {
			add(p, t->x, "trust store");
			p->root_entry = t;
			break;
		}
		if ((next = issuer_in(cafile, p, cur))) {
			add(p, next, "cafile");
			break;
		}
		if (!(next = issuer_in(presented, p, cur)))
			break;
		add(p, next, "server");
	}
	classify_root(p, ts, cafile);
}

static const char *bare_pin(const char *s)
{
	return strncmp(s, "sha256//", 8) ? s : s + 8;
}

int chain_path_has_pin(const struct chain_path *p, char *const *pins, size_t npins)
{
	for (int i = 0; i < p->n; i++)
		for (size_t k = 0; k < npins; k++)
			if (!strcmp(p->pin[i], bare_pin(pins[k])))
				return 1;
	return 0;
}

int chain_path_disjoint(const struct chain_path *a, const struct chain_path *b)
{
	for (int i = 0; i < a->n; i++)
		for (int k = 0; k < b->n; k++)
			if (!strcmp(a->pin[i], b->pin[k]))
				return 0;
	return 1;
}

json_t *chain_path_json(const struct chain_path *p)
{
	json_t *a = json_array();
	for (int i = 0; i < p->n; i++)
		json_array_append_new(a, certinfo_json(p->cert[i], p->from[i]));
	return a;
}

STACK_OF(X509) *chainpath_load_pem(const char *path)
{
	BIO *b = path ? BIO_new_file(path, "r") : NULL;
	if (!b) {
		ERR_clear_error();
		return NULL;
	}
	STACK_OF(X509) *sk = sk_X509_new_null();
	X509 *x;
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)))
		sk_X509_push(sk, x);
	ERR_clear_error();
	BIO_free(b);
	if (!sk_X509_num(sk)) {
		sk_X509_free(sk);
		return NULL;
	}
	return sk;
}
