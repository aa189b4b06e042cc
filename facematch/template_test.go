package facematch

import (
	"context"
	"encoding/json"
	"image"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
)

func unitVector(dim int, seed float64) []float32 {
	v := make([]float32, dim)
	for i := range v {
		v[i] = float32(math.Sin(seed + float64(i)*0.7))
	}
	if err := normalize(v); err != nil {
		panic(err)
	}
	return v
}

func testEmbedding() Embedding {
	return Embedding{Model: ModelID{Name: "fr_feature", Version: "test@1+abc+p1", Dim: 8}, Vector: unitVector(8, 1)}
}

func TestTemplateRoundTrip(t *testing.T) {
	e := testEmbedding()
	b, err := e.MarshalBinary()
	require.NoError(t, err)
	got, err := ParseTemplate(b)
	require.NoError(t, err)
	assert.Equal(t, e, got)

	text, err := e.MarshalText()
	require.NoError(t, err)
	var back Embedding
	require.NoError(t, back.UnmarshalText(text))
	assert.Equal(t, e, back)

	// In JSON it is a string.
	j, err := json.Marshal(struct{ T Embedding }{e})
	require.NoError(t, err)
	var s struct{ T Embedding }
	require.NoError(t, json.Unmarshal(j, &s))
	assert.Equal(t, e, s.T)
}

func TestTemplateRejectsDamage(t *testing.T) {
	good, err := testEmbedding().MarshalBinary()
	require.NoError(t, err)
	flip := func(i int) []byte {
		b := append([]byte(nil), good...)
		b[i] ^= 0x10
		return b
	}
	notUnit := testEmbedding()
	notUnit.Vector[0] += 0.5
	notUnitBytes := func() []byte {
		// Build a template with a valid checksum around a non-unit vector.
		b, err := notUnit.MarshalBinary()
		require.NoError(t, err)
		return b
	}()
	for name, data := range map[string][]byte{
		"empty":           nil,
		"magic only":      []byte("IDKT"),
		"wrong magic":     append([]byte("XXXX"), good[4:]...),
		"truncated":       good[:len(good)-5],
		"extra byte":      append(append([]byte(nil), good...), 0),
		"version":         flip(4),
		"name bit flip":   flip(7),
		"vector bit flip": flip(len(good) - 10),
		"checksum":        flip(len(good) - 1),
		"not unit":        notUnitBytes,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseTemplate(data)
			require.ErrorIs(t, err, ErrTemplate)
		})
	}
}

func TestTemplateMarshalRefusesBadEmbedding(t *testing.T) {
	e := testEmbedding()
	e.Model.Dim = 9
	_, err := e.MarshalBinary()
	require.Error(t, err)
	_, err = (Embedding{}).MarshalBinary()
	require.Error(t, err)
}

// An Embedding made by hand (or read from a store without ParseTemplate)
// whose vector is not finite or not unit length is refused, not compared:
// Cosine clamps to ±1, so it would otherwise be a perfect match.
func TestCompareRefusesBadVectors(t *testing.T) {
	det := face.DetectorFunc(func(context.Context, image.Image) ([]face.Face, error) { return nil, nil })
	m, err := New(Config{Detector: det, Embedder: modelEmbedder{testEmbedding().Model}})
	require.NoError(t, err)
	good := testEmbedding()
	_, err = m.CompareTemplates(good, good)
	require.NoError(t, err)
	for name, v := range map[string]float32{"inf": float32(math.Inf(1)), "nan": float32(math.NaN()), "overlong": 1e30} {
		bad := testEmbedding()
		bad.Vector[0] = v
		r, err := m.CompareTemplates(good, bad)
		assert.ErrorIs(t, err, ErrTemplate, name)
		assert.False(t, r.Match, name)
		_, err = m.CompareTemplates(bad, good)
		assert.ErrorIs(t, err, ErrTemplate, name)
	}
	assert.True(t, math.IsNaN(Cosine([]float32{float32(math.Inf(1))}, []float32{1})))
}

func TestCompatible(t *testing.T) {
	a := testEmbedding()
	b := testEmbedding()
	require.NoError(t, Compatible(a, b))
	b.Model.Version = "test@2+def+p1"
	err := Compatible(a, b)
	require.ErrorIs(t, err, ErrModelMismatch)
	var me *ModelMismatchError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, a.Model, me.Want)
	assert.Equal(t, b.Model, me.Got)
}

func FuzzParseTemplate(f *testing.F) {
	good, err := testEmbedding().MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("IDKT"))
	f.Add([]byte("IDKT\x01\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add(good[:20])
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ParseTemplate(data)
		if err != nil {
			require.ErrorIs(t, err, ErrTemplate)
			return
		}
		// Whatever parses must survive a round trip unchanged.
		again, err := e.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, data, again)
	})
}

// A fused template keeps its raw face-api part; only the MobileFaceNet
// part must be unit length, and the length must be the network's.
func TestFusedTemplate(t *testing.T) {
	v := append(unitVector(fusedMFNDim, 2), make([]float32, fusedFaceAPIDim)...)
	for i := fusedMFNDim; i < len(v); i++ {
		v[i] = 0.09 * float32(i%7)
	}
	e := Embedding{Model: ModelID{Name: string(MobileFaceNetFaceAPI), Version: "t", Dim: len(v)}, Vector: v}
	b, err := e.MarshalBinary()
	require.NoError(t, err)
	got, err := ParseTemplate(b)
	require.NoError(t, err)
	assert.Equal(t, e, got)

	bad := e
	bad.Vector = append([]float32(nil), v...)
	bad.Vector[3] += 0.5
	b, err = bad.MarshalBinary()
	require.NoError(t, err)
	_, err = ParseTemplate(b)
	require.ErrorIs(t, err, ErrTemplate, "the MobileFaceNet part is not unit length")

	short := Embedding{Model: ModelID{Name: string(MobileFaceNetFaceAPI), Version: "t", Dim: fusedMFNDim}, Vector: unitVector(fusedMFNDim, 2)}
	b, err = short.MarshalBinary()
	require.NoError(t, err)
	_, err = ParseTemplate(b)
	require.ErrorIs(t, err, ErrTemplate, "a fused vector without its face-api part")
}
