package score

import (
	"errors"
	"fmt"
	"math"
)

// FactorConfig sets how one factor counts.
type FactorConfig struct {
	// Name is the factor; each appears once.
	Name Factor `json:"name"`
	// Weight is the factor's share of the score, in points; weights need
	// not add up to 100, the score is their weighted mean scaled to 100.
	// A zero weight keeps the factor's mandatory and hard rules but gives
	// it no points.
	Weight float64 `json:"weight"`
	// Mandatory factors reject the check when they are not measured;
	// optional ones are left out and the others renormalized.
	Mandatory bool `json:"mandatory"`
	// MinScore rejects the check when the factor is measured and scores
	// below it, whatever the total. 0 disables the floor.
	MinScore float64 `json:"min_score"`
}

// Config is a tenant's scoring policy. The zero value is the default
// policy (DefaultConfig).
type Config struct {
	// Factors lists the factors in the order explanations show them; nil
	// means DefaultFactors.
	Factors []FactorConfig `json:"factors,omitempty"`
	// AcceptAt is the lowest score accepted; 0 means 80.
	AcceptAt float64 `json:"accept_at,omitempty"`
	// ReviewAt is the lowest score sent to review rather than rejected;
	// 0 means 60. It must not exceed AcceptAt.
	ReviewAt float64 `json:"review_at,omitempty"`
}

// Default thresholds.
const (
	DefaultAcceptAt = 80
	DefaultReviewAt = 60
)

// DefaultFactors returns Liveness 30, Face match 40 and Document
// validation 25, mandatory, and KYA 5, optional. The mandatory factors
// have a floor of 0.5: a factor more likely failed than passed rejects the
// check, since the others could otherwise outvote it (a failed face match
// at 0.4 with perfect other factors would still reach 76).
func DefaultFactors() []FactorConfig {
	return []FactorConfig{
		{Name: Liveness, Weight: 30, Mandatory: true, MinScore: 0.5},
		{Name: FaceMatch, Weight: 40, Mandatory: true, MinScore: 0.5},
		{Name: Document, Weight: 25, Mandatory: true, MinScore: 0.5},
		{Name: KYA, Weight: 5},
	}
}

// DefaultConfig returns the default policy with every field filled in.
func DefaultConfig() Config {
	return Config{Factors: DefaultFactors(), AcceptAt: DefaultAcceptAt, ReviewAt: DefaultReviewAt}
}

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("score: invalid config")

// withDefaults fills the zero fields and checks the result.
func (c Config) withDefaults() (Config, error) {
	if c.Factors == nil {
		c.Factors = DefaultFactors()
	}
	if c.AcceptAt == 0 {
		c.AcceptAt = DefaultAcceptAt
	}
	if c.ReviewAt == 0 {
		c.ReviewAt = DefaultReviewAt
	}
	bad := func(format string, args ...any) (Config, error) {
		return Config{}, fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
	}
	if !inRange(c.AcceptAt, 0, 100) || c.AcceptAt == 0 {
		return bad("accept_at %v not in (0, 100]", c.AcceptAt)
	}
	if !inRange(c.ReviewAt, 0, 100) || c.ReviewAt == 0 {
		return bad("review_at %v not in (0, 100]", c.ReviewAt)
	}
	if c.ReviewAt > c.AcceptAt {
		return bad("review_at %v is above accept_at %v", c.ReviewAt, c.AcceptAt)
	}
	if len(c.Factors) == 0 {
		return bad("no factors")
	}
	seen := map[Factor]bool{}
	total := 0.0
	for _, f := range c.Factors {
		switch {
		case f.Name == "":
			return bad("a factor has no name")
		case seen[f.Name]:
			return bad("factor %q is listed twice", f.Name)
		case !(f.Weight >= 0) || math.IsInf(f.Weight, 0):
			return bad("factor %q: weight %v is not a number ≥ 0", f.Name, f.Weight)
		case !inRange(f.MinScore, 0, 1):
			return bad("factor %q: min_score %v not in [0, 1]", f.Name, f.MinScore)
		}
		seen[f.Name] = true
		total += f.Weight
	}
	if total == 0 {
		return bad("every weight is 0")
	}
	c.Factors = append([]FactorConfig(nil), c.Factors...) // callers may reuse theirs
	return c, nil
}

func inRange(v, lo, hi float64) bool { return v >= lo && v <= hi }
