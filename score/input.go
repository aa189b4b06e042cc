package score

import (
	"fmt"
	"strings"
)

// Factor names one part of the check.
type Factor string

// The factors of the default configuration.
const (
	Liveness  Factor = "liveness"
	FaceMatch Factor = "face_match"
	Document  Factor = "document"
	KYA       Factor = "kya"
)

// Label is the factor's name in plain words, for explanations.
func (f Factor) Label() string {
	switch f {
	case Liveness:
		return "liveness"
	case FaceMatch:
		return "face match"
	case Document:
		return "document validation"
	case KYA:
		return "profile checks (KYA)"
	}
	return strings.ReplaceAll(string(f), "_", " ")
}

// Input is what a step reports for one factor. The zero value is a factor
// that was not measured.
type Input struct {
	// Present says the factor was measured. A factor that is absent from
	// the inputs, or present with Present false, is missing.
	Present bool `json:"present"`
	// Score is the factor's strength in [0, 1], with the producer's own
	// pass/fail boundary at 0.5 (see ThresholdScore); a pass/fail check
	// gives 1 or 0 (see PassFail). Ignored when Present is false.
	Score float64 `json:"score"`
	// Reason says in plain words, with the numbers, what was measured:
	// "similarity 0.62 < 0.75 threshold", "MRZ checksum fail: date of
	// birth". For a missing factor it says why it is missing.
	Reason string `json:"reason,omitempty"`
	// HardFails are failures that reject the check whatever the scores,
	// such as a detected spoof or an expired document. They apply even
	// when Present is false.
	HardFails []HardFail `json:"hard_fails,omitempty"`
}

// HardFail is one failure that overrides the arithmetic.
type HardFail struct {
	Code   string `json:"code"`   // machine code, e.g. "spoof_detected", "document_expired"
	Reason string `json:"reason"` // plain words, e.g. "screen replay detected, confidence 0.97"
}

func (h HardFail) String() string {
	if h.Reason == "" {
		return h.Code
	}
	return h.Reason
}

// Measured is a measured factor with a score in [0, 1].
func Measured(score float64, reason string) Input {
	return Input{Present: true, Score: score, Reason: reason}
}

// PassFail is a measured factor that only passes (1) or fails (0).
func PassFail(pass bool, reason string) Input {
	in := Input{Present: true, Reason: reason}
	if pass {
		in.Score = 1
	}
	return in
}

// Missing is a factor that could not be measured, with the reason.
func Missing(reason string) Input { return Input{Reason: reason} }

// WithHardFail returns a copy of in with one more hard failure.
func (in Input) WithHardFail(code, reason string) Input {
	in.HardFails = append(append([]HardFail(nil), in.HardFails...), HardFail{Code: code, Reason: reason})
	return in
}

// ThresholdScore maps a measurement in [0, 1] whose pass threshold is t
// to a factor score whose pass boundary is 0.5: [0, t] maps linearly onto
// [0, 0.5] and [t, 1] onto [0.5, 1]. A similarity of 0.80 with threshold
// 0.75 scores 0.6. Values outside [0, 1] are clamped; t must be in (0, 1).
func ThresholdScore(value, t float64) (float64, error) {
	if !(t > 0 && t < 1) {
		return 0, fmt.Errorf("score: threshold %v not in (0, 1)", t)
	}
	if value != value {
		return 0, fmt.Errorf("%w: NaN", ErrInvalidScore)
	}
	value = min(max(value, 0), 1)
	if value <= t {
		return 0.5 * value / t, nil
	}
	return 0.5 + 0.5*(value-t)/(1-t), nil
}
