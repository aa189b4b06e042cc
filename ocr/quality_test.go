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
}
