/* tpl_internal.h: the parsed form of a Mustache template, shared by tpl_parse.c and tpl_render.c. */
#ifndef TORREADY_TPL_INTERNAL_H
#define TORREADY_TPL_INTERNAL_H

#include <stddef.h>

#include "tpl.h"

enum tpl_ntype {
	TN_TEXT,      /* literal text; a line starts after each newline inside it */
	TN_INDENT,    /* a template line starts here: the active indentation goes before it */
	TN_VAR,       /* {{name}}, HTML-escaped */
	TN_RAW,       /* {{{name}}} and {{&name}} */
	TN_SECTION,   /* {{#name}} */
	TN_INVERTED,  /* {{^name}} */
	TN_PARTIAL,   /* {{>name}} */
	TN_PARENT,    /* {{<name}}: kids are the body, whose direct TN_BLOCKs are the overrides */
	TN_BLOCK,     /* {{$name}}: kids are the default content, or the override in a parent body */
};

struct tpl_name {
	char *str;      /* as written, trimmed; "*x" for a dynamic name */
	char **parts;   /* dotted name split on '.'; none for "." */
	size_t nparts;
	int dynamic;    /* partial/parent whose name is looked up in the data */
};

struct tpl_node;

struct tpl_list {
	struct tpl_node *v;
	size_t n, cap;
};

struct tpl_node {
	enum tpl_ntype type;
	/* TN_TEXT: the text. TN_PARTIAL, TN_PARENT, TN_BLOCK with has_indent: the indentation
	 * added to each line they expand to. Points into the owning struct tpl's src. */
	const char *text;
	size_t len;
	int has_indent;
	struct tpl_name name;
	struct tpl_list kids;
};

struct tpl {
	char *name;
	char *src;  /* private copy of the template text */
	size_t len;
	struct tpl_list root;
};

#endif
