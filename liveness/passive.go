package liveness

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"time"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/models"
)

// Defaults for Config.
const (
	// DefaultMinFaceSize is the smallest face side, in pixels, judged. Below
	// it the moiré cue has no 64-pixel window to look at, and the network
	// loses the detail it rejects attacks on: live fixture faces shrunk to
	// 23–48 pixels scored 0.78–1.00 live, as attacks would. Such faces get
	// an inconclusive result and the "too_far" hint.
	DefaultMinFaceSize = 64
	// MoireEvidence is the moiré value from which the result names a
	// periodic pattern as attack evidence, and the default fusion's veto:
	// half a decade above every live photo of the development set's fitting
	// half (maximum 1.99) and above every camera-like fixture frame (at most
	// 1.6).
	MoireEvidence = 2.5
	// borderlineMargin: a live score within this of the threshold earns a
	// borderline warning.
	borderlineMargin = 0.1
)

// Config configures a Passive checker. The zero value loads the models
// from the default directory and uses the fitted fusion.
type Config struct {
	// Models is where the model assets are; nil means models.Open("").
	Models *models.Cache
	// Analyzer finds and measures faces; nil makes one with pose and eye
	// state from Models (closed by Close). A shared Analyzer is not closed.
	Analyzer *faceonnx.Analyzer
	// Fusion combines the network and the cues. A Fusion without weights
	// (the zero value, or only Threshold set) means DefaultFusion, at
	// Threshold when it is set: Fusion{Threshold: 0.6} trades more live
	// people rejected for fewer attacks accepted. A threshold outside 0–1
	// is an error.
	Fusion Fusion
	// MinFaceSize is the smallest face side in pixels that is judged; 0
	// means DefaultMinFaceSize.
	MinFaceSize float64
	// Diagnostics also measures the cues that are reported but not scored
	// (Cues.Detail, Cues.Border); they cost a few milliseconds.
	Diagnostics bool
	// Quality sets the limits of the capture hints (face.Assess).
	Quality face.QualityConfig
	// Now is the clock for ProcessingMS; nil means time.Now.
	Now func() time.Time
}

// Passive is the single-photo liveness checker: fr_liveness plus the cues,
// fused. It is safe for concurrent use.
type Passive struct {
	cfg     Config
	net     *onnx.Session
	ownsAna bool
}

var _ Checker = (*Passive)(nil)

// New loads the liveness model (and a face analyzer unless one is given).
func New(cfg Config) (*Passive, error) {
	if cfg.Models == nil {
		cfg.Models = models.Open("")
	}
	f, err := withDefaultWeights(cfg.Fusion)
	if err != nil {
		return nil, err
	}
	cfg.Fusion = f
	if cfg.MinFaceSize == 0 {
		cfg.MinFaceSize = DefaultMinFaceSize
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	p := &Passive{cfg: cfg}
	if p.cfg.Analyzer == nil {
		a, err := faceonnx.New(faceonnx.Config{Models: cfg.Models, Pose: true, Eyes: true})
		if err != nil {
			return nil, fmt.Errorf("liveness: %w", err)
		}
		p.cfg.Analyzer, p.ownsAna = a, true
	}
	s, err := onnx.Load(cfg.Models, "fr_liveness", onnx.Options{})
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("liveness: %w", err)
	}
	p.net = s
	return p, nil
}

// Close releases the models.
func (p *Passive) Close() error {
	var errs []error
	if p.net != nil {
		errs = append(errs, p.net.Close())
	}
	if p.ownsAna && p.cfg.Analyzer != nil {
		errs = append(errs, p.cfg.Analyzer.Close())
	}
	return errors.Join(errs...)
}

// Threshold is the decision threshold in force.
func (p *Passive) Threshold() float64 { return p.cfg.Fusion.Threshold }

// Check judges the largest face in img. A photo without a usable face is
// not an error: the result is inconclusive with a warning and hints.
func (p *Passive) Check(ctx context.Context, img image.Image) (*Result, error) {
	start := p.cfg.Now()
	if imageio.IsNil(img) {
		return nil, fmt.Errorf("liveness: %w", imageio.ErrEmpty)
	}
	rgba := imageio.ToRGBA(img)
	faces, err := p.cfg.Analyzer.Detect(ctx, rgba)
	if err != nil {
		return nil, fmt.Errorf("liveness: %w", err)
	}
	q := face.Assess(rgba, faces, p.cfg.Quality)
	res, err := p.judge(rgba, q)
	if err != nil {
		return nil, err
	}
	res.ProcessingMS = float64(p.cfg.Now().Sub(start).Microseconds()) / 1000
	return res, nil
}

// judge decides on the face q is about.
func (p *Passive) judge(img *image.RGBA, q face.Quality) (*Result, error) {
	res := &Result{
		SpoofType: SpoofUnknown,
		Threshold: p.cfg.Fusion.Threshold,
		Status:    StatusInconclusive,
		Hints:     q.Codes,
		Warnings:  []Warning{},
	}
	if q.Face == nil {
		res.Warnings = append(res.Warnings, newWarning(RiskNoFace))
		return res, nil
	}
	f := *q.Face
	if b := f.Box; !finite(b.X1, b.Y1, b.X2, b.Y2) {
		// A detector that returns a non-finite box is broken; a NaN would
		// reach the score and the JSON (which cannot encode it).
		return nil, fmt.Errorf("liveness: the face box is not finite: %+v", b)
	}
	shown := f
	shown.Landmarks, shown.Points5 = nil, nil // the box, pose and eyes say enough
	res.Face = &shown
	if slices.Contains(q.Codes, face.MultipleFaces) {
		res.Warnings = append(res.Warnings, newWarning(RiskMultipleFaces))
	}
	if math.Min(f.Box.W(), f.Box.H()) < p.cfg.MinFaceSize {
		if !slices.Contains(res.Hints, face.TooFar) {
			res.Hints = append(res.Hints, face.TooFar)
		}
		res.Warnings = append(res.Warnings, newWarning(RiskFaceTooSmall))
		return res, nil
	}
	network, err := netScores(p.net, img, f.Box)
	if err != nil {
		return nil, err
	}
	sig := &Signals{Network: network, Cues: measureCues(img, f.Box, p.cfg.Diagnostics), Evidence: []string{}}
	if sig.Cues.Moire >= MoireEvidence {
		sig.Evidence = append(sig.Evidence, "periodic_pattern")
	}
	res.Signals = sig
	res.Confidence = p.cfg.Fusion.Score(network, sig.Cues)
	res.IsLive = res.Confidence >= p.cfg.Fusion.Threshold
	if res.IsLive {
		res.Status, res.SpoofType = StatusLive, SpoofNone
		if res.Confidence < p.cfg.Fusion.Threshold+borderlineMargin {
			res.Warnings = append(res.Warnings, newWarning(RiskBorderlineScore))
		}
	} else {
		res.Status = StatusSpoof
		res.Warnings = append(res.Warnings, newWarning(RiskLowScore))
		if len(sig.Evidence) > 0 {
			res.Warnings = append(res.Warnings, newWarning(RiskFaceAttack))
		}
	}
	if len(res.Hints) > 0 {
		res.Warnings = append(res.Warnings, newWarning(RiskPoorCapture))
	}
	return res, nil
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
