package score_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/score"
)

func all(l, f, d, k float64) map[score.Factor]score.Input {
	return map[score.Factor]score.Input{
		score.Liveness:  score.Measured(l, ""),
		score.FaceMatch: score.Measured(f, ""),
		score.Document:  score.Measured(d, ""),
		score.KYA:       score.Measured(k, ""),
	}
}

func without(in map[score.Factor]score.Input, f score.Factor) map[score.Factor]score.Input {
	delete(in, f)
	return in
}

func with(in map[score.Factor]score.Input, f score.Factor, v score.Input) map[score.Factor]score.Input {
	in[f] = v
	return in
}

func TestScoreDecisions(t *testing.T) {
	s, err := score.New(score.Config{})
	require.NoError(t, err)
	tests := map[string]struct {
		inputs   map[score.Factor]score.Input
		score    float64
		decision score.Decision
		reason   string // fragment of the first reason
	}{
		"accepted":                     {all(1, 0.9, 1, 0.8), 95, score.Accepted, "score 95.0 ≥ 80: accepted"},
		"exactly the accept threshold": {all(0.8, 0.8, 0.8, 0.8), 80, score.Accepted, "accepted"},
		"review":                       {all(0.7, 0.7, 0.7, 0.7), 70, score.Review, "between 60 and 80: sent to review"},
		"exactly the review threshold": {all(0.6, 0.6, 0.6, 0.6), 60, score.Review, "review"},
		"rejected by score":            {all(0.55, 0.55, 0.55, 0.55), 55, score.Rejected, "score 55.0 < 60: rejected"},
		// 0.5·30 + 0.5·40 + 1·25 + 0·5 = 60 − but 59.9 must be rejected:
		"just under review": {all(0.5, 0.5, 0.996, 0), 59.9, score.Rejected, "< 60"},
		"optional missing, renormalized": {
			without(all(1, 0.8, 1, 0), score.KYA),
			91.5, score.Accepted, "renormalized without profile checks (KYA)",
		},
		"optional missing with reason": {
			with(all(1, 0.8, 1, 0), score.KYA, score.Missing("no email or phone given")),
			91.5, score.Accepted, "score 91.5 (renormalized",
		},
		"mandatory missing": {
			without(all(1, 1, 1, 1), score.Document),
			100, score.Rejected, "mandatory document validation was not measured",
		},
		"mandatory missing with reason": {
			with(all(1, 1, 1, 1), score.Document, score.Missing("no document image")),
			100, score.Rejected, "was not measured (no document image)",
		},
		"hard fail overrides a perfect score": {
			with(all(1, 1, 1, 1), score.Liveness, score.Measured(1, "").WithHardFail("spoof_detected", "screen replay detected, confidence 0.97")),
			100, score.Rejected, "hard rule, liveness: screen replay detected, confidence 0.97",
		},
		"hard fail on a missing factor": {
			with(all(1, 1, 1, 1), score.KYA, score.Missing("").WithHardFail("sanctioned", "")),
			100, score.Rejected, "hard rule, profile checks (KYA): sanctioned",
		},
		"below minimum": {all(1, 0.3, 1, 1), 72, score.Rejected, "face match scored 0.30, below its minimum of 0.50"},
		"below minimum says why": {
			with(all(1, 1, 1, 1), score.Document, score.Measured(0, "document invalid: the mrz and the visual disagree")),
			75, score.Rejected, "document validation scored 0.00, below its minimum of 0.50 (document invalid: the mrz and the visual disagree)",
		},
		"nothing measured": {map[score.Factor]score.Input{}, 0, score.Rejected, "mandatory liveness was not measured"},
		// Rounding never promotes: 24 + 32 + 20 + 3.95 = 79.95 was shown
		// 80.0 and accepted, 59.95 was shown 60.0 and sent to review.
		"79.95 rounds down": {all(0.8, 0.8, 0.8, 0.79), 79.9, score.Review, "score 79.9 is between 60 and 80"},
		"59.95 rounds down": {all(0.6, 0.6, 0.6, 0.59), 59.9, score.Rejected, "score 59.9 < 60"},
		"float noise of 80": {all(0.8, 0.8, 0.8, 0.8), 80, score.Accepted, "score 80.0 ≥ 80"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := s.Score(tc.inputs)
			require.NoError(t, err)
			assert.InDelta(t, tc.score, r.Score, 1e-9)
			assert.Equal(t, tc.decision, r.Decision)
			require.NotEmpty(t, r.Reasons)
			assert.Contains(t, r.Reasons[0], tc.reason)
			assert.Len(t, r.Factors, 4, "every configured factor is explained")
		})
	}
}

func TestScoreOverrideSaysWhatArithmeticGave(t *testing.T) {
	s, err := score.New(score.Config{})
	require.NoError(t, err)
	r, err := s.Score(with(all(1, 1, 1, 1), score.Document, score.Measured(1, "").WithHardFail("document_expired", "expired on 2023-04-01")))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"hard rule, document validation: expired on 2023-04-01",
		"a hard rule rejects the check whatever the score; score 100.0 would have given accepted",
	}, r.Reasons)
	assert.Equal(t, []score.FactorHardFail{{Factor: score.Document, HardFail: score.HardFail{Code: "document_expired", Reason: "expired on 2023-04-01"}}}, r.HardFails)
	assert.Contains(t, r.Factors[2].Explanation, "hard rule: expired on 2023-04-01")

	r, err = s.Score(all(1, 0.3, 1, 1))
	require.NoError(t, err)
	assert.Equal(t, "a factor below its minimum rejects the check whatever the score; score 72.0 would have given review", r.Reasons[1])
	assert.True(t, r.Factors[1].BelowMinimum)
	assert.Contains(t, r.Factors[1].Explanation, "below the minimum of 0.50, which rejects the check")
}

func TestFactorExplanations(t *testing.T) {
	s, err := score.New(score.Config{})
	require.NoError(t, err)
	r, err := s.Score(map[score.Factor]score.Input{
		score.Liveness:  score.Measured(0.95, "live, confidence 0.95"),
		score.FaceMatch: score.Measured(0.6, "similarity 0.80 ≥ 0.75 threshold"),
		score.Document:  score.PassFail(true, "all MRZ check digits valid"),
		score.KYA:       score.Missing("no email, phone or IP given"),
	})
	require.NoError(t, err)
	// (0.95·30 + 0.6·40 + 25) / 95 = 77.5 / 95
	assert.InDelta(t, 81.5, r.Score, 1e-9) // 81.58 rounded down
	assert.Equal(t, score.Accepted, r.Decision)
	assert.Equal(t, "liveness: 0.95 × 31.58 = 30 points (weight 30 scaled to 31.58 because optional factors were not measured); live, confidence 0.95", r.Factors[0].Explanation)
	assert.Equal(t, "face match: 0.60 × 42.11 = 25.26 points (weight 40 scaled to 42.11 because optional factors were not measured); similarity 0.80 ≥ 0.75 threshold", r.Factors[1].Explanation)
	assert.Equal(t, "profile checks (KYA): not measured (no email, phone or IP given); optional, so its 5 points were shared among the measured factors", r.Factors[3].Explanation)
	assert.Nil(t, r.Factors[3].Score)
	assert.Zero(t, r.Factors[3].Points)
	assert.InDelta(t, 31.58, r.Factors[0].EffectiveWeight, 1e-9)

	// Without a missing factor, weights are not said to be scaled.
	r, err = s.Score(all(1, 1, 1, 1))
	require.NoError(t, err)
	assert.Equal(t, "liveness: 1.00 × 30 = 30 points", r.Factors[0].Explanation)
	assert.Equal(t, "score 100.0 ≥ 80: accepted", r.Reasons[0])

	mandatory, err := s.Score(without(all(1, 1, 1, 1), score.FaceMatch))
	require.NoError(t, err)
	assert.Equal(t, "face match: not measured; mandatory, so the check is rejected", mandatory.Factors[1].Explanation)
}

func TestScoreBadInputs(t *testing.T) {
	s, err := score.New(score.Config{})
	require.NoError(t, err)
	for name, in := range map[string]map[score.Factor]score.Input{
		"unknown factor": {"selfie_age": score.Measured(1, "")},
		"score above 1":  {score.Liveness: score.Measured(1.2, "")},
		"negative score": {score.Liveness: score.Measured(-0.1, "")},
		"NaN score":      {score.Liveness: score.Measured(math.NaN(), "")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Score(in)
			require.Error(t, err)
		})
	}
	_, err = s.Score(map[score.Factor]score.Input{"selfie_age": {}})
	assert.ErrorIs(t, err, score.ErrUnknownFactor)
	_, err = s.Score(map[score.Factor]score.Input{score.KYA: score.Measured(2, "")})
	assert.ErrorIs(t, err, score.ErrInvalidScore)
	// A missing factor's score is not looked at.
	_, err = s.Score(map[score.Factor]score.Input{score.KYA: {Score: 7}})
	assert.NoError(t, err)
}

func TestTenantConfig(t *testing.T) {
	// An age-check tenant: face match and liveness only, a stricter bar.
	s, err := score.New(score.Config{
		Factors: []score.FactorConfig{
			{Name: score.Liveness, Weight: 1, Mandatory: true},
			{Name: score.FaceMatch, Weight: 3, Mandatory: true},
			{Name: "age_gate", Weight: 0, Mandatory: true},
		},
		AcceptAt: 90,
		ReviewAt: 70,
	})
	require.NoError(t, err)
	r, err := s.Score(map[score.Factor]score.Input{
		score.Liveness:  score.Measured(1, ""),
		score.FaceMatch: score.Measured(0.8, ""),
		"age_gate":      score.PassFail(true, "over 18"),
	})
	require.NoError(t, err)
	assert.InDelta(t, 85, r.Score, 1e-9) // (1 + 2.4) / 4
	assert.Equal(t, score.Review, r.Decision)
	assert.Equal(t, "score 85.0 is between 70 and 90: sent to review", r.Reasons[0])
	assert.Equal(t, "age gate: 1.00 × 0 = 0 points; over 18", r.Factors[2].Explanation)

	// The zero-weight factor still gates.
	r, err = s.Score(map[score.Factor]score.Input{
		score.Liveness:  score.Measured(1, ""),
		score.FaceMatch: score.Measured(1, ""),
	})
	require.NoError(t, err)
	assert.Equal(t, score.Rejected, r.Decision)
	assert.Equal(t, "mandatory age gate was not measured", r.Reasons[0])

	// A KYA factor unknown to this tenant is an error, not ignored.
	_, err = s.Score(map[score.Factor]score.Input{score.KYA: score.Measured(1, "")})
	assert.ErrorIs(t, err, score.ErrUnknownFactor)
}

func TestOnlyZeroWeightMeasured(t *testing.T) {
	s, err := score.New(score.Config{Factors: []score.FactorConfig{
		{Name: "a", Weight: 0},
		{Name: "b", Weight: 1},
	}})
	require.NoError(t, err)
	r, err := s.Score(map[score.Factor]score.Input{"a": score.Measured(1, "")})
	require.NoError(t, err)
	assert.Equal(t, score.Rejected, r.Decision)
	assert.Equal(t, "no weighted factor was measured, so there is no score", r.Reasons[0])
}

func TestConfigValidation(t *testing.T) {
	f := func(fc ...score.FactorConfig) []score.FactorConfig { return fc }
	tests := map[string]score.Config{
		"accept above 100":   {AcceptAt: 101},
		"negative accept":    {AcceptAt: -1},
		"review over accept": {AcceptAt: 70, ReviewAt: 75},
		"NaN review":         {ReviewAt: math.NaN()},
		"no factors":         {Factors: []score.FactorConfig{}},
		"unnamed factor":     {Factors: f(score.FactorConfig{Weight: 1})},
		"duplicate":          {Factors: f(score.FactorConfig{Name: "a", Weight: 1}, score.FactorConfig{Name: "a", Weight: 1})},
		"negative weight":    {Factors: f(score.FactorConfig{Name: "a", Weight: -1})},
		"NaN weight":         {Factors: f(score.FactorConfig{Name: "a", Weight: math.NaN()})},
		"infinite weight":    {Factors: f(score.FactorConfig{Name: "a", Weight: math.Inf(1)})},
		"min score above 1":  {Factors: f(score.FactorConfig{Name: "a", Weight: 1, MinScore: 1.5})},
		"all weights zero":   {Factors: f(score.FactorConfig{Name: "a"})},
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := score.New(cfg)
			assert.ErrorIs(t, err, score.ErrConfig)
		})
	}
	s, err := score.New(score.Config{})
	require.NoError(t, err)
	assert.Equal(t, score.DefaultConfig(), s.Config())
	// Review may equal accept: then nothing goes to review.
	_, err = score.New(score.Config{AcceptAt: 70, ReviewAt: 70})
	assert.NoError(t, err)
}

func TestConfigFromJSON(t *testing.T) {
	var cfg score.Config
	require.NoError(t, json.Unmarshal([]byte(`{"accept_at":85,"factors":[{"name":"liveness","weight":50,"mandatory":true,"min_score":0.6},{"name":"face_match","weight":50,"mandatory":true}]}`), &cfg))
	s, err := score.New(cfg)
	require.NoError(t, err)
	got := s.Config()
	assert.Equal(t, 85.0, got.AcceptAt)
	assert.Equal(t, 60.0, got.ReviewAt, "zero fields take the defaults")
	assert.Equal(t, 0.6, got.Factors[0].MinScore)
}

func TestThresholdScore(t *testing.T) {
	tests := []struct{ v, t, want float64 }{
		{0.75, 0.75, 0.5},
		{0.80, 0.75, 0.6},
		{1, 0.75, 1},
		{0, 0.75, 0},
		{0.375, 0.75, 0.25},
		{1.5, 0.75, 1},
		{-1, 0.75, 0},
	}
	for _, tc := range tests {
		got, err := score.ThresholdScore(tc.v, tc.t)
		require.NoError(t, err)
		assert.InDelta(t, tc.want, got, 1e-12, "%v with threshold %v", tc.v, tc.t)
	}
	for _, bad := range []float64{0, 1, -0.5, math.NaN()} {
		_, err := score.ThresholdScore(0.5, bad)
		assert.Error(t, err)
	}
	_, err := score.ThresholdScore(math.NaN(), 0.5)
	assert.ErrorIs(t, err, score.ErrInvalidScore)
}

func TestResultJSON(t *testing.T) {
	s, err := score.New(score.Config{})
	require.NoError(t, err)
	r, err := s.Score(without(all(1, 1, 1, 1), score.KYA))
	require.NoError(t, err)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	assert.Equal(t, "accepted", m["decision"])
	assert.Equal(t, 100.0, m["score"])
	kya := m["factors"].([]any)[3].(map[string]any)
	assert.Nil(t, kya["score"])
	assert.Equal(t, false, kya["present"])
}

func TestInputsAreNotModified(t *testing.T) {
	in := score.Measured(1, "").WithHardFail("a", "x")
	in2 := in.WithHardFail("b", "y")
	assert.Len(t, in.HardFails, 1)
	assert.Len(t, in2.HardFails, 2)
}
