/* render_qr.c: QR codes as inline SVG: one path of dark modules, so the page stays
 * self-contained and prints sharp at any size. */
#include "render_qr.h"

#include <qrencode.h>
#include <string.h>

#include "tpl.h"

#define QUIET 4   /* modules of white border the standard asks for */

int render_qr_svg(const char *text, const char *label, struct buf *out)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!qr)
		return -1;
	int w = qr->width, size = w + 2 * QUIET;
	buf_printf(out, "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		   "role=\"img\" aria-label=\"", size, size);
	tpl_escape_html(out, label, strlen(label));
	buf_printf(out, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
		   "<path fill=\"#000\" d=\"", size, size);
	/* Runs of dark modules on a row become one rectangle each. */
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			if (!(qr->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			buf_printf(out, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
			x += run;
		}
	}
	buf_puts(out, "\"/></svg>");
	QRcode_free(qr);
	return 0;
}
