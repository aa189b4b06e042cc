package ocr

import (
	"context"
	"image"
	"math"
)

// Point is a position in image pixels.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Quad is a quadrilateral: top-left, top-right, bottom-right, bottom-left.
type Quad [4]Point

// Bounds returns the smallest rectangle holding q.
func (q Quad) Bounds() image.Rectangle {
	minX, minY, maxX, maxY := q[0].X, q[0].Y, q[0].X, q[0].Y
	for _, p := range q[1:] {
		minX, maxX = math.Min(minX, p.X), math.Max(maxX, p.X)
		minY, maxY = math.Min(minY, p.Y), math.Max(maxY, p.Y)
	}
	return image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX)), int(math.Ceil(maxY)))
}

// Size returns the mean lengths of q's horizontal and vertical sides.
func (q Quad) Size() (w, h float64) {
	d := func(a, b Point) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }
	return (d(q[0], q[1]) + d(q[3], q[2])) / 2, (d(q[0], q[3]) + d(q[1], q[2])) / 2
}

// Zone is a machine readable zone found in an image.
type Zone struct {
	// Image is the zone cut out of the image, turned upright: dark text on
	// a light background, lines horizontal.
	Image *image.Gray
	// Quad is where the zone is in the image searched.
	Quad Quad
	// Angle is the zone's rotation in the image, in degrees.
	Angle float64
	// Score ranks candidates, higher first; only its order is meaningful.
	Score float64
}

// Locator finds documents and machine readable zones in photos. The
// implementation in ocr/locate uses OpenCV.
type Locator interface {
	// Document finds the outline of the document in img; ok is false when
	// no outline stands out (the image may be a scan or a tight crop).
	Document(ctx context.Context, img *image.RGBA) (q Quad, ok bool, err error)
	// Rectify maps quad q of img onto an upright w x h image, correcting
	// perspective.
	Rectify(img *image.RGBA, q Quad, w, h int) (*image.RGBA, error)
	// Zones returns candidate machine readable zones in img, best first.
	Zones(ctx context.Context, img *image.RGBA) ([]Zone, error)
}
