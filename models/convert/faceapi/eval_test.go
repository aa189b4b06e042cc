package faceapi

import (
	"encoding/csv"
	"image"
	_ "image/jpeg" // eval-dev crops are JPEG
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/onnx"
)

// TestEvalAgeDev measures the converted age net on ../shared/eval-dev/age
// (UTKFace 200x200 aligned crops, labels.csv: file,age), feeding each whole
// crop resized to 112x112 the face-api.js way. It is a measurement for the
// age package, not a pass/fail check, so it runs only with
// IDKIT_EVAL_AGE=1:
//
//	IDKIT_EVAL_AGE=1 go test ./models/convert/faceapi -run EvalAgeDev -v
//
// Nothing derived from eval-dev is written anywhere.
func TestEvalAgeDev(t *testing.T) {
	if os.Getenv("IDKIT_EVAL_AGE") != "1" {
		t.Skip("set IDKIT_EVAL_AGE=1 to measure on ../shared/eval-dev/age")
	}
	root := modeltest.RepoRoot()
	dir := filepath.Join(root, "..", "shared", "eval-dev", "age")
	f, err := os.Open(filepath.Join(dir, "labels.csv"))
	if err != nil {
		t.Skipf("eval-dev age set not available: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(rows), 1)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	fileCol, okF := col["file"]
	ageCol, okA := col["age"]
	require.True(t, okF && okA, "labels.csv needs file and age columns")

	s := session(t, AgeGender())
	bands := []struct {
		name   string
		lo, hi float64
	}{{"0-12", 0, 13}, {"13-17", 13, 18}, {"18-24", 18, 25}, {"25-34", 25, 35}, {"35-49", 35, 50}, {"50+", 50, math.Inf(1)}}
	type acc struct{ n, absErr, err float64 }
	byBand := make([]acc, len(bands))
	var all acc
	var minors, minorsOver25, adults25, adults25Over25 float64
	var xs, ys []float64
	var elapsed time.Duration
	for _, r := range rows[1:] {
		truth, err := strconv.ParseFloat(r[ageCol], 64)
		require.NoError(t, err)
		img := func() image.Image {
			fh, err := os.Open(filepath.Join(dir, r[fileCol]))
			require.NoError(t, err)
			defer fh.Close()
			img, _, err := image.Decode(fh)
			require.NoError(t, err, r[fileCol])
			return img
		}()
		start := time.Now()
		out, err := s.Run(onnx.Tensor{Shape: []int64{1, AgeGenderSize, AgeGenderSize, 3}, Data: Preprocess(img, AgeGenderSize)})
		elapsed += time.Since(start)
		require.NoError(t, err)
		est := float64(out[0].Data[0])
		d := est - truth
		all.n, all.absErr, all.err = all.n+1, all.absErr+math.Abs(d), all.err+d
		for i, b := range bands {
			if truth >= b.lo && truth < b.hi {
				byBand[i].n, byBand[i].absErr, byBand[i].err = byBand[i].n+1, byBand[i].absErr+math.Abs(d), byBand[i].err+d
			}
		}
		if truth < 18 {
			minors++
			if est >= 25 {
				minorsOver25++
			}
		}
		if truth >= 25 {
			adults25++
			if est >= 25 {
				adults25Over25++
			}
		}
		xs, ys = append(xs, truth), append(ys, est)
	}
	t.Logf("n=%.0f MAE %.2f bias %+.2f Pearson r %.3f, %.2f ms/image (net only)", all.n, all.absErr/all.n, all.err/all.n, pearson(xs, ys), float64(elapsed.Microseconds())/1000/all.n)
	for i, b := range bands {
		if a := byBand[i]; a.n > 0 {
			t.Logf("  %-6s n=%3.0f MAE %5.2f bias %+5.2f", b.name, a.n, a.absErr/a.n, a.err/a.n)
		}
	}
	t.Logf("under 18 estimated >= 25: %.1f%% (%.0f of %.0f); 25+ estimated >= 25: %.1f%% (%.0f of %.0f)",
		100*minorsOver25/minors, minorsOver25, minors, 100*adults25Over25/adults25, adults25Over25, adults25)
}

func pearson(xs, ys []float64) float64 {
	n := float64(len(xs))
	var mx, my float64
	for i := range xs {
		mx, my = mx+xs[i]/n, my+ys[i]/n
	}
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy, sxx, syy = sxy+dx*dy, sxx+dx*dx, syy+dy*dy
	}
	return sxy / math.Sqrt(sxx*syy)
}
