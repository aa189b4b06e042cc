package ageonnx

import "github.com/idkit-dev/idkit/age"

// DefaultCalibration is the identity until measured otherwise.
var DefaultCalibration = age.Calibration{}

// modelError is the model's typical error (a standard deviation, years) at
// a given estimated age.
func modelError(age float64) float64 {
	switch {
	case age < 13:
		return 3
	case age < 25:
		return 4.5
	case age < 35:
		return 6
	default:
		return 7.5
	}
}

// confidence is high when the views agree and the detector was sure.
func confidence(spread, detScore float64) float64 {
	c := 1 / (1 + spread/3)
	if detScore > 0 && detScore < 1 {
		c *= detScore
	}
	return c
}
