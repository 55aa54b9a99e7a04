/* PNG output (see png.h) through libpng's write API: one RGB row at a
 * time from the frame's 0x00RRGGBB words. libpng reports errors by
 * longjmp, so everything the error path frees is set up before setjmp. */
#include "ui/png.h"

#include <errno.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_png_error(png_structp png, png_const_charp msg)
{
    char *err = png_get_error_ptr(png);
    snprintf(err, 128, "%s", msg);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

int png_write_frame(const char *path, const struct display_frame *f, char *err, size_t errlen)
{
    char why[128] = "";
    FILE *fp;
    png_structp png = NULL;
    png_infop info = NULL;
    uint8_t *row = NULL;
    int w = f->width, h = f->height;

    if (w <= 0 || h <= 0 || w > DISPLAY_MAX_WIDTH || h > DISPLAY_MAX_HEIGHT) {
        snprintf(err, errlen, "the screen is blank (no mode set)");
        return -1;
    }
    fp = fopen(path, "wb");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    row = malloc((size_t)w * 3);
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, why, on_png_error, on_png_warning);
    info = png ? png_create_info_struct(png) : NULL;
    if (!row || !info) {
        snprintf(why, sizeof why, "out of memory");
        goto fail;
    }
    if (setjmp(png_jmpbuf(png)))
        goto fail;
    png_init_io(png, fp);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        const uint32_t *p = f->pixels + (size_t)y * (size_t)w;
        for (int x = 0; x < w; x++) {
            row[3 * x] = (uint8_t)(p[x] >> 16);
            row[3 * x + 1] = (uint8_t)(p[x] >> 8);
            row[3 * x + 2] = (uint8_t)p[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    free(row);
    if (fclose(fp) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    return 0;

fail:
    png_destroy_write_struct(&png, info ? &info : NULL);
    free(row);
    fclose(fp);
    remove(path);
    snprintf(err, errlen, "%s: %s", path, why[0] ? why : "cannot write PNG");
    return -1;
}
