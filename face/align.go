package face

import (
	"errors"
	"image"
	"math"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
)

// AlignSize is the side of the aligned face the recognition models expect.
const AlignSize = 112

// Template is the standard five-point position of the eyes, nose tip and
// mouth corners in a 112x112 aligned face (the ArcFace/InsightFace
// template), in the order of Face.Points5.
var Template = [5]Point{
	{38.2946, 51.6963},
	{73.5318, 51.5014},
	{56.0252, 71.7366},
	{41.5493, 92.3655},
	{70.7299, 92.2041},
}

// ErrNoLandmarks means a face has no five points to align on.
var ErrNoLandmarks = errors.New("face: face has no alignment points")

// Similarity is a rotation, uniform scale and translation:
// (x, y) -> (A*x - B*y + TX, B*x + A*y + TY).
type Similarity struct{ A, B, TX, TY float64 }

// Apply maps a point.
func (s Similarity) Apply(p Point) Point {
	return Point{s.A*p.X - s.B*p.Y + s.TX, s.B*p.X + s.A*p.Y + s.TY}
}

// EstimateSimilarity returns the similarity transform that maps src onto
// dst with the least squared error. It needs at least two distinct points.
func EstimateSimilarity(src, dst []Point) (Similarity, error) {
	if len(src) != len(dst) || len(src) < 2 {
		return Similarity{}, errors.New("face: similarity needs two or more point pairs")
	}
	n := float64(len(src))
	var ms, md Point
	for i := range src {
		ms.X += src[i].X / n
		ms.Y += src[i].Y / n
		md.X += dst[i].X / n
		md.Y += dst[i].Y / n
	}
	var num1, num2, den float64
	for i := range src {
		xs, ys := src[i].X-ms.X, src[i].Y-ms.Y
		xd, yd := dst[i].X-md.X, dst[i].Y-md.Y
		num1 += xs*xd + ys*yd
		num2 += xs*yd - ys*xd
		den += xs*xs + ys*ys
	}
	if !(den >= 1e-9) || math.IsNaN(num1) || math.IsNaN(num2) || math.IsInf(num1, 0) || math.IsInf(num2, 0) {
		return Similarity{}, errors.New("face: alignment points coincide or are not finite")
	}
	a, b := num1/den, num2/den
	return Similarity{A: a, B: b, TX: md.X - (a*ms.X - b*ms.Y), TY: md.Y - (b*ms.X + a*ms.Y)}, nil
}

// Align returns the face warped so its five points land on Template in a
// size x size image (the template scaled by size/112). Every module that
// needs an aligned face (recognition, age) calls this or AlignTo.
func Align(img image.Image, f Face, size int) (*image.RGBA, error) {
	if size <= 0 {
		size = AlignSize
	}
	scale := float64(size) / AlignSize
	dst := make([]Point, 5)
	for i, p := range Template {
		dst[i] = Point{p.X * scale, p.Y * scale}
	}
	return AlignTo(img, f, dst, size, size)
}

// AlignTo warps the face so its five points land as close as a similarity
// transform allows to dst (five points in a w x h output image). Parts of the
// output outside the photo repeat its edge pixels.
func AlignTo(img image.Image, f Face, dst []Point, w, h int) (*image.RGBA, error) {
	if len(f.Points5) != 5 {
		return nil, ErrNoLandmarks
	}
	if len(dst) != 5 || w <= 0 || h <= 0 {
		return nil, errors.New("face: alignment needs five target points and a positive size")
	}
	s, err := EstimateSimilarity(f.Points5, dst)
	if err != nil {
		return nil, err
	}
	fwd := imgproc.Affine{A: s.A, B: -s.B, C: s.TX, D: s.B, E: s.A, F: s.TY}
	inv, ok := fwd.Invert()
	if !ok {
		return nil, errors.New("face: degenerate alignment")
	}
	src := imageio.ToRGBA(img)
	// Shrink a large face by area first: bilinear sampling alone would
	// alias when the face is many times the output size.
	if factor := int(1 / math.Hypot(s.A, s.B) / 2); factor >= 2 {
		sw, sh := src.Rect.Dx()/factor, src.Rect.Dy()/factor
		if sw > 0 && sh > 0 {
			kx := float64(sw) / float64(src.Rect.Dx())
			ky := float64(sh) / float64(src.Rect.Dy())
			src = imgproc.Resize(src, sw, sh)
			// Source pixel centres move with the shrink: x' = (x+0.5)k - 0.5.
			inv = imgproc.Affine{A: inv.A * kx, B: inv.B * kx, C: inv.C*kx + 0.5*kx - 0.5, D: inv.D * ky, E: inv.E * ky, F: inv.F*ky + 0.5*ky - 0.5}
		}
	}
	return imgproc.Warp(src, inv, w, h), nil
}
