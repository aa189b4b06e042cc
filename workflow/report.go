package workflow

import (
	"time"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/docvalidate"
	"github.com/idkit-dev/idkit/kya"
	"github.com/idkit-dev/idkit/score"
)

// StepStatus is how a step ended.
type StepStatus string

// Step statuses. Passed and Failed are the step's verdict (a live selfie, a
// spoof); Error means the step could not give one (no face, a backend
// error); Skipped means it did not run, and the step report says why.
const (
	StepPassed  StepStatus = "passed"
	StepFailed  StepStatus = "failed"
	StepError   StepStatus = "error"
	StepSkipped StepStatus = "skipped"
)

// StepReport is what one step did.
type StepReport struct {
	Name   StepName   `json:"name"`
	Status StepStatus `json:"status"`
	// Outcome says in a few words what the step found, or why it did not
	// run.
	Outcome string `json:"outcome"`
	// Input summarises what the step was given (image sizes, which fields),
	// never the personal data itself.
	Input map[string]any `json:"input,omitempty"`
	// StartMS is when the step started, after the run's start; DurationMS
	// how long it took.
	StartMS    float64 `json:"start_ms"`
	DurationMS float64 `json:"duration_ms"`
	Error      string  `json:"error,omitempty"`
}

// AgeResult is the age step's finding.
type AgeResult struct {
	Estimate age.Estimate `json:"estimate"`
	// Decision is the estimate judged against Thresholds.Age; nil when no
	// threshold is configured. How it counts in the check is described on
	// Thresholds.Age.
	Decision *age.Decision `json:"decision,omitempty"`
	// DocumentAge is the holder's age from the document's date of birth,
	// when the document was validated.
	DocumentAge *int `json:"document_age,omitempty"`
}

// Report is the outcome of a verification.
type Report struct {
	// Config names the policy that decided ("acme v1 rev 7").
	Config string `json:"config"`
	// Decision is accepted, review or rejected; empty when the score step
	// is not enabled.
	Decision score.Decision `json:"decision,omitempty"`
	// Score is 0–100.
	Score float64 `json:"score"`
	// Reasons explain the decision in plain words, the first being the
	// weightiest.
	Reasons []string `json:"reasons"`

	Steps []StepReport `json:"steps"`

	Liveness   *Liveness           `json:"liveness,omitempty"`
	Document   *Document           `json:"document,omitempty"`
	Validation *docvalidate.Report `json:"validation,omitempty"`
	FaceMatch  *FaceMatch          `json:"face_match,omitempty"`
	Age        *AgeResult          `json:"age,omitempty"`
	KYA        *kya.Report         `json:"kya,omitempty"`
	Rules      []RuleResult        `json:"rules,omitempty"`
	// Scoring is the score step's result. Its HardFails list every hard
	// failure found, also those of a step whose factor the tenant's score
	// leaves out and the age step's (factor "age"), in the order the
	// reasons give them: the scored factors' in the score's factor order,
	// then the unscored steps', then the age step's. Its Decision is
	// rejected whenever there is one. Decision above may differ from
	// Scoring.Decision only by what comes on top of the score: an age not
	// settled (review) and the tenant's rules.
	Scoring *score.Result `json:"scoring,omitempty"`

	StartedAt  time.Time `json:"started_at"`
	DurationMS float64   `json:"duration_ms"`
}

// Step returns the report of a step.
func (r *Report) Step(name StepName) (StepReport, bool) {
	for _, s := range r.Steps {
		if s.Name == name {
			return s, true
		}
	}
	return StepReport{}, false
}
