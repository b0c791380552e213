/* browser.h: the self-check's judgement. The User-Agent names a browser; the ClientHello that
 * arrived either could have come from that browser's TLS library or could not. Could not →
 * something between the browser and this server made its own TLS connection (intercepted).
 * A client these rules cannot place (another program, a browser too old for the rules, no
 * readable ClientHello) is unknown, never clear. Pure code. */
#ifndef TORREADY_BROWSER_H
#define TORREADY_BROWSER_H

#include "clienthello.h"

enum browser_family { BR_OTHER, BR_CHROMIUM, BR_FIREFOX, BR_SAFARI };
enum selfcheck_verdict { SC_UNKNOWN, SC_CLEAR, SC_INTERCEPTED };

#define BR_MAX_SIGNALS 12

struct browser_judgement {
	enum browser_family family;
	char version[16];            /* the major version the User-Agent claims, "" when none */
	enum selfcheck_verdict verdict;
	size_t nsignals;
	char signals[BR_MAX_SIGNALS][48];   /* the features that disagree, e.g. "grease_missing" */
	const char *why;             /* one plain sentence on how the verdict was reached */
};

const char *browser_family_name(enum browser_family f);   /* chromium|firefox|safari|other */
const char *selfcheck_verdict_name(enum selfcheck_verdict v);   /* clear|intercepted|unknown */

/* Family and major version from a User-Agent (NULL is fine). */
void browser_from_ua(const char *ua, enum browser_family *f, char version[16]);

/* The verdict. ch is NULL when no ClientHello could be read. */
void browser_judge(const char *ua, const struct clienthello *ch, struct browser_judgement *j);

#endif
