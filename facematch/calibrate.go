package facematch

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Knot is one point of a Calibration: Cosine maps to Similarity.
type Knot struct {
	Cosine     float64 `json:"cosine"`
	Similarity float64 `json:"similarity"`
}

// Calibration maps a cosine (−1..1) to a similarity (0..1) by linear
// interpolation between knots. Both coordinates must increase strictly
// from (−1, 0) to (1, 1), so the map is monotone and invertible: ranking
// by similarity is ranking by cosine, and every similarity threshold is
// exactly one cosine threshold.
type Calibration struct {
	Knots []Knot `json:"knots"`
}

// ErrCalibration means a Calibration's knots are not strictly increasing
// from (−1, 0) to (1, 1).
var ErrCalibration = errors.New("facematch: invalid calibration")

// Validate checks the knots.
func (c Calibration) Validate() error {
	k := c.Knots
	if len(k) < 2 {
		return fmt.Errorf("%w: %d knots, want at least 2", ErrCalibration, len(k))
	}
	if k[0] != (Knot{-1, 0}) || k[len(k)-1] != (Knot{1, 1}) {
		return fmt.Errorf("%w: must run from (−1, 0) to (1, 1)", ErrCalibration)
	}
	for i := 1; i < len(k); i++ {
		if !(k[i].Cosine > k[i-1].Cosine && k[i].Similarity > k[i-1].Similarity) {
			return fmt.Errorf("%w: knot %d (%v) does not increase from %v", ErrCalibration, i, k[i], k[i-1])
		}
	}
	return nil
}

// Similarity maps a cosine to 0–1. Cosines outside [−1, 1] are clamped.
func (c Calibration) Similarity(cos float64) float64 {
	return interp(c.Knots, cos, func(k Knot) (float64, float64) { return k.Cosine, k.Similarity })
}

// Cosine is the inverse of Similarity: the cosine a similarity threshold
// stands for.
func (c Calibration) Cosine(sim float64) float64 {
	return interp(c.Knots, sim, func(k Knot) (float64, float64) { return k.Similarity, k.Cosine })
}

func interp(knots []Knot, x float64, xy func(Knot) (float64, float64)) float64 {
	if math.IsNaN(x) || len(knots) == 0 {
		return math.NaN()
	}
	x0, y0 := xy(knots[0])
	if x <= x0 {
		return y0
	}
	for _, k := range knots[1:] {
		x1, y1 := xy(k)
		if x <= x1 {
			return y0 + (y1-y0)*(x-x0)/(x1-x0)
		}
		x0, y0 = x1, y1
	}
	return y0
}

// Anchor asks FitCalibration to give similarity Similarity to the cosine
// that a share FAR of different-person pairs reaches or exceeds.
type Anchor struct {
	FAR        float64
	Similarity float64
}

// FitCalibration builds a calibration from the cosines of different-person
// pairs (impostors): each anchor's similarity is given to the cosine whose
// false-accept rate on those pairs is the anchor's FAR, so that a
// similarity threshold reads as a false-accept rate. Anchors must have
// FARs decreasing while similarities increase; FARs below 1/len(impostor)
// cannot be measured and are an error. The ends are fixed at (−1, 0) and
// (1, 1).
func FitCalibration(impostor []float64, anchors []Anchor) (Calibration, error) {
	if len(impostor) == 0 {
		return Calibration{}, fmt.Errorf("%w: no impostor scores", ErrCalibration)
	}
	for i, v := range impostor {
		// A NaN would sort first yet count in the total, moving every knot.
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Calibration{}, fmt.Errorf("%w: impostor score %d is %v", ErrCalibration, i, v)
		}
	}
	s := slices.Clone(impostor)
	slices.Sort(s)
	knots := []Knot{{-1, 0}}
	for i, a := range anchors {
		if !(a.FAR > 0 && a.FAR < 1) || !(a.Similarity > 0 && a.Similarity < 1) {
			return Calibration{}, fmt.Errorf("%w: anchor %d %+v out of range", ErrCalibration, i, a)
		}
		if a.FAR*float64(len(s)) < 1 {
			return Calibration{}, fmt.Errorf("%w: FAR %g needs more than %d impostor scores", ErrCalibration, a.FAR, len(s))
		}
		knots = append(knots, Knot{Cosine: Quantile(s, 1-a.FAR), Similarity: a.Similarity})
	}
	knots = append(knots, Knot{1, 1})
	c := Calibration{Knots: knots}
	return c, c.Validate()
}

// Quantile returns the q-quantile (0..1) of sorted values by linear
// interpolation between order statistics.
func Quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	p := q * float64(len(sorted)-1)
	i := int(math.Floor(p))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	if i < 0 {
		return sorted[0]
	}
	return sorted[i] + (sorted[i+1]-sorted[i])*(p-float64(i))
}
