// A C interface to the few zxing-cpp calls idkit needs, so that cgo (which
// speaks C, not C++) can reach them. Every function catches C++ exceptions.
#ifndef IDKIT_ZXING_SHIM_H
#define IDKIT_ZXING_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

// idk_zx_result is one decoded symbol. data is malloc'd and owned by the
// caller (free with idk_zx_free_result).
typedef struct {
	int format;          // zxing-cpp BarcodeFormat bit
	unsigned char* data; // raw content bytes
	int len;
	int x[4], y[4];      // corners: top-left, top-right, bottom-right, bottom-left
	int orientation;     // degrees, as zxing-cpp reports it
} idk_zx_result;

// idk_zx_read decodes at most one symbol of the given formats from an 8-bit
// grey image. It returns 1 when a symbol was found, 0 when none was, and -1
// on an internal error (message in err).
int idk_zx_read(const unsigned char* gray, int width, int height, int stride,
                int formats, int try_harder, idk_zx_result* out, char* err, int errlen);

void idk_zx_free_result(idk_zx_result* r);

// idk_zx_write renders data as a symbol of the given format into a malloc'd
// 8-bit image (0 black, 255 white) of at least width x height. It returns 0
// on success and -1 on error (message in err).
int idk_zx_write(int format, const char* data, int len, int width, int height,
                 int margin, int ecc, unsigned char** out, int* out_w, int* out_h,
                 char* err, int errlen);

void idk_zx_free(void* p);

// Format bits, mirrored from zxing-cpp's BarcodeFormat.
int idk_zx_format_pdf417(void);
int idk_zx_format_qr(void);

#ifdef __cplusplus
}
#endif

#endif
