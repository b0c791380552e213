/* render_qr.h: a QR code (libqrencode) drawn as inline SVG, for printed handouts. */
#ifndef TORREADY_RENDER_QR_H
#define TORREADY_RENDER_QR_H

#include "buf.h"

/* Appends an <svg> element showing a QR code for text (error correction M, quiet zone of
 * four modules, black on white whatever the page's colours), labelled with label for screen
 * readers. -1 when the text cannot be encoded (too long). text and label are escaped. */
int render_qr_svg(const char *text, const char *label, struct buf *out);

#endif
