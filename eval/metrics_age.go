package eval

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Band is a range of true ages, Min inclusive and Max exclusive, in years.
type Band struct {
	Name     string
	Min, Max float64
}

// DefaultAgeBands returns the bands DESIGN.md reports MAE on: 0-12, 13-17,
// 18-24, 25-34, 35-49, 50+. A true age of 12.5 is in 0-12: bands split at
// whole birthdays.
func DefaultAgeBands() []Band {
	return []Band{
		{"0-12", 0, 13},
		{"13-17", 13, 18},
		{"18-24", 18, 25},
		{"25-34", 25, 35},
		{"35-49", 35, 50},
		{"50+", 50, math.Inf(1)},
	}
}

// BandStat is the error of the age estimates whose true age is in Band.
// With N == 0, MAE and Bias are meaningless and print as null.
type BandStat struct {
	Band Band
	N    int
	MAE  float64 // mean absolute error, years
	Bias float64 // mean signed error (estimate − truth): > 0 overestimates
}

// MAE is the mean absolute error between estimates and true values.
func MAE(truth, pred []float64) (float64, error) {
	if err := checkPairs(truth, pred); err != nil {
		return 0, err
	}
	var sum float64
	for i := range truth {
		sum += math.Abs(pred[i] - truth[i])
	}
	return sum / float64(len(truth)), nil
}

// MeanSignedError is the mean of estimate − truth: the bias of an estimator.
func MeanSignedError(truth, pred []float64) (float64, error) {
	if err := checkPairs(truth, pred); err != nil {
		return 0, err
	}
	var sum float64
	for i := range truth {
		sum += pred[i] - truth[i]
	}
	return sum / float64(len(truth)), nil
}

// AgeErrorsByBand groups the errors by the band of the true age. Every band
// is returned, in the given order, including empty ones; a true age outside
// all bands is counted in none.
func AgeErrorsByBand(truth, pred []float64, bands []Band) ([]BandStat, error) {
	if err := checkPairs(truth, pred); err != nil {
		return nil, err
	}
	out := make([]BandStat, len(bands))
	for b := range bands {
		out[b].Band = bands[b]
	}
	for i := range truth {
		for b := range bands {
			if truth[i] >= bands[b].Min && truth[i] < bands[b].Max {
				e := pred[i] - truth[i]
				out[b].N++
				out[b].MAE += math.Abs(e)
				out[b].Bias += e
				break
			}
		}
	}
	for b := range out {
		if out[b].N > 0 {
			out[b].MAE /= float64(out[b].N)
			out[b].Bias /= float64(out[b].N)
		}
	}
	return out, nil
}

// AgeDecision is what an age-verification policy decided for one face,
// mirroring age.Decide without importing it.
type AgeDecision string

// The decisions an age policy can take.
const (
	DecisionAbove         AgeDecision = "above"          // let through without a document
	DecisionBelow         AgeDecision = "below"          // refused
	DecisionNeedsDocument AgeDecision = "needs_document" // asked for an identity document
)

// Rate is a proportion kept as its counts, so that an empty denominator is
// visible (it prints as null) instead of becoming 0 or NaN.
type Rate struct {
	Num, Den int
}

// Value returns Num/Den and false when Den is 0.
func (r Rate) Value() (float64, bool) {
	if r.Den == 0 {
		return 0, false
	}
	return float64(r.Num) / float64(r.Den), true
}

// MarshalJSON writes the proportion, or null when nothing was counted.
func (r Rate) MarshalJSON() ([]byte, error) {
	v, ok := r.Value()
	if !ok {
		return []byte("null"), nil
	}
	return json.Marshal(round(v, 4))
}

func (r Rate) String() string {
	v, ok := r.Value()
	if !ok {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'f', 4, 64) + " (" + strconv.Itoa(r.Num) + "/" + strconv.Itoa(r.Den) + ")"
}

// AgePolicyRates measures an age policy with threshold T and challenge age
// C (C ≥ T) on faces of known age:
//
//   - minorsPassed: among true ages < T, the share decided "above" — minors
//     let through without a document, the error that matters most;
//   - adultsPassed: among true ages ≥ C, the share decided "above" — the
//     convenience the buffer leaves to clear adults.
func AgePolicyRates(truth []float64, decisions []AgeDecision, threshold, challenge float64) (minorsPassed, adultsPassed Rate, err error) {
	if len(truth) != len(decisions) {
		return Rate{}, Rate{}, fmt.Errorf("%w: %d truths, %d decisions", ErrLength, len(truth), len(decisions))
	}
	if len(truth) == 0 {
		return Rate{}, Rate{}, ErrEmpty
	}
	if !finite(threshold) || !finite(challenge) || challenge < threshold {
		return Rate{}, Rate{}, fmt.Errorf("eval: challenge age %v must be a number ≥ threshold %v", challenge, threshold)
	}
	for i, t := range truth {
		if !finite(t) {
			return Rate{}, Rate{}, fmt.Errorf("%w: truth[%d]", ErrBadValue, i)
		}
		switch decisions[i] {
		case DecisionAbove, DecisionBelow, DecisionNeedsDocument:
		default:
			return Rate{}, Rate{}, fmt.Errorf("eval: unknown age decision %q at %d", decisions[i], i)
		}
		above := decisions[i] == DecisionAbove
		if t < threshold {
			minorsPassed.Den++
			if above {
				minorsPassed.Num++
			}
		}
		if t >= challenge {
			adultsPassed.Den++
			if above {
				adultsPassed.Num++
			}
		}
	}
	return minorsPassed, adultsPassed, nil
}

func checkPairs(truth, pred []float64) error {
	if len(truth) != len(pred) {
		return fmt.Errorf("%w: %d truths, %d predictions", ErrLength, len(truth), len(pred))
	}
	if len(truth) == 0 {
		return ErrEmpty
	}
	for i := range truth {
		if !finite(truth[i]) || !finite(pred[i]) {
			return fmt.Errorf("%w: item %d", ErrBadValue, i)
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// round keeps d decimals, so that reports do not print float noise.
func round(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}
