package face

import (
	"image"
	"math"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
)

// Code is a machine-readable capture problem a capture page can turn into
// an instruction ("move closer", "find more light").
type Code string

// Capture-quality codes.
const (
	NoFace          Code = "no_face"
	MultipleFaces   Code = "multiple_faces"
	TooFar          Code = "too_far"
	TooClose        Code = "too_close"
	NearLeftEdge    Code = "near_left_edge"
	NearRightEdge   Code = "near_right_edge"
	NearTopEdge     Code = "near_top_edge"
	NearBottomEdge  Code = "near_bottom_edge"
	TooBlurry       Code = "too_blurry"
	TooDim          Code = "too_dim"
	TooBright       Code = "too_bright"
	EyesClosed      Code = "eyes_closed"
	FaceTilted      Code = "face_tilted"          // roll
	FaceTurned      Code = "face_turned"          // yaw
	FaceLookingUpDn Code = "face_looking_up_down" // pitch
)

// QualityConfig holds the limits of Assess. Zero fields take the defaults
// in DefaultQuality, set on the eight fixture portraits and copies degraded
// on purpose (quality_test.go). Measured: Sharpness 7.1–76.6 on the
// originals, 0.4–2.2 after a blur of radius face/120 and 0.1–0.3 at
// face/40; luma 0.38–0.70 on the originals, 0.10–0.17 at a quarter of the
// light; blown-out fraction 0.00 on the originals, 0.40–0.87 at 2.2x light.
type QualityConfig struct {
	// MinFaceRatio and MaxFaceRatio bound the face side divided by the image's
	// shorter side.
	MinFaceRatio, MaxFaceRatio float64
	// EdgeMargin is the gap, as a fraction of the image side, a face keeps
	// from each edge.
	EdgeMargin float64
	// MinSharpness is the least Sharpness of the face.
	MinSharpness float64
	// MinBrightness and MaxBrightness bound the face's mean luma, 0–1.
	MinBrightness, MaxBrightness float64
	// MaxClipped is the largest fraction of face pixels that may be blown
	// out (luma ≥ 250) before the face is too bright.
	MaxClipped float64
	// MinEyeOpen is the least "open" probability of the more open eye.
	MinEyeOpen float64
	// MaxRoll, MaxYaw, MaxPitch are the largest head angles in degrees.
	MaxRoll, MaxYaw, MaxPitch float64
	// SecondFaceRatio: another face at least this fraction of the main face's
	// area makes the capture "multiple_faces".
	SecondFaceRatio float64
}

// DefaultQuality is the configuration Assess uses for zero fields.
var DefaultQuality = QualityConfig{
	MinFaceRatio:    0.18,
	MaxFaceRatio:    0.80,
	EdgeMargin:      0.02,
	MinSharpness:    3,
	MinBrightness:   0.22,
	MaxBrightness:   0.85,
	MaxClipped:      0.20,
	MinEyeOpen:      0.5,
	MaxRoll:         20,
	MaxYaw:          25,
	MaxPitch:        25,
	SecondFaceRatio: 0.25,
}

func (c QualityConfig) withDefaults() QualityConfig {
	d := DefaultQuality
	set := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	set(&c.MinFaceRatio, d.MinFaceRatio)
	set(&c.MaxFaceRatio, d.MaxFaceRatio)
	set(&c.EdgeMargin, d.EdgeMargin)
	set(&c.MinSharpness, d.MinSharpness)
	set(&c.MinBrightness, d.MinBrightness)
	set(&c.MaxBrightness, d.MaxBrightness)
	set(&c.MaxClipped, d.MaxClipped)
	set(&c.MinEyeOpen, d.MinEyeOpen)
	set(&c.MaxRoll, d.MaxRoll)
	set(&c.MaxYaw, d.MaxYaw)
	set(&c.MaxPitch, d.MaxPitch)
	set(&c.SecondFaceRatio, d.SecondFaceRatio)
	return c
}

// Measures are the values the quality codes are decided on.
type Measures struct {
	FaceRatio  float64  `json:"face_ratio"`
	Brightness float64  `json:"brightness"`
	Clipped    float64  `json:"clipped"`
	Sharpness  float64  `json:"sharpness"`
	EyeOpen    *float64 `json:"eye_open,omitempty"`
	Pose       *Pose    `json:"pose,omitempty"`
}

// Quality is the capture assessment of one image.
type Quality struct {
	// OK is true when there are no codes.
	OK    bool   `json:"ok"`
	Codes []Code `json:"codes"`
	// Face is the face the measures are about (the largest), nil with no face.
	Face     *Face    `json:"face,omitempty"`
	Measures Measures `json:"measures"`
}

// Assess decides the capture-quality codes for a selfie: exactly one face,
// well framed, sharp, well lit, eyes open and looking at the camera. Pose
// and eye codes need faces with Pose and Eyes measured (a faceonnx.Analyzer
// with Pose and Eyes on); without them those checks are not made.
func Assess(img image.Image, faces []Face, cfg QualityConfig) Quality {
	cfg = cfg.withDefaults()
	q := Quality{Codes: []Code{}}
	main, err := Only(faces, cfg.SecondFaceRatio)
	switch err {
	case ErrNoFace:
		q.Codes = append(q.Codes, NoFace)
		return q
	case ErrMultipleFaces:
		q.Codes = append(q.Codes, MultipleFaces)
	}
	q.Face = &main
	rgba := imageio.ToRGBA(img)
	w, h := float64(rgba.Rect.Dx()), float64(rgba.Rect.Dy())
	b := main.Box
	m := &q.Measures
	m.FaceRatio = math.Max(b.W(), b.H()) / math.Min(w, h)
	switch {
	case m.FaceRatio < cfg.MinFaceRatio:
		q.Codes = append(q.Codes, TooFar)
	case m.FaceRatio > cfg.MaxFaceRatio:
		q.Codes = append(q.Codes, TooClose)
	}
	// Boxes are squared then clipped, so a clipped box is shorter on one side.
	side := math.Max(b.W(), b.H())
	mx, my := cfg.EdgeMargin*w, cfg.EdgeMargin*h
	if b.X1 <= mx || (b.W() < side-1 && b.X1 <= 1) {
		q.Codes = append(q.Codes, NearLeftEdge)
	}
	if b.X2 >= w-mx {
		q.Codes = append(q.Codes, NearRightEdge)
	}
	if b.Y1 <= my {
		q.Codes = append(q.Codes, NearTopEdge)
	}
	if b.Y2 >= h-my {
		q.Codes = append(q.Codes, NearBottomEdge)
	}

	m.Brightness, m.Clipped = exposure(rgba, b)
	switch {
	case m.Brightness < cfg.MinBrightness:
		q.Codes = append(q.Codes, TooDim)
	case m.Brightness > cfg.MaxBrightness || m.Clipped > cfg.MaxClipped:
		q.Codes = append(q.Codes, TooBright)
	}
	m.Sharpness = Sharpness(rgba, b)
	if m.Sharpness < cfg.MinSharpness {
		q.Codes = append(q.Codes, TooBlurry)
	}
	// The pose network's roll breaks down at large tilts (a portrait turned
	// 60° read 5.7°, one turned 45° read −19°), while the eye line does not:
	// a face is as tilted as the larger of the two says.
	tilt := eyeLineAngle(main.Points5)
	if main.Pose != nil {
		tilt = math.Max(tilt, math.Abs(main.Pose.Roll))
	}
	tilted := tilt > cfg.MaxRoll
	// The eye model reads dark, blurred or tilted eyes as closed: ask for
	// light, focus and an upright head first, and judge the eyes only on a
	// usable picture.
	if main.Eyes != nil && m.Brightness >= cfg.MinBrightness && m.Sharpness >= cfg.MinSharpness && !tilted {
		open := math.Max(main.Eyes.LeftOpen, main.Eyes.RightOpen)
		m.EyeOpen = &open
		if open < cfg.MinEyeOpen {
			q.Codes = append(q.Codes, EyesClosed)
		}
	}
	if main.Pose != nil {
		p := *main.Pose
		m.Pose = &p
		if math.Abs(p.Yaw) > cfg.MaxYaw {
			q.Codes = append(q.Codes, FaceTurned)
		}
		if math.Abs(p.Pitch) > cfg.MaxPitch {
			q.Codes = append(q.Codes, FaceLookingUpDn)
		}
	}
	if tilted {
		q.Codes = append(q.Codes, FaceTilted)
	}
	q.OK = len(q.Codes) == 0
	return q
}

// eyeLineAngle is the angle in degrees, 0–90, between the line through the
// eyes of five alignment points and the horizontal; 0 without them.
func eyeLineAngle(p5 []Point) float64 {
	if len(p5) < 2 {
		return 0
	}
	a := math.Abs(math.Atan2(p5[1].Y-p5[0].Y, p5[1].X-p5[0].X) * 180 / math.Pi)
	if a > 90 {
		a = 180 - a // the eyes listed the other way round
	}
	if math.IsNaN(a) {
		return 0
	}
	return a
}

// exposure returns the mean luma (0–1) of the inner face and the fraction of
// blown-out pixels. The inner 60% of the box avoids hair and background.
func exposure(img *image.RGBA, b Box) (mean, clipped float64) {
	inner := Box{b.X1 + 0.2*b.W(), b.Y1 + 0.2*b.H(), b.X2 - 0.2*b.W(), b.Y2 - 0.2*b.H()}
	l, w, h := imgproc.Luma(img, inner.Rectangle())
	if w*h == 0 {
		return 0, 0
	}
	var sum float64
	var over int
	for _, v := range l {
		sum += v
		if v >= 250 {
			over++
		}
	}
	return sum / float64(len(l)) / 255, float64(over) / float64(len(l))
}

// Sharpness is the variance of the Laplacian of the face box resampled to
// 128x128 gray, relative to the variance of the gray values themselves (x100):
// independent of the face's pixel size and of exposure, high for crisp
// edges, low for focus or motion blur.
func Sharpness(img *image.RGBA, b Box) float64 {
	const n = 128
	if b.W() < 2 || b.H() < 2 {
		return 0
	}
	r := imgproc.Rect{X1: b.X1, Y1: b.Y1, X2: b.X2, Y2: b.Y2}
	var crop *image.RGBA
	if s := int(math.Min(b.W(), b.H())); s > 2*n {
		// Shrink by area first so sensor noise does not count as detail.
		crop = imgproc.Resize(imgproc.Crop(img, r, s, s), n, n)
	} else {
		crop = imgproc.Crop(img, r, n, n)
	}
	l, w, h := imgproc.Luma(crop, crop.Rect)
	var lsum, lsq float64
	for _, v := range l {
		lsum += v
		lsq += v * v
	}
	lmean := lsum / float64(len(l))
	lvar := lsq/float64(len(l)) - lmean*lmean
	if lvar < 1e-6 {
		return 0 // a flat patch has no detail at all
	}
	var sum, sq float64
	cnt := 0
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			v := l[i-1] + l[i+1] + l[i-w] + l[i+w] - 4*l[i]
			sum += v
			sq += v * v
			cnt++
		}
	}
	mean := sum / float64(cnt)
	// Dividing by the luma variance makes the measure independent of
	// exposure and contrast: a dim but sharp face is dim, not blurry.
	return 100 * (sq/float64(cnt) - mean*mean) / lvar
}
