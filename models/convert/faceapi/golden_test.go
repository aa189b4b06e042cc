package faceapi

import (
	"encoding/json"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
)

// Tolerances of the converted models against the original face-api.js nets
// (TF.js 4.22 WebAssembly backend, tools/faceapi-golden), as max absolute
// difference per output value. Both sides compute in float32 with different
// summation orders, so outputs differ by a few float32 ulps of their
// magnitude: measured on the golden inputs, age 1.9e-5 years, gender 1.2e-7,
// descriptor 3.0e-7, landmarks 1.2e-7. The tolerances leave 5-30x room for
// other CPUs' kernels (ONNX Runtime picks AVX2/AVX-512 paths at run time).
const (
	tolAge        = 1e-4 // years; ages run to 90
	tolGender     = 1e-5 // probability
	tolDescriptor = 1e-5
	tolLandmarks  = 1e-5 // fraction of the input side
	tolExpression = 1e-5 // probability
	// Preprocess reproduces TF.js's pad + resizeBilinear bit for bit.
	tolPreprocess = 0.0 // pixel value 0..255
)

type prediction struct {
	Age               float64 `json:"age"`
	Gender            string  `json:"gender"`
	GenderProbability float64 `json:"genderProbability"`
}

type golden struct {
	FaceAPI string            `json:"face_api"`
	TFJS    string            `json:"tfjs"`
	Backend string            `json:"backend"`
	Weights map[string]string `json:"weights"`
	Cases   []struct {
		Name      string `json:"name"`
		Input112  string `json:"input112"`
		Input150  string `json:"input150"`
		AgeGender struct {
			Age        []float32  `json:"age"`
			Gender     []float32  `json:"gender"`
			Prediction prediction `json:"prediction"`
		} `json:"age_gender"`
		Recognition struct {
			Descriptor []float32 `json:"descriptor"`
		} `json:"recognition"`
		Landmark68 struct {
			Landmarks []float32 `json:"landmarks"`
		} `json:"landmark68"`
		Expression struct {
			Expressions []float32 `json:"expressions"`
		} `json:"expression"`
	} `json:"cases"`
	Preprocess []struct {
		Name        string     `json:"name"`
		Crop        string     `json:"crop"`
		Size        int        `json:"size"`
		SampleEvery int        `json:"sample_every"`
		Samples     []float32  `json:"samples"`
		AgeGender   prediction `json:"age_gender"`
	} `json:"preprocess"`
}

func loadGolden(t testing.TB) golden {
	t.Helper()
	data, err := os.ReadFile(modeltest.Testdata(t, "faceapi-golden", "golden.json"))
	require.NoError(t, err)
	var g golden
	require.NoError(t, json.Unmarshal(data, &g))
	require.Equal(t, "1.7.15", g.FaceAPI)
	require.Equal(t, "wasm", g.Backend)
	require.NotEmpty(t, g.Cases)
	// The golden outputs must come from the very weights we convert.
	m := models.DefaultManifest()
	for _, a := range m.Assets {
		if a.NPM == "@vladmandic/face-api" {
			require.Equal(t, a.SHA256, g.Weights[filepath.Base(a.Path)], "golden.json was made from other weights than %s", a.Name)
		}
	}
	return g
}

func readPNG(t testing.TB, rel string) image.Image {
	t.Helper()
	f, err := os.Open(modeltest.Testdata(t, "faceapi-golden", rel))
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	return img
}

// pixels returns a square PNG's RGB values as a [1,s,s,3] tensor, with no
// resampling: the golden inputs are already at the model's size.
func pixels(t testing.TB, rel string, size int) onnx.Tensor {
	t.Helper()
	img := readPNG(t, rel)
	require.Equal(t, image.Rect(0, 0, size, size), img.Bounds(), rel)
	in := Preprocess(img, size)
	for _, v := range in {
		require.Equal(t, float32(math.Round(float64(v))), v, "an unscaled PNG must give whole pixel values")
	}
	return onnx.Tensor{Shape: []int64{1, int64(size), int64(size), 3}, Data: in}
}

// session builds m from the installed sources into a temporary file and
// loads it.
func session(t testing.TB, m convert.Model) *onnx.Session {
	t.Helper()
	c := modeltest.Cache(t, m.Sources...)
	require.NoError(t, onnx.InitFromCache(c))
	data, err := m.Build(c)
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), filepath.Base(m.File))
	require.NoError(t, os.WriteFile(p, data, 0o644))
	s, err := onnx.NewSession(p, onnx.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func maxAbsDiff(t testing.TB, want, got []float32) float64 {
	t.Helper()
	require.Len(t, got, len(want))
	d := 0.0
	for i := range want {
		d = max(d, math.Abs(float64(want[i])-float64(got[i])))
	}
	return d
}

func run(t testing.TB, s *onnx.Session, in onnx.Tensor) map[string]onnx.Tensor {
	t.Helper()
	out, err := s.Run(in)
	require.NoError(t, err)
	res := map[string]onnx.Tensor{}
	for i, name := range s.Outputs() {
		res[name] = out[i]
	}
	return res
}

func TestGoldenAgeGender(t *testing.T) {
	g := loadGolden(t)
	s := session(t, AgeGender())
	require.Equal(t, []string{InputName}, s.Inputs())
	require.Equal(t, []string{AgeOutput, GenderOutput}, s.Outputs())
	var worstAge, worstGender float64
	for _, c := range g.Cases {
		out := run(t, s, pixels(t, c.Input112, AgeGenderSize))
		require.Equal(t, []int64{1}, out[AgeOutput].Shape)
		require.Equal(t, []int64{1, 2}, out[GenderOutput].Shape)
		dAge := maxAbsDiff(t, c.AgeGender.Age, out[AgeOutput].Data)
		dGender := maxAbsDiff(t, c.AgeGender.Gender, out[GenderOutput].Data)
		require.LessOrEqual(t, dAge, tolAge, c.Name)
		require.LessOrEqual(t, dGender, tolGender, c.Name)
		// face-api.js's own prediction is the same numbers.
		require.InDelta(t, c.AgeGender.Prediction.Age, float64(out[AgeOutput].Data[0]), tolAge, c.Name)
		male := out[GenderOutput].Data[0] > 0.5
		require.Equal(t, c.AgeGender.Prediction.Gender == "male", male, c.Name)
		worstAge, worstGender = max(worstAge, dAge), max(worstGender, dGender)
	}
	t.Logf("max |Δ| over %d inputs: age %.3g years, gender %.3g", len(g.Cases), worstAge, worstGender)
}

func TestGoldenRecognition(t *testing.T) {
	g := loadGolden(t)
	s := session(t, Recognition())
	require.Equal(t, []string{DescriptorOutput}, s.Outputs())
	var worst float64
	for _, c := range g.Cases {
		out := run(t, s, pixels(t, c.Input150, RecognitionSize))
		require.Equal(t, []int64{1, 128}, out[DescriptorOutput].Shape)
		d := maxAbsDiff(t, c.Recognition.Descriptor, out[DescriptorOutput].Data)
		require.LessOrEqual(t, d, tolDescriptor, c.Name)
		worst = max(worst, d)
	}
	t.Logf("max |Δ| over %d inputs: descriptor %.3g", len(g.Cases), worst)
}

func TestGoldenLandmark68(t *testing.T) {
	g := loadGolden(t)
	s := session(t, Landmark68())
	require.Equal(t, []string{LandmarksOutput}, s.Outputs())
	var worst float64
	for _, c := range g.Cases {
		out := run(t, s, pixels(t, c.Input112, Landmark68Size))
		require.Equal(t, []int64{1, 136}, out[LandmarksOutput].Shape)
		d := maxAbsDiff(t, c.Landmark68.Landmarks, out[LandmarksOutput].Data)
		require.LessOrEqual(t, d, tolLandmarks, c.Name)
		worst = max(worst, d)
	}
	t.Logf("max |Δ| over %d inputs: landmarks %.3g", len(g.Cases), worst)
}

func TestGoldenExpression(t *testing.T) {
	g := loadGolden(t)
	s := session(t, Expression())
	require.Equal(t, []string{ExpressionOutput}, s.Outputs())
	var worst float64
	for _, c := range g.Cases {
		require.Len(t, c.Expression.Expressions, len(ExpressionLabels), c.Name)
		out := run(t, s, pixels(t, c.Input112, ExpressionSize))
		require.Equal(t, []int64{1, int64(len(ExpressionLabels))}, out[ExpressionOutput].Shape)
		d := maxAbsDiff(t, c.Expression.Expressions, out[ExpressionOutput].Data)
		require.LessOrEqual(t, d, tolExpression, c.Name)
		worst = max(worst, d)
	}
	t.Logf("max |Δ| over %d inputs: expression probabilities %.3g", len(g.Cases), worst)
}

// TestGoldenPreprocess checks Preprocess against face-api.js's own padding
// and resizing of rectangular crops, and the whole path (Preprocess, then
// the converted net) against face-api.js's predictAgeAndGender.
func TestGoldenPreprocess(t *testing.T) {
	g := loadGolden(t)
	require.NotEmpty(t, g.Preprocess)
	s := session(t, AgeGender())
	var worstPix, worstAge float64
	for _, p := range g.Preprocess {
		img := readPNG(t, p.Crop)
		require.NotEqual(t, img.Bounds().Dx(), img.Bounds().Dy(), "the preprocessing cases must need padding")
		in := Preprocess(img, p.Size)
		var got []float32
		for i := 0; i < len(in); i += p.SampleEvery {
			got = append(got, in[i])
		}
		d := maxAbsDiff(t, p.Samples, got)
		require.LessOrEqual(t, d, tolPreprocess, p.Name)
		out := run(t, s, onnx.Tensor{Shape: []int64{1, int64(p.Size), int64(p.Size), 3}, Data: in})
		dAge := math.Abs(p.AgeGender.Age - float64(out[AgeOutput].Data[0]))
		require.LessOrEqual(t, dAge, tolAge, p.Name)
		worstPix, worstAge = max(worstPix, d), max(worstAge, dAge)
	}
	t.Logf("max |Δ| over %d crops: pixels %.3g, age through the whole path %.3g years", len(g.Preprocess), worstPix, worstAge)
}
