/*
 * cimagecodecs: a thin C layer over libjpeg(-turbo), libpng 1.6 and zlib for Tapestry.
 *
 * Why a C target at all: libjpeg and libpng report errors by longjmp out of a callback
 * (libjpeg's default even calls exit()), and Swift cannot setjmp. Every function here
 * catches those and returns a status instead, so a corrupt file never ends the process.
 *
 * Conventions shared by all functions:
 *   - return 0 on success, non-zero on failure;
 *   - on failure a NUL-terminated message is written to err (at most errlen bytes);
 *   - output buffers are allocated with malloc and must be released with cimg_free.
 */
#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Frees a buffer returned by any function of this library. NULL is allowed. */
void cimg_free(void *p);

/*
 * Decodes a baseline or progressive JPEG.
 * Grayscale JPEGs stay 1 channel (as Pillow's "L" mode); colour ones are converted to RGB (3).
 * CMYK/YCCK JPEGs are rejected with an error.
 * libjpeg recovers from some damage (a truncated file is padded with gray) and only warns;
 * *warnings receives the number of such warnings, *truncated is 1 if one of them was
 * "Premature end of JPEG file", and err holds the first warning text (the end-of-file one if
 * any) while the function still returns 0 with pixels. The caller decides.
 * DCT method is libjpeg's default (JDCT_ISLOW) with fancy upsampling, as Pillow uses.
 */
int cimg_decode_jpeg(const uint8_t *data, size_t len,
                     uint8_t **out, int *width, int *height, int *channels,
                     int *warnings, int *truncated, char *err, size_t errlen);

/*
 * Decodes a PNG of any bit depth and colour type to 8-bit pixels:
 *   gray (1,2,4,8,16 bit)       -> 1 channel
 *   gray + alpha                -> 4 channels (gray copied to R,G,B)
 *   RGB                         -> 3 channels
 *   RGBA                        -> 4 channels
 *   palette                     -> 3 channels, or 4 when the palette has a tRNS chunk
 * 16-bit samples keep their high byte (as Pillow does for RGB/RGBA 16-bit PNGs).
 * tRNS on gray/RGB images (a single transparent colour) is ignored.
 * Interlaced (Adam7) images are supported.
 */
int cimg_decode_png(const uint8_t *data, size_t len,
                    uint8_t **out, int *width, int *height, int *channels,
                    char *err, size_t errlen);

/*
 * Encodes 8-bit pixels (row-major, channels interleaved, rows tightly packed) as PNG.
 * channels must be 1 (gray), 3 (RGB) or 4 (RGBA).
 * fast != 0 sets PNG_IMAGE_FLAG_FAST: a cheaper filter and zlib setting, larger files.
 */
int cimg_encode_png(const uint8_t *pixels, int width, int height, int channels, int fast,
                    uint8_t **out, size_t *outlen, char *err, size_t errlen);

/*
 * Inflates a whole gzip (.gz, including concatenated members) or zlib stream,
 * detected from its header.
 */
int cimg_inflate(const uint8_t *data, size_t len,
                 uint8_t **out, size_t *outlen, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
