package age

import (
	"context"
	"image"

	"github.com/idkit-dev/idkit/face"
)

// Estimate is an age estimate for one face (or one person over frames).
type Estimate struct {
	// Age is the estimated age in years.
	Age float64 `json:"age"`
	// StdDev is the estimate's uncertainty in years: the spread of the
	// views (augmentations, frames) combined with the model's typical error.
	StdDev float64 `json:"std_dev"`
	// Low and High bound the age range reported to users (Age ± 2 StdDev,
	// clamped at 0).
	Low  float64 `json:"low"`
	High float64 `json:"high"`
	// Confidence is 0–1: high when the views agree and the face was clear.
	Confidence float64 `json:"confidence"`
	// Views is how many views (augmentations x frames) were combined.
	Views int `json:"views"`
	// Model names the model and version that produced the estimate.
	Model string `json:"model"`
}

// Estimator estimates the age of a face found in an image.
type Estimator interface {
	Estimate(ctx context.Context, img image.Image, f face.Face) (Estimate, error)
}

// EstimatorFunc adapts a function to Estimator.
type EstimatorFunc func(ctx context.Context, img image.Image, f face.Face) (Estimate, error)

// Estimate calls fn.
func (fn EstimatorFunc) Estimate(ctx context.Context, img image.Image, f face.Face) (Estimate, error) {
	return fn(ctx, img, f)
}
