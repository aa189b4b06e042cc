package workflow

import (
	"context"
	"errors"
	"image"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/docvalidate"
	"github.com/idkit-dev/idkit/kya"
)

// ErrNoFace is what backends return (wrapped) when an image holds no usable
// face; the age flow treats it as a retryable capture problem.
var ErrNoFace = errors.New("workflow: no face found")

// Liveness is a liveness check's verdict on a selfie.
type Liveness struct {
	IsLive bool `json:"is_live"`
	// SpoofType is none, screen, paper, mask, deepfake or unknown.
	SpoofType string `json:"spoof_type"`
	// Confidence in the verdict, 0–1.
	Confidence float64 `json:"confidence"`
	// Hints are capture advice (too_close, too_dark...).
	Hints []string `json:"hints,omitempty"`
}

// LivenessChecker tells a live selfie from a presentation attack.
type LivenessChecker interface {
	CheckLiveness(ctx context.Context, selfie image.Image) (Liveness, error)
}

// LivenessFunc adapts a function to LivenessChecker.
type LivenessFunc func(ctx context.Context, selfie image.Image) (Liveness, error)

// CheckLiveness calls f.
func (f LivenessFunc) CheckLiveness(ctx context.Context, selfie image.Image) (Liveness, error) {
	return f(ctx, selfie)
}

// Document is what a reader found on an identity document.
type Document struct {
	// Type, Country (ISO alpha-3) and Confidence are the reader's
	// detection.
	Type       string  `json:"type"`
	Country    string  `json:"country,omitempty"`
	Confidence float64 `json:"confidence"`
	// Validation is the reader's output in the form docvalidate judges.
	Validation docvalidate.Input `json:"-"`
	// FaceCrop is the holder's photo cut from the document; nil when none
	// was found.
	FaceCrop image.Image `json:"-"`
	// Notes are the reader's reasons for what it could not do (no_mrz,
	// no_face...).
	Notes []string `json:"notes,omitempty"`
}

// DocumentReader reads an identity document from photos of its sides;
// back may be nil.
type DocumentReader interface {
	ReadDocument(ctx context.Context, front, back image.Image) (Document, error)
}

// DocumentReaderFunc adapts a function to DocumentReader.
type DocumentReaderFunc func(ctx context.Context, front, back image.Image) (Document, error)

// ReadDocument calls f.
func (f DocumentReaderFunc) ReadDocument(ctx context.Context, front, back image.Image) (Document, error) {
	return f(ctx, front, back)
}

// DocumentValidator judges a document; *docvalidate.Validator satisfies it.
type DocumentValidator interface {
	Validate(in docvalidate.Input) docvalidate.Report
}

var _ DocumentValidator = (*docvalidate.Validator)(nil)

// FaceMatch is the comparison of two face photos.
type FaceMatch struct {
	Match bool `json:"match"`
	// Similarity is 0–1; Threshold the similarity Match required.
	Similarity float64 `json:"similarity"`
	Threshold  float64 `json:"threshold"`
}

// FaceMatcher compares a selfie with a reference photo (the document's).
type FaceMatcher interface {
	MatchFaces(ctx context.Context, selfie, reference image.Image) (FaceMatch, error)
}

// FaceMatcherFunc adapts a function to FaceMatcher.
type FaceMatcherFunc func(ctx context.Context, selfie, reference image.Image) (FaceMatch, error)

// MatchFaces calls f.
func (f FaceMatcherFunc) MatchFaces(ctx context.Context, selfie, reference image.Image) (FaceMatch, error) {
	return f(ctx, selfie, reference)
}

// AgeEstimator estimates the age of the one face in an image. (The age
// package's Estimator takes a detected face; the wiring detects it.)
type AgeEstimator interface {
	EstimateAge(ctx context.Context, img image.Image) (age.Estimate, error)
}

// AgeEstimatorFunc adapts a function to AgeEstimator.
type AgeEstimatorFunc func(ctx context.Context, img image.Image) (age.Estimate, error)

// EstimateAge calls f.
func (f AgeEstimatorFunc) EstimateAge(ctx context.Context, img image.Image) (age.Estimate, error) {
	return f(ctx, img)
}

// ProfileChecker runs the basic profile checks; *kya.Checker satisfies it.
type ProfileChecker interface {
	Check(ctx context.Context, in kya.Input) (kya.Report, error)
}

var _ ProfileChecker = (*kya.Checker)(nil)

// Backends are the implementations of the steps. A nil backend skips its
// step with the reason, as if the step were disabled.
type Backends struct {
	Liveness  LivenessChecker
	Reader    DocumentReader
	Validator DocumentValidator
	Matcher   FaceMatcher
	Age       AgeEstimator
	Profile   ProfileChecker
}
