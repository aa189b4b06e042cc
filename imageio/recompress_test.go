package imageio_test

import (
	"image"
	"image/color"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/imageio"
)

func TestRecompressJPEG(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), uint8((x ^ y) * 4), 255})
		}
	}
	hi, err := imageio.RecompressJPEG(img, 95)
	require.NoError(t, err)
	lo, err := imageio.RecompressJPEG(img, 10)
	require.NoError(t, err)
	require.Equal(t, img.Bounds(), hi.Bounds())
	// A lower quality loses more.
	assert.Less(t, absDiff(img, hi), absDiff(img, lo))
	assert.Greater(t, absDiff(img, lo), 0.0)
	for _, q := range []int{0, -1, 101} {
		_, err := imageio.RecompressJPEG(img, q)
		assert.Error(t, err, "quality %d", q)
	}
}

func absDiff(a, b *image.RGBA) float64 {
	var s float64
	for i := range a.Pix {
		d := float64(a.Pix[i]) - float64(b.Pix[i])
		if d < 0 {
			d = -d
		}
		s += d
	}
	return s / float64(len(a.Pix))
}
