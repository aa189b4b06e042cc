package workflow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/docvalidate"
	"github.com/idkit-dev/idkit/score"
)

// StepName names a step of the pipeline.
type StepName string

// The steps, in their default order.
const (
	StepLiveness  StepName = "liveness"   // the selfie is a live person
	StepOCR       StepName = "ocr"        // read the document
	StepValidate  StepName = "validate"   // judge the document (docvalidate)
	StepFaceMatch StepName = "face_match" // selfie against the document photo
	StepAge       StepName = "age"        // estimate the age from the selfie
	StepKYA       StepName = "kya"        // email, phone, IP country, declared name
	StepRules     StepName = "rules"      // the tenant's CEL rules
	StepScore     StepName = "score"      // the 0–100 score and decision
)

// DefaultSteps returns the pipeline when a config lists none. It is a
// function returning a fresh slice, not a shared variable: a caller that
// appends to or edits what it gets cannot change the steps of a pipeline
// (a package-level slice once edited in place ran one step twice, and Run
// closed its done channel twice).
func DefaultSteps() []StepName {
	return []StepName{StepLiveness, StepOCR, StepValidate, StepFaceMatch, StepAge, StepKYA, StepRules, StepScore}
}

// needs lists the steps whose output a step uses, when they are enabled.
var needs = map[StepName][]StepName{
	StepLiveness:  nil,
	StepOCR:       nil,
	StepValidate:  {StepOCR},
	StepFaceMatch: {StepOCR},
	StepAge:       nil,
	StepKYA:       {StepOCR, StepValidate},
	StepRules:     {StepLiveness, StepOCR, StepValidate, StepFaceMatch, StepAge, StepKYA},
	StepScore:     {StepLiveness, StepOCR, StepValidate, StepFaceMatch, StepAge, StepKYA, StepRules},
}

// CurrentVersion is the config schema version this package reads.
const CurrentVersion = 1

// Config is a tenant's verification policy. It is read from YAML or JSON
// (ParseConfig) and versioned: Version is the schema, Revision the
// tenant's own label, both copied into every report so a decision can be
// traced to the policy that made it. The zero value is the default
// policy.
type Config struct {
	// Version is the schema version; 0 means CurrentVersion.
	Version int `json:"version"`
	// Revision labels this tenant's policy ("2026-06-01a").
	Revision string `json:"revision,omitempty"`
	// Tenant names the tenant, for the report.
	Tenant string `json:"tenant,omitempty"`
	// Steps are the enabled steps in report order; empty means
	// DefaultSteps(). A step must come after the steps it uses; steps that
	// do not use each other run concurrently.
	Steps []StepName `json:"steps,omitempty"`
	// Sequential runs the steps one after another in the configured order
	// instead of concurrently: for a machine with one core, or so that
	// FailFast saves the most work.
	Sequential bool `json:"sequential,omitempty"`
	// FailFast skips the steps not yet started once a step finds a hard
	// failure (a spoof, an expired document), saving their time.
	FailFast bool `json:"fail_fast,omitempty"`
	// Thresholds override the backends' own.
	Thresholds Thresholds `json:"thresholds"`
	// Document configures document validation.
	Document DocumentPolicy `json:"document"`
	// Rules are evaluated in order after the other steps.
	Rules []Rule `json:"rules,omitempty"`
	// Score weighs the factors; its zero value is the default policy
	// (liveness 30, face match 40, document 25, KYA 5; accept at 80). A
	// factor left out gives no points, but the hard failures of its step
	// (a spoof, a face mismatch, an expired document) still reject.
	Score score.Config `json:"score"`
}

// Thresholds override the backends' decision thresholds; 0 keeps the
// backend's.
type Thresholds struct {
	// Liveness is the confidence a live verdict needs.
	Liveness float64 `json:"liveness,omitempty"`
	// FaceMatch is the similarity a match needs.
	FaceMatch float64 `json:"face_match,omitempty"`
	// Age is the age policy for the age step: the estimate is judged
	// against it (age.Decide) and the decision is in the report. Threshold
	// 0 means the estimate is reported without a decision. With a
	// threshold, and the age step enabled, the decision counts: below (a
	// face clearly under the threshold) rejects the check unless a valid
	// document matched to the selfie gives an age at least the threshold
	// (the disagreement then goes to review); needs_document, or no
	// estimate, sends an accepted check to review unless such a document
	// settles it; a document age under the threshold rejects.
	Age AgePolicy `json:"age"`
}

// AgePolicy is age.Policy with config tags.
type AgePolicy struct {
	Threshold float64 `json:"threshold,omitempty"`
	Challenge float64 `json:"challenge,omitempty"`
	// MinConfidence is the estimate confidence under which the face alone
	// decides nothing (needs_document); 0 means age.DefaultMinConfidence
	// (0.55, Challenge25's floor).
	MinConfidence float64 `json:"min_confidence,omitempty"`
}

// policy is the age.Policy the age step decides with.
func (a AgePolicy) policy() age.Policy {
	p := age.Policy{Threshold: a.Threshold, Challenge: a.Challenge, MinConfidence: a.MinConfidence}
	if p.MinConfidence == 0 {
		p.MinConfidence = age.DefaultMinConfidence
	}
	return p
}

// DocumentPolicy configures docvalidate for a tenant.
type DocumentPolicy struct {
	// RequiredFields must be read (JSON field names of docvalidate.Fields);
	// nil means docvalidate's defaults per document type.
	RequiredFields []string `json:"required_fields,omitempty"`
	// MinimumAge replaces the age of majority when positive.
	MinimumAge int `json:"minimum_age,omitempty"`
	// AllowMinors makes a minor a warning rather than a failure.
	AllowMinors bool `json:"allow_minors,omitempty"`
	// Image thresholds for glare and blur.
	Image docvalidate.ImageThresholds `json:"image"`
}

// Rule is a tenant rule: a CEL expression over the report that must hold.
type Rule struct {
	Name string `json:"name"`
	// Expr is a CEL expression yielding a bool, over the variables
	// document, age, liveness, face_match, kya and profile (see Variables).
	Expr string `json:"expr"`
	// Action is what a rule that does not hold does: reject (the default;
	// a hard failure), review (an accepted check goes to review) or flag
	// (reported only).
	Action RuleAction `json:"action,omitempty"`
	// Reason is said when the rule does not hold; empty means the
	// expression is quoted.
	Reason string `json:"reason,omitempty"`
}

// RuleAction is what a rule that does not hold does.
type RuleAction string

// Rule actions.
const (
	ActionReject RuleAction = "reject"
	ActionReview RuleAction = "review"
	ActionFlag   RuleAction = "flag"
)

// ErrConfig wraps every config error.
var ErrConfig = errors.New("workflow: invalid config")

// ParseConfig reads a config from YAML or JSON. YAML is turned into JSON
// first, so that both read the same keys (the json tags, here and in
// score and docvalidate). Unknown keys are errors, so a typo does not
// silently fall back to a default.
func ParseConfig(data []byte) (Config, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] != '{' {
		var doc any
		// io.EOF: an empty document is the default config.
		if err := yaml.Unmarshal(data, &doc); err != nil && !errors.Is(err, io.EOF) {
			return Config{}, fmt.Errorf("%w: %v", ErrConfig, err)
		}
		j, err := json.Marshal(doc)
		if err != nil {
			return Config{}, fmt.Errorf("%w: %v", ErrConfig, err)
		}
		trimmed = j
	}
	var c Config
	if len(trimmed) > 0 && string(trimmed) != "null" {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return Config{}, fmt.Errorf("%w: %v", ErrConfig, err)
		}
	}
	if err := c.check(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// steps returns the enabled steps in order, in a slice of its own.
func (c Config) steps() []StepName {
	if len(c.Steps) == 0 {
		return DefaultSteps()
	}
	return slices.Clone(c.Steps)
}

// clone returns a copy of c that shares no slice with it, so that a caller
// editing the config it passed to New, or got from Pipeline.Config,
// cannot change a built pipeline.
func (c Config) clone() Config {
	c.Steps = slices.Clone(c.Steps)
	c.Rules = slices.Clone(c.Rules)
	c.Document.RequiredFields = slices.Clone(c.Document.RequiredFields) // keeps nil nil and empty empty
	c.Score.Factors = slices.Clone(c.Score.Factors)
	return c
}

// enabled reports whether a step is enabled.
func (c Config) enabled(s StepName) bool { return slices.Contains(c.steps(), s) }

// factorStep is the step that measures each score factor.
var factorStep = map[score.Factor]StepName{
	score.Liveness:  StepLiveness,
	score.FaceMatch: StepFaceMatch,
	score.Document:  StepValidate,
	score.KYA:       StepKYA,
}

// check validates the config.
func (c Config) check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, args...))
	}
	if c.Version != 0 && c.Version != CurrentVersion {
		return bad("version %d is not supported (this build reads version %d)", c.Version, CurrentVersion)
	}
	seen := map[StepName]int{}
	for i, s := range c.steps() {
		if _, ok := needs[s]; !ok {
			return bad("unknown step %q", s)
		}
		if _, dup := seen[s]; dup {
			return bad("step %q is listed twice", s)
		}
		seen[s] = i
	}
	for s, i := range seen {
		for _, n := range needs[s] {
			if j, ok := seen[n]; ok && j > i {
				return bad("step %q uses %q, so it must come after it", s, n)
			}
		}
	}
	for name, v := range map[string]float64{"liveness": c.Thresholds.Liveness, "face_match": c.Thresholds.FaceMatch} {
		if !(v >= 0 && v < 1) {
			return bad("threshold %s %v not in [0, 1)", name, v)
		}
	}
	if a := c.Thresholds.Age; a.Threshold < 0 || a.Challenge < 0 || (a.Challenge > 0 && a.Challenge < a.Threshold) {
		return bad("age thresholds: challenge %v must be 0 or at least the threshold %v", a.Challenge, a.Threshold)
	}
	if m := c.Thresholds.Age.MinConfidence; !(m >= 0 && m <= 1) {
		return bad("age min_confidence %v not in [0, 1]", m)
	}
	if _, err := docvalidate.New(c.docvalidateConfig(nil)); err != nil {
		return bad("document: %v", err)
	}
	sc, err := score.New(c.Score)
	if err != nil {
		return bad("score: %v", err)
	}
	if c.enabled(StepScore) {
		for _, f := range sc.Config().Factors {
			step, ok := factorStep[f.Name]
			if !ok {
				return bad("score factor %q is measured by no step", f.Name)
			}
			if f.Mandatory && !c.enabled(step) {
				return bad("score factor %q is mandatory but step %q is not enabled", f.Name, step)
			}
		}
	}
	names := map[string]bool{}
	for i, r := range c.Rules {
		if r.Name == "" {
			return bad("rule %d has no name", i+1)
		}
		if names[r.Name] {
			return bad("rule %q is listed twice", r.Name)
		}
		names[r.Name] = true
		switch r.Action {
		case "", ActionReject, ActionReview, ActionFlag:
		default:
			return bad("rule %q: action %q is not reject, review or flag", r.Name, r.Action)
		}
	}
	if len(c.Rules) > 0 && !c.enabled(StepRules) {
		return bad("rules are configured but step %q is not enabled", StepRules)
	}
	if _, err := compileRules(c.Rules); err != nil {
		return fmt.Errorf("%w: %v", ErrConfig, err)
	}
	return nil
}

func (c Config) docvalidateConfig(own docvalidate.MajorityFunc) docvalidate.Config {
	majority, lookup := majorityTable(own)
	return docvalidate.Config{
		Majority:       majority,
		MajorityLookup: lookup,
		MinimumAge:     c.Document.MinimumAge,
		AllowMinors:    c.Document.AllowMinors,
		Required:       c.Document.RequiredFields,
		Image:          c.Document.Image,
	}
}

// majorityTable is the document validator's age-of-majority table: the
// caller's own, or age.LookupMajority, whose reasons and ranges the
// majority check then uses for a guessed age (a US passport names no
// state: 18 is a guess, and a holder under 21 is a warn).
func majorityTable(own docvalidate.MajorityFunc) (docvalidate.MajorityFunc, docvalidate.MajorityLookupFunc) {
	if own != nil {
		return own, nil
	}
	return nil, func(country, subdivision string) docvalidate.Majority {
		m := age.LookupMajority(country, subdivision)
		return docvalidate.Majority{Years: m.Years, Known: m.Known, Max: m.Max, Reason: m.Reason}
	}
}

// String names the config in reports: "acme v1 rev 2026-06-01a".
func (c Config) String() string {
	v := c.Version
	if v == 0 {
		v = CurrentVersion
	}
	parts := []string{}
	if c.Tenant != "" {
		parts = append(parts, c.Tenant)
	}
	parts = append(parts, fmt.Sprintf("v%d", v))
	if c.Revision != "" {
		parts = append(parts, "rev "+c.Revision)
	}
	return strings.Join(parts, " ")
}
