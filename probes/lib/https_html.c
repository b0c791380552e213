/* https_html.c: walks the document libxml2's HTML parser builds (the same tree shape a
 * browser gets from broken markup, near enough) and classifies every subresource URL that
 * resolves to http://. Active content (it can change the page) is blocked by browsers;
 * passive content (images, media) is loaded with a warning or upgraded. */
#include "https_html.h"

#include <libxml/HTMLparser.h>
#include <libxml/uri.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "results.h"

struct scan {
	struct mixed_report *r;
	char *base;   /* the effective base URL (page URL, or <base href> resolved against it) */
};

static int is_http(const char *u)
{
	return !strncasecmp(u, "http:", 5);
}

static void add(struct scan *s, const char *tag, const char *url, int active)
{
	size_t *n = active ? &s->r->nactive : &s->r->npassive;
	json_t *list = active ? s->r->active : s->r->passive;
	(*n)++;
	if (json_array_size(list) >= MIXED_KEEP)
		return;
	json_t *o = json_object();
	json_object_set_new(o, "tag", json_string(tag));
	json_object_set_new(o, "url", results_str_safe(url, strlen(url)));
	json_array_append_new(list, o);
}

/* One URL as written in an attribute: trimmed, resolved against the base, judged. */
static void check_url(struct scan *s, const char *tag, const char *raw, size_t n, int active)
{
	while (n && strchr(" \t\n\r\f", *raw)) {
		raw++;
		n--;
	}
	while (n && strchr(" \t\n\r\f", raw[n - 1]))
		n--;
	if (!n || n > 8192)
		return;
	char *u = xstrndup(raw, n);
	xmlChar *abs = s->base ? xmlBuildURI((const xmlChar *)u, (const xmlChar *)s->base) : NULL;
	const char *judged = abs ? (const char *)abs : u;
	if (is_http(judged))
		add(s, tag, judged, active);
	xmlFree(abs);
	free(u);
}

/* srcset: comma-separated "URL [descriptor]" candidates. */
static void check_srcset(struct scan *s, const char *tag, const char *v)
{
	const char *p = v;
	while (*p) {
		while (*p && (strchr(" \t\n\r\f,", *p)))
			p++;
		const char *u = p;
		while (*p && !strchr(" \t\n\r\f", *p))
			p++;
		size_t n = (size_t)(p - u);
		while (n && u[n - 1] == ',')
			n--;
		int ended = p > u && p[-1] == ',';
		if (n)
			check_url(s, tag, u, n, 0);
		if (!ended)
			while (*p && *p != ',')
				p++;   /* skip the descriptor ("2x", "640w") */
	}
}

static int rel_has(const char *rel, const char *word)
{
	size_t w = strlen(word);
	for (const char *p = rel; *p;) {
		while (*p && strchr(" \t\n\r\f", *p))
			p++;
		size_t n = strcspn(p, " \t\n\r\f");
		if (n == w && !strncasecmp(p, word, n))
			return 1;
		p += n;
	}
	return 0;
}

static void attr(struct scan *s, xmlNode *el, const char *name, int active)
{
	xmlChar *v = xmlGetProp(el, (const xmlChar *)name);
	if (!v)
		return;
	if (!strcmp(name, "srcset"))
		check_srcset(s, (const char *)el->name, (const char *)v);
	else
		check_url(s, (const char *)el->name, (const char *)v, strlen((const char *)v), active);
	xmlFree(v);
}

static void element(struct scan *s, xmlNode *el)
{
	const char *t = (const char *)el->name;
	if (!strcmp(t, "script") || !strcmp(t, "iframe") || !strcmp(t, "frame") || !strcmp(t, "embed")) {
		attr(s, el, "src", 1);
	} else if (!strcmp(t, "object")) {
		attr(s, el, "data", 1);
	} else if (!strcmp(t, "form")) {
		attr(s, el, "action", 1);
	} else if (!strcmp(t, "link")) {
		xmlChar *rel = xmlGetProp(el, (const xmlChar *)"rel");
		if (rel && rel_has((const char *)rel, "stylesheet"))
			attr(s, el, "href", 1);
		xmlFree(rel);
	} else if (!strcmp(t, "img") || !strcmp(t, "source")) {
		attr(s, el, "src", 0);
		attr(s, el, "srcset", 0);
	} else if (!strcmp(t, "audio") || !strcmp(t, "video")) {
		attr(s, el, "src", 0);
		if (!strcmp(t, "video"))
			attr(s, el, "poster", 0);
	}
}

/* Next node in document order, without recursion (pages can nest deeply). */
static xmlNode *next_node(xmlNode *n)
{
	if (n->children)
		return n->children;
	while (n) {
		if (n->next)
			return n->next;
		n = n->parent;
		if (n && n->type == XML_HTML_DOCUMENT_NODE)
			return NULL;
	}
	return NULL;
}

/* The first <base href> sets the base for every relative URL in the page. */
static void find_base(struct scan *s, xmlNode *root)
{
	for (xmlNode *n = root; n; n = next_node(n)) {
		if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "base"))
			continue;
		xmlChar *href = xmlGetProp(n, (const xmlChar *)"href");
		if (!href)
			continue;
		xmlChar *abs = xmlBuildURI(href, (const xmlChar *)s->base);
		xmlFree(href);
		if (abs) {
			free(s->base);
			s->base = xstrdup((const char *)abs);
			xmlFree(abs);
		}
		return;
	}
}

void mixed_scan(const char *html, size_t len, const char *page_url, struct mixed_report *r)
{
	memset(r, 0, sizeof *r);
	r->active = json_array();
	r->passive = json_array();
	if (!html || !len || len > (size_t)INT32_MAX)
		return;
	htmlDocPtr doc = htmlReadMemory(html, (int)len, page_url, NULL,
					HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
					HTML_PARSE_RECOVER);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root) {
		xmlFreeDoc(doc);
		return;
	}
	r->parsed = 1;
	struct scan s = { .r = r, .base = xstrdup(page_url ? page_url : "") };
	find_base(&s, root);
	for (xmlNode *n = root; n; n = next_node(n))
		if (n->type == XML_ELEMENT_NODE)
			element(&s, n);
	free(s.base);
	xmlFreeDoc(doc);
}

void mixed_report_clear(struct mixed_report *r)
{
	json_decref(r->active);
	json_decref(r->passive);
	r->active = r->passive = NULL;
}
