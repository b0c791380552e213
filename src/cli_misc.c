/* cli_misc.c: the small commands — `pins` (not yet), so the table is complete. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "err.h"

int cmd_pins(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "capture"))
		return cli_usage_error("pins", "expected \"pins capture HOST[:PORT] ...\"");
	fputs("torready pins: capturing pins arrives with the TLS interception probes; "
	      "this build cannot do it yet\n", stderr);
	return EXIT_INTERNAL;
}
