/* cli_usage.c: usage texts and the common way commands report errors. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "codes.h"
#include "err.h"
#include "safetext.h"

static const char probe_flags[] =
	"  probe flags (each may repeat; each adds to the targets):\n"
	"    --bridge LINE                  a bridge line as in torrc\n"
	"    --dirauth NAME=IP:ORPORT[/DIRPORT]:FINGERPRINT\n"
	"    --site URL                     an https:// URL to assess\n"
	"    --pin HOST[:PORT]=sha256//BASE64[;...]\n"
	"    --cafile FILE                  extra trust anchors (PEM) for HTTPS checks\n"
	"    --resolve HOST:PORT:ADDR       like curl's --resolve (HOST on any other port too)\n"
	"    --socks HOST:PORT              a Tor SOCKS port, as a second vantage point\n"
	"    --mail HOST:PORT               a mail submission server to check\n"
	"    --store-root DIR               read the trust store as if DIR were /\n"
	"    --tor PATH                     the tor program (else $TORREADY_TOR, else tor on PATH)\n"
	"    --pt PATH                      the obfs4 PT client (else $TORREADY_PT, else lyrebird\n"
	"                                   or obfs4proxy on PATH)\n";

static const struct usage {
	const char *cmd, *text;
} usages[] = {
	{ "check", "torready check [--out DIR] [--targets FILE] [--no-defaults] [--timeout SEC]\n"
		   "               [--progress] [--verbose] [--submit URL --token-file FILE] [probe flags]\n"
		   "  Probes the default targets (plus any given), writes DIR/results.json,\n"
		   "  DIR/report.html and DIR/report.md (DIR defaults to ./output), prints the verdict,\n"
		   "  the main points and where the report is (--verbose: every result too).\n" },
	{ "probe", "torready probe [--targets FILE] [--no-defaults] [--only ID[,ID...]] [--timeout SEC]\n"
		   "               [--json FILE|-] [--progress] [probe flags]\n"
		   "  Runs probes and writes the results document (--json - = stdout, the default).\n" },
	{ "render", "torready render --results FILE|DIR [--results FILE|DIR ...] --out DIR\n"
		    "               [--page report|site|handout|handouts|article] [--topic ARTICLE_ID]\n"
		    "               [--format html,md,fragment] [--kb DIR] [--templates DIR]\n"
		    "               [--base-url URL] [--show-hosts] [--redact] [--site FILE]\n"
		    "  Renders pages from results already gathered (several --results = one aggregate;\n"
		    "  a DIR means every *.json in it; each machine counts once, its latest run).\n" },
	{ "kb", "torready kb lint [DIR]\n"
		"  Validates guidance entries; prints each problem as file:line:col: message.\n" },
	{ "template", "torready template FILE --data JSON_FILE [--partials DIR]\n"
		      "  Renders one Mustache template with JSON data to stdout.\n" },
	{ "pins", "torready pins capture HOST[:PORT] ... [--out FILE] [--resolve ...] [--cafile FILE]\n"
		  "               [--timeout SEC] [--store-root DIR] [--allow-untrusted]\n"
		  "  Records today's certificate chains as a targets file with a pins: list.\n"
		  "  A chain that leads to no trusted root needs --allow-untrusted (else exit 2).\n" },
	{ "serve", "torready serve --listen ADDR:PORT --tls-cert FILE --tls-key FILE\n"
		   "               [--store FILE] [--token-file FILE] [--kb DIR] [--templates DIR]\n"
		   "               [--site FILE] [--min-group N] [--base-url URL] [--site-dir DIR]\n"
		   "               [--no-redact] [--max-connections N] [--max-buffered MIB]\n"
		   "               [--idle-timeout SEC]\n"
		   "  The department service: the site, a browser self-check (/self-check) and\n"
		   "  results intake (POST /api/results with the token).\n" },
};

/* The ids --only takes, from the probe catalog. */
static void print_probe_ids(FILE *to)
{
	fputs("  probes (--only takes these ids, or a family: net, tor, https, tls, mail):\n", to);
	for (size_t i = 0; i < codes_probe_count(); i++)
		fprintf(to, "    %-16s %s\n", codes_probe_at(i)->id, codes_probe_at(i)->checks);
}

void cli_print_usage(const char *cmd, FILE *to)
{
	if (!cmd)
		fprintf(to, "torready %s: is this machine and network ready for Tor and for HTTPS?\n\n"
			    "usage:\n", TORREADY_VERSION);
	for (size_t i = 0; i < sizeof usages / sizeof *usages; i++) {
		if (cmd && strcmp(cmd, usages[i].cmd))
			continue;
		fputs(usages[i].text, to);
		if (!strcmp(usages[i].cmd, "probe") || (cmd && !strcmp(cmd, "check")))
			fputs(probe_flags, to);
		if (cmd && !strcmp(cmd, "probe"))
			print_probe_ids(to);
		if (!cmd)
			fputc('\n', to);
	}
	if (!cmd)
		fputs("torready --help | --version\n\n"
		      "Exit codes: 0 nothing failed, 1 some result failed, 2 bad usage or input,\n"
		      "3 internal error. See torready(1).\n", to);
}

/* Messages echo what was given (a flag's value, a file's text): made safe for the terminal. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "torready%s%s: %s\n\n", cmd ? " " : "", cmd ? cmd : "", text_term(0, msg));
	cli_print_usage(cmd, stderr);
	return EXIT_USAGE;
}

int cli_fail(const char *cmd, const struct err *e)
{
	char msg[1024];
	fprintf(stderr, "torready %s: %s\n", cmd, text_term(0, err_str(e, msg, sizeof msg)));
	return e->kind == EXIT_INTERNAL ? EXIT_INTERNAL : EXIT_USAGE;
}
