/* fuzz_mixed.c: the mixed-content scanner (mixed_scan: libxml2's HTML parser and our walk
 * over its tree) on a hostile page served at a fixed https:// URL. */
#include "fuzz_util.h"
#include "https_html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mixed_report r;
	mixed_scan((const char *)data, size, "https://example.test/dir/page.html", &r);
	FUZZ_ASSERT(json_array_size(r.active) <= MIXED_KEEP && json_array_size(r.passive) <= MIXED_KEEP);
	FUZZ_ASSERT(json_array_size(r.active) <= r.nactive && json_array_size(r.passive) <= r.npassive);
	mixed_report_clear(&r);
	return 0;
}
