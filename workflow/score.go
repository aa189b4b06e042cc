package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/docvalidate"
	"github.com/idkit-dev/idkit/score"
)

// scoredFactors are the factors a step measures, in the order their hard
// failures are reported when the score leaves them out.
var scoredFactors = []score.Factor{score.Liveness, score.FaceMatch, score.Document, score.KYA}

// ageFactor names the age step in hard failures; it is not a score factor.
const ageFactor score.Factor = "age"

func stepScore(_ context.Context, r *run) outcome {
	inputs := map[score.Factor]score.Input{}
	for _, f := range r.p.scorer.Config().Factors {
		inputs[f.Name] = r.factor(f.Name)
	}
	res, err := r.p.scorer.Score(inputs)
	if err != nil {
		return outcome{text: "the score could not be computed", err: err}
	}
	// Hard failures of every step that ran reach the decision, also those
	// of a step whose factor the tenant's score leaves out (a spoof with
	// factors face_match and document only) and the age step's, which is
	// no factor: a hard failure is never lost. They are added to the
	// scoring result as well, so that its HardFails list every hard
	// failure that rejected the check, not only the scored factors'.
	var extra []score.FactorHardFail
	for _, f := range scoredFactors {
		if _, scored := inputs[f]; scored {
			continue // the scorer has seen its hard failures
		}
		for _, h := range r.factor(f).HardFails {
			extra = append(extra, score.FactorHardFail{Factor: f, HardFail: h})
		}
	}
	ageHard, ageReview := r.ageVerdict()
	if ageHard.Code != "" && !(r.validation != nil && failed(r.validation, docvalidate.CheckMajority)) {
		// (A minor's document already failed its majority check: one
		// hard failure, not two.)
		extra = append(extra, score.FactorHardFail{Factor: ageFactor, HardFail: ageHard})
	}
	if len(extra) > 0 {
		// Both lists give the hard failures in one order: the scored
		// factors' (the scorer's, in the tenant's factor order), then the
		// unscored steps' (in scoredFactors order), then the age step's.
		// The scorer gives its own hard failures as its first reasons,
		// followed by its "a hard rule rejects the check" line; the added
		// ones go right after them. When the scorer had none, it rejected
		// for another reason or did not reject at all, and a line saying
		// the hard rule rejects whatever the score follows the added ones,
		// before the scorer's own reasons, which then say what the score
		// alone would have done.
		own := len(res.HardFails)
		hard := make([]string, 0, len(extra)+1)
		for _, h := range extra {
			hard = append(hard, fmt.Sprintf("hard rule, %s: %s", h.Factor.Label(), h.HardFail))
		}
		if own == 0 {
			hard = append(hard, fmt.Sprintf("a hard rule rejects the check whatever the score (%s without it)", res.Decision))
		}
		res.HardFails = append(res.HardFails, extra...)
		res.Decision, res.Reasons = score.Rejected, slices.Concat(res.Reasons[:own], hard, res.Reasons[own:])
	}
	r.scoring = &res
	r.decision, r.reasons = res.Decision, append([]string(nil), res.Reasons...)
	if ageReview != "" && r.decision == score.Accepted {
		r.decision = score.Review
		r.reasons = append([]string{"age: " + ageReview, "the age is not settled, so the check goes to review"}, r.reasons...)
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

// ageVerdict is what the age step does to the check when an age threshold
// is configured and the step is enabled. hard, when its Code is set, is a
// hard failure: the face is clearly under the threshold (age.Below) and no
// document overturns it, or the document's age is under the threshold.
// review sends an accepted check to review: the face alone could not
// settle it (needs_document, or no estimate at all) and no document does,
// or the face is clearly under the threshold but the document says
// otherwise. A document's age settles the question in the holder's favour
// only when the document is valid and matched to the selfie; an age under
// the threshold counts from any document.
func (r *run) ageVerdict() (hard score.HardFail, review string) {
	thr := r.p.cfg.Thresholds.Age.Threshold
	if thr <= 0 || !r.p.cfg.enabled(StepAge) {
		return score.HardFail{}, ""
	}
	var docAge *int
	settles := false
	if v := r.validation; v != nil && v.Document.Age != nil {
		docAge = v.Document.Age
		settles = v.DocumentValid && r.match != nil && r.match.Match
	}
	if docAge != nil && float64(*docAge) < thr {
		return score.HardFail{Code: "document_age_below_threshold",
			Reason: fmt.Sprintf("the document gives age %d, under the age threshold %g", *docAge, thr)}, ""
	}
	var d *age.Decision
	if r.age != nil {
		d = r.age.Decision
	}
	switch {
	case settles && d != nil && d.Outcome == age.Below:
		return score.HardFail{}, fmt.Sprintf("%s, but the matched document gives age %d: the two disagree", d.Reason, *docAge)
	case settles:
		return score.HardFail{}, ""
	case d == nil:
		return score.HardFail{}, fmt.Sprintf("no age estimate was made (%s) and no valid document matched to the selfie gives an age to settle it",
			orUnknown(r.outcome(StepAge)))
	case d.Outcome == age.Below:
		return score.HardFail{Code: "age_below_threshold",
			Reason: d.Reason + ", and no valid document matched to the selfie gives an age that overturns it"}, ""
	case d.Outcome == age.NeedsDocument:
		return score.HardFail{}, d.Reason + ", and no valid document matched to the selfie gives an age that settles it"
	}
	return score.HardFail{}, ""
}

// outcome returns a finished step's outcome text.
func (r *run) outcome(s StepName) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.outcomes[s]
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
			sc, reason := 1.0, "all document checks that ran passed"
			if warns := v.Warned(); len(warns) > 0 {
				names := make([]string, len(warns))
				for i, c := range warns {
					names[i] = c.Name
				}
				sc, reason = max(0.5, 1-0.1*float64(len(warns))), "valid with warnings: "+strings.Join(names, ", ")
			}
			// A document is only as good as what was checked: a visual
			// zone read without its type, MRZ or expiry date once scored
			// 1.0 on 4 checks of 21. Each key check that could not run
			// takes its share of the factor.
			if missing := missingKeyChecks(v); len(missing) > 0 {
				ran := len(keyChecks) - len(missing)
				sc *= float64(ran) / float64(len(keyChecks))
				reason += fmt.Sprintf("; only %d of %d key checks could run (not checked: %s), %d of %d checks in all (validation confidence %.2f)",
					ran, len(keyChecks), strings.Join(missing, ", "), ranChecks(v), len(v.Checks), v.Confidence)
			}
			return score.Measured(sc, reason)
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

// keyChecks are what a valid document's score rests on: knowing what the
// document is, a machine-readable zone verified (the MRZ or a licence's
// barcode: the only zones with an internal integrity check), and the two
// dates the decision turns on. A skipped check elsewhere (no barcode on a
// passport, no image measures) costs nothing: it is usual, where these
// are not.
var keyChecks = []struct {
	label string
	ran   func(v *docvalidate.Report) bool
}{
	{"document type", func(v *docvalidate.Report) bool {
		// Any type the reader or the MRZ named counts (a residence permit
		// too); "unknown" is what is left when nothing told it.
		t := v.Document.Type
		return t != "" && t != "unknown"
	}},
	{"MRZ or barcode", func(v *docvalidate.Report) bool {
		return ran(v, docvalidate.CheckMRZFormat) || ran(v, docvalidate.CheckBarcodeFormat)
	}},
	{"expiry date", func(v *docvalidate.Report) bool { return ran(v, docvalidate.CheckExpiryDate) }},
	{"date of birth", func(v *docvalidate.Report) bool { return ran(v, docvalidate.CheckBirthDate) }},
}

// missingKeyChecks names the key checks that could not run.
func missingKeyChecks(v *docvalidate.Report) []string {
	var out []string
	for _, k := range keyChecks {
		if !k.ran(v) {
			out = append(out, k.label)
		}
	}
	return out
}

// failed reports whether the named check failed.
func failed(v *docvalidate.Report, name string) bool {
	c, ok := v.Check(name)
	return ok && c.Status == docvalidate.Fail
}

// ran reports whether the named check ran (passed or warned; a failed one
// makes the document invalid).
func ran(v *docvalidate.Report, name string) bool {
	c, ok := v.Check(name)
	return ok && (c.Status == docvalidate.Pass || c.Status == docvalidate.Warn)
}

func ranChecks(v *docvalidate.Report) int {
	n := 0
	for _, c := range v.Checks {
		if c.Status != docvalidate.Skip {
			n++
		}
	}
	return n
}

func clamp01(v float64) float64 {
	if v != v {
		return 0
	}
	return min(max(v, 0), 1)
}
