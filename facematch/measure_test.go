package facematch

import (
	"context"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/eval"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/modeltest"
)

// The measurements behind the package documentation, on the LFW pairs of
// ../shared/eval-dev/verify (never copied into the repository). They take
// minutes, so they run only with IDKIT_MEASURE=1:
//
//	IDKIT_MEASURE=1 go test ./facematch -run Measure -v -timeout 30m

type lfwPair struct {
	a, b string
	same bool
	fold int
}

// lfw returns the folder and its pairs, or skips.
func lfw(t *testing.T) (string, []lfwPair) {
	t.Helper()
	if os.Getenv("IDKIT_MEASURE") != "1" {
		t.Skip("set IDKIT_MEASURE=1 to run the LFW measurements")
	}
	dir := filepath.Join(modeltest.RepoRoot(), "..", "shared", "eval-dev", "verify")
	f, err := os.Open(filepath.Join(dir, "pairs.csv"))
	if err != nil {
		t.Skipf("LFW pairs not available: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var ps []lfwPair
	for _, r := range rows[1:] {
		fold, err := strconv.Atoi(r[3])
		require.NoError(t, err)
		ps = append(ps, lfwPair{r[0], r[1], r[2] == "1", fold})
	}
	return dir, ps
}

// lfwImages lists the distinct images of the pairs, by fold.
func lfwImages(ps []lfwPair) map[int][]string {
	seen := map[string]bool{}
	out := map[int][]string{}
	for _, p := range ps {
		for _, f := range []string{p.a, p.b} {
			if !seen[f] {
				seen[f] = true
				out[p.fold] = append(out[p.fold], f)
			}
		}
	}
	return out
}

// TestMeasureCalibration refits the calibration on fold 3 and checks that
// DefaultCalibration is that fit, then reports the held-out fold 4.
func TestMeasureCalibration(t *testing.T) {
	for _, n := range []Network{MobileFaceNet, FrFeature} {
		t.Run(string(n), func(t *testing.T) { measureCalibration(t, n) })
	}
}

func measureCalibration(t *testing.T, n Network) {
	dir, ps := lfw(t)
	m := newMatcher(t, Config{Network: n})
	ctx := context.Background()
	emb := map[string][]float32{}
	byFold := lfwImages(ps)
	for _, files := range byFold {
		for _, f := range files {
			img, _, err := imageio.ReadFile(filepath.Join(dir, f), imageio.Limits{})
			require.NoError(t, err)
			e, _, err := m.Enroll(ctx, Probe{Image: img})
			require.NoError(t, err, f)
			emb[f] = e.Vector
		}
	}
	identity := func(f string) string { return filepath.Base(filepath.Dir(f)) }
	allPairs := func(files []string) (gen, imp []float64) {
		for i := range files {
			for j := i + 1; j < len(files); j++ {
				c := Cosine(emb[files[i]], emb[files[j]])
				if identity(files[i]) == identity(files[j]) {
					gen = append(gen, c)
				} else {
					imp = append(imp, c)
				}
			}
		}
		return gen, imp
	}
	_, imp3 := allPairs(byFold[3])
	fit, err := FitCalibration(imp3, []Anchor{
		{FAR: 0.5, Similarity: 0.25}, {FAR: 1e-1, Similarity: 0.5}, {FAR: 1e-2, Similarity: 0.7},
		{FAR: 5e-3, Similarity: 0.75}, {FAR: 1e-3, Similarity: 0.8}, {FAR: 1e-4, Similarity: 0.9},
	})
	require.NoError(t, err)
	t.Logf("fold 3: %d different-person pairs; fit %v", len(imp3), fit.Knots)
	def, err := NetworkCalibration(n)
	require.NoError(t, err)
	require.Len(t, fit.Knots, len(def.Knots))
	for i := range def.Knots {
		assert.InDelta(t, fit.Knots[i].Cosine, def.Knots[i].Cosine, 0.002, "knot %d", i)
	}

	gen4, imp4 := allPairs(byFold[4])
	cosT := def.Cosine(DefaultThreshold)
	far := float64(countAtLeast(imp4, cosT)) / float64(len(imp4))
	frr := 1 - float64(countAtLeast(gen4, cosT))/float64(len(gen4))
	var s []eval.Scored
	for _, p := range ps {
		if p.fold == 4 {
			s = append(s, eval.Scored{Score: def.Similarity(Cosine(emb[p.a], emb[p.b])), Positive: p.same})
		}
	}
	acc, err := eval.Accuracy(s, DefaultThreshold)
	require.NoError(t, err)
	t.Logf("fold 4 at %.2f: all pairs FAR %.5f (%d pairs) FRR %.4f (%d pairs); listed pairs accuracy %.4f",
		DefaultThreshold, far, len(imp4), frr, len(gen4), acc)
	assert.InDelta(t, 0.005, far, 0.003, "the default threshold stands for FAR 0.5%")
	assert.GreaterOrEqual(t, acc, 0.98)
}

func countAtLeast(v []float64, t float64) int {
	n := 0
	for _, x := range v {
		if x >= t {
			n++
		}
	}
	return n
}

// TestMeasureDocuments turns image b of every pair into a simulated ID-card
// photo and compares it with image a as a selfie, through the selfie path
// and the document path.
func TestMeasureDocuments(t *testing.T) {
	dir, ps := lfw(t)
	m := newMatcher(t, Config{})
	ctx := context.Background()
	selfie := map[string][]float32{}
	asDoc := map[string][]float32{}
	asSelfie := map[string][]float32{}
	var files []string
	for _, fs := range lfwImages(ps) {
		files = append(files, fs...)
	}
	slices.Sort(files)
	noFaceDoc, noFaceSelfie := 0, 0
	for i, f := range files {
		img, _, err := imageio.ReadFile(filepath.Join(dir, f), imageio.Limits{})
		require.NoError(t, err)
		e, info, err := m.Enroll(ctx, Probe{Image: img})
		require.NoError(t, err, f)
		selfie[f] = e.Vector
		// A card between a good capture and a poor one.
		rng := rand.New(rand.NewPCG(uint64(i), 42))
		k := rng.Float64()
		lerp := func(a, b float64) float64 { return a + (b-a)*k }
		card := simulateDocument(img, info.Box, docSim{
			FaceSide: int(lerp(150, 90)), Quality: int(lerp(80, 45)), Period: lerp(1.4, 2.4),
			Glare: lerp(0.3, 0.65), Guilloche: lerp(0.12, 0.28), Noise: lerp(2, 6),
		}, rng)
		if d, _, err := m.Enroll(ctx, Probe{Image: card, Document: true}); err == nil {
			asDoc[f] = d.Vector
		} else {
			noFaceDoc++
		}
		if d, _, err := m.Enroll(ctx, Probe{Image: card}); err == nil {
			asSelfie[f] = d.Vector
		} else {
			noFaceSelfie++
		}
	}
	report := func(name string, docs map[string][]float32, noFace int) float64 {
		var s []eval.Scored
		for _, p := range ps {
			score := 0.0 // no face on the card: rejected
			if d, ok := docs[p.b]; ok {
				score = DefaultCalibration().Similarity(Cosine(selfie[p.a], d))
			}
			s = append(s, eval.Scored{Score: score, Positive: p.same})
		}
		best, _, err := eval.BestAccuracy(s)
		require.NoError(t, err)
		auc, err := eval.AUC(s)
		require.NoError(t, err)
		c := eval.ConfusionAt(s, DefaultThreshold)
		t.Logf("%-14s no face on %d of %d cards; best accuracy %.4f, AUC %.4f; at %.2f accuracy %.4f, FAR %.4f, FRR %.4f",
			name, noFace, len(files), best, auc, DefaultThreshold, float64(c.TP+c.TN)/float64(len(s)),
			float64(c.FP)/float64(c.FP+c.TN), float64(c.FN)/float64(c.FN+c.TP))
		return best
	}
	plain := report("selfie path", asSelfie, noFaceSelfie)
	doc := report("document path", asDoc, noFaceDoc)
	assert.Greater(t, doc, plain)
	assert.GreaterOrEqual(t, doc, 0.96)
}
