package locate

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"sort"

	"gocv.io/x/gocv"

	"github.com/idkit-dev/idkit/ocr"
)

// Config tunes a Locator. The zero value is ready to use.
type Config struct {
	// WorkWidth is the longer side images are shrunk to before searching
	// for zones; 0 means 800 pixels, where an MRZ character of a landscape
	// document filling the photo is about 15 pixels wide, the scale the
	// morphology kernels are sized for.
	WorkWidth int
	// MaxZones is the most candidate zones returned; 0 means 4.
	MaxZones int
	// MaxPixels refuses larger images before any work; 0 means 40
	// megapixels.
	MaxPixels int
}

// Locator finds documents and machine readable zones with OpenCV. It holds
// no OpenCV state between calls and is safe for concurrent use.
type Locator struct {
	workWidth, maxZones, maxPixels int
}

var _ ocr.Locator = (*Locator)(nil)

// ErrImage means the image is empty or over the pixel limit.
var ErrImage = errors.New("locate: unusable image")

// New returns a Locator.
func New(cfg Config) *Locator {
	l := &Locator{workWidth: cfg.WorkWidth, maxZones: cfg.MaxZones, maxPixels: cfg.MaxPixels}
	if l.workWidth <= 0 {
		l.workWidth = 800
	}
	if l.maxZones <= 0 {
		l.maxZones = 4
	}
	if l.maxPixels <= 0 {
		l.maxPixels = 40_000_000
	}
	return l
}

func (l *Locator) check(img *image.RGBA) error {
	if img == nil {
		return fmt.Errorf("%w: nil image", ErrImage)
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w < 16 || h < 16 {
		return fmt.Errorf("%w: %dx%d is too small", ErrImage, w, h)
	}
	if w*h > l.maxPixels {
		return fmt.Errorf("%w: %dx%d is over the pixel limit", ErrImage, w, h)
	}
	if max(w, h) > maxAspect*min(w, h) {
		return fmt.Errorf("%w: %dx%d is more than %d times longer than wide", ErrImage, w, h, maxAspect)
	}
	return nil
}

// maxAspect is the most elongated image searched. Documents are 1.4–1.6
// times longer than wide and photos of them 1–2 times; a strip ten times
// longer holds no document, and resizing it to a working width costs
// memory with the square of its elongation.
const maxAspect = 10

// grayMat converts img to an 8-bit grey Mat.
func grayMat(img *image.RGBA) (gocv.Mat, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	pix := make([]byte, w*h)
	for y := 0; y < h; y++ {
		row := img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y):]
		for x := 0; x < w; x++ {
			pix[y*w+x] = uint8((299*int(row[4*x]) + 587*int(row[4*x+1]) + 114*int(row[4*x+2]) + 500) / 1000)
		}
	}
	return gocv.NewMatFromBytes(h, w, gocv.MatTypeCV8UC1, pix)
}

// shrink returns m resized so its longer side is at most side (a copy
// when already smaller) and the factor from the result back to m.
func shrink(m gocv.Mat, side int) (gocv.Mat, float64) {
	w, h := m.Cols(), m.Rows()
	s := float64(max(w, h)) / float64(side)
	if s <= 1 {
		return m.Clone(), 1
	}
	out := gocv.NewMat()
	// At least a pixel a side: OpenCV aborts the process (an uncaught C++
	// exception through cgo) on a zero size, which a strip 640 times longer
	// than it is wide would give.
	gocv.Resize(m, &out, image.Pt(max(1, int(float64(w)/s)), max(1, int(float64(h)/s))), 0, 0, gocv.InterpolationArea)
	return out, s
}

// Document finds the document's outline: the largest convex quadrilateral
// among the outer contours of the edge map covering at least a sixth of the
// photo, else the rotated bounding box of the largest contour when it
// covers at least a quarter.
func (l *Locator) Document(ctx context.Context, img *image.RGBA) (ocr.Quad, bool, error) {
	if err := l.check(img); err != nil {
		return ocr.Quad{}, false, err
	}
	if err := ctx.Err(); err != nil {
		return ocr.Quad{}, false, err
	}
	g, err := grayMat(img)
	if err != nil {
		return ocr.Quad{}, false, err
	}
	defer g.Close()
	small, s := shrink(g, 640)
	defer small.Close()
	gocv.GaussianBlur(small, &small, image.Pt(5, 5), 0, 0, gocv.BorderReplicate)
	edges := gocv.NewMat()
	defer edges.Close()
	gocv.Canny(small, &edges, 30, 90)
	k := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(3, 3))
	defer k.Close()
	gocv.Dilate(edges, &edges, k)
	contours := gocv.FindContours(edges, gocv.RetrievalExternal, gocv.ChainApproxSimple)
	defer contours.Close()
	area := float64(small.Cols() * small.Rows())
	var best []image.Point
	bestArea, largest := 0.0, -1
	largestArea := 0.0
	for i := 0; i < contours.Size(); i++ {
		c := contours.At(i)
		a := gocv.ContourArea(c)
		if a > largestArea {
			largest, largestArea = i, a
		}
		if a < area/6 {
			continue
		}
		approx := gocv.ApproxPolyDP(c, 0.02*gocv.ArcLength(c, true), true)
		pts := approx.ToPoints()
		approx.Close()
		if len(pts) != 4 || !convex(pts) {
			continue
		}
		if qa := polyArea(pts); qa > bestArea {
			best, bestArea = pts, qa
		}
	}
	if best == nil {
		if largest < 0 || largestArea < area/4 {
			return ocr.Quad{}, false, nil
		}
		best = gocv.MinAreaRect(contours.At(largest)).Points
		if len(best) != 4 {
			return ocr.Quad{}, false, nil
		}
	}
	q := order(best)
	for i := range q {
		// The dilation grew the outline by about a pixel of the small image.
		// Coordinates are img's, as Rectify and Zones take them.
		q[i].X = q[i].X*s + float64(img.Rect.Min.X)
		q[i].Y = q[i].Y*s + float64(img.Rect.Min.Y)
	}
	return q, true, nil
}

// Rectify maps quad q of img onto an upright w x h image.
func (l *Locator) Rectify(img *image.RGBA, q ocr.Quad, w, h int) (*image.RGBA, error) {
	if err := l.check(img); err != nil {
		return nil, err
	}
	if w <= 0 || h <= 0 || w*h > l.maxPixels {
		return nil, fmt.Errorf("%w: output %dx%d", ErrImage, w, h)
	}
	src, err := rgbaMat(img)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	from := gocv.NewPoint2fVectorFromPoints([]gocv.Point2f{
		{X: float32(q[0].X - float64(img.Rect.Min.X)), Y: float32(q[0].Y - float64(img.Rect.Min.Y))},
		{X: float32(q[1].X - float64(img.Rect.Min.X)), Y: float32(q[1].Y - float64(img.Rect.Min.Y))},
		{X: float32(q[2].X - float64(img.Rect.Min.X)), Y: float32(q[2].Y - float64(img.Rect.Min.Y))},
		{X: float32(q[3].X - float64(img.Rect.Min.X)), Y: float32(q[3].Y - float64(img.Rect.Min.Y))},
	})
	defer from.Close()
	to := gocv.NewPoint2fVectorFromPoints([]gocv.Point2f{{X: 0, Y: 0}, {X: float32(w), Y: 0}, {X: float32(w), Y: float32(h)}, {X: 0, Y: float32(h)}})
	defer to.Close()
	m := gocv.GetPerspectiveTransform2f(from, to)
	defer m.Close()
	out := gocv.NewMat()
	defer out.Close()
	gocv.WarpPerspectiveWithParams(src, &out, m, image.Pt(w, h), gocv.InterpolationLinear, gocv.BorderReplicate, color.RGBA{})
	return matRGBA(out)
}

func rgbaMat(img *image.RGBA) (gocv.Mat, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	pix := img.Pix
	if img.Stride != 4*w || img.Rect.Min != (image.Point{}) {
		pix = make([]byte, 4*w*h)
		for y := 0; y < h; y++ {
			copy(pix[y*4*w:(y+1)*4*w], img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y):])
		}
	}
	return gocv.NewMatFromBytes(h, w, gocv.MatTypeCV8UC4, pix)
}

func matRGBA(m gocv.Mat) (*image.RGBA, error) {
	b, err := m.DataPtrUint8()
	if err != nil {
		return nil, err
	}
	out := image.NewRGBA(image.Rect(0, 0, m.Cols(), m.Rows()))
	copy(out.Pix, b)
	return out, nil
}

func matGray(m gocv.Mat) (*image.Gray, error) {
	b, err := m.DataPtrUint8()
	if err != nil {
		return nil, err
	}
	out := image.NewGray(image.Rect(0, 0, m.Cols(), m.Rows()))
	copy(out.Pix, b)
	return out, nil
}

// order sorts four corners as top-left, top-right, bottom-right,
// bottom-left: by angle around their centre, starting from the one with
// the smallest x+y.
func order(pts []image.Point) ocr.Quad {
	var cx, cy float64
	for _, p := range pts {
		cx += float64(p.X) / 4
		cy += float64(p.Y) / 4
	}
	ps := make([]ocr.Point, 4)
	for i, p := range pts[:4] {
		ps[i] = ocr.Point{X: float64(p.X), Y: float64(p.Y)}
	}
	sort.Slice(ps, func(i, j int) bool {
		return math.Atan2(ps[i].Y-cy, ps[i].X-cx) < math.Atan2(ps[j].Y-cy, ps[j].X-cx)
	})
	// Angles run clockwise on screen (y down) from -π: find the top-left.
	start := 0
	for i := range ps {
		if ps[i].X+ps[i].Y < ps[start].X+ps[start].Y {
			start = i
		}
	}
	var q ocr.Quad
	for i := range q {
		q[i] = ps[(start+i)%4]
	}
	return q
}

func polyArea(pts []image.Point) float64 {
	a := 0.0
	for i := range pts {
		j := (i + 1) % len(pts)
		a += float64(pts[i].X*pts[j].Y - pts[j].X*pts[i].Y)
	}
	return math.Abs(a) / 2
}

func convex(pts []image.Point) bool {
	sign := 0
	for i := range pts {
		a, b, c := pts[i], pts[(i+1)%len(pts)], pts[(i+2)%len(pts)]
		cross := (b.X-a.X)*(c.Y-b.Y) - (b.Y-a.Y)*(c.X-b.X)
		switch {
		case cross > 0 && sign < 0, cross < 0 && sign > 0:
			return false
		case cross > 0:
			sign = 1
		case cross < 0:
			sign = -1
		}
	}
	return sign != 0
}
