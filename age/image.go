package age

import (
	"context"
	"fmt"
	"image"

	"github.com/idkit-dev/idkit/face"
)

// Challenge25 is the common retail policy for an 18+ check: the face alone
// passes only when estimated at 25 or more with confidence ≥ 0.55. The
// confidence floor was chosen on the even rows of ../shared/eval-dev/age:
// it sends faces whose mirrored views disagree by more than about 5 years
// to the document check (see the package documentation for the numbers).
var Challenge25 = Policy{Threshold: 18, Challenge: 25, MinConfidence: DefaultMinConfidence}

// DefaultMinConfidence is Challenge25's confidence floor, the one callers
// that build their own policy should use when they have no measured floor
// of their own: on the dev set it halves the minors passing on the face
// alone (2 of 124 without it, 1 of 124 with it).
const DefaultMinConfidence = 0.55

// Result is the estimate for the one face in a photo.
type Result struct {
	Estimate Estimate  `json:"estimate"`
	Face     face.Face `json:"face"`
}

// EstimateImage finds the single face in img and estimates its age. It
// returns face.ErrNoFace, face.ErrMultipleFaces (a second face at least a
// quarter the size of the first) or face.ErrFaceTooSmall rather than guess
// whose age to report.
func EstimateImage(ctx context.Context, d face.Detector, e Estimator, img image.Image) (Result, error) {
	faces, err := d.Detect(ctx, img)
	if err != nil {
		return Result{}, fmt.Errorf("age: %w", err)
	}
	f, err := face.Only(faces, 0.25)
	if err != nil {
		return Result{Face: f}, err
	}
	est, err := e.Estimate(ctx, img, f)
	if err != nil {
		return Result{Face: f}, err
	}
	return Result{Estimate: est, Face: f}, nil
}
