package facematch

import (
	"image"
	"math"

	"github.com/idkit-dev/idkit/internal/imgproc"
)

// The pixel operations the document path needs and internal/imgproc does
// not have: a Catmull-Rom upscale (bilinear upscaling of a 100-pixel
// portrait smears the eyes and mouth the embedding depends on; the
// halftone dots are softened first with imgproc.GaussianBlur) and a
// contrast stretch.

// catmullRom is the cubic convolution kernel with a = −0.5.
func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return 1.5*x*x*x - 2.5*x*x + 1
	case x < 2:
		return -0.5*x*x*x + 2.5*x*x - 4*x + 2
	}
	return 0
}

// upscaleCubic samples region r of img into a w x h image with Catmull-Rom
// interpolation (meant for enlarging: it does not widen the kernel when
// shrinking). Samples outside img repeat the edge.
func upscaleCubic(img *image.RGBA, r image.Rectangle, w, h int) *image.RGBA {
	sx := float64(r.Dx()) / float64(w)
	sy := float64(r.Dy()) / float64(h)
	// Horizontal pass into float rows covering r's rows plus the kernel
	// margin, then vertical pass.
	y0, y1 := r.Min.Y-2, r.Max.Y+2
	rows := y1 - y0
	tmp := make([]float32, rows*w*3)
	xIdx, xW := cubicTaps(w, float64(r.Min.X), sx, img.Rect.Dx())
	for yy := 0; yy < rows; yy++ {
		sy := clampInt(y0+yy, img.Rect.Dy())
		row := img.Pix[sy*img.Stride:]
		for x := 0; x < w; x++ {
			var c [3]float32
			for k := 0; k < 4; k++ {
				i := xIdx[4*x+k] * 4
				wt := xW[4*x+k]
				c[0] += wt * float32(row[i])
				c[1] += wt * float32(row[i+1])
				c[2] += wt * float32(row[i+2])
			}
			o := (yy*w + x) * 3
			tmp[o], tmp[o+1], tmp[o+2] = c[0], c[1], c[2]
		}
	}
	yIdx, yW := cubicTaps(h, float64(r.Min.Y), sy, img.Rect.Dy())
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var c [3]float32
			for k := 0; k < 4; k++ {
				// yIdx is clamped to the image; tmp starts at y0.
				o := ((yIdx[4*y+k]-y0)*w + x) * 3
				wt := yW[4*y+k]
				c[0] += wt * tmp[o]
				c[1] += wt * tmp[o+1]
				c[2] += wt * tmp[o+2]
			}
			p := y*out.Stride + x*4
			out.Pix[p], out.Pix[p+1], out.Pix[p+2], out.Pix[p+3] = imgproc.ClampByte(float64(c[0])), imgproc.ClampByte(float64(c[1])), imgproc.ClampByte(float64(c[2])), 255
		}
	}
	return out
}

// cubicTaps returns, for each of n output samples, the four source indices
// (clamped to [0, size)) and weights of the Catmull-Rom kernel, the output
// pixel i being centred on source coordinate start + (i+0.5)*step − 0.5.
func cubicTaps(n int, start, step float64, size int) ([]int, []float32) {
	idx := make([]int, 4*n)
	wts := make([]float32, 4*n)
	for i := 0; i < n; i++ {
		c := start + (float64(i)+0.5)*step - 0.5
		f := math.Floor(c)
		t := c - f
		for k := 0; k < 4; k++ {
			idx[4*i+k] = clampInt(int(f)+k-1, size)
			wts[4*i+k] = float32(catmullRom(t - float64(k-1)))
		}
	}
	return idx, wts
}

func clampInt(v, n int) int {
	if v < 0 {
		return 0
	}
	if v >= n {
		return n - 1
	}
	return v
}

// stretchContrast maps the 1st and 99th percentiles of region r's
// luminance to 0 and 255 (the same gain and offset on every channel) and
// returns the region as a new image at the origin. It undoes the loss of
// contrast that glare on a laminate causes, without shifting colours.
func stretchContrast(img *image.RGBA, r image.Rectangle) *image.RGBA {
	r = r.Intersect(img.Rect)
	w, h := r.Dx(), r.Dy()
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	var hist [256]int
	for y := 0; y < h; y++ {
		row := img.Pix[(r.Min.Y+y)*img.Stride+r.Min.X*4:]
		for x := 0; x < w; x++ {
			p := row[x*4:]
			hist[(299*int(p[0])+587*int(p[1])+114*int(p[2]))/1000]++
		}
	}
	n := w * h
	lo, hi, acc := 0, 255, 0
	for v := 0; v < 256; v++ {
		acc += hist[v]
		if acc <= n/100 {
			lo = v
		}
		if acc <= n*99/100 {
			hi = v
		}
	}
	gain := float32(255) / float32(max(hi-lo, 16)) // never amplify a flat region wildly
	for y := 0; y < h; y++ {
		row := img.Pix[(r.Min.Y+y)*img.Stride+r.Min.X*4:]
		for x := 0; x < w; x++ {
			p := row[x*4:]
			o := y*out.Stride + x*4
			for c := 0; c < 3; c++ {
				out.Pix[o+c] = imgproc.ClampByte(float64(float32(int(p[c])-lo) * gain))
			}
			out.Pix[o+3] = 255
		}
	}
	return out
}
