// Package imgproc holds the pixel operations the perception packages share:
// bilinear crop-and-resize into model input tensors, affine warps and simple
// image statistics. It works on *image.RGBA (what imageio returns) for speed.
package imgproc

import (
	"image"
	"math"
)

// Rect is a rectangle in image coordinates with float precision.
type Rect struct{ X1, Y1, X2, Y2 float64 }

// W returns the rectangle's width.
func (r Rect) W() float64 { return r.X2 - r.X1 }

// H returns the rectangle's height.
func (r Rect) H() float64 { return r.Y2 - r.Y1 }

// Layout describes how pixels become tensor values: value = (p/Div - Mean[c]) / Std[c]
// per channel, channels in RGB order unless BGR, or one luma channel when Gray.
type Layout struct {
	BGR  bool
	Gray bool
	// Div divides the raw 0..255 value first; 0 means 1.
	Div  float32
	Mean [3]float32
	// Std divides after the mean is subtracted; zero entries mean 1.
	Std [3]float32
}

// Common layouts.
var (
	// ImageNet is RGB, v/255 then ImageNet mean and standard deviation.
	ImageNet = Layout{Div: 255, Mean: [3]float32{0.485, 0.456, 0.406}, Std: [3]float32{0.229, 0.224, 0.225}}
)

// Tensor samples the region r of img into a w x h NCHW float32 tensor
// (batch 1) with bilinear interpolation, laid out as l says. Samples outside
// the image repeat the edge pixel.
func Tensor(img *image.RGBA, r Rect, w, h int, l Layout) []float32 {
	return TensorPadded(img, r, w, h, l, -1)
}

// TensorPadded is Tensor where samples outside the image take the constant
// gray value fill (0..255) instead of the edge pixel; fill < 0 repeats the edge.
func TensorPadded(img *image.RGBA, r Rect, w, h int, l Layout, fill float32) []float32 {
	ch := 3
	if l.Gray {
		ch = 1
	}
	out := make([]float32, ch*w*h)
	div := l.Div
	if div == 0 {
		div = 1
	}
	var scale [3]float32
	for c := range scale {
		s := l.Std[c]
		if s == 0 {
			s = 1
		}
		scale[c] = 1 / (div * s)
	}
	var mean [3]float32
	for c := range mean {
		s := l.Std[c]
		if s == 0 {
			s = 1
		}
		mean[c] = l.Mean[c] / s
	}
	plane := w * h
	iw, ih := img.Rect.Dx(), img.Rect.Dy()
	if iw == 0 || ih == 0 {
		// Bilinear's answer for an empty image: black, or the fill.
		v := max(fill, 0)
		for i := range plane {
			set(out, &l, &scale, &mean, plane, i, v, v, v)
		}
		return out
	}
	// The sampling positions are separable: compute each column's and each
	// row's neighbours and weights once, then blend with plain indexing. The
	// arithmetic is Bilinear's, in the same order, so results are identical.
	cols := axisSamples(r.X1, r.W()/float64(w), w, iw, 4)
	rows := axisSamples(r.Y1, r.H()/float64(h), h, ih, img.Stride)
	p := img.Pix
	var o0, o1, o2 []float32
	if !l.Gray {
		o0, o1, o2 = out[:plane], out[plane:2*plane], out[2*plane:]
	}
	for y, ry := range rows {
		for x, cx := range cols {
			i := y*w + x
			if fill >= 0 && (cx.out || ry.out) {
				set(out, &l, &scale, &mean, plane, i, fill, fill, fill)
				continue
			}
			ax, ay := cx.a, ry.a
			q00 := p[ry.lo+cx.lo : ry.lo+cx.lo+3]
			q01 := p[ry.lo+cx.hi : ry.lo+cx.hi+3]
			q10 := p[ry.hi+cx.lo : ry.hi+cx.lo+3]
			q11 := p[ry.hi+cx.hi : ry.hi+cx.hi+3]
			top := float32(q00[0])*(1-ax) + float32(q01[0])*ax
			bot := float32(q10[0])*(1-ax) + float32(q11[0])*ax
			rr := top*(1-ay) + bot*ay
			top = float32(q00[1])*(1-ax) + float32(q01[1])*ax
			bot = float32(q10[1])*(1-ax) + float32(q11[1])*ax
			gg := top*(1-ay) + bot*ay
			top = float32(q00[2])*(1-ax) + float32(q01[2])*ax
			bot = float32(q10[2])*(1-ax) + float32(q11[2])*ax
			bb := top*(1-ay) + bot*ay
			if l.Gray {
				set(out, &l, &scale, &mean, plane, i, rr, gg, bb)
				continue
			}
			if l.BGR {
				rr, bb = bb, rr
			}
			o0[i] = rr*scale[0] - mean[0]
			o1[i] = gg*scale[1] - mean[1]
			o2[i] = bb*scale[2] - mean[2]
		}
	}
	return out
}

// axisSample is where one output column (or row) samples the source: the
// byte offsets of its two neighbours, the weight of the second, and
// whether it lies outside the image (for TensorPadded's fill).
type axisSample struct {
	lo, hi int
	a      float32
	out    bool
}

// axisSamples computes the n samples of one axis starting at origin with
// the given step over a source of size pixels, step bytes apart.
func axisSamples(origin, step float64, n, size, stride int) []axisSample {
	s := make([]axisSample, n)
	for i := range s {
		f := origin + (float64(i)+0.5)*step - 0.5
		f0 := int(math.Floor(f))
		s[i] = axisSample{
			lo:  clamp(f0, size) * stride,
			hi:  clamp(f0+1, size) * stride,
			a:   float32(f - float64(f0)),
			out: f < -0.5 || f > float64(size)-0.5,
		}
	}
	return s
}

// set stores one sampled pixel into the tensor at index i as l says.
func set(out []float32, l *Layout, scale, mean *[3]float32, plane, i int, r, g, b float32) {
	if l.Gray {
		lum := 0.299*r + 0.587*g + 0.114*b
		out[i] = lum*scale[0] - mean[0]
		return
	}
	if l.BGR {
		r, b = b, r
	}
	out[i] = r*scale[0] - mean[0]
	out[plane+i] = g*scale[1] - mean[1]
	out[2*plane+i] = b*scale[2] - mean[2]
}

// Bilinear samples img at (x, y) (pixel centres at integer coordinates),
// clamping to the edges.
func Bilinear(img *image.RGBA, x, y float64) (r, g, b float32) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w == 0 || h == 0 {
		return 0, 0, 0
	}
	x0 := int(math.Floor(x))
	y0 := int(math.Floor(y))
	ax := float32(x - float64(x0))
	ay := float32(y - float64(y0))
	x1, y1 := x0+1, y0+1
	x0, x1 = clamp(x0, w), clamp(x1, w)
	y0, y1 = clamp(y0, h), clamp(y1, h)
	p := img.Pix
	s := img.Stride
	i00 := y0*s + x0*4
	i01 := y0*s + x1*4
	i10 := y1*s + x0*4
	i11 := y1*s + x1*4
	lerp := func(c int) float32 {
		top := float32(p[i00+c])*(1-ax) + float32(p[i01+c])*ax
		bot := float32(p[i10+c])*(1-ax) + float32(p[i11+c])*ax
		return top*(1-ay) + bot*ay
	}
	return lerp(0), lerp(1), lerp(2)
}

func clamp(v, n int) int {
	if v < 0 {
		return 0
	}
	if v >= n {
		return n - 1
	}
	return v
}

// Affine is a 2x3 affine transform mapping (x, y) to
// (A*x + B*y + C, D*x + E*y + F).
type Affine struct{ A, B, C, D, E, F float64 }

// Apply maps a point.
func (m Affine) Apply(x, y float64) (float64, float64) {
	return m.A*x + m.B*y + m.C, m.D*x + m.E*y + m.F
}

// RotateScaleAbout maps the pixels of a dstW x dstH output to source
// coordinates in a srcW x srcH image: a rotation by deg degrees and a scale
// (source pixels per output pixel) about the two centres. Rendering loops
// sample the source where it points.
func RotateScaleAbout(srcW, srcH, dstW, dstH int, scale, deg float64) Affine {
	a := deg * math.Pi / 180
	c, s := math.Cos(a)*scale, math.Sin(a)*scale
	cx, cy := float64(srcW)/2, float64(srcH)/2
	ox, oy := float64(dstW)/2, float64(dstH)/2
	return Affine{A: c, B: -s, C: cx - c*ox + s*oy, D: s, E: c, F: cy - s*ox - c*oy}
}

// Invert returns the inverse transform; ok is false when m is singular.
func (m Affine) Invert() (Affine, bool) {
	det := m.A*m.E - m.B*m.D
	if math.Abs(det) < 1e-12 {
		return Affine{}, false
	}
	ia := m.E / det
	ib := -m.B / det
	id := -m.D / det
	ie := m.A / det
	return Affine{A: ia, B: ib, C: -(ia*m.C + ib*m.F), D: id, E: ie, F: -(id*m.C + ie*m.F)}, true
}

// Warp returns a w x h image whose pixel (x, y) is img sampled at
// inv(x, y), where inv maps output coordinates to source coordinates.
func Warp(img *image.RGBA, inv Affine, w, h int) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sx, sy := inv.Apply(float64(x), float64(y))
			r, g, b := Bilinear(img, sx, sy)
			i := y*out.Stride + x*4
			out.Pix[i] = uint8(r + 0.5)
			out.Pix[i+1] = uint8(g + 0.5)
			out.Pix[i+2] = uint8(b + 0.5)
			out.Pix[i+3] = 255
		}
	}
	return out
}

// Resize returns img resampled to w x h with bilinear interpolation (an area
// average when shrinking by more than 2x, so detail does not alias).
func Resize(img *image.RGBA, w, h int) *image.RGBA {
	src := img
	for src.Rect.Dx() >= 2*w*2 && src.Rect.Dy() >= 2*h*2 {
		src = halve(src)
	}
	return Crop(src, Rect{0, 0, float64(src.Rect.Dx()), float64(src.Rect.Dy())}, w, h)
}

// Crop samples region r of img into a new w x h image.
func Crop(img *image.RGBA, r Rect, w, h int) *image.RGBA {
	sx := r.W() / float64(w)
	sy := r.H() / float64(h)
	return Warp(img, Affine{A: sx, C: r.X1 + 0.5*sx - 0.5, E: sy, F: r.Y1 + 0.5*sy - 0.5}, w, h)
}

// halve averages 2x2 blocks.
func halve(img *image.RGBA) *image.RGBA {
	w, h := img.Rect.Dx()/2, img.Rect.Dy()/2
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	p, s := img.Pix, img.Stride
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := 2*y*s + 2*x*4
			o := y*out.Stride + x*4
			for c := 0; c < 3; c++ {
				sum := int(p[i+c]) + int(p[i+4+c]) + int(p[i+s+c]) + int(p[i+s+4+c])
				out.Pix[o+c] = uint8((sum + 2) / 4)
			}
			out.Pix[o+3] = 255
		}
	}
	return out
}

// Luma returns the image's luminance plane (0..255) over region r clipped
// to the image, with its width and height.
func Luma(img *image.RGBA, r image.Rectangle) ([]float64, int, int) {
	r = r.Intersect(img.Rect)
	w, h := r.Dx(), r.Dy()
	out := make([]float64, w*h)
	for y := 0; y < h; y++ {
		row := img.PixOffset(r.Min.X, r.Min.Y+y)
		for x := 0; x < w; x++ {
			i := row + x*4
			out[y*w+x] = 0.299*float64(img.Pix[i]) + 0.587*float64(img.Pix[i+1]) + 0.114*float64(img.Pix[i+2])
		}
	}
	return out, w, h
}
