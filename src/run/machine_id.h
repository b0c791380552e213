/* machine_id.h: a random id made once per installation, so aggregates count a machine once
 * however many times it ran `check` (../shared/spec/results.md, host.machine_id). */
#ifndef TORREADY_MACHINE_ID_H
#define TORREADY_MACHINE_ID_H

#include <jansson.h>

#define MACHINE_ID_LEN 32   /* hex characters */

/* Reads the id from $XDG_STATE_HOME/torready/machine-id (else ~/.local/state/torready/...),
 * creating it (mode 0600, directory 0700) with 128 random bits the first time. Returns 0 and
 * fills out, or -1 (no usable home: the run goes on without an id). */
int machine_id_get(char out[MACHINE_ID_LEN + 1]);
/* Sets host.machine_id when an id can be had; quietly leaves it out otherwise. */
void machine_id_fill(json_t *host);
/* 1 if s is an id of the form this file makes. */
int machine_id_valid(const char *s);

#endif
