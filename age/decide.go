package age

import (
	"fmt"
	"math"
)

// Outcome is the result of an age decision.
type Outcome string

// Outcomes.
const (
	// Above: the face is clearly old enough; no document is needed.
	Above Outcome = "above"
	// Below: the face is clearly under the threshold.
	Below Outcome = "below"
	// NeedsDocument: the face alone cannot settle it; ask for an ID document.
	NeedsDocument Outcome = "needs_document"
)

// Policy is an age check with a challenge buffer ("Challenge 25": a user
// must look at least 25 to pass an 18+ check on the face alone).
type Policy struct {
	// Threshold is the legal age being checked, e.g. 18.
	Threshold float64 `json:"threshold"`
	// Challenge is the age the face must be estimated at to pass without a
	// document, e.g. 25. Zero means Threshold (no buffer).
	Challenge float64 `json:"challenge"`
	// MinConfidence is the least Estimate.Confidence accepted; an estimate
	// below it needs a document. Zero accepts any.
	MinConfidence float64 `json:"min_confidence"`
	// ThresholdOnly hides the estimated age from the decision: only the
	// outcome and the thresholds are returned (privacy mode).
	ThresholdOnly bool `json:"threshold_only"`
}

// Decision is the outcome of Decide with its reason.
type Decision struct {
	Outcome Outcome `json:"outcome"`
	// Reason says in plain words why.
	Reason string `json:"reason"`
	// Age and StdDev are the estimate decided on; nil in ThresholdOnly mode.
	Age    *float64 `json:"age,omitempty"`
	StdDev *float64 `json:"std_dev,omitempty"`
	// Confidence is the estimate's confidence, 0–1.
	Confidence float64 `json:"confidence"`
	Threshold  float64 `json:"threshold"`
	Challenge  float64 `json:"challenge"`
}

// belowZ is how many standard deviations an estimate must sit under the
// threshold to be decided Below on the face alone: at 2.0 the upper end of
// a 95% interval is still under the threshold.
const belowZ = 2.0

// Decide turns an estimate into a decision: Above when the estimate reaches
// the challenge age with enough confidence, Below when even the upper end of
// its 95% range is under the threshold, NeedsDocument otherwise. An
// estimate whose age, spread or confidence is NaN, infinite or negative is
// an error, never a decision.
func Decide(e Estimate, p Policy) (Decision, error) {
	// Every comparison below is written so that NaN fails it, and non-finite
	// numbers are refused first: a NaN compares false with everything, so a
	// NaN confidence would otherwise slip past the floor and a NaN spread
	// past the "clearly under" test.
	if !(p.Threshold > 0) || math.IsInf(p.Threshold, 0) {
		return Decision{}, fmt.Errorf("age: policy threshold must be positive and finite, got %v", p.Threshold)
	}
	if !(p.MinConfidence >= 0 && p.MinConfidence <= 1) {
		// (55 for 0.55 would send everyone to the document check.)
		return Decision{}, fmt.Errorf("age: policy min confidence must be within 0–1, got %v", p.MinConfidence)
	}
	challenge := p.Challenge
	if challenge == 0 {
		challenge = p.Threshold
	}
	if !(challenge >= p.Threshold) || math.IsInf(challenge, 0) {
		return Decision{}, fmt.Errorf("age: challenge age %v is below the threshold %v or not finite", challenge, p.Threshold)
	}
	if !finiteNonNegative(e.Age) || !finiteNonNegative(e.StdDev) || !(e.Confidence >= 0 && e.Confidence <= 1) {
		return Decision{}, fmt.Errorf("age: invalid estimate %v ± %v (confidence %v)", e.Age, e.StdDev, e.Confidence)
	}
	d := Decision{Confidence: e.Confidence, Threshold: p.Threshold, Challenge: challenge}
	if !p.ThresholdOnly {
		a, s := e.Age, e.StdDev
		d.Age, d.StdDev = &a, &s
	}
	// In privacy mode the reason must not reveal the estimate either.
	est := fmt.Sprintf("estimated %.1f ± %.1f", e.Age, e.StdDev)
	if p.ThresholdOnly {
		est = "the estimate"
	}
	switch {
	case !(e.Confidence >= p.MinConfidence):
		d.Outcome = NeedsDocument
		d.Reason = fmt.Sprintf("estimate confidence %.2f is below the required %.2f", e.Confidence, p.MinConfidence)
	case e.Age >= challenge:
		d.Outcome = Above
		d.Reason = fmt.Sprintf("%s reaches the challenge age %g", est, challenge)
	case e.Age+belowZ*e.StdDev < p.Threshold: // finite: checked above
		d.Outcome = Below
		d.Reason = fmt.Sprintf("%s is clearly under the threshold %g", est, p.Threshold)
	default:
		d.Outcome = NeedsDocument
		d.Reason = fmt.Sprintf("%s is under the challenge age %g: an ID document is needed", est, challenge)
	}
	return d, nil
}

// finiteNonNegative reports whether v is a real number ≥ 0 (not NaN, not
// infinite).
func finiteNonNegative(v float64) bool { return v >= 0 && !math.IsInf(v, 1) }
