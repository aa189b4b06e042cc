package barcode

import (
	"fmt"
	"image"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// EncodePDF417 renders data as a PDF417 symbol with zxing-cpp's writer,
// black on white with a quiet zone, enlarged by a whole factor to at least
// width pixels (0 keeps the writer's one-pixel modules). It exists for tests,
// specimens and evaluation adapters: idkit reads barcodes, it does not issue
// them.
func EncodePDF417(data []byte, width int) (*image.Gray, error) {
	g, err := zxWrite(zxPDF417, data, 0, 0, 2, -1)
	if err != nil {
		return nil, err
	}
	f := 1
	for g.Rect.Dx()*f < width {
		f++
	}
	if f == 1 {
		return g, nil
	}
	out := image.NewGray(image.Rect(0, 0, g.Rect.Dx()*f, g.Rect.Dy()*f))
	for y := 0; y < out.Rect.Dy(); y++ {
		src := g.Pix[(y/f)*g.Stride:]
		o := out.Pix[y*out.Stride:]
		for x := range o[:out.Rect.Dx()] {
			o[x] = src[x/f]
		}
	}
	return out, nil
}

// EncodeQR renders text as a QR code of at least size x size pixels with
// gozxing.
func EncodeQR(text string, size int) (*image.Gray, error) {
	m, err := qrcode.NewQRCodeWriter().Encode(text, gozxing.BarcodeFormat_QR_CODE, size, size, nil)
	if err != nil {
		return nil, fmt.Errorf("barcode: QR writer: %w", err)
	}
	w, h := m.GetWidth(), m.GetHeight()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if !m.Get(x, y) {
				img.Pix[y*img.Stride+x] = 255
			}
		}
	}
	return img, nil
}
