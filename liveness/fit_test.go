package liveness

import (
	"context"
	"image"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/eval"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/internal/testenv"
	"github.com/idkit-dev/idkit/models/convert"
	"github.com/idkit-dev/idkit/models/convert/tflite"
)

// TestRefitFusion reproduces DefaultFusion from the development set: it
// runs the checker on ../shared/eval-dev/spoof, fits the fusion on half A
// exactly as documented in doc.go and reports half B. When the converted
// tree network (models/convert/tflite) is installed it also measures it,
// alone and combined with the fusion (reportDTN). It takes a minute, about
// five with the tree network, so it runs only with IDKIT_LIVENESS_REFIT=1:
//
//	IDKIT_LIVENESS_REFIT=1 go test -run TestRefitFusion -v ./liveness
func TestRefitFusion(t *testing.T) {
	if os.Getenv("IDKIT_LIVENESS_REFIT") != "1" {
		t.Skip("set IDKIT_LIVENESS_REFIT=1 to refit the fusion on the development set")
	}
	p := newTestChecker(t)
	// The tree network is measured beside the fusion when it is installed.
	var tree *onnx.Session
	if _, err := convert.Open(p.cfg.Models.Dir(), tflite.AntiSpoofing()).Path(tflite.AntiSpoofingName); err == nil {
		tree = dtnSession(t, p.cfg.Models)
	} else {
		t.Logf("tree network not measured: %v", err)
	}
	var a, b []fitRow
	eachDevImage(t, func(it eval.LivenessItem, img *image.RGBA, block int) {
		res, err := p.Check(context.Background(), img)
		require.NoError(t, err)
		if res.Status == StatusInconclusive {
			return
		}
		r := fitRow{net: res.Signals.Network, cues: res.Signals.Cues, live: it.Live}
		if tree != nil {
			r.dtn = dtnScores(t, tree, img, res.Face.Box)
		}
		if block%2 == 0 {
			a = append(a, r)
		} else {
			b = append(b, r)
		}
	})
	f := fitFusion(a)
	d := DefaultFusion()
	t.Logf("fitted on %d (half A): %+v", len(a), f)
	for _, w := range [][2]float64{{f.Bias, d.Bias}, {f.Net, d.Net}, {f.Moire, d.Moire}, {f.MoireKnee, d.MoireKnee}, {f.Saturation, d.Saturation}, {f.Threshold, d.Threshold}} {
		assert.InDelta(t, w[1], w[0], 0.02, "DefaultFusion no longer matches its fit")
	}
	for name, rows := range map[string][]fitRow{"A (fitted)": a, "B (held out)": b} {
		var s []eval.Scored
		for _, r := range rows {
			s = append(s, eval.Scored{Score: d.Score(r.net, r.cues), Positive: r.live})
		}
		pad, err := eval.PAD(s, d.Threshold)
		require.NoError(t, err)
		eer, _, err := eval.EER(s)
		require.NoError(t, err)
		t.Logf("half %s: n %d APCER %.4f BPCER %.4f ACER %.4f EER %.4f; BPCER at APCER ≤ 3%%: %.4f",
			name, len(rows), pad.APCER, pad.BPCER, pad.ACER, eer, bpcerAtAPCER(s, 0.03))
	}
	if tree != nil {
		reportDTN(t, a, b)
	}
}

// bpcerAtAPCER is the lowest BPCER over the thresholds that keep APCER at
// or under maxAPCER.
func bpcerAtAPCER(s []eval.Scored, maxAPCER float64) float64 {
	best := 1.0
	for _, x := range append(s, eval.Scored{Score: math.Inf(1)}) {
		if pad, err := eval.PAD(s, x.Score); err == nil && pad.APCER <= maxAPCER {
			best = math.Min(best, pad.BPCER)
		}
	}
	return best
}

type fitRow struct {
	net  [3]float64
	cues Cues
	live bool
	// dtn is the tree network's spoof score at each of dtnScales (zero
	// when it was not measured).
	dtn [len(dtnScales)]float64
}

// fusionFeatures are the fusion's inputs for r: the network's clamped
// log-odds, −max(0, moiré − knee) and saturation, 0 for a cue not measured.
func fusionFeatures(r fitRow, knee float64) [3]float64 {
	l := clampedLogit(r.net[0])
	m, s := 0.0, 0.0
	if !math.IsNaN(r.cues.Moire) {
		m = -math.Max(0, r.cues.Moire-knee)
	}
	if !math.IsNaN(r.cues.Saturation) {
		s = r.cues.Saturation
	}
	return [3]float64{l, m, s}
}

// fitLogistic fits P(live) = σ(w0 + Σ wi·xi) to rows by gradient descent
// from zero (L2 1e-3 on the weights, not the bias), every weight kept ≥ 0
// so it keeps the sign the features are written with. It returns the bias
// first.
func fitLogistic(rows []fitRow, feats func(fitRow) []float64) []float64 {
	xs := make([][]float64, len(rows))
	live := make([]bool, len(rows))
	for i, r := range rows {
		xs[i], live[i] = feats(r), r.live
	}
	return fitLogisticL2(xs, live, 1e-3)
}

// fitLogisticL2 is fitLogistic on the feature rows xs with labels live and
// an L2 penalty l2 on the weights, every weight kept non-negative (the signs
// are fixed by the physics).
func fitLogisticL2(xs [][]float64, live []bool, l2 float64) []float64 {
	return fitLogisticSigned(xs, live, l2, len(xs[0]))
}

// fitLogisticSigned is fitLogisticL2 with only the first signed weights
// kept non-negative and the others free.
func fitLogisticSigned(xs [][]float64, live []bool, l2 float64, signed int) []float64 {
	w := make([]float64, len(xs[0])+1)
	g := make([]float64, len(w))
	const lr, iters = 0.05, 20000
	for range iters {
		clear(g)
		for j := range xs {
			z := w[0]
			for i, x := range xs[j] {
				z += w[i+1] * x
			}
			e := 1/(1+math.Exp(-math.Max(-30, math.Min(30, z)))) - b2f(live[j])
			g[0] += e
			for i, x := range xs[j] {
				g[i+1] += e * x
			}
		}
		for i := range w {
			g[i] /= float64(len(xs))
			if i > 0 {
				g[i] += l2 * w[i]
			}
			w[i] -= lr * g[i]
			if i > 0 && i <= signed && w[i] < 0 {
				w[i] = 0
			}
		}
	}
	return w
}

// fitFusion fits the fusion's weights by logistic regression (fitLogistic),
// the moiré knee at the 90th percentile of live moiré, and the threshold at
// the lowest ACER, all on rows.
func fitFusion(rows []fitRow) Fusion {
	var liveMoire []float64
	for _, r := range rows {
		if r.live && !math.IsNaN(r.cues.Moire) {
			liveMoire = append(liveMoire, r.cues.Moire)
		}
	}
	slices.Sort(liveMoire)
	knee := math.Round(liveMoire[int(0.9*float64(len(liveMoire)-1))]*100) / 100
	w := fitLogistic(rows, func(r fitRow) []float64 { x := fusionFeatures(r, knee); return x[:] })
	f := Fusion{Bias: w[0], Net: w[1], Moire: w[2], MoireKnee: knee, Saturation: w[3]}
	f.Threshold = bestACERThreshold(scoreRows(rows, func(r fitRow) float64 { return f.Score(r.net, r.cues) }))
	return f
}

// fitStandardised fits a ridge logistic regression (penalty lambda) to the
// standardised features of rows and returns its weights on the raw
// features, bias first.
func fitStandardised[R any](rows []R, feats func(R) []float64, isLive func(R) bool, lambda float64) []float64 {
	xs := make([][]float64, len(rows))
	live := make([]bool, len(rows))
	for i, r := range rows {
		xs[i], live[i] = feats(r), isLive(r)
	}
	mean, std := standardise(xs)
	w := ridgeLogistic(xs, live, lambda)
	for i := range mean {
		w[i+1] /= std[i]
		w[0] -= w[i+1] * mean[i]
	}
	return w
}

// standardise rescales xs in place to zero mean and unit variance per
// feature and returns the means and standard deviations it used.
func standardise(xs [][]float64) (mean, std []float64) {
	d := len(xs[0])
	mean, std = make([]float64, d), make([]float64, d)
	n := float64(len(xs))
	for _, x := range xs {
		for i := range x {
			mean[i] += x[i] / n
		}
	}
	for _, x := range xs {
		for i := range x {
			std[i] += (x[i] - mean[i]) * (x[i] - mean[i]) / n
		}
	}
	for i := range std {
		std[i] = math.Sqrt(std[i])
		if std[i] < 1e-6 {
			// A constant feature: it stays 0 after centring and the
			// penalty keeps its weight at 0, rather than dividing by ~0.
			std[i] = 1
		}
	}
	for _, x := range xs {
		for i := range x {
			x[i] = (x[i] - mean[i]) / std[i]
		}
	}
	return mean, std
}

// ridgeLogistic fits P(live) = σ(w0 + Σ wi·xi) by Newton's method with the
// penalty lambda·Σwi²/2 on the summed log-loss (the bias is not
// penalised). It returns the bias first.
func ridgeLogistic(xs [][]float64, live []bool, lambda float64) []float64 {
	d := len(xs[0]) + 1
	w := make([]float64, d)
	row := make([]float64, d)
	for range 50 {
		g := make([]float64, d)
		h := make([][]float64, d)
		for i := range h {
			h[i] = make([]float64, d)
		}
		for j, x := range xs {
			row[0] = 1
			copy(row[1:], x)
			z := 0.0
			for i, v := range row {
				z += w[i] * v
			}
			p := 1 / (1 + math.Exp(-math.Max(-30, math.Min(30, z))))
			e, q := p-b2f(live[j]), math.Max(p*(1-p), 1e-9)
			for a := range d {
				g[a] += e * row[a]
				for b := a; b < d; b++ {
					h[a][b] += q * row[a] * row[b]
				}
			}
		}
		for a := range d {
			for b := range a {
				h[a][b] = h[b][a]
			}
			if a > 0 {
				g[a] += lambda * w[a]
				h[a][a] += lambda
			}
		}
		step := solve(h, g)
		var n float64
		for i := range w {
			w[i] -= step[i]
			n += step[i] * step[i]
		}
		if n < 1e-16 {
			break
		}
	}
	return w
}

// solve returns x with a·x = b by Gaussian elimination with partial
// pivoting; a and b are overwritten.
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		b[c], b[p] = b[p], b[c]
		for r := c + 1; r < n; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < n; k++ {
				a[r][k] -= f * a[c][k]
			}
			b[r] -= f * b[c]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < n; k++ {
			s -= a[r][k] * x[k]
		}
		x[r] = s / a[r][r]
	}
	return x
}

// devFileNumber finds a development-set file's number. Alternate blocks of
// 40 numbers make the halves (even blocks: A, fitted; odd: B, reported), so
// that a person and a capture session mostly fall in one half.
var devFileNumber = regexp.MustCompile(`(\d+)\.[a-z]+$`)

// eachDevImage reads every labelled image of the development set
// (../shared/eval-dev/spoof) and calls fn with it and its block of 40 file
// numbers; block%2 == 0 is half A. With IDKIT_LIVENESS_JPEG=Q every image is
// re-saved as JPEG at quality Q first: the set's live photos are quality 75
// and its attacks 95, so any measurement here can be repeated with the
// compression evened out (IDKIT_LIVENESS_JPEG=75).
func eachDevImage(t testing.TB, fn func(it eval.LivenessItem, img *image.RGBA, block int)) {
	t.Helper()
	set, err := eval.ReadLivenessLabels(testenv.EvalDev(t, "spoof"))
	require.NoError(t, err)
	resave := 0
	if q := os.Getenv("IDKIT_LIVENESS_JPEG"); q != "" {
		resave, err = strconv.Atoi(q)
		require.NoError(t, err, "IDKIT_LIVENESS_JPEG")
		require.True(t, resave >= 1 && resave <= 100, "IDKIT_LIVENESS_JPEG is a JPEG quality, 1-100")
		t.Logf("every development-set image re-saved as JPEG at quality %d", resave)
	}
	for _, it := range set.Items {
		img, _, err := imageio.ReadFile(it.Path, imageio.Limits{})
		require.NoError(t, err)
		m := devFileNumber.FindStringSubmatch(it.File)
		require.NotNil(t, m, it.File)
		n, _ := strconv.Atoi(m[1])
		rgba := imageio.ToRGBA(img)
		if resave > 0 {
			rgba = jpegRoundTrip(t, rgba, resave)
		}
		fn(it, rgba, (n-1)/40)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
