/* hostinfo.h: what the results say about the machine that ran them (OS name). */
#ifndef TORREADY_HOSTINFO_H
#define TORREADY_HOSTINFO_H

#include <jansson.h>

void hostinfo_fill(json_t *host);

#endif
