package liveness

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"image"

	"github.com/idkit-dev/idkit/eval"
	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/internal/testenv"
	"github.com/idkit-dev/idkit/models/convert"
	"github.com/idkit-dev/idkit/models/convert/faceapi"
)

// TestMeasureSmileModels compares the two expression models on faces of
// ../shared/eval-dev/age judged by eye as plainly smilingFaces or plainly
// neutralFaces (the lists below; faces whose expression was in doubt were left
// out). Run with IDKIT_MEASURE=1.
func TestMeasureSmileModels(t *testing.T) {
	if os.Getenv("IDKIT_MEASURE") != "1" {
		t.Skip("set IDKIT_MEASURE=1 to compare the expression models")
	}
	dir := filepath.Join(testenv.EvalDev(t, "age"), "images")
	c := modeltest.Cache(t, "fr_detect", "fr_landmark", "fr_expression")
	a, err := faceonnx.New(faceonnx.Config{Models: c})
	require.NoError(t, err)
	defer a.Close()
	fr, err := onnx.Load(c, "fr_expression", onnx.Options{})
	require.NoError(t, err)
	defer fr.Close()
	fa, err := onnx.Load(convert.Open(c.Dir(), faceapi.Expression()), faceapi.ExpressionName, onnx.Options{})
	require.NoError(t, err)
	defer fa.Close()

	type model struct {
		name  string
		score func(img *image.RGBA, b face.Box) (float64, error)
		s     []eval.Scored
		took  []time.Duration
	}
	ms := []*model{
		{name: "fr_expression", score: func(img *image.RGBA, b face.Box) (float64, error) { return smileProb(fr, img, b) }},
		{name: "faceapi_expression", score: func(img *image.RGBA, b face.Box) (float64, error) { return faceAPISmileProb(fa, img, b) }},
	}
	for _, set := range []struct {
		files []string
		smile bool
	}{{smilingFaces, true}, {neutralFaces, false}} {
		for _, f := range set.files {
			img, _, err := imageio.ReadFile(filepath.Join(dir, f), imageio.Limits{})
			require.NoError(t, err, f)
			faces, err := a.Detect(t.Context(), img)
			require.NoError(t, err, f)
			require.NotEmpty(t, faces, f)
			for _, m := range ms {
				t0 := time.Now()
				p, err := m.score(img, faces[0].Box)
				m.took = append(m.took, time.Since(t0))
				require.NoError(t, err, f)
				m.s = append(m.s, eval.Scored{Score: p, Positive: set.smile})
			}
		}
	}
	lim := DefaultActiveLimits()
	for _, m := range ms {
		auc, err := eval.AUC(m.s)
		require.NoError(t, err)
		var onMissed, offMissed int
		minSmile, maxNeutral := math.Inf(1), math.Inf(-1)
		for _, s := range m.s {
			if s.Positive {
				minSmile = math.Min(minSmile, s.Score)
				if s.Score < lim.SmileOn {
					onMissed++
				}
			} else {
				maxNeutral = math.Max(maxNeutral, s.Score)
				if s.Score > lim.SmileOff {
					offMissed++
				}
			}
		}
		var sm, ne []float64
		for _, s := range m.s {
			if s.Positive {
				sm = append(sm, s.Score)
			} else {
				ne = append(ne, s.Score)
			}
		}
		slices.Sort(sm)
		slices.Sort(ne)
		t.Logf("%s smiling (lowest 8): %.3f", m.name, sm[:8])
		t.Logf("%s neutral (highest 8): %.3f", m.name, ne[len(ne)-8:])
		slices.Sort(m.took)
		t.Logf("%-18s AUC %.3f; smiles below SmileOn %.2f: %d of %d (lowest %.3f); neutral faces above SmileOff %.2f: %d of %d (highest %.3f); median %v",
			m.name, auc, lim.SmileOn, onMissed, len(smilingFaces), minSmile, lim.SmileOff, offMissed, len(neutralFaces), maxNeutral, m.took[len(m.took)/2])
	}
}

// faceAPISmileProb runs face-api.js's expression net on the detector's box
// (face-api.js feeds it its own detector's box the same way: the crop padded
// to a square and resized to 112x112, RGB 0..255) and returns P(happy).
func faceAPISmileProb(s *onnx.Session, img *image.RGBA, b face.Box) (float64, error) {
	r := image.Rect(int(math.Floor(b.X1)), int(math.Floor(b.Y1)), int(math.Ceil(b.X2)), int(math.Ceil(b.Y2))).Intersect(img.Rect)
	if r.Empty() {
		return 0, fmt.Errorf("face box outside the image")
	}
	const n = faceapi.ExpressionSize
	out, err := s.Run(onnx.Tensor{Shape: []int64{1, n, n, 3}, Data: faceapi.Preprocess(img.SubImage(r), n)})
	if err != nil {
		return 0, err
	}
	if len(out) != 1 || len(out[0].Data) != len(faceapi.ExpressionLabels) {
		return 0, fmt.Errorf("unexpected output")
	}
	return float64(out[0].Data[1]), nil // "happy"
}

// Judged by eye on contact sheets of the first 48 files of 20*.jpg and 4*.jpg.
var smilingFaces = []string{
	"20_1_0_20170103163040136.jpg", "20_1_0_20170105183741919.jpg", "20_1_0_20170105184054896.jpg",
	"20_1_0_20170109213459975.jpg", "20_1_3_20170104222019511.jpg", "20_1_3_20170104222034231.jpg",
	"20_1_4_20161223230110540.jpg", "20_1_4_20170104005353062.jpg", "20_1_4_20170105183316775.jpg",
	"21_0_2_20170103234754659.jpg", "21_0_3_20170104225749698.jpg", "21_0_4_20161223214827816.jpg",
	"21_1_2_20170103180145808.jpg", "21_1_2_20170104021952837.jpg", "21_1_2_20170105002530429.jpg",
	"21_1_3_20170104222105822.jpg", "21_1_4_20170103223204087.jpg", "21_1_4_20170103223237335.jpg",
	"22_1_0_20170109213850161.jpg", "22_1_1_20170103175340561.jpg", "22_1_1_20170105183837056.jpg",
	"22_1_2_20170104022012028.jpg", "22_1_2_20170108224643996.jpg", "22_1_3_20161220221656537.jpg",
	"40_0_0_20170104201002201.jpg", "40_0_4_20170104200459608.jpg", "40_0_4_20170104201550378.jpg",
	"40_1_0_20170104185155934.jpg", "41_0_2_20170104211935428.jpg", "41_1_0_20170104234815241.jpg",
	"41_1_3_20170105001059203.jpg", "42_0_0_20170104172830274.jpg", "43_0_0_20170104210240958.jpg",
	"43_0_3_20170104204432075.jpg", "43_0_3_20170109015557169.jpg", "43_1_0_20170105173021381.jpg",
	"43_1_1_20170110120856819.jpg", "44_0_0_20170109002148152.jpg", "44_1_0_20170104171556786.jpg",
	"44_1_0_20170104211529444.jpg", "45_0_0_20170104181613885.jpg", "46_0_0_20170104205306203.jpg",
	"46_0_2_20170104205205795.jpg", "47_0_0_20170104210353956.jpg", "47_1_0_20170110123140034.jpg",
}

var neutralFaces = []string{
	"20_1_0_20170104005910664.jpg", "20_1_0_20170105002441599.jpg", "20_1_2_20170104020820934.jpg",
	"20_1_2_20170104021544485.jpg", "20_1_3_20170104231528577.jpg", "20_1_4_20170103233719339.jpg",
	"21_0_0_20170103234805676.jpg", "21_0_0_20170104230103695.jpg", "21_1_0_20170109214656355.jpg",
	"21_1_1_20170103223257503.jpg", "21_1_3_20170104222056815.jpg", "21_1_4_20170103233532676.jpg",
	"22_0_1_20170102233341092.jpg", "22_0_4_20170103234043547.jpg", "40_0_4_20170104210123901.jpg",
	"41_0_0_20170104173044203.jpg", "42_0_2_20170109012231207.jpg", "44_0_2_20170107213715065.jpg",
	"44_1_0_20170104235328961.jpg", "45_0_0_20170104002123472.jpg", "46_1_2_20170109011159798.jpg",
	"47_0_0_20170109003435287.jpg", "47_0_1_20170109001703779.jpg",
}
