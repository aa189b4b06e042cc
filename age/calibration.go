package age

// Calibration maps a raw model output to a calibrated age by linear
// interpolation between knots (raw, calibrated), sorted by raw; outside the
// knots the end segments extend with slope 1.
type Calibration []Knot

// Knot is one point of a Calibration.
type Knot struct{ Raw, Age float64 }

// Apply calibrates one raw value.
func (c Calibration) Apply(raw float64) float64 {
	if len(c) == 0 {
		return raw
	}
	if raw <= c[0].Raw {
		return c[0].Age + (raw - c[0].Raw)
	}
	last := c[len(c)-1]
	if raw >= last.Raw {
		return last.Age + (raw - last.Raw)
	}
	for i := 1; i < len(c); i++ {
		if raw <= c[i].Raw {
			a, b := c[i-1], c[i]
			t := (raw - a.Raw) / (b.Raw - a.Raw)
			return a.Age + t*(b.Age-a.Age)
		}
	}
	return raw
}
