/* Saving a display_frame as a PNG file (src/ui/png.c, libpng): 8-bit RGB,
 * no alpha, for the monitor's screendump. */
#ifndef RAWBOX_UI_PNG_H
#define RAWBOX_UI_PNG_H

#include <stddef.h>

#include "ui/display.h"

/* Write f's pixels (width x height, at least 1 x 1) to `path`. On failure
 * returns -1 with the reason in err. */
int png_write_frame(const char *path, const struct display_frame *f, char *err, size_t errlen)
    __attribute__((warn_unused_result));

#endif
