package barcode

/*
#cgo pkg-config: zxing
#cgo CXXFLAGS: -std=c++17
#include <stdlib.h>
#include "zxing_shim.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"image"
	"unsafe"
)

// zxFormat is a zxing-cpp BarcodeFormat bit.
type zxFormat C.int

var (
	zxPDF417 = zxFormat(C.idk_zx_format_pdf417())
	zxQR     = zxFormat(C.idk_zx_format_qr())
)

const errLen = 256

// zxRead decodes one symbol of format f from g with zxing-cpp. ok is false
// when no symbol was found.
func zxRead(g *image.Gray, f zxFormat, tryHarder bool) (raw []byte, corners [4]image.Point, ok bool, err error) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w <= 0 || h <= 0 {
		return nil, corners, false, nil
	}
	var res C.idk_zx_result
	var ebuf [errLen]C.char
	th := C.int(0)
	if tryHarder {
		th = 1
	}
	// g.Pix holds no Go pointers and the C side does not keep it: passing it
	// is allowed by the cgo pointer rules.
	n := C.idk_zx_read((*C.uchar)(unsafe.Pointer(&g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y)])),
		C.int(w), C.int(h), C.int(g.Stride), C.int(f), th, &res, &ebuf[0], errLen)
	switch n {
	case 0:
		return nil, corners, false, nil
	case 1:
	default:
		return nil, corners, false, fmt.Errorf("barcode: zxing-cpp: %s", C.GoString(&ebuf[0]))
	}
	defer C.idk_zx_free_result(&res)
	raw = C.GoBytes(unsafe.Pointer(res.data), res.len)
	for i := range corners {
		corners[i] = image.Pt(int(res.x[i])+g.Rect.Min.X, int(res.y[i])+g.Rect.Min.Y)
	}
	return raw, corners, true, nil
}

// zxWrite renders data as a symbol of format f, at least w x h pixels,
// with margin quiet-zone modules; ecc < 0 lets zxing-cpp choose.
func zxWrite(f zxFormat, data []byte, w, h, margin, ecc int) (*image.Gray, error) {
	if len(data) == 0 {
		return nil, errors.New("barcode: nothing to encode")
	}
	cdata := C.CBytes(data)
	defer C.free(cdata)
	var out *C.uchar
	var ow, oh C.int
	var ebuf [errLen]C.char
	if C.idk_zx_write(C.int(f), (*C.char)(cdata), C.int(len(data)), C.int(w), C.int(h), C.int(margin), C.int(ecc),
		&out, &ow, &oh, &ebuf[0], errLen) != 0 {
		return nil, fmt.Errorf("barcode: zxing-cpp writer: %s", C.GoString(&ebuf[0]))
	}
	defer C.idk_zx_free(unsafe.Pointer(out))
	img := image.NewGray(image.Rect(0, 0, int(ow), int(oh)))
	copy(img.Pix, unsafe.Slice((*byte)(unsafe.Pointer(out)), int(ow)*int(oh)))
	return img, nil
}
