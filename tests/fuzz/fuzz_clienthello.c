/* fuzz_clienthello.c: a ClientHello from any TCP client (clienthello_parse), then what serve
 * does with a parsed one: its JA4 and the browser rules under each browser's User-Agent. */
#include "fuzz_util.h"
#include "browser.h"
#include "clienthello.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);   /* exactly size bytes: overreads are caught */
	if (!copy)
		abort();
	memcpy(copy, data, size);
	static struct clienthello ch;
	if (clienthello_parse(copy, size, &ch) == 0) {
		char ja4[CH_JA4_LEN + 1];
		clienthello_ja4(&ch, ja4);
		FUZZ_ASSERT(strlen(ja4) == CH_JA4_LEN && ja4[0] == 't' && ja4[10] == '_' && ja4[23] == '_');
		static const char *const uas[] = {
			"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
			"Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0",
			"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
			"curl/7.88.1",
		};
		for (size_t i = 0; i < sizeof uas / sizeof *uas; i++) {
			struct browser_judgement j;
			browser_judge(uas[i], &ch, &j);
			FUZZ_ASSERT(j.nsignals <= BR_MAX_SIGNALS);
			FUZZ_ASSERT(j.verdict != SC_INTERCEPTED || j.nsignals > 0);
			FUZZ_ASSERT(i != 3 || j.verdict == SC_UNKNOWN);
		}
	}
	free(copy);
	return 0;
}
