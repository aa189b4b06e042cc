package facematch

import (
	"context"
	"encoding/csv"
	"math"
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
	for _, n := range []Network{MobileFaceNet, FrFeature, MobileFaceNetFaceAPI} {
		t.Run(string(n), func(t *testing.T) { measureCalibration(t, n) })
	}
}

func measureCalibration(t *testing.T, n Network) {
	dir, ps := lfw(t)
	byFold := lfwImages(ps)
	emb := enrollLFW(t, newMatcher(t, Config{Network: n}), dir, byFold)
	identity := func(f string) string { return filepath.Base(filepath.Dir(f)) }
	allPairs := func(files []string) (gen, imp []float64) {
		for i := range files {
			for j := i + 1; j < len(files); j++ {
				c := Score(emb[files[i]], emb[files[j]])
				if identity(files[i]) == identity(files[j]) {
					gen = append(gen, c)
				} else {
					imp = append(imp, c)
				}
			}
		}
		return gen, imp
	}
	if n == MobileFaceNetFaceAPI {
		logFusedMoments(t, byFold[3], emb, identity)
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
			s = append(s, eval.Scored{Score: def.Similarity(Score(emb[p.a], emb[p.b])), Positive: p.same})
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
	for _, n := range []Network{MobileFaceNet, MobileFaceNetFaceAPI} {
		t.Run(string(n), func(t *testing.T) { measureDocuments(t, n) })
	}
}

func measureDocuments(t *testing.T, n Network) {
	dir, ps := lfw(t)
	m := newMatcher(t, Config{Network: n})
	ctx := context.Background()
	selfie := map[string]Embedding{}
	asDoc := map[string]Embedding{}
	asSelfie := map[string]Embedding{}
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
		selfie[f] = e
		// A card between a good capture and a poor one.
		rng := rand.New(rand.NewPCG(uint64(i), 42))
		k := rng.Float64()
		lerp := func(a, b float64) float64 { return a + (b-a)*k }
		card := simulateDocument(img, info.Box, docSim{
			FaceSide: int(lerp(150, 90)), Quality: int(lerp(80, 45)), Period: lerp(1.4, 2.4),
			Glare: lerp(0.3, 0.65), Guilloche: lerp(0.12, 0.28), Noise: lerp(2, 6),
		}, rng)
		if d, _, err := m.Enroll(ctx, Probe{Image: card, Document: true}); err == nil {
			asDoc[f] = d
		} else {
			noFaceDoc++
		}
		if d, _, err := m.Enroll(ctx, Probe{Image: card}); err == nil {
			asSelfie[f] = d
		} else {
			noFaceSelfie++
		}
	}
	report := func(name string, docs map[string]Embedding, noFace int) float64 {
		var s []eval.Scored
		for _, p := range ps {
			score := 0.0 // no face on the card: rejected
			if d, ok := docs[p.b]; ok {
				score = m.Calibration().Similarity(Score(selfie[p.a], d))
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

// logFusedMoments logs the mean and standard deviation of the two parts of
// MobileFaceNetFaceAPI's score over the different-person pairs of the
// files: the constants of fused.go.
func logFusedMoments(t *testing.T, files []string, emb map[string]Embedding, identity func(string) string) {
	var cs, ds []float64
	for i := range files {
		for j := i + 1; j < len(files); j++ {
			if identity(files[i]) == identity(files[j]) {
				continue
			}
			c, d := fusedParts(emb[files[i]].Vector, emb[files[j]].Vector)
			cs, ds = append(cs, c), append(ds, d)
		}
	}
	moments := func(v []float64) (float64, float64) {
		var m, q float64
		for _, x := range v {
			m += x / float64(len(v))
		}
		for _, x := range v {
			q += (x - m) * (x - m) / float64(len(v)-1)
		}
		return m, math.Sqrt(q)
	}
	mc, sc := moments(cs)
	md, sd := moments(ds)
	t.Logf("fused moments over %d different-person pairs: cosine mean %.5f sd %.5f; -distance mean %.5f sd %.5f", len(cs), mc, sc, md, sd)
	assert.InDelta(t, fusedCosMean, mc, 0.002)
	assert.InDelta(t, fusedCosSD, sc, 0.002)
	assert.InDelta(t, fusedDstMean, md, 0.002)
	assert.InDelta(t, fusedDstSD, sd, 0.002)
}

// TestMeasureFusedWeight sweeps MobileFaceNetFaceAPI's weight with the
// moments of fused.go: the best accuracy of fold 3's listed pairs (where
// the weight is chosen), fold 4 at fold 3's best threshold, and all pairs'
// best accuracy, AUC and TAR at FAR 1%.
func TestMeasureFusedWeight(t *testing.T) {
	dir, ps := lfw(t)
	emb := enrollLFW(t, newMatcher(t, Config{Network: MobileFaceNetFaceAPI}), dir, lfwImages(ps))
	score := func(w float64, a, b []float32) float64 {
		c, d := fusedParts(a, b)
		return w*(c-fusedCosMean)/fusedCosSD + (1-w)*(d-fusedDstMean)/fusedDstSD
	}
	for _, w := range []float64{0, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 1} {
		var f3, f4, all []eval.Scored
		for _, p := range ps {
			s := eval.Scored{Score: score(w, emb[p.a].Vector, emb[p.b].Vector), Positive: p.same}
			all = append(all, s)
			if p.fold == 3 {
				f3 = append(f3, s)
			} else {
				f4 = append(f4, s)
			}
		}
		b3, t3, err := eval.BestAccuracy(f3)
		require.NoError(t, err)
		auc3, err := eval.AUC(f3)
		require.NoError(t, err)
		eer3, _, err := eval.EER(f3)
		require.NoError(t, err)
		a4, err := eval.Accuracy(f4, t3)
		require.NoError(t, err)
		ba, _, err := eval.BestAccuracy(all)
		require.NoError(t, err)
		auc, err := eval.AUC(all)
		require.NoError(t, err)
		tar, err := eval.TARAtFAR(all, 0.01)
		require.NoError(t, err)
		t.Logf("w %.2f: fold 3 best %.4f AUC %.5f EER %.4f; fold 4 at its threshold %.4f; all best %.4f (%d errors) AUC %.4f TAR@FAR1%% %+v",
			w, b3, auc3, eer3, a4, ba, int(math.Round((1-ba)*float64(len(all)))), auc, tar)
	}
}

// enrollLFW enrolls every image of the folds once with m.
func enrollLFW(t *testing.T, m *Matcher, dir string, byFold map[int][]string) map[string]Embedding {
	emb := map[string]Embedding{}
	for _, files := range byFold {
		for _, f := range files {
			img, _, err := imageio.ReadFile(filepath.Join(dir, f), imageio.Limits{})
			require.NoError(t, err)
			e, _, err := m.Enroll(context.Background(), Probe{Image: img})
			require.NoError(t, err, f)
			emb[f] = e
		}
	}
	return emb
}
