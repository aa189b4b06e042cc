package liveness

import (
	"context"
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
	dir := testenv.EvalDev(t, "spoof")
	set, err := eval.ReadLivenessLabels(dir)
	require.NoError(t, err)
	p := newTestChecker(t)
	// The tree network is measured beside the fusion when it is installed.
	var tree *onnx.Session
	if _, err := convert.Open(p.cfg.Models.Dir(), tflite.AntiSpoofing()).Path(tflite.AntiSpoofingName); err == nil {
		tree = dtnSession(t, p.cfg.Models)
	} else {
		t.Logf("tree network not measured: %v", err)
	}
	number := regexp.MustCompile(`(\d+)\.[a-z]+$`)
	var a, b []fitRow
	for _, it := range set.Items {
		img, _, err := imageio.ReadFile(it.Path, imageio.Limits{})
		require.NoError(t, err)
		res, err := p.Check(context.Background(), img)
		require.NoError(t, err)
		if res.Status == StatusInconclusive {
			continue
		}
		m := number.FindStringSubmatch(it.File)
		require.NotNil(t, m, it.File)
		n, _ := strconv.Atoi(m[1])
		r := fitRow{net: res.Signals.Network, cues: res.Signals.Cues, live: it.Live}
		if tree != nil {
			r.dtn = dtnScores(t, tree, img, res.Face.Box)
		}
		// Alternate blocks of 40 file numbers: a person and a capture
		// session mostly fall in one half.
		if (n-1)/40%2 == 0 {
			a = append(a, r)
		} else {
			b = append(b, r)
		}
	}
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
		t.Logf("half %s: n %d APCER %.4f BPCER %.4f ACER %.4f EER %.4f", name, len(rows), pad.APCER, pad.BPCER, pad.ACER, eer)
	}
	if tree != nil {
		reportDTN(t, a, b)
	}
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
	p := math.Min(math.Max(r.net[0], 1e-12), 1-1e-12)
	l := math.Max(-netLogitClamp, math.Min(netLogitClamp, math.Log(p/(1-p))))
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

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
