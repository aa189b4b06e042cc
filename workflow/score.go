package workflow

import (
	"context"
	"fmt"
	"strings"

	"github.com/idkit-dev/idkit/score"
)

// scoredFactors are the factors a step measures, in the order their hard
// failures are reported when the score leaves them out.
var scoredFactors = []score.Factor{score.Liveness, score.FaceMatch, score.Document, score.KYA}

func stepScore(_ context.Context, r *run) outcome {
	inputs := map[score.Factor]score.Input{}
	for _, f := range r.p.scorer.Config().Factors {
		inputs[f.Name] = r.factor(f.Name)
	}
	res, err := r.p.scorer.Score(inputs)
	if err != nil {
		return outcome{text: "the score could not be computed", err: err}
	}
	r.scoring = &res
	r.decision, r.reasons = res.Decision, res.Reasons

	// Hard failures of every step that ran reach the decision, also those
	// of a step whose factor the tenant's score leaves out (a spoof with
	// factors face_match and document only): a hard failure is never lost.
	var hard []string
	for _, f := range scoredFactors {
		if _, scored := inputs[f]; scored {
			continue // the scorer has seen its hard failures
		}
		for _, h := range r.factor(f).HardFails {
			hard = append(hard, fmt.Sprintf("hard rule, %s: %s", f.Label(), h))
		}
	}
	if len(hard) > 0 {
		before := r.decision
		r.decision = score.Rejected
		r.reasons = append(append(hard, fmt.Sprintf("a hard rule rejects the check whatever the score (%s without it)", before)), r.reasons...)
	}

	// Tenant rules come on top of the score: a reject rule rejects, a
	// review rule sends an accepted check to review.
	var rejects, reviews []string
	for _, rr := range r.rules {
		if rr.Status == "pass" {
			continue
		}
		switch rr.Action {
		case ActionReject:
			rejects = append(rejects, "rule "+rr.Name+": "+rr.Reason)
		case ActionReview:
			reviews = append(reviews, "rule "+rr.Name+": "+rr.Reason)
		}
	}
	switch {
	case len(rejects) > 0:
		before := r.decision
		r.decision = score.Rejected
		r.reasons = append(append(rejects, fmt.Sprintf("a tenant rule rejects the check whatever the score (%s without rules)", before)), r.reasons...)
	case len(reviews) > 0 && r.decision == score.Accepted:
		r.decision = score.Review
		r.reasons = append(append(reviews, "a tenant rule sends the check to review"), r.reasons...)
	}
	st := StepPassed
	if r.decision != score.Accepted {
		st = StepFailed
	}
	return outcome{status: st, text: fmt.Sprintf("%s, score %.1f", r.decision, res.Score)}
}

// factor turns a step's finding into a score input.
func (r *run) factor(f score.Factor) score.Input {
	r.mu.Lock()
	why := r.outcomes[factorStep[f]]
	r.mu.Unlock()
	if why == "" {
		why = fmt.Sprintf("step %s is not enabled", factorStep[f])
	}
	switch f {
	case score.Liveness:
		l := r.liveness
		if l == nil {
			return score.Missing(why)
		}
		if !l.IsLive {
			return score.Measured(0, why).WithHardFail("spoof_detected", fmt.Sprintf("spoof detected (%s), confidence %.2f", orUnknown(l.SpoofType), l.Confidence))
		}
		v := l.Confidence
		if t := r.p.cfg.Thresholds.Liveness; t > 0 {
			v, _ = score.ThresholdScore(l.Confidence, t)
		}
		return score.Measured(clamp01(v), why)
	case score.FaceMatch:
		m := r.match
		if m == nil {
			return score.Missing(why)
		}
		v := m.Similarity
		if s, err := score.ThresholdScore(m.Similarity, m.Threshold); err == nil {
			v = s
		}
		in := score.Measured(clamp01(v), fmt.Sprintf("similarity %.2f vs %.2f threshold", m.Similarity, m.Threshold))
		if !m.Match {
			in = in.WithHardFail("face_mismatch", fmt.Sprintf("the selfie and the document photo are not the same person: similarity %.2f < %.2f threshold", m.Similarity, m.Threshold))
		}
		return in
	case score.Document:
		v := r.validation
		if v == nil {
			return score.Missing(why)
		}
		if v.DocumentValid {
			warns := v.Warned()
			if len(warns) == 0 {
				return score.Measured(1, "all document checks that ran passed")
			}
			names := make([]string, len(warns))
			for i, c := range warns {
				names[i] = c.Name
			}
			return score.Measured(max(0.5, 1-0.1*float64(len(warns))), "valid with warnings: "+strings.Join(names, ", "))
		}
		var reasons []string
		in := score.Input{Present: true}
		for _, c := range v.Failed() {
			reasons = append(reasons, c.Reason)
			if code := hardCode(c.Name); code != "" {
				in = in.WithHardFail(code, c.Reason)
			}
		}
		in.Reason = "document invalid: " + strings.Join(reasons, "; ")
		return in
	case score.KYA:
		k := r.kya
		if k == nil || !k.Measured {
			return score.Missing(why)
		}
		return score.Measured(clamp01(k.Score), k.Summary())
	}
	return score.Missing(why)
}

func clamp01(v float64) float64 {
	if v != v {
		return 0
	}
	return min(max(v, 0), 1)
}
