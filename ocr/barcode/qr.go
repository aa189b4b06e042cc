package barcode

import (
	"context"
	"errors"
	"fmt"
	"image"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// ReadQR finds a QR code with gozxing (pure Go). The image is shrunk to
// MaxSide first.
func (r *Reader) ReadQR(ctx context.Context, img image.Image) (Barcode, error) {
	start := time.Now()
	g, scale, err := r.prepare(img)
	if err != nil {
		return Barcode{}, err
	}
	if err := ctx.Err(); err != nil {
		return Barcode{}, err
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(g)
	if err != nil {
		return Barcode{}, fmt.Errorf("%w: %v", ErrImage, err)
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		var nf gozxing.NotFoundException
		var ce gozxing.ChecksumException
		var fe gozxing.FormatException
		if errors.As(err, &nf) || errors.As(err, &ce) || errors.As(err, &fe) {
			return Barcode{}, ErrNoBarcode
		}
		return Barcode{}, fmt.Errorf("barcode: gozxing: %w", err)
	}
	b := Barcode{Format: QR, Data: qrBytes(res), Elapsed: time.Since(start)}
	// gozxing reports the three finder patterns (bottom-left, top-left,
	// top-right) and sometimes an alignment pattern; the fourth corner is
	// completed as a parallelogram.
	if pts := res.GetResultPoints(); len(pts) >= 3 {
		bl, tl, tr := pts[0], pts[1], pts[2]
		pt := func(x, y float64) image.Point { return image.Pt(int(x*scale), int(y*scale)).Add(img.Bounds().Min) }
		b.Corners = [4]image.Point{
			pt(tl.GetX(), tl.GetY()),
			pt(tr.GetX(), tr.GetY()),
			pt(tr.GetX()+bl.GetX()-tl.GetX(), tr.GetY()+bl.GetY()-tl.GetY()),
			pt(bl.GetX(), bl.GetY()),
		}
	}
	return b, nil
}

// qrBytes returns the decoded content: the raw byte segments when the code
// holds bytes, else the text.
func qrBytes(res *gozxing.Result) []byte {
	if segs, ok := res.GetResultMetadata()[gozxing.ResultMetadataType_BYTE_SEGMENTS].([][]byte); ok && len(segs) > 0 {
		var out []byte
		for _, s := range segs {
			out = append(out, s...)
		}
		return out
	}
	return []byte(res.GetText())
}
