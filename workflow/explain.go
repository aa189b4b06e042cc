package workflow

import (
	"fmt"
	"io"
	"strings"

	"github.com/idkit-dev/idkit/docvalidate"
)

// Explain writes the report for a person: the decision and its reasons,
// then each step, the document checks that did not pass, the rules and the
// score's arithmetic.
func (r *Report) Explain(w io.Writer) error {
	var b strings.Builder
	if r.Decision != "" {
		fmt.Fprintf(&b, "Decision: %s (score %.1f / 100)\n", strings.ToUpper(string(r.Decision)), r.Score)
	} else {
		b.WriteString("Decision: none (the score step is not enabled)\n")
	}
	for _, reason := range r.Reasons {
		fmt.Fprintf(&b, "  - %s\n", reason)
	}
	fmt.Fprintf(&b, "\nSteps (policy %s, %.0f ms in all):\n", r.Config, r.DurationMS)
	for _, s := range r.Steps {
		fmt.Fprintf(&b, "  %-10s %-7s %6.0f ms  %s\n", s.Name, s.Status, s.DurationMS, s.Outcome)
		if s.Error != "" {
			fmt.Fprintf(&b, "  %-10s %-7s %9s  error: %s\n", "", "", "", s.Error)
		}
	}
	if v := r.Validation; v != nil {
		d := v.Document
		fmt.Fprintf(&b, "\nDocument: %s", d.Type)
		if d.Country != "" {
			fmt.Fprintf(&b, " from %s", d.Country)
			if d.Subdivision != "" {
				fmt.Fprintf(&b, " (%s)", d.Subdivision)
			}
		}
		fmt.Fprintf(&b, ", valid: %v, confidence %.2f (judged on %s)\n", v.DocumentValid, v.Confidence, v.ReferenceDate)
		var skippedNames []string
		for _, c := range v.Checks {
			switch c.Status {
			case docvalidate.Pass:
			case docvalidate.Skip:
				skippedNames = append(skippedNames, c.Name)
			default:
				fmt.Fprintf(&b, "  %-4s %s: %s\n", c.Status, c.Name, c.Reason)
			}
		}
		fmt.Fprintf(&b, "  %d checks passed", len(v.Checks)-len(v.Failed())-len(v.Warned())-len(skippedNames))
		if len(skippedNames) > 0 {
			fmt.Fprintf(&b, "; skipped (could not run): %s", strings.Join(skippedNames, ", "))
		}
		b.WriteString("\n")
	}
	if a := r.Age; a != nil {
		fmt.Fprintf(&b, "\nAge: estimated %.1f ± %.1f from the selfie", a.Estimate.Age, a.Estimate.StdDev)
		if a.DocumentAge != nil {
			fmt.Fprintf(&b, "; %d by the document", *a.DocumentAge)
		}
		b.WriteString("\n")
	}
	if len(r.Rules) > 0 {
		b.WriteString("\nRules:\n")
		for _, rr := range r.Rules {
			fmt.Fprintf(&b, "  %-5s %s (%s)", rr.Status, rr.Name, rr.Action)
			if rr.Reason != "" {
				fmt.Fprintf(&b, ": %s", rr.Reason)
			}
			b.WriteString("\n")
		}
	}
	if s := r.Scoring; s != nil {
		b.WriteString("\nScore:\n")
		for _, f := range s.Factors {
			fmt.Fprintf(&b, "  - %s\n", f.Explanation)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
