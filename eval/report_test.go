package eval_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/eval"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create it")
	assert.Equal(t, string(want), string(got))
}

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func stats(n int) eval.RunStats {
	return eval.RunStats{Workers: 1, Wall: 1500 * time.Millisecond, Completed: n}
}

func ageFixture() (*eval.Set[eval.AgeItem], []eval.Outcome[eval.AgeItem, eval.AgePrediction]) {
	set := &eval.Set[eval.AgeItem]{Dir: "faces", LabelFile: "faces/labels.csv",
		Missing: []eval.Missing{{Line: 9, File: "gone.jpg"}}}
	rows := []struct {
		truth, est float64
		dec        eval.AgeDecision
		err        error
	}{
		{10, 14, eval.DecisionNeedsDocument, nil},
		{16, 21, eval.DecisionAbove, nil},
		{17, 0, "", eval.CodeError("no_face", nil)},
		{20, 19, eval.DecisionNeedsDocument, nil},
		{30, 27.5, eval.DecisionAbove, nil},
		{41, 44, eval.DecisionAbove, nil},
		{63, 55, eval.DecisionAbove, nil},
	}
	var out []eval.Outcome[eval.AgeItem, eval.AgePrediction]
	for i, r := range rows {
		it := eval.AgeItem{Line: i + 2, File: "x.jpg", Age: r.truth}
		set.Items = append(set.Items, it)
		o := eval.Outcome[eval.AgeItem, eval.AgePrediction]{Item: it, Elapsed: ms(20 + i), Err: r.err}
		if r.err == nil {
			o.Result = eval.AgePrediction{Age: r.est, Decision: r.dec}
		} else {
			o.Code = "no_face"
		}
		out = append(out, o)
	}
	return set, out
}

func TestAgeReport(t *testing.T) {
	set, out := ageFixture()
	r, err := eval.SummarizeAge(set, out, stats(len(out)), &eval.AgePolicy{Threshold: 18, Challenge: 25})
	require.NoError(t, err)
	assert.Equal(t, 7, r.N)
	assert.Equal(t, 1, r.NoFace)
	assert.Equal(t, 6, r.Estimated)
	// |4|+|5|+|1|+|2.5|+|3|+|8| = 23.5 over 6
	assert.InDelta(t, 23.5/6, r.MAE.V, 1e-12)
	assert.Equal(t, eval.Rate{Num: 1, Den: 2}, *r.MinorsPassedRate) // 16 passed, 10 did not
	assert.Equal(t, eval.Rate{Num: 3, Den: 3}, *r.AdultsPassedRate)
	assert.InDelta(t, 23, r.MSPerImage.V, 1e-9, "median of 20..26")
	checkGolden(t, "age", r)

	// Without a policy the policy keys are absent.
	r, err = eval.SummarizeAge(set, out, stats(len(out)), nil)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(mustJSON(t, r), &m))
	assert.NotContains(t, m, "minors_passed_rate")
	assert.Contains(t, m, "mae_by_band")
}

func TestAgeReportNeedsDecisions(t *testing.T) {
	set, out := ageFixture()
	out[0].Result.Decision = ""
	_, err := eval.SummarizeAge(set, out, stats(len(out)), &eval.AgePolicy{Threshold: 18, Challenge: 25})
	assert.ErrorContains(t, err, "faces/labels.csv:2")
}

func TestAgeReportAllFailed(t *testing.T) {
	set := &eval.Set[eval.AgeItem]{Dir: "faces"}
	out := []eval.Outcome[eval.AgeItem, eval.AgePrediction]{
		{Item: eval.AgeItem{Age: 12}, Err: errors.New("x"), Code: "no_face"},
	}
	r, err := eval.SummarizeAge(set, out, stats(1), &eval.AgePolicy{Threshold: 18, Challenge: 25})
	require.NoError(t, err, "a run with no estimate still reports")
	assert.False(t, r.MAE.OK)
	checkGolden(t, "age_failed", r)
}

func TestLivenessReport(t *testing.T) {
	set := &eval.Set[eval.LivenessItem]{Dir: "spoof"}
	var out []eval.Outcome[eval.LivenessItem, eval.LivenessPrediction]
	add := func(live bool, score float64, err error) {
		o := eval.Outcome[eval.LivenessItem, eval.LivenessPrediction]{Item: eval.LivenessItem{Live: live}, Result: eval.LivenessPrediction{Score: score}, Elapsed: ms(30), Err: err}
		if err != nil {
			o.Code = "no_face"
		}
		out = append(out, o)
	}
	add(true, 0.9, nil)
	add(true, 0.6, nil)
	add(true, 0.4, nil)
	add(true, 0, errors.New("no face"))
	add(false, 0.7, nil)
	add(false, 0.3, nil)
	add(false, 0.1, nil)
	add(false, 0.05, nil)
	for _, o := range out {
		set.Items = append(set.Items, o.Item)
	}
	r := eval.SummarizeLiveness(set, out, stats(len(out)), 0.5)
	assert.InDelta(t, 0.25, r.APCER.V, 1e-12)
	assert.InDelta(t, 1.0/3, r.BPCER.V, 1e-12)
	assert.InDelta(t, 0.5, r.BPCERWithFailures.V, 1e-12, "1 rejected + 1 failed of 4 live")
	checkGolden(t, "liveness", r)
}

// A one-class set reports that class's rate: a live-only set has a BPCER
// (it was null with APCER), a spoof-only set an APCER.
func TestLivenessReportOneClass(t *testing.T) {
	for _, live := range []bool{true, false} {
		set := &eval.Set[eval.LivenessItem]{Dir: "one"}
		var out []eval.Outcome[eval.LivenessItem, eval.LivenessPrediction]
		for _, score := range []float64{0.9, 0.6, 0.4, 0.2} {
			o := eval.Outcome[eval.LivenessItem, eval.LivenessPrediction]{Item: eval.LivenessItem{Live: live}, Result: eval.LivenessPrediction{Score: score}, Elapsed: ms(30)}
			out = append(out, o)
			set.Items = append(set.Items, o.Item)
		}
		r := eval.SummarizeLiveness(set, out, stats(len(out)), 0.5)
		assert.False(t, r.ACER.OK)
		if live {
			assert.True(t, r.BPCER.OK)
			assert.InDelta(t, 0.5, r.BPCER.V, 1e-12)
			assert.False(t, r.APCER.OK)
		} else {
			assert.True(t, r.APCER.OK)
			assert.InDelta(t, 0.5, r.APCER.V, 1e-12)
			assert.False(t, r.BPCER.OK)
		}
	}
}

func TestVerifyReport(t *testing.T) {
	set := &eval.Set[eval.PairItem]{Dir: "lfw"}
	var out []eval.Outcome[eval.PairItem, eval.VerifyPrediction]
	for i, v := range []struct {
		same bool
		sim  float64
	}{{true, 0.9}, {true, 0.7}, {true, 0.4}, {false, 0.6}, {false, 0.3}, {false, 0.2}} {
		out = append(out, eval.Outcome[eval.PairItem, eval.VerifyPrediction]{
			Item: eval.PairItem{Line: i + 2, Same: v.same}, Result: eval.VerifyPrediction{Similarity: v.sim}, Elapsed: ms(40 + i),
		})
	}
	for _, o := range out {
		set.Items = append(set.Items, o.Item)
	}
	r := eval.SummarizeVerify(set, out, stats(len(out)), 0.5)
	assert.InDelta(t, 4.0/6, r.Accuracy.V, 1e-12)
	assert.InDelta(t, 5.0/6, r.BestAccuracy.V, 1e-12)
	checkGolden(t, "verify", r)
	var m map[string]any
	require.NoError(t, json.Unmarshal(mustJSON(t, r), &m))
	for _, k := range []string{"n", "accuracy", "best_accuracy", "best_threshold", "auc", "tar_at_far_1e-2", "ms_per_pair"} {
		assert.Contains(t, m, k)
	}
}

func TestMRZReport(t *testing.T) {
	set := &eval.Set[eval.MRZItem]{Dir: "mrz"}
	truth := []string{"P<UTOERIKSSON<<ANNA<MARIA", "L898902C36UTO7408122F12"}
	out := []eval.Outcome[eval.MRZItem, eval.MRZPrediction]{
		{Item: eval.MRZItem{Lines: truth}, Result: eval.MRZPrediction{Lines: truth, ValidChecksum: true}, Elapsed: ms(100)},
		{Item: eval.MRZItem{Lines: truth}, Result: eval.MRZPrediction{Lines: []string{"P<UTOERIKSSON<<ANNA<MAR1A", truth[1]}}, Elapsed: ms(120)},
		{Item: eval.MRZItem{Lines: truth}, Err: errors.New("no zone"), Code: "no_mrz", Elapsed: ms(80)},
	}
	for _, o := range out {
		set.Items = append(set.Items, o.Item)
	}
	r := eval.SummarizeMRZ(set, out, stats(3))
	assert.InDelta(t, 1.0/3, r.ExactRate.V, 1e-12)
	chars := float64(3 * (len(truth[0]) + len(truth[1])))
	assert.InDelta(t, 1-(1+float64(len(truth[0])+len(truth[1])))/chars, r.CharAccuracy.V, 1e-12)
	assert.InDelta(t, 1.0/3, r.ValidChecksumRate.V, 1e-12)
	checkGolden(t, "mrz", r)
}

func TestAAMVAReport(t *testing.T) {
	set := &eval.Set[eval.AAMVAItem]{Dir: "aamva"}
	fields := map[string]string{"DCS": "SMITH", "DAC": "JOHN", "DBB": "01311980"}
	out := []eval.Outcome[eval.AAMVAItem, eval.AAMVAPrediction]{
		{Item: eval.AAMVAItem{Fields: fields}, Result: eval.AAMVAPrediction{Fields: map[string]string{"DCS": "SMITH", "DAC": "JON", "DBB": "01311980"}}, Elapsed: ms(5)},
		{Item: eval.AAMVAItem{Fields: fields}, Err: errors.New("no barcode"), Code: "not_decoded", Elapsed: ms(7)},
	}
	for _, o := range out {
		set.Items = append(set.Items, o.Item)
	}
	r := eval.SummarizeAAMVA(set, out, stats(2))
	assert.InDelta(t, 0.5, r.DecodedRate.V, 1e-12)
	assert.InDelta(t, 2.0/6, r.FieldAccuracy.V, 1e-12)
	checkGolden(t, "aamva", r)
}

func TestNumberJSON(t *testing.T) {
	for _, tc := range []struct {
		n    eval.Number
		want string
	}{
		{eval.Num(0.123456), "0.1235"},
		{eval.Num(3), "3"},
		{eval.Number{}, "null"},
		{eval.Num(nan()), "null"},
		{eval.NumOf(1, errors.New("x")), "null"},
	} {
		b, err := json.Marshal(tc.n)
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(b))
	}
}

func nan() float64 { var z float64; return z / z }

func checkGolden(t *testing.T, name string, r eval.Report) {
	t.Helper()
	var table bytes.Buffer
	require.NoError(t, eval.Write(&table, r, false))
	golden(t, name+".txt", table.Bytes())
	golden(t, name+".json", mustJSON(t, r))
}

func mustJSON(t *testing.T, r eval.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, eval.Write(&b, r, true))
	return b.Bytes()
}
