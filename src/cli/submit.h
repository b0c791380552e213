/* submit.h: `check --submit URL --token-file FILE` — sends the results file check just wrote
 * to a department's `torready serve` (POST URL/api/results, bearer token). */
#ifndef TORREADY_SUBMIT_H
#define TORREADY_SUBMIT_H

#include "err.h"

/* url: the service's base (https://serve.example.edu[:port][/]) or its /api/results address.
 * cafile may be NULL (the system's trust store). 0 when the service answered 201; -1 with a
 * message naming what went wrong otherwise (the file is never touched). */
int results_submit(const char *url, const char *token_file, const char *results_path,
		   const char *cafile, struct err *e);

#endif
