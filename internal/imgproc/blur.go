package imgproc

import (
	"image"
	"math"
)

// GaussianBlur blurs the region r of img (pixel coordinates from the
// image's top-left corner) with a separable Gaussian of standard deviation
// sigma pixels, repeating the edge pixels beyond the image, and returns the
// region as a new opaque image at the origin. sigma ≤ 0 copies the region.
func GaussianBlur(img *image.RGBA, r image.Rectangle, sigma float64) *image.RGBA {
	w, h := r.Dx(), r.Dy()
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	if w <= 0 || h <= 0 || img.Rect.Empty() {
		return out
	}
	rad := 0
	kern := []float32{1}
	if sigma > 0 {
		rad = int(math.Ceil(3 * sigma))
		kern = make([]float32, 2*rad+1)
		var sum float32
		for i := range kern {
			d := float64(i - rad)
			kern[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
			sum += kern[i]
		}
		for i := range kern {
			kern[i] /= sum
		}
	}
	tmp := make([]float32, w*h*3)
	for y := 0; y < h; y++ {
		row := img.Pix[clamp(r.Min.Y+y, img.Rect.Dy())*img.Stride:]
		for x := 0; x < w; x++ {
			var c [3]float32
			for k, wt := range kern {
				i := clamp(r.Min.X+x+k-rad, img.Rect.Dx()) * 4
				c[0] += wt * float32(row[i])
				c[1] += wt * float32(row[i+1])
				c[2] += wt * float32(row[i+2])
			}
			o := (y*w + x) * 3
			tmp[o], tmp[o+1], tmp[o+2] = c[0], c[1], c[2]
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var c [3]float32
			for k, wt := range kern {
				o := (clamp(y+k-rad, h)*w + x) * 3
				c[0] += wt * tmp[o]
				c[1] += wt * tmp[o+1]
				c[2] += wt * tmp[o+2]
			}
			p := y*out.Stride + x*4
			out.Pix[p], out.Pix[p+1], out.Pix[p+2], out.Pix[p+3] = ClampByte(float64(c[0])), ClampByte(float64(c[1])), ClampByte(float64(c[2])), 255
		}
	}
	return out
}

// ClampByte rounds v to the nearest byte value, saturating at 0 and 255.
func ClampByte(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}
