package faceonnx

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"sort"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/models"
)

// Defaults for Config.
const (
	// DefaultThreshold is the detector score a face must reach. The detector
	// scores real frontal faces 0.67–1.00 (MODELS.md: some real faces score
	// 0.67, which the package's own 0.65 keeps); false positives on the blank,
	// noise and document-texture images in the tests stay below 0.5.
	DefaultThreshold = 0.65
	// DefaultNMS is the IoU above which overlapping detections are merged.
	DefaultNMS = 0.4
	// DefaultMinSize is the smallest face side, in pixels, that is reported:
	// below it the landmark and recognition models see mostly interpolation.
	DefaultMinSize = 20
)

// Config configures an Analyzer. The zero value is usable: it loads the
// detector and landmark models from the default models directory.
type Config struct {
	// Models is where the model assets are; nil means models.Open("").
	Models *models.Cache
	// Threshold is the minimum detection score, 0–1; 0 means DefaultThreshold.
	Threshold float64
	// NMS is the IoU threshold for non-maximum suppression; 0 means DefaultNMS.
	NMS float64
	// MinSize is the smallest face side in pixels to report; 0 means
	// DefaultMinSize, a negative value reports every size.
	MinSize float64
	// Pose loads the head-pose model and fills face.Face.Pose.
	Pose bool
	// Eyes loads the eye-state model and fills face.Face.Eyes.
	Eyes bool
	// NoPadRetry turns off the second look at an image where no large face
	// was found. By default such an image is searched again with a 25%
	// border around it, because the detector misses faces that fill the
	// frame (a selfie held too close, a tight crop; MODELS.md reports 43
	// misses on 1,058 tight 200x200 crops) and, worse, reports each eye of
	// such a face as a face of its own (measured: two "faces" scored
	// 0.96–0.998 on a 181x181 crop of a portrait).
	NoPadRetry bool
}

// Analyzer detects faces and measures them with ONNX models. It is safe for
// concurrent use; create one and share it.
type Analyzer struct {
	cfg      Config
	detect   *onnx.Session
	landmark *onnx.Session
	pose     *onnx.Session
	eye      *onnx.Session
}

var _ face.Detector = (*Analyzer)(nil)

// New loads the models cfg asks for.
func New(cfg Config) (*Analyzer, error) {
	if cfg.Models == nil {
		cfg.Models = models.Open("")
	}
	if cfg.Threshold == 0 {
		cfg.Threshold = DefaultThreshold
	}
	if cfg.NMS == 0 {
		cfg.NMS = DefaultNMS
	}
	if cfg.MinSize == 0 {
		cfg.MinSize = DefaultMinSize
	}
	a := &Analyzer{cfg: cfg}
	load := func(dst **onnx.Session, name string) error {
		s, err := onnx.Load(cfg.Models, name, onnx.Options{})
		if err != nil {
			return fmt.Errorf("face: %w", err)
		}
		*dst = s
		return nil
	}
	steps := []struct {
		on   bool
		dst  **onnx.Session
		name string
	}{
		{true, &a.detect, "fr_detect"},
		{true, &a.landmark, "fr_landmark"},
		{cfg.Pose, &a.pose, "fr_pose"},
		{cfg.Eyes, &a.eye, "fr_eye"},
	}
	for _, s := range steps {
		if !s.on {
			continue
		}
		if err := load(s.dst, s.name); err != nil {
			a.Close()
			return nil, err
		}
	}
	return a, nil
}

// Close releases the models.
func (a *Analyzer) Close() error {
	for _, s := range []*onnx.Session{a.detect, a.landmark, a.pose, a.eye} {
		if s != nil {
			s.Close()
		}
	}
	return nil
}

// Detect finds the faces in img, largest first, each with its box, score,
// 68 landmarks and five alignment points (and pose and eyes when
// configured). No face is not an error: the slice is empty.
func (a *Analyzer) Detect(ctx context.Context, img image.Image) ([]face.Face, error) {
	if imageio.IsNil(img) {
		return nil, fmt.Errorf("face: %w", imageio.ErrEmpty)
	}
	rgba := imageio.ToRGBA(img)
	boxes, err := a.Boxes(ctx, rgba)
	if err != nil {
		return nil, err
	}

	faces := make([]face.Face, 0, len(boxes))
	for _, f := range boxes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := a.Measure(rgba, &f); err != nil {
			return nil, err
		}
		faces = append(faces, f)
	}
	return faces, nil
}

// Boxes runs only the detector: boxes and scores, largest first.
func (a *Analyzer) Boxes(ctx context.Context, img *image.RGBA) ([]face.Face, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w < 8 || h < 8 {
		return nil, nil
	}
	// Shrink by area first so a large photo does not alias into the
	// detector's 320x240 input; boxes are normalised, so they scale back.
	small := img
	if w > 2*detW || h > 2*detH {
		small = imgproc.Resize(img, 2*detW, 2*detH)
	}
	faces, err := a.detectNormalised(small, 0)
	if err != nil {
		return nil, err
	}
	side := math.Min(float64(w), float64(h))
	if !a.cfg.NoPadRetry && (len(faces) == 0 || largestSide(faces)*float64(w) < padTrigger*side) {
		padded, err := a.detectNormalised(small, 0.25)
		if err != nil {
			return nil, err
		}
		faces = mergePadded(faces, padded)
	}
	faces = dropNested(faces)
	out := faces[:0]
	for _, f := range faces {
		f.Box = face.Box{X1: f.Box.X1 * float64(w), Y1: f.Box.Y1 * float64(h), X2: f.Box.X2 * float64(w), Y2: f.Box.Y2 * float64(h)}
		f.Box = squareClip(f.Box, w, h)
		if a.cfg.MinSize > 0 && math.Min(f.Box.W(), f.Box.H()) < a.cfg.MinSize {
			continue
		}
		out = append(out, f)
	}
	face.SortBySize(out)
	return out, nil
}

const (
	detW, detH = 320, 240
	// padTrigger: when the largest face found is smaller than this share of
	// the image's shorter side, look again with a border (see NoPadRetry).
	padTrigger = 0.65
)

// decodeDetections turns the detector's scores ([n,2], face second) and
// decoded boxes ([n,4], normalised to the padded input) into candidate
// faces in the unpadded image's normalised coordinates, keeping those
// scoring at least threshold. Non-finite scores and boxes, and empty boxes,
// are dropped: a NaN from a broken model would otherwise pass every
// comparison and reach the crops downstream.
func decodeDetections(scores, boxes []float32, pad, threshold float64) []face.Face {
	k := 1 + 2*pad
	var cands []face.Face
	for i := 0; i < len(scores)/2 && 4*i+3 < len(boxes); i++ {
		s := float64(scores[2*i+1])
		if !(s >= threshold) || math.IsInf(s, 0) {
			continue
		}
		b := face.Box{
			X1: float64(boxes[4*i])*k - pad, Y1: float64(boxes[4*i+1])*k - pad,
			X2: float64(boxes[4*i+2])*k - pad, Y2: float64(boxes[4*i+3])*k - pad,
		}
		w, h := b.W(), b.H()
		if !(w > 0 && h > 0) || math.IsInf(w, 0) || math.IsInf(h, 0) {
			continue
		}
		cands = append(cands, face.Face{Box: b, Score: s})
	}
	return cands
}

func largestSide(faces []face.Face) float64 {
	var m float64
	for _, f := range faces {
		m = math.Max(m, f.Box.W())
	}
	return m
}

// detectNormalised runs the detector on img surrounded by a gray border of
// pad times its size on each side, and returns boxes in img's normalised
// coordinates (0..1), after score threshold and non-maximum suppression.
func (a *Analyzer) detectNormalised(img *image.RGBA, pad float64) ([]face.Face, error) {
	w, h := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	r := imgproc.Rect{X1: -pad * w, Y1: -pad * h, X2: (1 + pad) * w, Y2: (1 + pad) * h}
	in := imgproc.TensorPadded(img, r, detW, detH,
		imgproc.Layout{BGR: true, Mean: [3]float32{127, 127, 127}, Std: [3]float32{128, 128, 128}}, 128)
	out, err := a.detect.Run(onnx.Tensor{Shape: []int64{1, 3, detH, detW}, Data: in})
	if err != nil {
		return nil, fmt.Errorf("face: detect: %w", err)
	}
	cands := decodeDetections(out[0].Data, out[1].Data, pad, a.cfg.Threshold)
	sort.Slice(cands, func(i, j int) bool { return cands[i].Score > cands[j].Score })
	var kept []face.Face
	for _, c := range cands {
		overlap := false
		for _, k := range kept {
			if c.Box.IoU(k.Box) > a.cfg.NMS {
				overlap = true
				break
			}
		}
		// A face must lie mostly inside the real image, not the border.
		in := face.Box{X1: math.Max(0, c.Box.X1), Y1: math.Max(0, c.Box.Y1), X2: math.Min(1, c.Box.X2), Y2: math.Min(1, c.Box.Y2)}
		if !overlap && in.Area() >= 0.5*c.Box.Area() {
			kept = append(kept, c)
		}
	}
	return kept, nil
}

// nested reports whether box a lies mostly (70%) inside a box at least
// 1.67 times its area (normalised or pixel boxes alike: both are ratios).
func nested(a, big face.Box) bool {
	ix := math.Min(a.X2, big.X2) - math.Max(a.X1, big.X1)
	iy := math.Min(a.Y2, big.Y2) - math.Max(a.Y1, big.Y1)
	return ix > 0 && iy > 0 && ix*iy > 0.7*a.Area() && a.Area() < 0.6*big.Area()
}

// dropNested removes detections nested inside a larger face: the detector
// reports the eye region of a large face as a face of its own (measured on
// 21 of 552 tight 200x200 crops before this rule), and one face cannot sit
// inside another.
func dropNested(faces []face.Face) []face.Face {
	var out []face.Face
	for i, f := range faces {
		inside := false
		for j, g := range faces {
			if i != j && nested(f.Box, g.Box) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, f)
		}
	}
	return out
}

// mergePadded combines the plain and the bordered detections: a face found
// with the border swallows the smaller plain detections inside it (the eyes
// of a face that fills the frame); where both found a face, the plain one,
// seen at a higher resolution, is kept.
func mergePadded(plain, padded []face.Face) []face.Face {
	var out []face.Face
	for _, f := range plain {
		swallowed := false
		for _, p := range padded {
			if nested(f.Box, p.Box) {
				swallowed = true
				break
			}
		}
		if !swallowed {
			out = append(out, f)
		}
	}
	for _, p := range padded {
		dup := false
		for _, f := range out {
			if p.Box.IoU(f.Box) > 0.4 {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out
}

// squareClip makes the box square around its centre (side = height, as the
// landmark and recognition models were trained) and clips it to the image.
func squareClip(b face.Box, w, h int) face.Box {
	c := b.Center()
	s := b.H()
	return face.Box{
		X1: math.Max(0, c.X-s/2), Y1: math.Max(0, c.Y-s/2),
		X2: math.Min(float64(w), c.X+s/2), Y2: math.Min(float64(h), c.Y+s/2),
	}
}

// Measure fills f's landmarks and five points (and pose and eyes when
// configured) for a face box found in img.
func (a *Analyzer) Measure(img *image.RGBA, f *face.Face) error {
	if err := a.Landmarks(img, f); err != nil {
		return err
	}
	if a.pose != nil {
		p, err := a.headPose(img, f.Box)
		if err != nil {
			return err
		}
		f.Pose = &p
	}
	if a.eye != nil {
		e, err := a.eyes(img, f.Landmarks)
		if err != nil {
			return err
		}
		f.Eyes = &e
	}
	return nil
}

// Landmarks fills only f's 68 landmarks and five points, the first step of
// Measure, for callers that need pose or eyes on some faces only
// (HeadPose, EyeState).
func (a *Analyzer) Landmarks(img *image.RGBA, f *face.Face) error {
	b := f.Box
	in := imgproc.Tensor(img, imgproc.Rect{X1: b.X1, Y1: b.Y1, X2: b.X2, Y2: b.Y2}, 64, 64,
		imgproc.Layout{BGR: true, Gray: true, Div: 256})
	out, err := a.landmark.Run(onnx.Tensor{Shape: []int64{1, 1, 64, 64}, Data: in})
	if err != nil {
		return fmt.Errorf("face: landmarks: %w", err)
	}
	v := out[0].Data
	if len(v) != 136 {
		return fmt.Errorf("face: landmarks: %d values, want 136", len(v))
	}
	f.Landmarks = make([]face.Point, 68)
	for i := range f.Landmarks {
		f.Landmarks[i] = face.Point{X: float64(v[2*i])*b.W() + b.X1, Y: float64(v[2*i+1])*b.H() + b.Y1}
	}
	f.Points5 = face.FivePoints(f.Landmarks)
	return nil
}

// ErrNotConfigured is returned by HeadPose and EyeState when the Analyzer
// was made without the model they need (Config.Pose, Config.Eyes).
var ErrNotConfigured = errors.New("face: model not configured")

// HeadPose measures the head pose of the face in box b alone, as Measure
// would (it needs no landmarks).
func (a *Analyzer) HeadPose(img *image.RGBA, b face.Box) (face.Pose, error) {
	if a.pose == nil {
		return face.Pose{}, fmt.Errorf("%w: pose", ErrNotConfigured)
	}
	return a.headPose(img, b)
}

// EyeState measures how open each eye is from a face's 68 landmarks, as
// Measure would.
func (a *Analyzer) EyeState(img *image.RGBA, landmarks []face.Point) (face.Eyes, error) {
	if a.eye == nil {
		return face.Eyes{}, fmt.Errorf("%w: eyes", ErrNotConfigured)
	}
	if len(landmarks) != 68 {
		return face.Eyes{}, fmt.Errorf("face: eyes: %d landmarks, want 68", len(landmarks))
	}
	return a.eyes(img, landmarks)
}

// headPose runs the pose model on the box widened by a quarter on each side.
func (a *Analyzer) headPose(img *image.RGBA, b face.Box) (face.Pose, error) {
	w, h := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	r := imgproc.Rect{
		X1: math.Max(0, b.X1-b.W()/4), Y1: math.Max(0, b.Y1-b.H()/4),
		X2: math.Min(w, b.X2+b.W()/4), Y2: math.Min(h, b.Y2+b.H()/4),
	}
	l := imgproc.ImageNet
	in := imgproc.Tensor(img, r, 224, 224, l)
	out, err := a.pose.Run(onnx.Tensor{Shape: []int64{1, 3, 224, 224}, Data: in})
	if err != nil {
		return face.Pose{}, fmt.Errorf("face: pose: %w", err)
	}
	if len(out) != 3 {
		return face.Pose{}, fmt.Errorf("face: pose: %d outputs, want 3", len(out))
	}
	// Each output is a softmax over 66 bins of 3 degrees from -99.
	angle := func(t onnx.Tensor) float64 {
		p := softmax(t.Data)
		var e float64
		for i, v := range p {
			e += float64(i) * v
		}
		return e*3 - 99
	}
	return face.Pose{Yaw: angle(out[0]), Pitch: angle(out[1]), Roll: angle(out[2])}, nil
}

// eyes runs the eye model on a square crop around each eye.
func (a *Analyzer) eyes(img *image.RGBA, l []face.Point) (face.Eyes, error) {
	open := func(ring []int, corner1, corner2 int) (float64, error) {
		var c face.Point
		for _, i := range ring {
			c.X += l[i].X / float64(len(ring))
			c.Y += l[i].Y / float64(len(ring))
		}
		// The eye's width along its own axis: on a tilted face the
		// horizontal distance shrinks the crop and open eyes read closed.
		side := math.Max(4, 1.6*math.Hypot(l[corner2].X-l[corner1].X, l[corner2].Y-l[corner1].Y))
		r := imgproc.Rect{X1: c.X - side/2, Y1: c.Y - side/2, X2: c.X + side/2, Y2: c.Y + side/2}
		in := imgproc.Tensor(img, r, 24, 24, imgproc.Layout{BGR: true, Gray: true, Div: 255})
		out, err := a.eye.Run(onnx.Tensor{Shape: []int64{1, 1, 24, 24}, Data: in})
		if err != nil {
			return 0, fmt.Errorf("face: eyes: %w", err)
		}
		p := softmax(out[0].Data)
		return p[eyeOpenClass], nil
	}
	left, err := open([]int{37, 38, 40, 41}, 36, 39)
	if err != nil {
		return face.Eyes{}, err
	}
	right, err := open([]int{43, 44, 46, 47}, 42, 45)
	if err != nil {
		return face.Eyes{}, err
	}
	return face.Eyes{LeftOpen: left, RightOpen: right}, nil
}

// eyeOpenClass is the eye model's "open" output, found by measurement: on
// the eight fixture faces (all eyes open) class 1 scores 0.83–1.00, while a
// spurious detection on a shoulder scored class 0 at 0.9999.
const eyeOpenClass = 1

func softmax(v []float32) []float64 {
	out := make([]float64, len(v))
	max := math.Inf(-1)
	for _, x := range v {
		max = math.Max(max, float64(x))
	}
	var sum float64
	for i, x := range v {
		out[i] = math.Exp(float64(x) - max)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}
