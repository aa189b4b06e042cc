package faceapi

import (
	"image"
	"image/color"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func solid(w, h int, c color.Color) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	return img
}

func TestPreprocessPadsLikeFaceAPI(t *testing.T) {
	white := color.NRGBA{255, 255, 255, 255}
	// A 3x6 image (w < h) is padded to 6x6 with diff 3: Math.round(1.5) = 2
	// black columns after it, 1 before.
	out := Preprocess(solid(3, 6, white), 6)
	require.Len(t, out, 6*6*3)
	for x, want := range []float32{0, 255, 255, 255, 0, 0} {
		assert.Equal(t, want, out[3*(2*6+x)], "column %d", x)
	}
	// A 6x4 image (w > h) gets 1 black row before and 1 after.
	out = Preprocess(solid(6, 4, white), 6)
	for y, want := range []float32{0, 255, 255, 255, 255, 0} {
		assert.Equal(t, want, out[3*(y*6+2)], "row %d", y)
	}
}

func TestPreprocessChannelsAndResize(t *testing.T) {
	img := solid(8, 8, color.NRGBA{10, 20, 30, 255})
	// Mark the top-left pixel: at 4x4 output, pixel (0,0) samples it exactly.
	img.Set(0, 0, color.NRGBA{200, 100, 50, 255})
	out := Preprocess(img, 4)
	require.Len(t, out, 4*4*3)
	assert.Equal(t, []float32{200, 100, 50}, out[:3], "RGB order, no blending at the sample point")
	assert.Equal(t, []float32{10, 20, 30}, out[3:6])
	// Upscaling 2x: output pixel 1 lies halfway between inputs 0 and 1.
	up := Preprocess(img, 16)
	assert.Equal(t, float32(105), up[3*1])
}

func TestPreprocessSameSizeIsIdentity(t *testing.T) {
	img := image.NewNRGBA(image.Rect(5, 7, 9, 11)) // a non-zero origin
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	out := Preprocess(img, 4)
	for i := range 16 {
		assert.Equal(t, float32(img.Pix[4*i]), out[3*i])
		assert.Equal(t, float32(img.Pix[4*i+2]), out[3*i+2])
	}
}

func TestPreprocessRejectsEmpty(t *testing.T) {
	assert.Nil(t, Preprocess(image.NewNRGBA(image.Rect(0, 0, 0, 5)), 112))
	assert.Nil(t, Preprocess(solid(2, 2, color.Black), 0))
	assert.Nil(t, Preprocess(solid(2, 2, color.Black), -3))
}
