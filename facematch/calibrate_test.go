package facematch

import (
	"context"
	"image"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
)

func TestDefaultCalibrationIsValid(t *testing.T) {
	c := DefaultCalibration()
	require.NoError(t, c.Validate())
	// Monotone, 0–1, and invertible across the whole range.
	prev := -1.0
	for cos := -1.0; cos <= 1.0; cos += 0.001 {
		s := c.Similarity(cos)
		require.GreaterOrEqual(t, s, prev)
		require.True(t, s >= 0 && s <= 1)
		assert.InDelta(t, cos, c.Cosine(s), 1e-9)
		prev = s
	}
	assert.Equal(t, 0.0, c.Similarity(-5))
	assert.Equal(t, 1.0, c.Similarity(5))
	assert.True(t, math.IsNaN(c.Similarity(math.NaN())))
}

func TestCalibrationValidate(t *testing.T) {
	for name, k := range map[string][]Knot{
		"too few":        {{-1, 0}},
		"bad start":      {{-0.5, 0}, {1, 1}},
		"bad end":        {{-1, 0}, {1, 0.9}},
		"not increasing": {{-1, 0}, {0.3, 0.6}, {0.2, 0.7}, {1, 1}},
		"flat":           {{-1, 0}, {0.3, 0.6}, {0.4, 0.6}, {1, 1}},
	} {
		t.Run(name, func(t *testing.T) {
			require.ErrorIs(t, Calibration{Knots: k}.Validate(), ErrCalibration)
		})
	}
}

func TestFitCalibration(t *testing.T) {
	// 1,000 impostor cosines evenly spread over [0, 0.999].
	imp := make([]float64, 1000)
	for i := range imp {
		imp[i] = float64(i) / 1000
	}
	c, err := FitCalibration(imp, []Anchor{{FAR: 0.5, Similarity: 0.25}, {FAR: 0.01, Similarity: 0.75}})
	require.NoError(t, err)
	require.Len(t, c.Knots, 4)
	assert.InDelta(t, 0.4995, c.Knots[1].Cosine, 1e-9)
	assert.InDelta(t, 0.98901, c.Knots[2].Cosine, 1e-5)
	// A threshold of 0.75 accepts about 1% of the impostors.
	accepted := 0
	for _, x := range imp {
		if c.Similarity(x) >= 0.75 {
			accepted++
		}
	}
	assert.InDelta(t, 10, accepted, 1)

	_, err = FitCalibration(imp, []Anchor{{FAR: 1e-4, Similarity: 0.9}})
	require.ErrorIs(t, err, ErrCalibration, "FAR too small to measure on 1,000 scores")
	_, err = FitCalibration(nil, []Anchor{{FAR: 0.1, Similarity: 0.5}})
	require.ErrorIs(t, err, ErrCalibration)
	_, err = FitCalibration(imp, []Anchor{{FAR: 0.01, Similarity: 0.5}, {FAR: 0.1, Similarity: 0.75}})
	require.ErrorIs(t, err, ErrCalibration, "anchors out of order")
	_, err = FitCalibration(append(slices.Clone(imp), math.NaN()), []Anchor{{FAR: 0.5, Similarity: 0.25}})
	require.ErrorIs(t, err, ErrCalibration, "a NaN score would shift every knot")
}

// A Matcher that loads its own embedder (no Config.Embedder) maps that
// network's scores with that network's calibration: the default network's
// when Network is unset, as for workflow/local's Matcher.
func TestOwnEmbedderCalibration(t *testing.T) {
	m := newMatcher(t, Config{})
	assert.Equal(t, DefaultCalibration(), m.Calibration())
	id, ok := m.Model()
	require.True(t, ok)
	assert.Equal(t, string(DefaultNetwork), id.Name)
	m = newMatcher(t, Config{Network: MobileFaceNet})
	mfn, _ := NetworkCalibration(MobileFaceNet)
	assert.Equal(t, mfn, m.Calibration())
}

func TestNetworkCalibration(t *testing.T) {
	mfn, err := NetworkCalibration(MobileFaceNet)
	require.NoError(t, err)
	fr, err := NetworkCalibration(FrFeature)
	require.NoError(t, err)
	fused, err := NetworkCalibration(MobileFaceNetFaceAPI)
	require.NoError(t, err)
	def, err := NetworkCalibration("")
	require.NoError(t, err)
	assert.Equal(t, fused, def, "the empty network is the default one")
	assert.Equal(t, fused, DefaultCalibration())
	require.NoError(t, mfn.Validate())
	require.NoError(t, fr.Validate())
	require.NoError(t, fused.Validate())
	assert.InDelta(t, 0.3482, fused.Cosine(DefaultThreshold), 1e-4)
	// Each map puts the default threshold at its own network's cosine for
	// FAR 0.5% on LFW fold 3 (calib_default.go).
	assert.InDelta(t, 0.3777, mfn.Cosine(DefaultThreshold), 1e-4)
	assert.InDelta(t, 0.2744, fr.Cosine(DefaultThreshold), 1e-4)
	_, err = NetworkCalibration("nope")
	assert.ErrorIs(t, err, ErrNetwork)
}

// modelEmbedder is an Embedder that reports its model, as ONNXEmbedder does.
type modelEmbedder struct{ id ModelID }

func (e modelEmbedder) Embed(context.Context, image.Image) (Embedding, error) {
	return Embedding{Model: e.id, Vector: []float32{1}}, nil
}
func (e modelEmbedder) Model() ModelID { return e.id }

// TestCalibrationFollowsTheEmbedder: a Matcher given an fr_feature
// embedder uses fr_feature's calibration without being told, and refuses a
// Network that says otherwise.
func TestCalibrationFollowsTheEmbedder(t *testing.T) {
	det := face.DetectorFunc(func(context.Context, image.Image) ([]face.Face, error) { return nil, nil })
	fr := modelEmbedder{ModelID{Name: string(FrFeature), Version: "x", Dim: 1}}
	m, err := New(Config{Detector: det, Embedder: fr})
	require.NoError(t, err)
	want, _ := NetworkCalibration(FrFeature)
	assert.Equal(t, want, m.Calibration())

	_, err = New(Config{Detector: det, Embedder: fr, Network: MobileFaceNet})
	assert.ErrorIs(t, err, ErrNetwork)

	// An embedder of an unknown model keeps Config.Network's map.
	other := modelEmbedder{ModelID{Name: "custom", Version: "1", Dim: 1}}
	m, err = New(Config{Detector: det, Embedder: other, Network: FrFeature})
	require.NoError(t, err)
	assert.Equal(t, want, m.Calibration())

	// Without Network it gets MobileFaceNet's map, not the fused default's:
	// its scores are plain cosines.
	mfn, _ := NetworkCalibration(MobileFaceNet)
	m, err = New(Config{Detector: det, Embedder: other})
	require.NoError(t, err)
	assert.Equal(t, mfn, m.Calibration())
	m, err = New(Config{Detector: det, Embedder: EmbedderFunc(other.Embed)})
	require.NoError(t, err)
	assert.Equal(t, mfn, m.Calibration(), "nor when the embedder reports no model")

	// A fused embedder is recognised.
	fused := modelEmbedder{ModelID{Name: string(MobileFaceNetFaceAPI), Version: "x", Dim: 320}}
	m, err = New(Config{Detector: det, Embedder: fused})
	require.NoError(t, err)
	assert.Equal(t, DefaultCalibration(), m.Calibration())
}

func TestNewONNXUnknownNetwork(t *testing.T) {
	_, err := NewONNX(ONNXConfig{Network: "nope"})
	assert.ErrorIs(t, err, ErrNetwork)
}
