package specimen

import (
	"image"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPhotographScreen(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 300, 200))
	for i := range src.Pix {
		src.Pix[i] = 200
	}
	// The zero value is a 640x480 close-up; the same seed gives the same
	// photo.
	a := PhotographScreen(src, Screen{}, 1)
	require.Equal(t, image.Rect(0, 0, 640, 480), a.Bounds())
	assert.Equal(t, a.Pix, PhotographScreen(src, Screen{}, 1).Pix)
	assert.NotEqual(t, a.Pix, PhotographScreen(src, Screen{}, 2).Pix, "the noise comes from the seed")

	// The screen's subpixel stripes: a flat grey picture comes out with
	// strong column-to-column colour changes, which the source lacks.
	var swing float64
	for x := 101; x < 140; x++ {
		p, q := a.RGBAAt(x, 240), a.RGBAAt(x-1, 240)
		swing += absDiff(p.R, q.R) + absDiff(p.B, q.B)
	}
	assert.Greater(t, swing/39, 4.0)

	// With a margin the corners are the grey wall and the screen sits in
	// the middle.
	b := PhotographScreen(src, Screen{Width: 320, Height: 240, Pitch: 1.1, Margin: 0.15}, 1)
	require.Equal(t, image.Rect(0, 0, 320, 240), b.Bounds())
	assert.InDelta(t, 150, float64(b.RGBAAt(2, 2).R), 20)
	assert.Greater(t, float64(b.RGBAAt(2, 2).R), float64(b.RGBAAt(160, 120).R)+20, "the wall is lighter than the dimmed screen")
}

func absDiff(a, b uint8) float64 {
	if a > b {
		return float64(a - b)
	}
	return float64(b - a)
}
