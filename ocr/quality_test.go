package ocr

import (
	"image"
	"image/color"
	"testing"

	"github.com/stretchr/testify/assert"
)

// stripes draws dark 3-pixel bars every 8 pixels, blurred by box-averaging
// radius r, like print at different focus.
func stripes(w, h, r int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	val := func(x int) float64 {
		if x%8 < 3 {
			return 30
		}
		return 220
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s, n := 0.0, 0
			for k := -r; k <= r; k++ {
				s += val(x + k + 8)
				n++
			}
			v := uint8(s / float64(n))
			img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	return img
}

func TestAssess(t *testing.T) {
	sharp := Assess(stripes(1000, 300, 0))
	soft := Assess(stripes(1000, 300, 3))
	assert.Greater(t, sharp.Sharpness, 0.9)
	assert.Less(t, soft.Sharpness, sharp.Sharpness)
	assert.Zero(t, sharp.Glare)

	img := stripes(1000, 300, 0)
	for y := 0; y < 150; y++ {
		for x := 0; x < 200; x++ {
			img.SetRGBA(x, y, color.RGBA{255, 255, 255, 255})
		}
	}
	assert.InDelta(t, 0.1, Assess(img).Glare, 0.01, "a tenth of the area is blown out")

	assert.Equal(t, Quality{}, Assess(nil))
	assert.Equal(t, Quality{}, Assess(image.NewRGBA(image.Rect(0, 0, 4, 4))))
	flat := image.NewRGBA(image.Rect(0, 0, 400, 300))
	assert.Zero(t, Assess(flat).Sharpness)

	// A sub-image not at the origin is read where it is (it used to be
	// indexed from the origin, and ran off the end of the pixels).
	big := stripes(1000, 1000, 0)
	assert.Equal(t, Assess(stripes(1000, 500, 0)).Sharpness, Assess(big.SubImage(image.Rect(0, 500, 1000, 1000)).(*image.RGBA)).Sharpness)
}

// A rectified outline that came out a strip is scaled no taller than
// maxAspect times visualWidth (it used to be scaled to visualWidth wide,
// whatever its height: gigabytes for a 100x20000 strip).
func TestVisualImageBounded(t *testing.T) {
	g := visualImage(image.NewRGBA(image.Rect(0, 0, 100, 20000)))
	assert.LessOrEqual(t, g.Rect.Dy(), maxAspect*visualWidth)
	assert.Equal(t, visualWidth, visualImage(image.NewRGBA(image.Rect(0, 0, 900, 600))).Rect.Dx())
}
