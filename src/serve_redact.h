/* serve_redact.h: what `serve` removes from a results document before storing it (serve.md
 * "On intake"): the public address relays saw (evidence relay_sees_us_as), the addresses of
 * bridges the machine tried (wherever they appear: targets, evidence, contacted, messages),
 * and every cert= secret of a bridge line. The document keeps its shape. */
#ifndef TORREADY_SERVE_REDACT_H
#define TORREADY_SERVE_REDACT_H

#include <jansson.h>

void serve_redact(json_t *doc);

#endif
