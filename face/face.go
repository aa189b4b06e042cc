package face

import (
	"context"
	"errors"
	"image"
	"math"
	"sort"
)

// Point is a position in image pixels.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Box is a face rectangle in image pixels, X2/Y2 exclusive.
type Box struct {
	X1 float64 `json:"x1"`
	Y1 float64 `json:"y1"`
	X2 float64 `json:"x2"`
	Y2 float64 `json:"y2"`
}

// W returns the box width.
func (b Box) W() float64 { return b.X2 - b.X1 }

// H returns the box height.
func (b Box) H() float64 { return b.Y2 - b.Y1 }

// Area returns the box area.
func (b Box) Area() float64 { return math.Max(0, b.W()) * math.Max(0, b.H()) }

// Center returns the box centre.
func (b Box) Center() Point { return Point{(b.X1 + b.X2) / 2, (b.Y1 + b.Y2) / 2} }

// Rectangle returns the box rounded outwards to integer pixels.
func (b Box) Rectangle() image.Rectangle {
	return image.Rect(int(math.Floor(b.X1)), int(math.Floor(b.Y1)), int(math.Ceil(b.X2)), int(math.Ceil(b.Y2)))
}

// IoU is the intersection over union of two boxes.
func (b Box) IoU(o Box) float64 {
	ix := math.Min(b.X2, o.X2) - math.Max(b.X1, o.X1)
	iy := math.Min(b.Y2, o.Y2) - math.Max(b.Y1, o.Y1)
	if ix <= 0 || iy <= 0 {
		return 0
	}
	inter := ix * iy
	return inter / (b.Area() + o.Area() - inter)
}

// Scale returns a crop box for models that want context around the face:
// the box scaled by factor around its centre, the factor capped so the crop
// fits in a w x h image, then shifted to lie inside it. Liveness uses 2.7,
// age 1.4, landmarks 1.0 (see MODELS.md).
func (b Box) Scale(factor float64, w, h int) Box {
	bw, bh := b.W(), b.H()
	if bw <= 0 || bh <= 0 {
		return b
	}
	f := math.Min(factor, math.Min(float64(w)/bw, float64(h)/bh))
	nw, nh := bw*f, bh*f
	c := b.Center()
	x1, y1 := c.X-nw/2, c.Y-nh/2
	x1 = math.Max(0, math.Min(x1, float64(w)-nw))
	y1 = math.Max(0, math.Min(y1, float64(h)-nh))
	return Box{x1, y1, x1 + nw, y1 + nh}
}

// Pose is the head orientation in degrees: yaw positive when the head turns
// to the image's right, pitch positive when it tilts up, roll positive when
// it leans clockwise in the image.
type Pose struct {
	Yaw   float64 `json:"yaw"`
	Pitch float64 `json:"pitch"`
	Roll  float64 `json:"roll"`
}

// Eyes is the probability that each eye is open; "left" is the eye on the
// image's left.
type Eyes struct {
	LeftOpen  float64 `json:"left_open"`
	RightOpen float64 `json:"right_open"`
}

// Face is one detected face.
type Face struct {
	Box Box `json:"box"`
	// Score is the detector's confidence, 0–1.
	Score float64 `json:"score"`
	// Landmarks are the 68 iBUG points, nil when not computed.
	Landmarks []Point `json:"landmarks,omitempty"`
	// Points5 are the alignment points derived from Landmarks: the eye on the
	// image's left, the other eye, nose tip, left and right mouth corners.
	Points5 []Point `json:"points5,omitempty"`
	// Pose and Eyes are set when the detector measured them (a
	// faceonnx.Analyzer configured with Pose and Eyes).
	Pose *Pose `json:"pose,omitempty"`
	Eyes *Eyes `json:"eyes,omitempty"`
}

// Detector finds faces in an image.
type Detector interface {
	Detect(ctx context.Context, img image.Image) ([]Face, error)
}

// DetectorFunc adapts a function to Detector.
type DetectorFunc func(ctx context.Context, img image.Image) ([]Face, error)

// Detect calls f.
func (f DetectorFunc) Detect(ctx context.Context, img image.Image) ([]Face, error) {
	return f(ctx, img)
}

var (
	// ErrNoFace means no face was found.
	ErrNoFace = errors.New("face: no face found")
	// ErrMultipleFaces means more than one face was found where one was required.
	ErrMultipleFaces = errors.New("face: more than one face found")
	// ErrFaceTooSmall means the face is too small for a reliable measurement.
	ErrFaceTooSmall = errors.New("face: face too small")
)

// SortBySize orders faces largest first (the usual subject of a selfie).
func SortBySize(faces []Face) {
	sort.SliceStable(faces, func(i, j int) bool { return faces[i].Box.Area() > faces[j].Box.Area() })
}

// Largest returns the largest face, or ErrNoFace.
func Largest(faces []Face) (Face, error) {
	if len(faces) == 0 {
		return Face{}, ErrNoFace
	}
	best := faces[0]
	for _, f := range faces[1:] {
		if f.Box.Area() > best.Box.Area() {
			best = f
		}
	}
	return best, nil
}

// Only returns the single face, ErrNoFace, or ErrMultipleFaces when a second
// face is at least minRatio of the largest one's area (smaller faces in the
// background are tolerated; minRatio 0 tolerates none).
func Only(faces []Face, minRatio float64) (Face, error) {
	best, err := Largest(faces)
	if err != nil {
		return Face{}, err
	}
	for _, f := range faces {
		if f.Box != best.Box && f.Box.Area() >= minRatio*best.Box.Area() {
			return best, ErrMultipleFaces
		}
	}
	return best, nil
}

// FivePoints derives the five alignment points (Face.Points5: the eye on
// the image's left, the other eye, nose tip, left and right mouth corners)
// from the 68 iBUG landmarks; nil unless there are 68.
func FivePoints(l []Point) []Point {
	if len(l) != 68 {
		return nil
	}
	mean := func(idx ...int) Point {
		var p Point
		for _, i := range idx {
			p.X += l[i].X
			p.Y += l[i].Y
		}
		n := float64(len(idx))
		return Point{p.X / n, p.Y / n}
	}
	return []Point{
		mean(37, 38, 40, 41),
		mean(43, 44, 46, 47),
		l[30],
		mean(48, 60),
		mean(54, 64),
	}
}
