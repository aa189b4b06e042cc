package liveness

import (
	"context"
	"image"

	"github.com/idkit-dev/idkit/face"
)

// Checker decides whether the face in a photo belongs to a live person in
// front of the camera or to a presentation attack (a photo, a screen, a
// mask). It is the small interface the rest of idkit consumes.
type Checker interface {
	Check(ctx context.Context, img image.Image) (*Result, error)
}

// CheckerFunc adapts a function to Checker.
type CheckerFunc func(ctx context.Context, img image.Image) (*Result, error)

// Check calls f.
func (f CheckerFunc) Check(ctx context.Context, img image.Image) (*Result, error) { return f(ctx, img) }

// SpoofType names the kind of presentation attack.
type SpoofType string

// Spoof types. A type is only reported when a check that can see it
// exists: the passive checker reports SpoofNone for a live face and
// SpoofUnknown otherwise, because no check here has been shown on labelled
// data to tell a screen from a print (see doc.go); mask and deepfake have no
// check at all.
const (
	SpoofNone     SpoofType = "none"
	SpoofScreen   SpoofType = "screen"
	SpoofPaper    SpoofType = "paper"
	SpoofMask     SpoofType = "mask"
	SpoofDeepfake SpoofType = "deepfake"
	SpoofUnknown  SpoofType = "unknown"
)

// Status is the outcome of a check.
type Status string

// Statuses. Inconclusive means the photo could not be judged (no face, a
// face too small for the checks): ask for another capture, following the
// hints.
const (
	StatusLive         Status = "live"
	StatusSpoof        Status = "spoof"
	StatusInconclusive Status = "inconclusive"
)

// Result is the liveness verdict on one photo.
type Result struct {
	// IsLive is true only when the face was judged live.
	IsLive bool `json:"is_live"`
	// SpoofType is none for a live face, unknown otherwise (see SpoofType).
	SpoofType SpoofType `json:"spoof_type"`
	// Confidence is the fused probability, 0–1, that the face is live; the
	// face is live when it reaches Threshold. It is 0 when no face was
	// judged.
	Confidence float64 `json:"confidence"`
	// Threshold is the decision threshold in force.
	Threshold float64 `json:"threshold"`
	// Status says whether a decision was made.
	Status Status `json:"status"`
	// Hints are the capture-quality codes of the face package ("too_far",
	// "too_dim", "near_left_edge"...), for the capture page to act on.
	Hints []face.Code `json:"hints"`
	// ProcessingMS is the time the check took, in milliseconds.
	ProcessingMS float64 `json:"processing_ms"`
	// Warnings explain the verdict in the style of verification reports.
	Warnings []Warning `json:"warnings"`
	// Face is the face that was judged (the largest): box, detector score,
	// pose and eyes; nil when none.
	Face *face.Face `json:"face,omitempty"`
	// Signals are the measurements behind the verdict, nil when no face
	// was judged.
	Signals *Signals `json:"signals,omitempty"`
}

// Signals are the individual opinions the verdict combines.
type Signals struct {
	// Network is fr_liveness's softmax: [live, class 1, class 2]. Class 1
	// takes nearly every attack on the development set (prints, paper masks,
	// dark re-captures); class 2 won once in 149 attacks, so neither is
	// mapped to a spoof type.
	Network [3]float64 `json:"network"`
	// Cues are the hand-made measurements (see Cues).
	Cues Cues `json:"cues"`
	// Evidence lists the attack signs that fired, e.g. "periodic_pattern".
	Evidence []string `json:"evidence"`
}
