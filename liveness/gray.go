package liveness

import (
	"image"
	"math"

	"github.com/idkit-dev/idkit/face"
)

// grayArea returns the luma of region b of img averaged down (or sampled
// up) to an n x n grid. Shrinking averages up to 4x4 evenly spaced source
// pixels per cell, so a large face costs the same as a small one and fine
// texture does not alias into the cues.
func grayArea(img *image.RGBA, b face.Box, n int) []float64 {
	out := make([]float64, n*n)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	cw, ch := b.W()/float64(n), b.H()/float64(n)
	sx := max(1, min(4, int(math.Ceil(cw))))
	sy := max(1, min(4, int(math.Ceil(ch))))
	for gy := 0; gy < n; gy++ {
		for gx := 0; gx < n; gx++ {
			var sum float64
			for j := 0; j < sy; j++ {
				y := int(b.Y1 + (float64(gy)+(float64(j)+0.5)/float64(sy))*ch)
				y = min(max(y, 0), h-1)
				row := img.Rect.Min.Y + y
				for i := 0; i < sx; i++ {
					x := int(b.X1 + (float64(gx)+(float64(i)+0.5)/float64(sx))*cw)
					x = min(max(x, 0), w-1)
					o := (row-img.Rect.Min.Y)*img.Stride + x*4
					sum += 0.299*float64(img.Pix[o]) + 0.587*float64(img.Pix[o+1]) + 0.114*float64(img.Pix[o+2])
				}
			}
			out[gy*n+gx] = sum / float64(sx*sy)
		}
	}
	return out
}
