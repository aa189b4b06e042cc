package score

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Decision is the outcome of a check.
type Decision string

// The decisions, from the score's thresholds or the rules before them.
const (
	Accepted Decision = "accepted"
	Review   Decision = "review"
	Rejected Decision = "rejected"
)

// ErrUnknownFactor is returned for an input naming a factor the
// configuration does not have: a typo would otherwise drop it silently.
var ErrUnknownFactor = errors.New("score: unknown factor")

// ErrInvalidScore is returned for a measured factor whose score is NaN or
// outside [0, 1].
var ErrInvalidScore = errors.New("score: factor score not in [0, 1]")

// Result is the scored check.
type Result struct {
	// Score is the weighted mean of the measured factors, 0–100, rounded
	// down to one decimal; the thresholds are applied to this number. It is
	// computed even when a rule rejects the check.
	Score    float64  `json:"score"`
	Decision Decision `json:"decision"`
	// Reasons explain the decision in plain words, the deciding one first.
	Reasons []string `json:"reasons"`
	// HardFails are every hard failure, with the factor that raised it.
	HardFails []FactorHardFail `json:"hard_fails,omitempty"`
	// Factors explain each configured factor, in configuration order.
	Factors []FactorResult `json:"factors"`
}

// FactorHardFail is a hard failure and its factor.
type FactorHardFail struct {
	Factor Factor `json:"factor"`
	HardFail
}

// FactorResult is how one factor counted.
type FactorResult struct {
	Name      Factor `json:"name"`
	Present   bool   `json:"present"`
	Mandatory bool   `json:"mandatory"`
	// Score is the factor's score as given, null when not measured.
	Score *float64 `json:"score"`
	// Weight is the configured weight; EffectiveWeight is its share of
	// 100 points among the measured factors (0 when not measured).
	Weight          float64 `json:"weight"`
	EffectiveWeight float64 `json:"effective_weight"`
	// Points is Score × EffectiveWeight, the factor's part of the score.
	Points float64 `json:"points"`
	// BelowMinimum says the factor scored under its MinScore.
	BelowMinimum bool       `json:"below_minimum,omitempty"`
	HardFails    []HardFail `json:"hard_fails,omitempty"`
	// Explanation says all of the above in one sentence.
	Explanation string `json:"explanation"`
}

// Scorer scores checks under one policy. It is safe for concurrent use.
type Scorer struct {
	cfg Config
}

// New checks cfg (zero fields take the defaults) and returns a Scorer.
func New(cfg Config) (*Scorer, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Scorer{cfg: c}, nil
}

// Config returns the policy in force, defaults filled in.
func (s *Scorer) Config() Config {
	c := s.cfg
	c.Factors = append([]FactorConfig(nil), c.Factors...)
	return c
}

// Score scores one check. A factor absent from inputs is missing. Bad
// inputs (an unknown factor, a score outside [0, 1]) are errors, never
// guessed at.
func (s *Scorer) Score(inputs map[Factor]Input) (Result, error) {
	known := map[Factor]bool{}
	for _, f := range s.cfg.Factors {
		known[f.Name] = true
	}
	for name, in := range inputs {
		if !known[name] {
			return Result{}, fmt.Errorf("%w: %q", ErrUnknownFactor, name)
		}
		if in.Present && !inRange(in.Score, 0, 1) {
			return Result{}, fmt.Errorf("%w: %s is %v", ErrInvalidScore, name, in.Score)
		}
	}

	// The weighted mean over measured factors; missing optional factors
	// drop out and the rest scale up to 100.
	var presentWeight, missingOptional float64
	for _, f := range s.cfg.Factors {
		if inputs[f.Name].Present {
			presentWeight += f.Weight
		} else if !f.Mandatory {
			missingOptional += f.Weight
		}
	}
	var r Result
	var raw float64
	var missingMandatory, belowMin []string
	var skipped []string // optional factors renormalized out
	for _, f := range s.cfg.Factors {
		in := inputs[f.Name]
		fr := FactorResult{Name: f.Name, Present: in.Present, Mandatory: f.Mandatory, Weight: f.Weight,
			HardFails: append([]HardFail(nil), in.HardFails...)}
		for _, h := range in.HardFails {
			r.HardFails = append(r.HardFails, FactorHardFail{Factor: f.Name, HardFail: h})
		}
		if in.Present {
			sc := in.Score
			fr.Score = &sc
			if presentWeight > 0 {
				fr.EffectiveWeight = 100 * f.Weight / presentWeight
			}
			fr.Points = sc * fr.EffectiveWeight
			raw += fr.Points
			fr.BelowMinimum = f.MinScore > 0 && sc < f.MinScore
			if fr.BelowMinimum {
				belowMin = append(belowMin, withReason(fmt.Sprintf("%s scored %.2f, below its minimum of %.2f", f.Name.Label(), sc, f.MinScore), in.Reason))
			}
		} else if f.Mandatory {
			missingMandatory = append(missingMandatory, f.Name.Label()+withReason(" was not measured", in.Reason))
		} else if f.Weight > 0 {
			skipped = append(skipped, f.Name.Label())
		}
		fr.Explanation = explainFactor(f, in, fr, presentWeight, missingOptional)
		fr.EffectiveWeight = round(fr.EffectiveWeight, 2)
		fr.Points = round(fr.Points, 2)
		r.Factors = append(r.Factors, fr)
	}
	r.Score = shown(raw)

	// The arithmetic's own verdict, stated even when a rule overrides it.
	arith := s.byScore(r.Score)
	scoreText := fmt.Sprintf("score %.1f", r.Score)
	if len(skipped) > 0 {
		scoreText += " (renormalized without " + strings.Join(skipped, ", ") + ")"
	}
	switch {
	case len(r.HardFails) > 0:
		r.Decision = Rejected
		for _, h := range r.HardFails {
			r.Reasons = append(r.Reasons, fmt.Sprintf("hard rule, %s: %s", h.Factor.Label(), h.HardFail))
		}
		r.Reasons = append(r.Reasons, fmt.Sprintf("a hard rule rejects the check whatever the score; %s would have given %s", scoreText, arith))
	case len(missingMandatory) > 0:
		r.Decision = Rejected
		for _, m := range missingMandatory {
			r.Reasons = append(r.Reasons, "mandatory "+m)
		}
		r.Reasons = append(r.Reasons, "a mandatory factor is missing, so the check is rejected whatever the score")
	case len(belowMin) > 0:
		r.Decision = Rejected
		r.Reasons = append(r.Reasons, belowMin...)
		r.Reasons = append(r.Reasons, fmt.Sprintf("a factor below its minimum rejects the check whatever the score; %s would have given %s", scoreText, arith))
	case presentWeight == 0:
		r.Decision = Rejected
		r.Reasons = append(r.Reasons, "no weighted factor was measured, so there is no score")
	default:
		r.Decision = arith
		r.Reasons = append(r.Reasons, s.explainScore(r.Score, scoreText))
	}
	return r, nil
}

func (s *Scorer) byScore(v float64) Decision {
	switch {
	case v >= s.cfg.AcceptAt:
		return Accepted
	case v >= s.cfg.ReviewAt:
		return Review
	}
	return Rejected
}

func (s *Scorer) explainScore(v float64, scoreText string) string {
	switch s.byScore(v) {
	case Accepted:
		return fmt.Sprintf("%s ≥ %g: accepted", scoreText, s.cfg.AcceptAt)
	case Review:
		return fmt.Sprintf("%s is between %g and %g: sent to review", scoreText, s.cfg.ReviewAt, s.cfg.AcceptAt)
	}
	return fmt.Sprintf("%s < %g: rejected", scoreText, s.cfg.ReviewAt)
}

// explainFactor writes one sentence on how f counted.
func explainFactor(f FactorConfig, in Input, fr FactorResult, presentWeight, missingOptional float64) string {
	var b strings.Builder
	b.WriteString(f.Name.Label() + ": ")
	switch {
	case in.Present:
		fmt.Fprintf(&b, "%.2f × %s = %s points", in.Score, num(fr.EffectiveWeight), num(fr.Points))
		if missingOptional > 0 && math.Abs(fr.EffectiveWeight-f.Weight) > 1e-9 {
			fmt.Fprintf(&b, " (weight %s scaled to %s because optional factors were not measured)", num(f.Weight), num(fr.EffectiveWeight))
		}
		if in.Reason != "" {
			b.WriteString("; " + in.Reason)
		}
		if fr.BelowMinimum {
			fmt.Fprintf(&b, "; below the minimum of %.2f, which rejects the check", f.MinScore)
		}
	case f.Mandatory:
		b.WriteString("not measured" + withReason("", in.Reason) + "; mandatory, so the check is rejected")
	case f.Weight == 0:
		b.WriteString("not measured" + withReason("", in.Reason) + "; it carries no weight")
	default:
		fmt.Fprintf(&b, "not measured%s; optional, so its %s points were shared among the measured factors", withReason("", in.Reason), num(f.Weight))
	}
	for _, h := range in.HardFails {
		fmt.Fprintf(&b, "; hard rule: %s", h)
	}
	return b.String()
}

func withReason(s, reason string) string {
	if reason == "" {
		return s
	}
	return s + " (" + reason + ")"
}

// num prints a number with at most two decimals and no trailing zeros.
func num(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// shown is the score as reported and decided on: rounded down to one
// decimal, so that rounding never lifts a check into a better band (79.95
// is 79.9, review, not 80.0, accepted) and the number shown always agrees
// with the decision, whatever decimals a tenant's thresholds have. The
// 1e-9 absorbs the float error of the weighted sum (an exact 80 computed
// as 79.99999999999999 is still 80.0).
func shown(raw float64) float64 { return math.Floor(raw*10+1e-9) / 10 }

func round(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}
