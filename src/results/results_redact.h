/* results_redact.h: strips what identifies a person or a private bridge from a results
 * document before it leaves a machine or reaches a page (`render --redact`, `serve` intake). */
#ifndef TORREADY_RESULTS_REDACT_H
#define TORREADY_RESULTS_REDACT_H

#include <jansson.h>

/* What takes the place of removed text. */
#define REDACTED_ADDR "[bridge address]"
#define REDACTED_SECRET "[redacted]"

/* Redacts a results document (the JSON of ../shared/spec/results.md) in place:
 *  - the public address relays saw (evidence "relay_sees_us_as") is removed;
 *  - the address of every bridge named by a tor.bridge / tor.bootstrap target (and the url=
 *    of webtunnel bridges) is replaced wherever it appears in the document: targets,
 *    summaries, evidence, `contacted` (whose bridge entries are dropped);
 *  - every `cert=` value (an obfs4 bridge's secret) becomes cert=[redacted].
 * Documents of any shape are accepted; non-objects are left alone. Returns how many strings
 * or keys were changed. Idempotent. */
size_t results_redact(json_t *doc);

#endif
