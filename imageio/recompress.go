package imageio

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
)

// RecompressJPEG encodes img as JPEG at quality (1–100) and decodes it
// again: what a camera, a web upload or a re-save does to an image. Tests
// and evaluations use it to simulate captures and to give every image of a
// set one compression, so that a measurement cannot tell classes apart by
// how they were saved.
func RecompressJPEG(img image.Image, quality int) (*image.RGBA, error) {
	if quality < 1 || quality > 100 {
		return nil, fmt.Errorf("imageio: JPEG quality %d outside 1–100", quality)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("imageio: encode JPEG: %w", err)
	}
	out, _, err := DecodeBytes(b.Bytes(), Limits{})
	return out, err
}
