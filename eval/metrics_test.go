package eval_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/eval"
)

func scored(pos, neg []float64) []eval.Scored {
	var s []eval.Scored
	for _, v := range pos {
		s = append(s, eval.Scored{Score: v, Positive: true})
	}
	for _, v := range neg {
		s = append(s, eval.Scored{Score: v})
	}
	return s
}

func TestMAEAndBias(t *testing.T) {
	mae, err := eval.MAE([]float64{10, 20, 30}, []float64{12, 18, 33})
	require.NoError(t, err)
	assert.InDelta(t, 7.0/3, mae, 1e-12)
	bias, err := eval.MeanSignedError([]float64{10, 20, 30}, []float64{12, 18, 33})
	require.NoError(t, err)
	assert.InDelta(t, 1.0, bias, 1e-12)

	_, err = eval.MAE(nil, nil)
	assert.ErrorIs(t, err, eval.ErrEmpty)
	_, err = eval.MAE([]float64{1}, []float64{1, 2})
	assert.ErrorIs(t, err, eval.ErrLength)
	_, err = eval.MAE([]float64{1}, []float64{math.NaN()})
	assert.ErrorIs(t, err, eval.ErrBadValue)
}

func TestAgeErrorsByBand(t *testing.T) {
	truth := []float64{5, 12.5, 13, 17.9, 18, 60}
	pred := []float64{7, 12.5, 15, 16.9, 18, 50}
	got, err := eval.AgeErrorsByBand(truth, pred, eval.DefaultAgeBands())
	require.NoError(t, err)
	want := []struct {
		name      string
		n         int
		mae, bias float64
	}{
		{"0-12", 2, 1, 1},
		{"13-17", 2, 1.5, 0.5},
		{"18-24", 1, 0, 0},
		{"25-34", 0, 0, 0},
		{"35-49", 0, 0, 0},
		{"50+", 1, 10, -10},
	}
	require.Len(t, got, len(want))
	for i, w := range want {
		assert.Equal(t, w.name, got[i].Band.Name)
		assert.Equal(t, w.n, got[i].N, w.name)
		assert.InDelta(t, w.mae, got[i].MAE, 1e-9, w.name)
		assert.InDelta(t, w.bias, got[i].Bias, 1e-9, w.name)
	}
}

func TestAgePolicyRates(t *testing.T) {
	truth := []float64{16, 17, 20, 26, 30, 40}
	dec := []eval.AgeDecision{eval.DecisionAbove, eval.DecisionNeedsDocument, eval.DecisionAbove, eval.DecisionAbove, eval.DecisionNeedsDocument, eval.DecisionAbove}
	minors, adults, err := eval.AgePolicyRates(truth, dec, 18, 25)
	require.NoError(t, err)
	assert.Equal(t, eval.Rate{Num: 1, Den: 2}, minors)
	assert.Equal(t, eval.Rate{Num: 2, Den: 3}, adults)

	tests := map[string]struct {
		truth     []float64
		dec       []eval.AgeDecision
		t, c      float64
		wantError error
	}{
		"empty":              {nil, nil, 18, 25, eval.ErrEmpty},
		"lengths":            {[]float64{1}, nil, 18, 25, eval.ErrLength},
		"challenge below T":  {[]float64{1}, []eval.AgeDecision{eval.DecisionBelow}, 18, 17, nil},
		"unknown decision":   {[]float64{1}, []eval.AgeDecision{"maybe"}, 18, 25, nil},
		"NaN truth":          {[]float64{math.NaN()}, []eval.AgeDecision{eval.DecisionBelow}, 18, 25, eval.ErrBadValue},
		"infinite threshold": {[]float64{1}, []eval.AgeDecision{eval.DecisionBelow}, math.Inf(1), math.Inf(1), nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, _, err := eval.AgePolicyRates(tc.truth, tc.dec, tc.t, tc.c)
			require.Error(t, err)
			if tc.wantError != nil {
				assert.ErrorIs(t, err, tc.wantError)
			}
		})
	}
}

func TestRate(t *testing.T) {
	v, ok := eval.Rate{}.Value()
	assert.False(t, ok)
	assert.Zero(t, v)
	b, err := eval.Rate{}.MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, "null", string(b))
	b, err = eval.Rate{Num: 1, Den: 3}.MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, "0.3333", string(b))
	assert.Equal(t, "0.3333 (1/3)", eval.Rate{Num: 1, Den: 3}.String())
}

func TestPAD(t *testing.T) {
	s := scored([]float64{0.9, 0.6, 0.4}, []float64{0.7, 0.3, 0.1, 0.05})
	r, err := eval.PAD(s, 0.5)
	require.NoError(t, err)
	assert.InDelta(t, 0.25, r.APCER, 1e-12)
	assert.InDelta(t, 1.0/3, r.BPCER, 1e-12)
	assert.InDelta(t, (0.25+1.0/3)/2, r.ACER, 1e-12)

	// A score equal to the threshold is accepted.
	r, err = eval.PAD(s, 0.6)
	require.NoError(t, err)
	assert.InDelta(t, 0.25, r.APCER, 1e-12)
	assert.InDelta(t, 1.0/3, r.BPCER, 1e-12)

	_, err = eval.PAD(scored([]float64{0.5}, nil), 0.5)
	assert.ErrorIs(t, err, eval.ErrOneClass)
	_, err = eval.PAD(nil, 0.5)
	assert.ErrorIs(t, err, eval.ErrEmpty)
}

func TestEER(t *testing.T) {
	tests := map[string]struct {
		pos, neg  []float64
		eer, thr  float64
		wantError error
	}{
		"crossing at a score": {[]float64{0.9, 0.8, 0.4}, []float64{0.7, 0.3, 0.2}, 1.0 / 3, 0.7, nil},
		"separable":           {[]float64{0.9, 0.8}, []float64{0.1, 0.2}, 0, 0.8, nil},
		// Inverted scores: both rates reach 1 together.
		"inverted":  {[]float64{0.1, 0.2}, []float64{0.8, 0.9}, 1, 0.8, nil},
		"all tied":  {[]float64{0.5, 0.5}, []float64{0.5}, 0.5, 0.5, nil},
		"one class": {[]float64{0.5}, nil, 0, 0, eval.ErrOneClass},
		"empty":     {nil, nil, 0, 0, eval.ErrEmpty},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			eer, thr, err := eval.EER(scored(tc.pos, tc.neg))
			if tc.wantError != nil {
				assert.ErrorIs(t, err, tc.wantError)
				return
			}
			require.NoError(t, err)
			assert.InDelta(t, tc.eer, eer, 1e-12)
			assert.InDelta(t, tc.thr, thr, 1e-12)
		})
	}
}

func TestAUC(t *testing.T) {
	tests := map[string]struct {
		pos, neg []float64
		want     float64
	}{
		"perfect":    {[]float64{0.9, 0.8}, []float64{0.1, 0.2}, 1},
		"inverted":   {[]float64{0.1, 0.2}, []float64{0.8, 0.9}, 0},
		"all tied":   {[]float64{0.5, 0.5}, []float64{0.5}, 0.5},
		"with a tie": {[]float64{0.8, 0.5, 0.3}, []float64{0.5, 0.2}, 4.5 / 6},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := eval.AUC(scored(tc.pos, tc.neg))
			require.NoError(t, err)
			assert.InDelta(t, tc.want, got, 1e-12)
		})
	}
	_, err := eval.AUC(nil)
	assert.ErrorIs(t, err, eval.ErrEmpty)
	_, err = eval.AUC(scored(nil, []float64{1}))
	assert.ErrorIs(t, err, eval.ErrOneClass)
	_, err = eval.AUC(scored([]float64{math.Inf(1)}, []float64{1}))
	assert.ErrorIs(t, err, eval.ErrBadValue)
}

// TestAUCMatchesPairCount checks the O(n log n) sweep against the
// definition, on coarse random scores so that ties are common.
func TestAUCMatchesPairCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 50 {
		var s []eval.Scored
		for range 1 + rng.IntN(60) {
			pos := rng.IntN(2) == 0
			v := float64(rng.IntN(10)) / 10
			if pos {
				v += 0.2
			}
			s = append(s, eval.Scored{Score: v, Positive: pos})
		}
		s = append(s, eval.Scored{Score: 0.5, Positive: true}, eval.Scored{Score: 0.5})
		var won float64
		var p, n int
		for _, a := range s {
			if !a.Positive {
				n++
				continue
			}
			p++
			for _, b := range s {
				switch {
				case b.Positive:
				case a.Score > b.Score:
					won++
				case a.Score == b.Score:
					won += 0.5
				}
			}
		}
		got, err := eval.AUC(s)
		require.NoError(t, err)
		assert.InDelta(t, won/float64(p*n), got, 1e-12, "trial %d", trial)
	}
}

func TestTARAtFAR(t *testing.T) {
	var neg []float64
	for i := range 100 {
		neg = append(neg, float64(i)/100)
	}
	pos := []float64{0.995, 0.985, 0.975, 0.5}

	op, err := eval.TARAtFAR(scored(pos, neg), 1e-2)
	require.NoError(t, err)
	assert.InDelta(t, 0.5, op.TAR, 1e-12)
	assert.InDelta(t, 0.01, op.FAR, 1e-12)
	assert.Greater(t, op.Threshold, 0.98)
	assert.LessOrEqual(t, op.Threshold, 0.985)

	op, err = eval.TARAtFAR(scored(pos, neg), 1e-3)
	require.NoError(t, err)
	assert.InDelta(t, 0.25, op.TAR, 1e-12)
	assert.Zero(t, op.FAR)

	// Two negatives tied at the top cannot be split: one allowed false
	// accept becomes none.
	tied := append(append([]float64{}, neg[:98]...), 0.99, 0.99)
	op, err = eval.TARAtFAR(scored(pos, tied), 1e-2)
	require.NoError(t, err)
	assert.Zero(t, op.FAR)
	assert.InDelta(t, 0.25, op.TAR, 1e-12)

	// FAR 1 accepts everything.
	op, err = eval.TARAtFAR(scored(pos, neg), 1)
	require.NoError(t, err)
	assert.Equal(t, 1.0, op.TAR)
	assert.Equal(t, 1.0, op.FAR)

	for _, far := range []float64{0, -1, 1.5, math.NaN()} {
		_, err := eval.TARAtFAR(scored(pos, neg), far)
		assert.Error(t, err, "far %v", far)
	}
	_, err = eval.TARAtFAR(scored(pos, nil), 1e-2)
	assert.ErrorIs(t, err, eval.ErrOneClass)
}

func TestAccuracy(t *testing.T) {
	s := scored([]float64{0.9, 0.7, 0.4}, []float64{0.6, 0.3, 0.2})
	acc, err := eval.Accuracy(s, 0.5)
	require.NoError(t, err)
	assert.InDelta(t, 4.0/6, acc, 1e-12)

	best, thr, err := eval.BestAccuracy(s)
	require.NoError(t, err)
	assert.InDelta(t, 5.0/6, best, 1e-12)
	assert.InDelta(t, 0.35, thr, 1e-12)
	acc, err = eval.Accuracy(s, thr)
	require.NoError(t, err)
	assert.InDelta(t, best, acc, 1e-12, "the best threshold must give the best accuracy")

	// One class is allowed: accept everything.
	best, thr, err = eval.BestAccuracy(scored([]float64{0.5, 0.7}, nil))
	require.NoError(t, err)
	assert.Equal(t, 1.0, best)
	assert.Equal(t, 0.5, thr)

	// Only negatives: reject everything, just above the top score.
	best, thr, err = eval.BestAccuracy(scored(nil, []float64{0.5, 0.7}))
	require.NoError(t, err)
	assert.Equal(t, 1.0, best)
	assert.Greater(t, thr, 0.7)

	_, err = eval.Accuracy(nil, 0.5)
	assert.ErrorIs(t, err, eval.ErrEmpty)
	_, _, err = eval.BestAccuracy(nil)
	assert.ErrorIs(t, err, eval.ErrEmpty)
}

func TestBestAccuracyIsBest(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 30 {
		var s []eval.Scored
		for range 2 + rng.IntN(40) {
			s = append(s, eval.Scored{Score: float64(rng.IntN(20)) / 20, Positive: rng.IntN(2) == 0})
		}
		best, thr, err := eval.BestAccuracy(s)
		require.NoError(t, err)
		at, err := eval.Accuracy(s, thr)
		require.NoError(t, err)
		assert.InDelta(t, best, at, 1e-12)
		for _, x := range s { // no threshold at a score does better
			a, err := eval.Accuracy(s, x.Score)
			require.NoError(t, err)
			assert.LessOrEqual(t, a, best+1e-12)
		}
	}
}

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"P<UTO", "P<UTO", 0},
		{"Ä", "A", 1},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, eval.Levenshtein(tc.a, tc.b), "%q %q", tc.a, tc.b)
		assert.Equal(t, tc.want, eval.Levenshtein(tc.b, tc.a), "%q %q", tc.b, tc.a)
	}
}

func TestMRZMetrics(t *testing.T) {
	e, c := eval.LineEdits([]string{"ABC", "DEF"}, []string{"ABD"})
	assert.Equal(t, 4, e)
	assert.Equal(t, 6, c)
	e, c = eval.LineEdits([]string{"ABC", "DEF"}, []string{"ABC ", "DEF", "X"})
	assert.Equal(t, 1, e)
	assert.Equal(t, 6, c)

	truth := [][]string{{"ABC", "DEF"}, {"GHI", "JKL"}}
	pred := [][]string{{" ABC", "DEF "}, {"GHX"}}
	exact, err := eval.ExactRate(truth, pred)
	require.NoError(t, err)
	assert.Equal(t, 0.5, exact)
	acc, err := eval.CharAccuracy(truth, pred)
	require.NoError(t, err)
	assert.InDelta(t, 1-4.0/12, acc, 1e-12)

	acc, err = eval.CharAccuracy(truth, [][]string{nil, nil})
	require.NoError(t, err)
	assert.Zero(t, acc)
	// Invented text cannot make accuracy negative.
	acc, err = eval.CharAccuracy([][]string{{"A"}}, [][]string{{"XXXXXXXX"}})
	require.NoError(t, err)
	assert.Zero(t, acc)

	_, err = eval.ExactRate(nil, nil)
	assert.ErrorIs(t, err, eval.ErrEmpty)
	_, err = eval.CharAccuracy(truth, pred[:1])
	assert.ErrorIs(t, err, eval.ErrLength)
}

func TestFieldAccuracy(t *testing.T) {
	truth := []map[string]string{
		{"DBB": "01021990", "DCS": "SMITH"},
		{"DBB": "03041985", "DAQ": "X1"},
	}
	pred := []map[string]string{
		{"DBB": "01021990", "DCS": " smith", "DAG": "unexpected"},
		nil,
	}
	overall, by, err := eval.FieldAccuracy(truth, pred)
	require.NoError(t, err)
	assert.Equal(t, eval.Rate{Num: 2, Den: 4}, overall)
	assert.Equal(t, map[string]eval.Rate{
		"DBB": {Num: 1, Den: 2},
		"DCS": {Num: 1, Den: 1},
		"DAQ": {Num: 0, Den: 1},
	}, by)

	_, _, err = eval.FieldAccuracy(nil, nil)
	assert.ErrorIs(t, err, eval.ErrEmpty)
	_, _, err = eval.FieldAccuracy([]map[string]string{{}}, []map[string]string{nil})
	assert.ErrorIs(t, err, eval.ErrEmpty)
}

func TestTiming(t *testing.T) {
	ms := time.Millisecond
	tm, err := eval.TimingOf([]time.Duration{4 * ms, 1 * ms, 3 * ms, 2 * ms})
	require.NoError(t, err)
	assert.Equal(t, 4, tm.N)
	assert.InDelta(t, 2.5, tm.MeanMS, 1e-12)
	assert.InDelta(t, 2.5, tm.MedianMS, 1e-12)
	assert.InDelta(t, 4, tm.P95MS, 1e-12)
	assert.InDelta(t, 10, tm.TotalMS, 1e-12)

	tm, err = eval.TimingOf([]time.Duration{5 * ms, 1 * ms, 100 * ms})
	require.NoError(t, err)
	assert.InDelta(t, 5, tm.MedianMS, 1e-12)

	_, err = eval.TimingOf(nil)
	assert.ErrorIs(t, err, eval.ErrEmpty)
}

func BenchmarkAUC100k(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	s := make([]eval.Scored, 100_000)
	for i := range s {
		pos := i%2 == 0
		v := rng.NormFloat64()
		if pos {
			v += 1
		}
		s[i] = eval.Scored{Score: v, Positive: pos}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := eval.AUC(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTARAtFAR100k(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	s := make([]eval.Scored, 100_000)
	for i := range s {
		s[i] = eval.Scored{Score: rng.Float64(), Positive: i%2 == 0}
	}
	for b.Loop() {
		if _, err := eval.TARAtFAR(s, 1e-2); err != nil {
			b.Fatal(err)
		}
	}
}
