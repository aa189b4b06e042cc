package workflow_test

import (
	"context"
	"encoding/json"
	"image"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/workflow"
)

// movingClock is a clock tests can advance.
type movingClock struct{ t time.Time }

func (c *movingClock) now() time.Time { return c.t }

func ageFlow(t *testing.T, cfg workflow.AgeFlowConfig, b workflow.Backends) (*workflow.AgeFlow, *movingClock) {
	t.Helper()
	c := &movingClock{t: refDay}
	f, err := workflow.NewAgeFlow(cfg, b, workflow.Options{Now: c.now})
	require.NoError(t, err)
	return f, c
}

func start(t *testing.T, f *workflow.AgeFlow, reqs ...workflow.Requirement) *workflow.AgeSession {
	t.Helper()
	s, err := f.Start(workflow.AgeRequest{ID: "s1", Requirements: reqs})
	require.NoError(t, err)
	assert.Equal(t, workflow.FlowInProgress, s.FlowStatus)
	assert.Equal(t, workflow.SessionPending, s.SessionStatus)
	return s
}

func TestAgeFlowFace(t *testing.T) {
	b, _ := stage(t)
	b.Age = fakeAge{1: 36, 2: 21, 3: 12}
	f, _ := ageFlow(t, workflow.AgeFlowConfig{Threshold: 18}, b)
	for _, tc := range []struct {
		person uint8
		flow   workflow.FlowStatus
		status workflow.SessionStatus
	}{
		{1, workflow.FlowCompleted, workflow.SessionAgeAbove},
		{3, workflow.FlowInProgress, workflow.SessionDocumentRequired}, // 12: the face alone never refuses; a document decides
		{2, workflow.FlowInProgress, workflow.SessionDocumentRequired}, // 21 < 25, the challenge age
	} {
		s := start(t, f, workflow.RequireFace)
		at, err := f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: photo(tc.person)})
		require.NoError(t, err)
		assert.Equal(t, tc.status, at.Status, at.Reason)
		assert.Equal(t, tc.flow, s.FlowStatus)
		assert.Equal(t, tc.status, s.SessionStatus)
		require.NotNil(t, s.Result)
		require.NotNil(t, s.Result.Age)
		assert.Equal(t, 18.0, s.Result.Thresholds.AgeThreshold)
		assert.Equal(t, 25.0, s.Result.Thresholds.ChallengeAge)
		assert.Equal(t, 0.8, s.Result.ConfidenceScore)
	}
}

// TestAgeFlowDefaultConfidenceFloor: MinConfidence 0 once meant no floor,
// so an estimate of 25.5 ± 8 at confidence 0.2 passed on the face alone;
// it means age.Challenge25's floor (0.55), as in the age package.
func TestAgeFlowDefaultConfidenceFloor(t *testing.T) {
	b, _ := stage(t)
	b.Age = workflow.AgeEstimatorFunc(func(context.Context, image.Image) (age.Estimate, error) {
		return age.Estimate{Age: 25.5, StdDev: 8, Low: 9.5, High: 41.5, Confidence: 0.2, Views: 2, Model: "fake"}, nil
	})
	f, _ := ageFlow(t, workflow.AgeFlowConfig{}, b)
	s := start(t, f, workflow.RequireFace)
	at, err := f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: photo(1)})
	require.NoError(t, err)
	assert.Equal(t, workflow.SessionDocumentRequired, at.Status, at.Reason)
	assert.Contains(t, at.Reason, "confidence 0.20 is below the required 0.55")

	// The pipeline's age step uses the same floor.
	cfg := workflow.Config{Thresholds: workflow.Thresholds{Age: workflow.AgePolicy{Threshold: 18, Challenge: 25}}}
	bs, fronts := stage(t, passport{id: 1})
	bs.Age = b.Age
	r, err := pipeline(t, cfg, bs).Run(context.Background(), workflow.Request{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	require.NotNil(t, r.Age)
	require.NotNil(t, r.Age.Decision)
	assert.Equal(t, age.NeedsDocument, r.Age.Decision.Outcome, r.Age.Decision.Reason)
	assert.Equal(t, 0.55, age.Challenge25.MinConfidence)
}

func TestAgeFlowFaceThenDocument(t *testing.T) {
	b, fronts := stage(t, passport{id: 2, birth: mrz.NewDate(2005, 1, 1)})
	b.Age = fakeAge{2: 21}
	f, _ := ageFlow(t, workflow.AgeFlowConfig{}, b)
	s := start(t, f, workflow.RequireFace)
	at, err := f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: photo(2)})
	require.NoError(t, err)
	require.Equal(t, workflow.SessionDocumentRequired, at.Status)
	assert.Contains(t, at.Reason, "send a photo of an identity document")

	_, err = f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: photo(2)})
	assert.ErrorIs(t, err, workflow.ErrCapture, "a document is now required")
	assert.Len(t, s.Attempts, 1, "a refused capture uses no attempt")

	at, err = f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: photo(2), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, workflow.SessionAgeAbove, at.Status, at.Reason)
	assert.Equal(t, workflow.FlowCompleted, s.FlowStatus)
	require.NotNil(t, s.Result.DocumentAge)
	assert.Equal(t, 21, *s.Result.DocumentAge)
	require.NotNil(t, s.Result.Age, "the face estimate stays in the result")
	assert.Equal(t, 21.0, *s.Result.Age)
	assert.Equal(t, 0.75, s.Result.Thresholds.CompareThreshold)
	require.NotNil(t, at.Similarity)
	assert.Equal(t, 0.91, *at.Similarity)
	assert.Contains(t, at.Reason, "the age of majority of FRA")
}

func TestAgeFlowDocument(t *testing.T) {
	b, fronts := stage(t,
		passport{id: 1}, // 36, FRA
		passport{id: 3, birth: mrz.NewDate(2010, 9, 1)},                  // 15
		passport{id: 2, country: "KOR", birth: mrz.NewDate(2007, 12, 1)}, // 18 in Korea, where majority is 19
		passport{id: 1, expiry: mrz.NewDate(2025, 1, 1)},                 // expired
	)
	f, _ := ageFlow(t, workflow.AgeFlowConfig{}, b)
	for _, tc := range []struct {
		front  int
		status workflow.SessionStatus
		reason string
		age    int
	}{
		{0, workflow.SessionAgeAbove, "age 36, at least 18, the age of majority of FRA", 36},
		{1, workflow.SessionAgeBelow, "age 15, under 18", 15},
		{2, workflow.SessionAgeBelow, "age 18, under 19, the age of majority of KOR", 18},
	} {
		s := start(t, f, workflow.RequireDocument)
		at, err := f.Submit(context.Background(), s, workflow.AgeCapture{DocumentFront: fronts[tc.front]})
		require.NoError(t, err)
		assert.Equal(t, tc.status, at.Status)
		assert.Contains(t, at.Reason, tc.reason)
		assert.Equal(t, workflow.FlowCompleted, s.FlowStatus)
		require.NotNil(t, s.Result.DocumentAge)
		assert.Equal(t, tc.age, *s.Result.DocumentAge)
		assert.Nil(t, s.Result.Age, "no face estimate for a document-only session")
	}

	// A session's own threshold replaces the majority.
	s, err := f.Start(workflow.AgeRequest{ID: "s21", Requirements: []workflow.Requirement{workflow.RequireDocument}, Threshold: 21})
	require.NoError(t, err)
	at, err := f.Submit(context.Background(), s, workflow.AgeCapture{DocumentFront: fronts[2]})
	require.NoError(t, err)
	assert.Equal(t, workflow.SessionAgeBelow, at.Status)
	assert.Equal(t, 21.0, s.Result.Thresholds.AgeThreshold)

	// An expired document: retry, then DOCUMENT_INVALID once attempts are
	// used up.
	s = start(t, f, workflow.RequireDocument)
	for i := 1; i <= 3; i++ {
		at, err := f.Submit(context.Background(), s, workflow.AgeCapture{DocumentFront: fronts[3]})
		require.NoError(t, err)
		assert.Contains(t, at.Reason, "document expired on 2025-01-01")
		if i < 3 {
			assert.Equal(t, workflow.SessionRetry, at.Status)
			assert.Equal(t, workflow.FlowInProgress, s.FlowStatus)
		} else {
			assert.Equal(t, workflow.SessionDocumentInvalid, at.Status)
			assert.Equal(t, workflow.FlowCompleted, s.FlowStatus)
		}
	}
	_, err = f.Submit(context.Background(), s, workflow.AgeCapture{DocumentFront: fronts[0]})
	assert.ErrorIs(t, err, workflow.ErrSessionClosed)
}

// TestAgeFlowIgnoresReaderReferenceDate: the document is judged on the
// flow's clock, whatever ReferenceDate the reader's input carries.
func TestAgeFlowIgnoresReaderReferenceDate(t *testing.T) {
	b, fronts := stage(t, passport{id: 3, birth: mrz.NewDate(2010, 9, 1)}) // 15 on refDay
	reader := b.Reader
	b.Reader = workflow.DocumentReaderFunc(func(ctx context.Context, front, back image.Image) (workflow.Document, error) {
		d, err := reader.ReadDocument(ctx, front, back)
		d.Validation.ReferenceDate = time.Date(2035, 6, 1, 0, 0, 0, 0, time.UTC)
		return d, err
	})
	f, _ := ageFlow(t, workflow.AgeFlowConfig{}, b)
	s := start(t, f, workflow.RequireDocument)
	at, err := f.Submit(context.Background(), s, workflow.AgeCapture{DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, workflow.SessionAgeBelow, at.Status, at.Reason)
	require.NotNil(t, s.Result.DocumentAge)
	assert.Equal(t, 15, *s.Result.DocumentAge)
}

func TestAgeFlowFaceAndDocument(t *testing.T) {
	b, fronts := stage(t, passport{id: 1})
	f, _ := ageFlow(t, workflow.AgeFlowConfig{MaxAttempts: 2}, b)
	s := start(t, f, workflow.RequireFace, workflow.RequireDocument)

	_, err := f.Submit(context.Background(), s, workflow.AgeCapture{DocumentFront: fronts[0]})
	assert.ErrorIs(t, err, workflow.ErrCapture)

	// Someone else's selfie: retry, then FACE_MISMATCH.
	at, err := f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: photo(2), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, workflow.SessionRetry, at.Status)
	assert.Contains(t, at.Reason, "does not match the document photo: similarity 0.22 < 0.75")
	// The holder after all: above.
	at, err = f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: photo(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, workflow.SessionAgeAbove, at.Status, at.Reason)
	assert.Equal(t, 36.0, *s.Result.Age)
	assert.Equal(t, 36, *s.Result.DocumentAge)
	assert.Equal(t, 0.75, s.Result.Thresholds.CompareThreshold)

	s = start(t, f, workflow.RequireFace, workflow.RequireDocument)
	for range 2 {
		_, err = f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: photo(2), DocumentFront: fronts[0]})
		require.NoError(t, err)
	}
	assert.Equal(t, workflow.SessionFaceMismatch, s.SessionStatus)
	assert.Equal(t, workflow.FlowCompleted, s.FlowStatus)

	// A spoof is retried too, and says so.
	s = start(t, f, workflow.RequireFace, workflow.RequireDocument)
	at, err = f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: spoofed(1), DocumentFront: fronts[0]})
	require.NoError(t, err)
	assert.Equal(t, workflow.SessionRetry, at.Status)
	assert.Contains(t, at.Reason, "not a live person (screen")
}

func TestAgeFlowWindowAndCancel(t *testing.T) {
	b, _ := stage(t)
	f, clk := ageFlow(t, workflow.AgeFlowConfig{Window: 10 * time.Minute}, b)
	s := start(t, f, workflow.RequireFace)
	at, err := f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: photo(noFaceID)})
	require.NoError(t, err)
	assert.Equal(t, workflow.SessionRetry, at.Status)
	assert.Contains(t, at.Reason, "no face was found in the selfie")

	clk.t = clk.t.Add(10 * time.Minute)
	_, err = f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: photo(1)})
	assert.ErrorIs(t, err, workflow.ErrSessionExpired)
	assert.Equal(t, workflow.FlowExpired, s.FlowStatus)
	assert.Equal(t, workflow.SessionAgeNotVerified, s.SessionStatus)
	require.NotNil(t, s.CompletedAt)
	assert.Equal(t, s.ExpiresAt, *s.CompletedAt)
	assert.ErrorIs(t, f.Cancel(s), workflow.ErrSessionClosed)

	s = start(t, f, workflow.RequireFace)
	require.NoError(t, f.Cancel(s))
	assert.Equal(t, workflow.FlowCancelled, s.FlowStatus)
	_, err = f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: photo(1)})
	assert.ErrorIs(t, err, workflow.ErrSessionClosed)
}

func TestAgeFlowStartErrors(t *testing.T) {
	b, _ := stage(t)
	f, _ := ageFlow(t, workflow.AgeFlowConfig{}, b)
	for _, reqs := range [][]workflow.Requirement{nil, {"voice"}, {workflow.RequireFace, workflow.RequireFace}} {
		_, err := f.Start(workflow.AgeRequest{Requirements: reqs})
		assert.ErrorIs(t, err, workflow.ErrRequirements, "%v", reqs)
	}
	_, err := workflow.NewAgeFlow(workflow.AgeFlowConfig{Threshold: 21, Challenge: 18}, b, workflow.Options{})
	assert.ErrorIs(t, err, workflow.ErrConfig)
}

// TestAgeFlowThresholdOnlyDocument: privacy mode once told the document's
// age in DocumentAge and in the reason ("the document gives age 36").
func TestAgeFlowThresholdOnlyDocument(t *testing.T) {
	b, fronts := stage(t,
		passport{id: 1}, // 36
		passport{id: 3, birth: mrz.NewDate(2010, 9, 1)},                                   // 15
		passport{id: 1, birth: mrz.NewDate(1990, 3, 14), expiry: mrz.NewDate(2025, 1, 1)}, // expired
	)
	f, _ := ageFlow(t, workflow.AgeFlowConfig{ThresholdOnly: true}, b)
	for _, tc := range []struct {
		reqs   []workflow.Requirement
		selfie uint8
		front  int
		status workflow.SessionStatus
	}{
		{[]workflow.Requirement{workflow.RequireDocument}, 0, 0, workflow.SessionAgeAbove},
		{[]workflow.Requirement{workflow.RequireDocument}, 0, 1, workflow.SessionAgeBelow},
		{[]workflow.Requirement{workflow.RequireFace, workflow.RequireDocument}, 1, 0, workflow.SessionAgeAbove},
		{[]workflow.Requirement{workflow.RequireFace, workflow.RequireDocument}, 3, 1, workflow.SessionAgeBelow},
	} {
		s := start(t, f, tc.reqs...)
		c := workflow.AgeCapture{DocumentFront: fronts[tc.front]}
		if tc.selfie != 0 {
			c.Selfie = photo(tc.selfie)
		}
		at, err := f.Submit(context.Background(), s, c)
		require.NoError(t, err)
		assert.Equal(t, tc.status, at.Status, at.Reason)
		assert.Nil(t, s.Result.DocumentAge, "privacy mode keeps the document's age out")
		assert.Nil(t, s.Result.Age)
		assert.NotRegexp(t, `\d`, at.Reason, "no number in the reason")
		assert.Contains(t, at.Reason, "the age of majority of FRA")
		raw, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Contains(t, string(raw), `"documentAge":null`)
	}
	// A failing document names its checks, never their reasons (which may
	// quote the date of birth).
	s := start(t, f, workflow.RequireDocument)
	at, err := f.Submit(context.Background(), s, workflow.AgeCapture{DocumentFront: fronts[2]})
	require.NoError(t, err)
	assert.Contains(t, at.Reason, "the document is not valid: expiry_date")
	assert.NotContains(t, at.Reason, "1990")
	assert.NotContains(t, at.Reason, "2025")
}

func TestAgeFlowThresholdOnlyAndJSON(t *testing.T) {
	b, _ := stage(t)
	f, _ := ageFlow(t, workflow.AgeFlowConfig{ThresholdOnly: true}, b)
	s := start(t, f, workflow.RequireFace)
	_, err := f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: photo(1)})
	require.NoError(t, err)
	assert.Nil(t, s.Result.Age, "privacy mode keeps the estimate out")
	assert.NotContains(t, s.Reason, "36")

	raw, err := json.Marshal(s)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	assert.Equal(t, "COMPLETED", m["flowStatus"])
	assert.Equal(t, "AGE_ABOVE_THRESHOLD", m["sessionStatus"])
	res := m["result"].(map[string]any)
	for _, k := range []string{"age", "confidenceScore", "documentAge", "thresholds"} {
		assert.Contains(t, res, k)
	}
	th := res["thresholds"].(map[string]any)
	assert.Contains(t, th, "ageThreshold")
	assert.Contains(t, th, "compareThreshold")

	// The session survives a round trip through storage.
	var back workflow.AgeSession
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, s.FlowStatus, back.FlowStatus)
	assert.True(t, back.Closed())
}
