package workflow_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/score"
	"github.com/idkit-dev/idkit/workflow"
)

const yamlConfig = `
version: 1
revision: "2026-06-01a"
tenant: acme
steps: [liveness, ocr, validate, face_match, kya, rules, score]
fail_fast: true
thresholds:
  face_match: 0.8
  age: {threshold: 18, challenge: 25}
document:
  required_fields: [document_number, surname, birth_date, expiry_date]
  minimum_age: 21
  image: {glare_fail: 0.3}
rules:
  - name: eu
    expr: document.country in ["FRA", "DEU"]
    reason: only French and German documents
  - name: adult_look
    expr: age.estimate >= 21
    action: review
score:
  accept_at: 85
  review_at: 65
  factors:
    - {name: liveness, weight: 30, mandatory: true, min_score: 0.5}
    - {name: face_match, weight: 40, mandatory: true, min_score: 0.5}
    - {name: document, weight: 25, mandatory: true, min_score: 0.5}
    - {name: kya, weight: 5}
`

const jsonConfig = `{
  "version": 1, "revision": "2026-06-01a", "tenant": "acme",
  "steps": ["liveness", "ocr", "validate", "face_match", "kya", "rules", "score"],
  "fail_fast": true,
  "thresholds": {"face_match": 0.8, "age": {"threshold": 18, "challenge": 25}},
  "document": {"required_fields": ["document_number", "surname", "birth_date", "expiry_date"], "minimum_age": 21,
    "image": {"glare_fail": 0.3}},
  "rules": [
    {"name": "eu", "expr": "document.country in [\"FRA\", \"DEU\"]", "reason": "only French and German documents"},
    {"name": "adult_look", "expr": "age.estimate >= 21", "action": "review"}
  ],
  "score": {"accept_at": 85, "review_at": 65, "factors": [
    {"name": "liveness", "weight": 30, "mandatory": true, "min_score": 0.5},
    {"name": "face_match", "weight": 40, "mandatory": true, "min_score": 0.5},
    {"name": "document", "weight": 25, "mandatory": true, "min_score": 0.5},
    {"name": "kya", "weight": 5}]}
}`

func TestParseConfigYAMLAndJSON(t *testing.T) {
	y, err := workflow.ParseConfig([]byte(yamlConfig))
	require.NoError(t, err)
	j, err := workflow.ParseConfig([]byte(jsonConfig))
	require.NoError(t, err)
	assert.Equal(t, y, j)
	assert.Equal(t, "acme v1 rev 2026-06-01a", y.String())
	assert.Equal(t, 0.8, y.Thresholds.FaceMatch)
	assert.Equal(t, 21, y.Document.MinimumAge)
	assert.Equal(t, 85.0, y.Score.AcceptAt)
	assert.Equal(t, score.KYA, y.Score.Factors[3].Name)

	empty, err := workflow.ParseConfig(nil)
	require.NoError(t, err)
	assert.Equal(t, workflow.Config{}, empty, "an empty file is the default policy")
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"typo", "tresholds: {face_match: 0.8}", `unknown field "tresholds"`},
		{"json typo", `{"stepz": []}`, "unknown field"},
		{"nested typo", "score: {acept_at: 90}", `unknown field "acept_at"`},
		{"yaml syntax", "steps: [ocr", "yaml"},
		{"future version", "version: 2", "version 2 is not supported"},
		{"unknown step", "steps: [liveness, telepathy]", `unknown step "telepathy"`},
		{"order", "steps: [validate, ocr, liveness, face_match, score]", `step "validate" uses "ocr", so it must come after it`},
		{"twice", "steps: [ocr, ocr]", "listed twice"},
		{"mandatory factor off", "steps: [ocr, validate, face_match, score]", `factor "liveness" is mandatory but step "liveness" is not enabled`},
		{"threshold", "thresholds: {face_match: 1.5}", "not in [0, 1)"},
		{"challenge", "thresholds: {age: {threshold: 21, challenge: 18}}", "challenge"},
		{"required field", "document: {required_fields: [shoe_size]}", "shoe_size"},
		{"rule syntax", "rules: [{name: r, expr: 'document.country in ['}]", `rule "r"`},
		{"rule type", "rules: [{name: r, expr: '1 + 2'}]", "not a bool"},
		{"rule variable", "rules: [{name: r, expr: 'passport.ok'}]", "undeclared reference to 'passport'"},
		{"rule action", "rules: [{name: r, expr: 'true', action: shrug}]", "not reject, review or flag"},
		{"rule unnamed", "rules: [{expr: 'true'}]", "has no name"},
		{"rules off", "steps: [liveness, ocr, validate, face_match, score]\nrules: [{name: r, expr: 'true'}]", "rules are configured"},
		{"score", "score: {accept_at: 50, review_at: 70}", "review_at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := workflow.ParseConfig([]byte(tc.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, workflow.ErrConfig)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestConfigStepsAloneWithoutScore(t *testing.T) {
	// Without the score step, mandatory factors do not constrain the steps.
	_, err := workflow.ParseConfig([]byte("steps: [ocr, validate]"))
	assert.NoError(t, err)
}

// TestConfigSlicesAreCopied: a tenant that derived its steps with
// append(DefaultSteps[:4], DefaultSteps[5:]...) rewrote the shared default
// list, and the next Run of another pipeline ran the score step twice and
// panicked closing its channel twice. Neither the defaults nor a built
// pipeline may share a slice with the caller.
func TestConfigSlicesAreCopied(t *testing.T) {
	b, fronts := stage(t, passport{id: 1})
	defaults := pipeline(t, workflow.Config{}, b)

	ds := workflow.DefaultSteps()
	noAge := append(ds[:4], ds[5:]...) // edits ds in place
	assert.Len(t, workflow.DefaultSteps(), 8)
	assert.Contains(t, workflow.DefaultSteps(), workflow.StepAge)

	cfg := workflow.Config{Steps: noAge, Document: workflow.DocumentPolicy{RequiredFields: []string{"document_number", "surname"}}}
	p := pipeline(t, cfg, b)
	// The caller edits what it passed and what it got back.
	cfg.Steps[len(cfg.Steps)-2] = workflow.StepScore   // rules → score: listed twice
	cfg.Document.RequiredFields[0] = "personal_number" // not on the passport
	got := p.Config()
	got.Steps[0] = workflow.StepScore

	for _, tc := range []struct {
		p     *workflow.Pipeline
		steps int
	}{{defaults, 8}, {p, 7}} {
		r, err := tc.p.Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
		require.NoError(t, err)
		assert.Len(t, r.Steps, tc.steps)
		assert.Equal(t, score.Accepted, r.Decision, "%q", r.Reasons)
		require.NotNil(t, r.Validation)
		assert.True(t, r.Validation.DocumentValid)
	}
	assert.Equal(t, workflow.StepLiveness, p.Config().Steps[0])
	assert.Equal(t, []string{"document_number", "surname"}, p.Config().Document.RequiredFields)
}
