/* See include/cimagecodecs.h for the contract. */
#include <stdio.h> /* jpeglib.h uses FILE and size_t without including these itself */
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <zlib.h>

#include "cimagecodecs.h"

void cimg_free(void *p) { free(p); }

static void set_err(char *err, size_t errlen, const char *prefix, const char *msg) {
    if (err && errlen > 0) snprintf(err, errlen, "%s%s", prefix, msg ? msg : "unknown error");
}

/* Rejects sizes whose byte count would overflow or is absurd (> 2^31 bytes). */
static int checked_size(size_t w, size_t h, size_t ch, size_t *bytes) {
    if (w == 0 || h == 0) return 0;
    if (w > (size_t)INT_MAX / h) return 0;
    size_t px = w * h;
    if (px > (size_t)INT_MAX / ch) return 0;
    *bytes = px * ch;
    return 1;
}

/* ------------------------------------------------------------------ JPEG */

struct jpeg_err {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char fatal[JMSG_LENGTH_MAX];
    char warning[JMSG_LENGTH_MAX]; /* the first warning: later ones are usually consequences */
    int truncated;                 /* saw JWRN_JPEG_EOF: the data ended before the image did */
};

static void jpeg_err_exit(j_common_ptr cinfo) {
    struct jpeg_err *e = (struct jpeg_err *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, e->fatal);
    longjmp(e->jump, 1);
}

/* libjpeg's default prints warnings to stderr; we count them and keep the text instead. */
static void jpeg_emit(j_common_ptr cinfo, int level) {
    struct jpeg_err *e = (struct jpeg_err *)cinfo->err;
    if (level >= 0) return; /* trace messages */
    if (e->pub.msg_code == JWRN_JPEG_EOF) {
        if (!e->truncated) (*cinfo->err->format_message)(cinfo, e->warning);
        e->truncated = 1;
    } else if (e->pub.num_warnings == 0 && !e->truncated) {
        (*cinfo->err->format_message)(cinfo, e->warning);
    }
    e->pub.num_warnings++;
}

int cimg_decode_jpeg(const uint8_t *data, size_t len,
                     uint8_t **out, int *width, int *height, int *channels,
                     int *warnings, int *truncated, char *err, size_t errlen) {
    struct jpeg_decompress_struct c;
    struct jpeg_err je;
    uint8_t *volatile buf = NULL; /* volatile: must survive the longjmp back into this frame */

    *out = NULL;
    *warnings = 0;
    *truncated = 0;
    if (len == 0) { set_err(err, errlen, "JPEG: ", "empty input"); return 1; }
    if (len > ULONG_MAX) { set_err(err, errlen, "JPEG: ", "input too large"); return 1; }

    memset(&c, 0, sizeof c);
    memset(&je, 0, sizeof je);
    c.err = jpeg_std_error(&je.pub);
    je.pub.error_exit = jpeg_err_exit;
    je.pub.emit_message = jpeg_emit;

    if (setjmp(je.jump)) {
        set_err(err, errlen, "JPEG: ", je.fatal);
        jpeg_destroy_decompress(&c);
        free(buf);
        return 1;
    }
    jpeg_create_decompress(&c);
    jpeg_mem_src(&c, (unsigned char *)data, (unsigned long)len);
    jpeg_read_header(&c, TRUE);

    if (c.jpeg_color_space == JCS_CMYK || c.jpeg_color_space == JCS_YCCK) {
        set_err(err, errlen, "JPEG: ", "CMYK/YCCK JPEGs are not supported (convert to RGB first)");
        jpeg_destroy_decompress(&c);
        return 2;
    }
    c.out_color_space = (c.num_components == 1) ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&c);

    size_t w = c.output_width, h = c.output_height, ch = (size_t)c.output_components, bytes = 0;
    if (!checked_size(w, h, ch, &bytes)) {
        set_err(err, errlen, "JPEG: ", "image dimensions are zero or too large");
        jpeg_destroy_decompress(&c);
        return 1;
    }
    buf = (uint8_t *)malloc(bytes);
    if (!buf) {
        set_err(err, errlen, "JPEG: ", "out of memory");
        jpeg_destroy_decompress(&c);
        return 1;
    }
    while (c.output_scanline < c.output_height) {
        JSAMPROW row = buf + (size_t)c.output_scanline * w * ch;
        jpeg_read_scanlines(&c, &row, 1);
    }
    jpeg_finish_decompress(&c);

    *warnings = (int)je.pub.num_warnings;
    *truncated = je.truncated;
    if (*warnings > 0) set_err(err, errlen, "JPEG: ", je.warning);
    jpeg_destroy_decompress(&c);

    *out = buf;
    *width = (int)w;
    *height = (int)h;
    *channels = (int)ch;
    return 0;
}

/* ------------------------------------------------------------------- PNG */

struct png_src {
    const uint8_t *data;
    size_t len, pos;
    char msg[256];
};

static void png_read_mem(png_structp p, png_bytep dst, png_size_t n) {
    struct png_src *s = (struct png_src *)png_get_io_ptr(p);
    if (n > s->len - s->pos) png_error(p, "unexpected end of data (truncated PNG)");
    memcpy(dst, s->data + s->pos, n);
    s->pos += n;
}

static void png_err_fn(png_structp p, png_const_charp msg) {
    struct png_src *s = (struct png_src *)png_get_error_ptr(p);
    snprintf(s->msg, sizeof s->msg, "%s", msg);
    png_longjmp(p, 1);
}

static void png_warn_fn(png_structp p, png_const_charp msg) { (void)p; (void)msg; }

int cimg_decode_png(const uint8_t *data, size_t len,
                    uint8_t **out, int *width, int *height, int *channels,
                    char *err, size_t errlen) {
    *out = NULL;
    if (len < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
        set_err(err, errlen, "PNG: ", "bad signature (not a PNG file)");
        return 1;
    }
    struct png_src src;
    memset(&src, 0, sizeof src);
    src.data = data;
    src.len = len;

    png_structp p = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_err_fn, png_warn_fn);
    if (!p) { set_err(err, errlen, "PNG: ", "cannot create read struct"); return 1; }
    png_infop info = png_create_info_struct(p);
    if (!info) {
        png_destroy_read_struct(&p, NULL, NULL);
        set_err(err, errlen, "PNG: ", "cannot create info struct");
        return 1;
    }
    uint8_t *volatile buf = NULL;
    png_bytep *volatile rows = NULL;

    if (setjmp(png_jmpbuf(p))) {
        set_err(err, errlen, "PNG: ", src.msg);
        png_destroy_read_struct(&p, &info, NULL);
        free(buf);
        free(rows);
        return 1;
    }
    png_set_read_fn(p, &src, png_read_mem);
    png_read_info(p, info);

    png_uint_32 w = 0, h = 0;
    int depth = 0, ctype = 0, interlace = 0;
    png_get_IHDR(p, info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);

    int ch = 0;
    if (depth == 16) png_set_strip_16(p); /* keeps the high byte, like Pillow's RGB;16B unpacker */
    switch (ctype) {
    case PNG_COLOR_TYPE_PALETTE:
        png_set_palette_to_rgb(p);
        if (png_get_valid(p, info, PNG_INFO_tRNS)) { png_set_tRNS_to_alpha(p); ch = 4; } else { ch = 3; }
        break;
    case PNG_COLOR_TYPE_GRAY:
        if (depth < 8) png_set_expand_gray_1_2_4_to_8(p);
        ch = 1;
        break;
    case PNG_COLOR_TYPE_GRAY_ALPHA:
        png_set_gray_to_rgb(p); /* Image has no 2-channel layout */
        ch = 4;
        break;
    case PNG_COLOR_TYPE_RGB: ch = 3; break;
    case PNG_COLOR_TYPE_RGB_ALPHA: ch = 4; break;
    default: png_error(p, "unknown PNG colour type");
    }
    if (interlace != PNG_INTERLACE_NONE) png_set_interlace_handling(p);
    png_read_update_info(p, info);

    size_t bytes = 0;
    if (!checked_size(w, h, (size_t)ch, &bytes)) png_error(p, "image dimensions are zero or too large");
    if (png_get_channels(p, info) != ch || png_get_rowbytes(p, info) != (size_t)w * (size_t)ch)
        png_error(p, "unexpected pixel layout after transformations");

    buf = (uint8_t *)malloc(bytes);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * h);
    if (!buf || !rows) png_error(p, "out of memory");
    for (png_uint_32 y = 0; y < h; y++) rows[y] = buf + (size_t)y * w * (size_t)ch;
    png_read_image(p, rows);
    png_read_end(p, NULL);

    png_destroy_read_struct(&p, &info, NULL);
    free(rows);
    *out = buf;
    *width = (int)w;
    *height = (int)h;
    *channels = ch;
    return 0;
}

int cimg_encode_png(const uint8_t *pixels, int width, int height, int channels, int fast,
                    uint8_t **out, size_t *outlen, char *err, size_t errlen) {
    *out = NULL;
    *outlen = 0;
    size_t bytes = 0;
    if (width <= 0 || height <= 0 || !checked_size((size_t)width, (size_t)height, 4, &bytes)) {
        set_err(err, errlen, "PNG: ", "image dimensions are zero or too large");
        return 1;
    }
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)width;
    img.height = (png_uint_32)height;
    if (fast) img.flags |= PNG_IMAGE_FLAG_FAST;
    switch (channels) {
    case 1: img.format = PNG_FORMAT_GRAY; break;
    case 3: img.format = PNG_FORMAT_RGB; break;
    case 4: img.format = PNG_FORMAT_RGBA; break;
    default: set_err(err, errlen, "PNG: ", "channels must be 1, 3 or 4"); return 1;
    }
    png_alloc_size_t size = 0;
    /* First call measures, second writes: the simplified API has no growable sink. */
    if (!png_image_write_to_memory(&img, NULL, &size, 0, pixels, 0, NULL)) {
        set_err(err, errlen, "PNG: ", img.message);
        png_image_free(&img);
        return 1;
    }
    uint8_t *buf = (uint8_t *)malloc(size);
    if (!buf) { set_err(err, errlen, "PNG: ", "out of memory"); return 1; }
    if (!png_image_write_to_memory(&img, buf, &size, 0, pixels, 0, NULL)) {
        set_err(err, errlen, "PNG: ", img.message);
        png_image_free(&img);
        free(buf);
        return 1;
    }
    *out = buf;
    *outlen = size;
    return 0;
}

/* ------------------------------------------------------------------ zlib */

int cimg_inflate(const uint8_t *data, size_t len,
                 uint8_t **out, size_t *outlen, char *err, size_t errlen) {
    *out = NULL;
    *outlen = 0;
    if (len == 0) { set_err(err, errlen, "inflate: ", "empty input"); return 1; }
    if (len > UINT_MAX) { set_err(err, errlen, "inflate: ", "input larger than 4 GiB"); return 1; }

    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit2(&s, 15 + 32) != Z_OK) { /* +32: accept both zlib and gzip headers */
        set_err(err, errlen, "inflate: ", "cannot initialise zlib");
        return 1;
    }
    size_t cap = len * 4 + 4096;
    uint8_t *buf = (uint8_t *)malloc(cap);
    if (!buf) { inflateEnd(&s); set_err(err, errlen, "inflate: ", "out of memory"); return 1; }
    s.next_in = (Bytef *)data;
    s.avail_in = (uInt)len;
    size_t produced = 0;

    for (;;) {
        if (produced == cap) {
            size_t ncap = cap * 2;
            uint8_t *nb = (uint8_t *)realloc(buf, ncap);
            if (!nb) { free(buf); inflateEnd(&s); set_err(err, errlen, "inflate: ", "out of memory"); return 1; }
            buf = nb;
            cap = ncap;
        }
        size_t room = cap - produced;
        if (room > UINT_MAX) room = UINT_MAX;
        s.next_out = buf + produced;
        s.avail_out = (uInt)room;
        int rc = inflate(&s, Z_NO_FLUSH);
        produced += room - s.avail_out;
        if (rc == Z_STREAM_END) {
            /* gzip allows several members back to back (e.g. `cat a.gz b.gz`). */
            if (s.avail_in >= 2 && s.next_in[0] == 0x1f && s.next_in[1] == 0x8b) {
                inflateReset(&s);
                continue;
            }
            break;
        }
        if (rc == Z_OK) continue;
        if (rc == Z_BUF_ERROR && s.avail_in == 0) {
            set_err(err, errlen, "inflate: ", "unexpected end of compressed data (truncated file)");
        } else {
            set_err(err, errlen, "inflate: ", s.msg ? s.msg : "corrupt compressed data");
        }
        free(buf);
        inflateEnd(&s);
        return 1;
    }
    inflateEnd(&s);
    *out = buf;
    *outlen = produced;
    return 0;
}
