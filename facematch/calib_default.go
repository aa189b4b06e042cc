package facematch

// DefaultCalibration is fitted on LFW (see the package documentation).
func DefaultCalibration() Calibration {
	return Calibration{Knots: []Knot{{-1, 0}, {0.2, 0.5}, {0.35, 0.75}, {1, 1}}}
}
