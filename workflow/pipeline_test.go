package workflow_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/docvalidate"
	"github.com/idkit-dev/idkit/kya"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/score"
	"github.com/idkit-dev/idkit/workflow"
)

func pipeline(t testing.TB, cfg workflow.Config, b workflow.Backends) *workflow.Pipeline {
	t.Helper()
	p, err := workflow.New(cfg, b, workflow.Options{Now: clock()})
	require.NoError(t, err)
	return p
}

func stepStatus(t testing.TB, r *workflow.Report, s workflow.StepName) workflow.StepStatus {
	t.Helper()
	st, ok := r.Step(s)
	require.True(t, ok, "no step %s", s)
	return st.Status
}

func TestPipelineDecisions(t *testing.T) {
	b, fronts := stage(t,
		passport{id: 1}, // 0: valid
		passport{id: 1, expiry: mrz.NewDate(2026, 5, 31)}, // 1: expired yesterday
		passport{id: 1, badDigit: true},                   // 2: forged birth date
		passport{id: 3, birth: mrz.NewDate(2010, 9, 1)},   // 3: a minor
		passport{id: 1, noPhoto: true},                    // 4: no holder photo found
	)
	p := pipeline(t, workflow.Config{}, b)
	for _, tc := range []struct {
		name     string
		selfie   image.Image
		front    image.Image
		decision score.Decision
		reason   string
		failed   workflow.StepName
	}{
		{"same person, valid document", photo(1), fronts[0], score.Accepted, "renormalized without profile checks (KYA)", ""},
		{"another person's selfie", photo(2), fronts[0], score.Rejected,
			"face match: the selfie and the document photo are not the same person: similarity 0.22 < 0.75 threshold", workflow.StepFaceMatch},
		{"expired document", photo(1), fronts[1], score.Rejected, "document expired on 2026-05-31", workflow.StepValidate},
		{"bad check digit", photo(1), fronts[2], score.Rejected, "MRZ checksum fail: date of birth", workflow.StepValidate},
		{"minor", photo(3), fronts[3], score.Rejected, "holder is a minor: 15, under 18, the age of majority in FRA", workflow.StepValidate},
		{"spoofed selfie", spoofed(1), fronts[0], score.Rejected, "spoof detected (screen), confidence 0.96", workflow.StepLiveness},
		{"no photo on the document", photo(1), fronts[4], score.Rejected, "mandatory face match was not measured (no holder photo was found on the document)", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := p.Run(context.Background(), workflow.Request{Selfie: tc.selfie, DocumentFront: tc.front})
			require.NoError(t, err)
			assert.Equal(t, tc.decision, r.Decision, "%q", r.Reasons)
			assert.Contains(t, strings.Join(r.Reasons, "\n"), tc.reason)
			if tc.failed != "" {
				assert.Equal(t, workflow.StepFailed, stepStatus(t, r, tc.failed))
			}
			assertHardFailsComplete(t, r)
			assert.Len(t, r.Steps, len(workflow.DefaultSteps()))
			for _, s := range r.Steps {
				assert.NotEmpty(t, s.Outcome, "step %s says nothing", s.Name)
			}
		})
	}
}

// TestPipelineHardFailuresOfUnscoredSteps: a tenant's score that leaves a
// factor out (face_match 60 / document 40) once dropped that step's hard
// failures: a spoofed selfie was accepted at 89.2, an expired passport
// without the document factor was accepted. Hard rules reject whatever
// the score, whichever factors it weighs.
func TestPipelineHardFailuresOfUnscoredSteps(t *testing.T) {
	b, fronts := stage(t, passport{id: 1}, passport{id: 1, expiry: mrz.NewDate(2026, 5, 31)})
	factors := func(fs ...score.Factor) workflow.Config {
		var c workflow.Config
		for i, f := range fs {
			c.Score.Factors = append(c.Score.Factors, score.FactorConfig{Name: f, Weight: float64(60 - 20*i)})
		}
		return c
	}
	for _, tc := range []struct {
		name   string
		cfg    workflow.Config
		selfie image.Image
		front  image.Image
		reason string
		hard   hardFail
	}{
		{"spoof, no liveness factor", factors(score.FaceMatch, score.Document), spoofed(1), fronts[0],
			"hard rule, liveness: spoof detected (screen), confidence 0.96", hardFail{score.Liveness, "spoof_detected"}},
		{"expired, no document factor", factors(score.Liveness, score.FaceMatch), photo(1), fronts[1],
			"hard rule, document validation: document expired on 2026-05-31", hardFail{score.Document, "document_expired"}},
		{"mismatch, no face match factor", factors(score.Liveness, score.Document), photo(2), fronts[0],
			"hard rule, face match: the selfie and the document photo are not the same person", hardFail{score.FaceMatch, "face_mismatch"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := pipeline(t, tc.cfg, b).Run(context.Background(), workflow.Request{Selfie: tc.selfie, DocumentFront: tc.front})
			require.NoError(t, err)
			assert.Equal(t, score.Rejected, r.Decision, "%q", r.Reasons)
			assert.Contains(t, r.Reasons[0], tc.reason)
			assert.Contains(t, strings.Join(r.Reasons, "\n"), "a hard rule rejects the check whatever the score (accepted without it)")
			// The scoring result lists the hard failure too: an API
			// consumer reading scoring.hard_fails once saw none.
			assert.Equal(t, []hardFail{tc.hard}, hardFails(r))
			assertHardFailsComplete(t, r)
		})
	}
	// The same configs accept a genuine check.
	r, err := pipeline(t, factors(score.FaceMatch, score.Document), b).Run(context.Background(),
		workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, score.Accepted, r.Decision, "%q", r.Reasons)
}

// TestPipelineHardFailureOrder: the hard failures the workflow adds (of an
// unscored step, of the age step) were put before the scorer's own in the
// reasons but after them in Scoring.HardFails; and when the scorer had
// already rejected for a missing mandatory factor, no reason said that a
// hard rule rejected the check. Both lists now give the scored factors'
// hard failures first, then the unscored steps', then the age step's, and
// a hard failure always comes with its "rejects whatever the score" line.
func TestPipelineHardFailureOrder(t *testing.T) {
	b, fronts := stage(t,
		passport{id: 1, expiry: mrz.NewDate(2026, 5, 31)}, // 0: expired
		passport{id: 6, noPhoto: true},                    // 1: an adult's, no holder photo found
	)
	b.Age = fakeAge{6: 11}

	// Another person's selfie on an expired passport, with a score that
	// weighs the document but not the face match.
	noFaceMatch := workflow.Config{Score: score.Config{Factors: []score.FactorConfig{
		{Name: score.Liveness, Weight: 50}, {Name: score.Document, Weight: 50}}}}
	r, err := pipeline(t, noFaceMatch, b).Run(context.Background(), workflow.Request{Selfie: photo(2), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, score.Rejected, r.Decision, "%q", r.Reasons)
	assert.Equal(t, []hardFail{{score.Document, "document_expired"}, {score.FaceMatch, "face_mismatch"}}, hardFails(r))
	require.Len(t, r.Reasons, 3, "%q", r.Reasons)
	assert.Contains(t, r.Reasons[0], "hard rule, document validation: document expired on 2026-05-31")
	assert.Contains(t, r.Reasons[1], "hard rule, face match: the selfie and the document photo are not the same person")
	assert.Contains(t, r.Reasons[2], "a hard rule rejects the check whatever the score; score ")
	assertHardFailsComplete(t, r)

	// A child's face and a document without a holder photo: the scorer
	// rejects for the missing face match (mandatory by default), and the
	// age step's hard failure rejects too.
	adult := workflow.Config{Thresholds: workflow.Thresholds{Age: workflow.AgePolicy{Threshold: 18, Challenge: 25}}}
	r, err = pipeline(t, adult, b).Run(context.Background(), workflow.Request{Selfie: photo(6), DocumentFront: fronts[1]})
	require.NoError(t, err)
	assert.Equal(t, score.Rejected, r.Decision, "%q", r.Reasons)
	assert.Equal(t, []hardFail{{"age", "age_below_threshold"}}, hardFails(r))
	require.Len(t, r.Reasons, 4, "%q", r.Reasons)
	assert.Contains(t, r.Reasons[0], "hard rule, age: estimated 11.0 ± 2.5 is clearly under the threshold 18")
	assert.Equal(t, "a hard rule rejects the check whatever the score (rejected without it)", r.Reasons[1])
	assert.Contains(t, r.Reasons[2], "mandatory face match was not measured (no holder photo was found on the document)")
	assert.Equal(t, "a mandatory factor is missing, so the check is rejected whatever the score", r.Reasons[3])
	assertHardFailsComplete(t, r)
}

// TestPipelineAgeDecision: the age step's decision once never changed the
// outcome: a face estimated 11.0 ± 2.5 under thresholds 18/25 was accepted
// at 91.5. Below is now a hard failure unless a valid document matched to
// the selfie gives an age at least the threshold (then the disagreement
// goes to review); needs_document goes to review unless such a document
// settles it; a document age under the threshold rejects.
func TestPipelineAgeDecision(t *testing.T) {
	b, fronts := stage(t,
		passport{id: 6}, // 0: 36, for a face estimated 11
		passport{id: 4, birth: mrz.NewDate(2004, 1, 1)}, // 1: 22, for a face estimated 21
		passport{id: 4, birth: mrz.NewDate(2007, 1, 1)}, // 2: 19
	)
	b.Age = fakeAge{1: 36, 4: 21, 6: 11}
	adult := workflow.Thresholds{Age: workflow.AgePolicy{Threshold: 18, Challenge: 25}}
	faceOnly := workflow.Config{Thresholds: adult,
		Steps: []workflow.StepName{workflow.StepLiveness, workflow.StepAge, workflow.StepScore},
		Score: score.Config{Factors: []score.FactorConfig{{Name: score.Liveness, Weight: 100, Mandatory: true}}}}
	noEstimator := b
	noEstimator.Age = nil
	for _, tc := range []struct {
		name     string
		cfg      workflow.Config
		b        workflow.Backends
		selfie   uint8
		front    image.Image
		decision score.Decision
		reason   string
	}{
		{"child's face, no document", faceOnly, b, 6, nil, score.Rejected,
			"hard rule, age: estimated 11.0 ± 2.5 is clearly under the threshold 18, and no valid document matched to the selfie gives an age that overturns it"},
		{"young face, no document", faceOnly, b, 4, nil, score.Review,
			"age: estimated 21.0 ± 2.5 is under the challenge age 25: an ID document is needed, and no valid document matched to the selfie gives an age that settles it"},
		{"adult face, no document", faceOnly, b, 1, nil, score.Accepted, "score 97.0"},
		{"no estimate, no document", faceOnly, noEstimator, 1, nil, score.Review,
			"age: no age estimate was made (no age estimator is configured)"},
		{"child's face, adult's matched document", workflow.Config{Thresholds: adult}, b, 6, fronts[0], score.Review,
			"is clearly under the threshold 18, but the matched document gives age 36: the two disagree"},
		{"young face, matched document of 22", workflow.Config{Thresholds: adult}, b, 4, fronts[1], score.Accepted, "accepted"},
		{"document under a threshold of 21", workflow.Config{Thresholds: workflow.Thresholds{Age: workflow.AgePolicy{Threshold: 21, Challenge: 25}}},
			b, 4, fronts[2], score.Rejected, "hard rule, age: the document gives age 19, under the age threshold 21"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := workflow.Request{Selfie: photo(tc.selfie)}
			if tc.front != nil {
				req.DocumentFront = tc.front
			}
			r, err := pipeline(t, tc.cfg, tc.b).Run(context.Background(), req)
			require.NoError(t, err)
			assert.Equal(t, tc.decision, r.Decision, "%q", r.Reasons)
			assert.Contains(t, r.Reasons[0], tc.reason)
			// An age hard failure is in the scoring result's hard
			// failures, under factor "age", as the decision is.
			assertHardFailsComplete(t, r)
		})
	}
}

// TestPipelineAgeHardFailCodes: the age step's hard failures once reached
// the decision and its reasons but not Scoring.HardFails, which an API
// consumer reads to learn why a check was rejected.
func TestPipelineAgeHardFailCodes(t *testing.T) {
	b, fronts := stage(t, passport{id: 4, birth: mrz.NewDate(2007, 1, 1)}) // 19
	b.Age = fakeAge{4: 21, 6: 11}
	faceOnly := workflow.Config{Thresholds: workflow.Thresholds{Age: workflow.AgePolicy{Threshold: 18, Challenge: 25}},
		Steps: []workflow.StepName{workflow.StepLiveness, workflow.StepAge, workflow.StepScore},
		Score: score.Config{Factors: []score.FactorConfig{{Name: score.Liveness, Weight: 100, Mandatory: true}}}}
	r, err := pipeline(t, faceOnly, b).Run(context.Background(), workflow.Request{Selfie: photo(6)})
	require.NoError(t, err)
	assert.Equal(t, score.Rejected, r.Decision, "%q", r.Reasons)
	assert.Equal(t, []hardFail{{"age", "age_below_threshold"}}, hardFails(r))
	assert.Equal(t, score.Rejected, r.Scoring.Decision, "the scoring result with a hard failure must reject")

	over21 := workflow.Config{Thresholds: workflow.Thresholds{Age: workflow.AgePolicy{Threshold: 21, Challenge: 25}}}
	r, err = pipeline(t, over21, b).Run(context.Background(), workflow.Request{Selfie: photo(4), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, score.Rejected, r.Decision, "%q", r.Reasons)
	assert.Equal(t, []hardFail{{"age", "document_age_below_threshold"}}, hardFails(r))
	assert.Equal(t, score.Rejected, r.Scoring.Decision)
}

// hardFail is a scoring hard failure without its words.
type hardFail struct {
	factor score.Factor
	code   string
}

func hardFails(r *workflow.Report) []hardFail {
	if r.Scoring == nil {
		return nil
	}
	var out []hardFail
	for _, h := range r.Scoring.HardFails {
		out = append(out, hardFail{h.Factor, h.Code})
	}
	return out
}

// assertHardFailsComplete checks that the hard failures the decision's
// reasons give and Scoring.HardFails are the same, in the same order,
// that a reason says a hard rule rejects the check whatever the score,
// and that the scoring result rejects when it has any.
func assertHardFailsComplete(t *testing.T, r *workflow.Report) {
	t.Helper()
	require.NotNil(t, r.Scoring)
	var fromReasons, fromScoring []string
	for _, reason := range r.Reasons {
		if strings.HasPrefix(reason, "hard rule, ") {
			fromReasons = append(fromReasons, reason)
		}
	}
	for _, h := range r.Scoring.HardFails {
		fromScoring = append(fromScoring, fmt.Sprintf("hard rule, %s: %s", h.Factor.Label(), h.HardFail))
	}
	assert.Equal(t, fromScoring, fromReasons, "the reasons' hard failures vs scoring.hard_fails")
	if len(r.Scoring.HardFails) > 0 {
		assert.Contains(t, strings.Join(r.Reasons, "\n"), "a hard rule rejects the check whatever the score")
		assert.Equal(t, score.Rejected, r.Scoring.Decision)
		assert.Equal(t, score.Rejected, r.Decision)
	}
}

func TestPipelineAcceptedReport(t *testing.T) {
	b, fronts := stage(t, passport{id: 1})
	p := pipeline(t, workflow.Config{Tenant: "acme", Revision: "7"}, b)
	r, err := p.Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: fronts[0],
		Profile: kya.Input{Email: "claire.martin@example.com", Phone: "+33 6 12 34 56 78", Name: "Claire Martin"}})
	require.NoError(t, err)
	assert.Equal(t, score.Accepted, r.Decision, "%q", r.Reasons)
	assert.Equal(t, "acme v1 rev 7", r.Config)
	for _, s := range []workflow.StepName{workflow.StepLiveness, workflow.StepOCR, workflow.StepValidate,
		workflow.StepFaceMatch, workflow.StepAge, workflow.StepKYA, workflow.StepScore} {
		assert.Equal(t, workflow.StepPassed, stepStatus(t, r, s), s)
	}
	assert.Equal(t, workflow.StepSkipped, stepStatus(t, r, workflow.StepRules))
	require.NotNil(t, r.Age)
	assert.InDelta(t, 36, r.Age.Estimate.Age, 1e-9)
	require.NotNil(t, r.Age.DocumentAge)
	assert.Equal(t, 36, *r.Age.DocumentAge)
	require.NotNil(t, r.KYA)
	name, _ := findKYA(r.KYA, kya.CheckName)
	assert.Equal(t, kya.Pass, name.Status, "declared name vs the document: %s", name.Reason)
	kyaStep, _ := r.Step(workflow.StepKYA)
	assert.Equal(t, "from the document", kyaStep.Input["country"])

	// The JSON report carries every section, and no image.
	b2, err := json.Marshal(r)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b2, &m))
	for _, k := range []string{"decision", "score", "reasons", "steps", "liveness", "document", "validation",
		"face_match", "age", "kya", "scoring", "config", "duration_ms"} {
		assert.Contains(t, m, k)
	}
	assert.NotContains(t, string(b2), "face_crop")

	var buf bytes.Buffer
	require.NoError(t, r.Explain(&buf))
	out := buf.String()
	assert.Contains(t, out, "Decision: ACCEPTED")
	assert.Contains(t, out, "face_match")
	assert.Contains(t, out, "same person: similarity 0.91 ≥ 0.75 threshold")
	assert.Contains(t, out, "Document: passport from FRA, valid: true")
}

func findKYA(r *kya.Report, name string) (kya.Check, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return kya.Check{}, false
}

func TestPipelineMissingOptionalFactor(t *testing.T) {
	b, fronts := stage(t, passport{id: 1})
	r, err := pipeline(t, workflow.Config{}, b).Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	require.NotNil(t, r.Scoring)
	var k score.FactorResult
	for _, f := range r.Scoring.Factors {
		if f.Name == score.KYA {
			k = f
		}
	}
	assert.False(t, k.Present)
	assert.Contains(t, k.Explanation, "no profile data was given")
	assert.Contains(t, strings.Join(r.Reasons, " "), "renormalized without profile checks (KYA)")
	// The three mandatory factors share the 100 points.
	total := 0.0
	for _, f := range r.Scoring.Factors {
		total += f.EffectiveWeight
	}
	assert.InDelta(t, 100, total, 0.05)
}

func TestPipelineStepErrorsDoNotCrash(t *testing.T) {
	b, fronts := stage(t, passport{id: 1})
	b.Reader = workflow.DocumentReaderFunc(func(context.Context, image.Image, image.Image) (workflow.Document, error) {
		return workflow.Document{}, errors.New("tesseract exploded")
	})
	b.Liveness = workflow.LivenessFunc(func(context.Context, image.Image) (workflow.Liveness, error) {
		panic("index out of range in a model")
	})
	r, err := pipeline(t, workflow.Config{}, b).Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, workflow.StepError, stepStatus(t, r, workflow.StepLiveness))
	ocr, _ := r.Step(workflow.StepOCR)
	assert.Equal(t, workflow.StepError, ocr.Status)
	assert.Equal(t, "tesseract exploded", ocr.Error)
	assert.Equal(t, workflow.StepSkipped, stepStatus(t, r, workflow.StepValidate))
	assert.Equal(t, workflow.StepSkipped, stepStatus(t, r, workflow.StepFaceMatch))
	assert.Equal(t, workflow.StepPassed, stepStatus(t, r, workflow.StepAge), "independent steps carry on")
	assert.Equal(t, score.Rejected, r.Decision)
	reasons := strings.Join(r.Reasons, "\n")
	assert.Contains(t, reasons, "mandatory liveness was not measured (the step crashed: index out of range in a model)")
	assert.Contains(t, reasons, "mandatory document validation was not measured (no document was read)")
	_ = fronts
}

func TestPipelineRunsIndependentStepsConcurrently(t *testing.T) {
	// liveness, ocr and age use nothing from each other: each fake waits
	// until the other two have started. Run one after another they would
	// never all start, and the context would end the wait.
	var started atomic.Int32
	all := make(chan struct{})
	rendezvous := func(ctx context.Context) error {
		if started.Add(1) == 3 {
			close(all)
		}
		select {
		case <-all:
			return nil
		case <-ctx.Done():
			return errors.New("steps ran one after another")
		}
	}
	b, fronts := stage(t, passport{id: 1})
	live, read, est := b.Liveness, b.Reader, b.Age
	b.Liveness = workflow.LivenessFunc(func(ctx context.Context, img image.Image) (workflow.Liveness, error) {
		if err := rendezvous(ctx); err != nil {
			return workflow.Liveness{}, err
		}
		return live.CheckLiveness(ctx, img)
	})
	b.Reader = workflow.DocumentReaderFunc(func(ctx context.Context, f, bk image.Image) (workflow.Document, error) {
		if err := rendezvous(ctx); err != nil {
			return workflow.Document{}, err
		}
		return read.ReadDocument(ctx, f, bk)
	})
	b.Age = workflow.AgeEstimatorFunc(func(ctx context.Context, img image.Image) (age.Estimate, error) {
		if err := rendezvous(ctx); err != nil {
			return age.Estimate{}, err
		}
		return est.EstimateAge(ctx, img)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := pipeline(t, workflow.Config{}, b).Run(ctx, workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, score.Accepted, r.Decision, "%q", r.Reasons)
}

func TestPipelineFailFast(t *testing.T) {
	b, fronts := stage(t, passport{id: 1})
	var read atomic.Bool
	reader := b.Reader
	b.Reader = workflow.DocumentReaderFunc(func(ctx context.Context, f, bk image.Image) (workflow.Document, error) {
		read.Store(true)
		return reader.ReadDocument(ctx, f, bk)
	})
	cfg := workflow.Config{Sequential: true, FailFast: true}
	r, err := pipeline(t, cfg, b).Run(context.Background(), workflow.Request{Selfie: spoofed(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.False(t, read.Load(), "the document is not read after a spoof")
	ocr, _ := r.Step(workflow.StepOCR)
	assert.Equal(t, workflow.StepSkipped, ocr.Status)
	assert.Contains(t, ocr.Outcome, "fail_fast")
	assert.Equal(t, workflow.StepFailed, stepStatus(t, r, workflow.StepScore), "the score still runs")
	assert.Equal(t, score.Rejected, r.Decision)
	assert.Contains(t, r.Reasons[0], "spoof detected")
}

func TestPipelineRules(t *testing.T) {
	b, fronts := stage(t, passport{id: 1}, passport{id: 4, country: "DEU", birth: mrz.NewDate(2004, 1, 1)})
	cfg := workflow.Config{Rules: []workflow.Rule{
		{Name: "eu_countries", Expr: `document.country in ["FRA", "DEU"]`, Reason: "only French and German documents"},
		{Name: "over_21_looks", Expr: `age.estimate >= 25`, Action: workflow.ActionReview},
		{Name: "kya_ran", Expr: `has(kya.measured) && kya.measured`, Action: workflow.ActionFlag},
	}}
	p := pipeline(t, cfg, b)

	r, err := p.Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, score.Accepted, r.Decision, "%q", r.Reasons)
	require.Len(t, r.Rules, 3)
	assert.Equal(t, "pass", r.Rules[0].Status)
	assert.Equal(t, "pass", r.Rules[1].Status)
	assert.Equal(t, "fail", r.Rules[2].Status, "flagged only")
	rules, _ := r.Step(workflow.StepRules)
	assert.Contains(t, rules.Outcome, "flagged: kya_ran")

	// A 22-year-old German: the estimate (21) is under 25, so review.
	r, err = p.Run(context.Background(), workflow.Request{Selfie: photo(4), DocumentFront: fronts[1]})
	require.NoError(t, err)
	assert.Equal(t, score.Review, r.Decision, "%q", r.Reasons)
	assert.Contains(t, r.Reasons[0], "rule over_21_looks: rule over_21_looks does not hold: age.estimate >= 25")

	// Without the age step the rule cannot be evaluated: it counts as not
	// holding, never as a pass.
	cfg.Steps = []workflow.StepName{workflow.StepLiveness, workflow.StepOCR, workflow.StepValidate, workflow.StepFaceMatch,
		workflow.StepRules, workflow.StepScore}
	cfg.Rules[1].Action = workflow.ActionReject
	r, err = pipeline(t, cfg, b).Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, "error", r.Rules[1].Status)
	assert.Equal(t, score.Rejected, r.Decision)
	assert.Contains(t, r.Reasons[0], "could not be evaluated")

	// has() makes a value optional.
	cfg.Rules = []workflow.Rule{{Name: "adult_look", Expr: `!has(age.estimate) || age.estimate >= 21`}}
	r, err = pipeline(t, cfg, b).Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, "pass", r.Rules[0].Status, r.Rules[0].Reason)
	assert.Equal(t, score.Accepted, r.Decision, "%q", r.Reasons)
}

func TestPipelineDocumentGivenDirectly(t *testing.T) {
	b, _ := stage(t)
	b.Reader = nil
	doc := passport{id: 1}.document(t)
	r, err := pipeline(t, workflow.Config{}, b).Run(context.Background(), workflow.Request{
		Selfie: photo(1), Document: &doc.Validation, DocumentPhoto: photo(1)})
	require.NoError(t, err)
	assert.Equal(t, score.Accepted, r.Decision, "%q", r.Reasons)
	ocr, _ := r.Step(workflow.StepOCR)
	assert.Contains(t, ocr.Outcome, "given directly")
}

// TestPipelineIgnoresRequestReferenceDate: Request.Document is API input,
// and its reference_date once replaced the pipeline's clock, so a request
// could have an expired passport judged valid, or a minor judged adult.
func TestPipelineIgnoresRequestReferenceDate(t *testing.T) {
	b, _ := stage(t)
	b.Reader = nil
	p := pipeline(t, workflow.Config{}, b)
	for _, tc := range []struct {
		name  string
		doc   passport
		claim time.Time
		check string
	}{
		{"expired", passport{id: 1, expiry: mrz.NewDate(2025, 1, 1)}, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), docvalidate.CheckExpiryDate},
		{"minor", passport{id: 3, birth: mrz.NewDate(2010, 9, 1)}, time.Date(2035, 6, 1, 0, 0, 0, 0, time.UTC), docvalidate.CheckMajority},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.doc.document(t).Validation
			doc.ReferenceDate = tc.claim
			r, err := p.Run(context.Background(), workflow.Request{Selfie: photo(tc.doc.id), Document: &doc, DocumentPhoto: photo(tc.doc.id)})
			require.NoError(t, err)
			require.NotNil(t, r.Validation)
			assert.Equal(t, "2026-06-01", r.Validation.ReferenceDate)
			c, _ := r.Validation.Check(tc.check)
			assert.Equal(t, docvalidate.Fail, c.Status, c.Reason)
			assert.Equal(t, score.Rejected, r.Decision, "%q", r.Reasons)
			assert.Equal(t, tc.claim, doc.ReferenceDate, "the caller's input is not modified")
		})
	}
}

// TestPipelineDocumentFactorCountsWhatWasChecked: a valid document once
// scored 1.0 however little was checked; a visual zone without type, MRZ
// or expiry date (4 checks of 20 ran) was accepted at 91.5.
func TestPipelineDocumentFactorCountsWhatWasChecked(t *testing.T) {
	b, fronts := stage(t, passport{id: 1})
	b.Age = nil
	p := pipeline(t, workflow.Config{}, b)
	docFactor := func(r *workflow.Report) score.FactorResult {
		t.Helper()
		require.NotNil(t, r.Scoring)
		for _, f := range r.Scoring.Factors {
			if f.Name == score.Document {
				return f
			}
		}
		t.Fatal("no document factor")
		return score.FactorResult{}
	}

	// The specimen passport: every key check ran, the factor is 1.0 and
	// the score is unchanged (91.47, shown 91.4).
	r, err := p.Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, score.Accepted, r.Decision, "%q", r.Reasons)
	require.NotNil(t, docFactor(r).Score)
	assert.Equal(t, 1.0, *docFactor(r).Score)
	assert.Equal(t, 91.4, r.Score)

	for _, tc := range []struct {
		name     string
		doc      docvalidate.Input
		factor   float64
		decision score.Decision
		reason   string
	}{
		{"visual zone only, untyped", docvalidate.Input{Visual: &docvalidate.Fields{Surname: "Martin", GivenNames: "Claire",
			DocumentNumber: "18AB12345", BirthDate: "1990-03-14"}}, 0.25, score.Rejected,
			"only 1 of 4 key checks could run (not checked: document type, MRZ or barcode, expiry date), 4 of 20 checks in all (validation confidence 0.20)"},
		{"visual zone of a passport", docvalidate.Input{Type: docvalidate.Passport, Country: "FRA", Visual: &docvalidate.Fields{
			Surname: "Martin", GivenNames: "Claire", DocumentNumber: "18AB12345", BirthDate: "1990-03-14", ExpiryDate: "2031-02-01"}},
			0.75, score.Accepted, "not checked: MRZ or barcode"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.doc
			r, err := p.Run(context.Background(), workflow.Request{Selfie: photo(1), Document: &doc, DocumentPhoto: photo(1)})
			require.NoError(t, err)
			require.True(t, r.Validation.DocumentValid)
			f := docFactor(r)
			require.NotNil(t, f.Score)
			assert.InDelta(t, tc.factor, *f.Score, 1e-9)
			assert.Contains(t, f.Explanation, tc.reason)
			assert.Equal(t, tc.decision, r.Decision, "%q", r.Reasons)
		})
	}
}

func TestPipelineStepsAlone(t *testing.T) {
	// Only validation: no selfie, no models, fields typed in.
	doc := passport{id: 1, expiry: mrz.NewDate(2020, 1, 1)}.document(t)
	cfg := workflow.Config{Steps: []workflow.StepName{workflow.StepOCR, workflow.StepValidate}}
	r, err := pipeline(t, cfg, workflow.Backends{}).Run(context.Background(), workflow.Request{Document: &doc.Validation})
	require.NoError(t, err)
	assert.Len(t, r.Steps, 2)
	assert.Empty(t, r.Decision)
	require.NotNil(t, r.Validation)
	assert.False(t, r.Validation.DocumentValid)
	c, _ := r.Validation.Check(docvalidate.CheckExpiryDate)
	assert.Equal(t, docvalidate.Fail, c.Status)
}

func TestPipelineCancelled(t *testing.T) {
	b, fronts := stage(t, passport{id: 1})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := pipeline(t, workflow.Config{}, b).Run(ctx, workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	assert.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, r)
	for _, s := range r.Steps {
		assert.Equal(t, workflow.StepSkipped, s.Status, s.Name)
	}
}

func TestPipelineThresholdOverrides(t *testing.T) {
	b, fronts := stage(t, passport{id: 1})
	cfg := workflow.Config{Thresholds: workflow.Thresholds{FaceMatch: 0.95, Liveness: 0.99}}
	r, err := pipeline(t, cfg, b).Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	require.NotNil(t, r.FaceMatch)
	assert.False(t, r.FaceMatch.Match)
	assert.Equal(t, 0.95, r.FaceMatch.Threshold)
	live, _ := r.Step(workflow.StepLiveness)
	assert.Equal(t, workflow.StepFailed, live.Status)
	assert.Contains(t, live.Outcome, "0.97 < 0.99 threshold")
	assert.Equal(t, score.Rejected, r.Decision)
}

// TestPipelineMajorityGuessSaysWhy: the validator the pipeline builds uses
// age.LookupMajority, so a US passport (no state) says why its age of
// majority is a guess instead of "(USA is not in the table)"; the age flow's
// validator does the same.
func TestPipelineMajorityGuessSaysWhy(t *testing.T) {
	b, fronts := stage(t, passport{id: 1, country: "USA"})
	p := pipeline(t, workflow.Config{}, b)
	r, err := p.Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	require.NotNil(t, r.Validation)
	c, _ := r.Validation.Check(docvalidate.CheckMajority)
	assert.Equal(t, docvalidate.Pass, c.Status)
	assert.Contains(t, c.Reason, "the document names no state")

	// A holder of 19 with that passport may be a minor in Mississippi: the
	// guess's range reaches the check, which warns.
	by, youngFronts := stage(t, passport{id: 1, country: "USA", birth: mrz.NewDate(2007, 1, 1)})
	r, err = pipeline(t, workflow.Config{}, by).Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: youngFronts[0]})
	require.NoError(t, err)
	c, _ = r.Validation.Check(docvalidate.CheckMajority)
	assert.Equal(t, docvalidate.Warn, c.Status, c.Reason)
	assert.Contains(t, c.Reason, "but under 21")

	// A caller's own table is used as given.
	p, err = workflow.New(workflow.Config{}, b, workflow.Options{Now: clock(), Majority: func(string, string) (int, bool) { return 21, true }})
	require.NoError(t, err)
	r, err = p.Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	c, _ = r.Validation.Check(docvalidate.CheckMajority)
	assert.Contains(t, c.Reason, "at least 21, the age of majority in USA")
}
