package barcode

import (
	"context"
	"fmt"
	"image"

	"github.com/idkit-dev/idkit/aamva"
)

// ReadAAMVA finds the PDF417 symbol of a North American driving licence or
// ID card and parses its AAMVA payload. It returns ErrNoBarcode when there
// is no PDF417 symbol and an error wrapping ErrNotAAMVA (and the aamva
// package's error) when the symbol holds something else; the Barcode is
// returned in that case so the caller can see what was read.
func (r *Reader) ReadAAMVA(ctx context.Context, img image.Image) (*aamva.Result, Barcode, error) {
	b, err := r.ReadPDF417(ctx, img)
	if err != nil {
		return nil, b, err
	}
	res, err := aamva.Parse(b.Data)
	if err != nil {
		return nil, b, fmt.Errorf("%w: %w", ErrNotAAMVA, err)
	}
	return res, b, nil
}
