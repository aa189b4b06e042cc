package ageonnx

import (
	"context"
	"fmt"
	"image"
	"math"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
	"github.com/idkit-dev/idkit/models/convert/faceapi"
)

// ModelName identifies the estimator's model in age.Estimate.Model.
const ModelName = "faceapi-age-gender@1.7.15"

// frameTemplate is where the five alignment points sit in the 200x200
// UTKFace crops the face-api.js age net was trained on: their mean
// positions as our landmark net finds them on the even-numbered rows of
// ../shared/eval-dev/age (276 faces; standard deviations 2.3–7.6 px).
// Aligning every face to it shows the net the framing it knows, whatever
// the photo.
var frameTemplate = [5]face.Point{
	{X: 60.41, Y: 59.37},
	{X: 136.48, Y: 58.82},
	{X: 98.56, Y: 104.28},
	{X: 68.10, Y: 134.94},
	{X: 129.81, Y: 134.72},
}

const frameSize = 200

// Config configures the face-api.js age estimator. The zero value works.
type Config struct {
	// Models is where the converted model is; nil means the default models
	// directory.
	Models *models.Cache
	// Zooms are the framings averaged over (1 = the training framing,
	// 1.1 = 10% more context). Empty means DefaultZooms.
	Zooms []float64
	// NoFlip turns off averaging with the mirrored face.
	NoFlip bool
	// Calibration maps the raw average to the reported age; nil means
	// DefaultCalibration, an empty non-nil one means none.
	Calibration age.Calibration
	// MinFaceSize is the smallest face side in pixels estimated; smaller
	// faces get face.ErrFaceTooSmall. 0 means 40.
	MinFaceSize float64
}

// DefaultZooms are the framings of the default test-time augmentation.
var DefaultZooms = []float64{1.0}

// FaceAPI estimates age with face-api.js's age/gender net converted to
// ONNX. It is safe for concurrent use.
type FaceAPI struct {
	cfg  Config
	sess *onnx.Session
}

var _ age.Estimator = (*FaceAPI)(nil)

// New loads the converted age/gender model.
func New(cfg Config) (*FaceAPI, error) {
	if cfg.Models == nil {
		cfg.Models = convert.Open("", faceapi.AgeGender())
	}
	if len(cfg.Zooms) == 0 {
		cfg.Zooms = DefaultZooms
	}
	if cfg.Calibration == nil {
		cfg.Calibration = DefaultCalibration
	}
	if cfg.MinFaceSize == 0 {
		cfg.MinFaceSize = 40
	}
	s, err := onnx.Load(cfg.Models, faceapi.AgeGenderName, onnx.Options{})
	if err != nil {
		return nil, fmt.Errorf("age: %w", err)
	}
	return &FaceAPI{cfg: cfg, sess: s}, nil
}

// Close releases the model.
func (m *FaceAPI) Close() error { return m.sess.Close() }

// Estimate estimates the age of face f in img: the face is aligned to the
// net's training framing at each zoom, mirrored, all views run as one
// batch, and the mean, calibrated, is the age; the views' spread and the
// model's measured error make the uncertainty.
func (m *FaceAPI) Estimate(ctx context.Context, img image.Image, f face.Face) (age.Estimate, error) {
	views, err := m.views(ctx, img, f)
	if err != nil {
		return age.Estimate{}, err
	}
	var mean float64
	for _, v := range views {
		mean += v
	}
	mean /= float64(len(views))
	var spread float64
	for _, v := range views {
		spread += (v - mean) * (v - mean)
	}
	spread = math.Sqrt(spread / float64(len(views)))
	years := m.cfg.Calibration.Apply(mean)
	sd := math.Hypot(spread, modelError(years))
	e := age.Estimate{
		Age:        years,
		StdDev:     sd,
		Confidence: confidence(spread, f.Score),
		Views:      len(views),
		Model:      ModelName,
	}
	e.Low, e.High = age.Range(e.Age, e.StdDev)
	return e, nil
}

// views returns the raw age of each augmented view.
func (m *FaceAPI) views(ctx context.Context, img image.Image, f face.Face) ([]float64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(f.Points5) != 5 {
		return nil, face.ErrNoLandmarks
	}
	if math.Min(f.Box.W(), f.Box.H()) < m.cfg.MinFaceSize {
		return nil, fmt.Errorf("%w: %.0f px, need %.0f", face.ErrFaceTooSmall, math.Min(f.Box.W(), f.Box.H()), m.cfg.MinFaceSize)
	}
	const n = faceapi.AgeGenderSize
	perView := n * n * 3
	flips := 2
	if m.cfg.NoFlip {
		flips = 1
	}
	batch := len(m.cfg.Zooms) * flips
	data := make([]float32, 0, batch*perView)
	for _, z := range m.cfg.Zooms {
		dst := make([]face.Point, 5)
		k := float64(n) / frameSize / z
		for i, p := range frameTemplate {
			// Zoom about the frame centre: z > 1 shows more context.
			dst[i] = face.Point{X: float64(n)/2 + (p.X-frameSize/2)*k, Y: float64(n)/2 + (p.Y-frameSize/2)*k}
		}
		crop, err := face.AlignTo(img, f, dst, n, n)
		if err != nil {
			return nil, err
		}
		data = appendNHWC(data, crop, false)
		if flips == 2 {
			data = appendNHWC(data, crop, true)
		}
	}
	out, err := m.sess.Run(onnx.Tensor{Shape: []int64{int64(batch), n, n, 3}, Data: data})
	if err != nil {
		return nil, fmt.Errorf("age: %w", err)
	}
	ages := make([]float64, batch)
	for i := range ages {
		ages[i] = float64(out[0].Data[i])
	}
	return ages, nil
}

// appendNHWC appends the RGB values 0..255 of img, mirrored when flip.
func appendNHWC(dst []float32, img *image.RGBA, flip bool) []float32 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			sx := x
			if flip {
				sx = w - 1 - x
			}
			p := row[sx*4:]
			dst = append(dst, float32(p[0]), float32(p[1]), float32(p[2]))
		}
	}
	return dst
}
