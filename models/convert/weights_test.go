package convert

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseWeightsManifest(t *testing.T) {
	tests := []struct {
		name, json string
		ok         bool
	}{
		{"valid", `[{"paths":["a.bin"],"weights":[{"name":"w","shape":[2,3],"dtype":"float32"}]}]`, true},
		{"quantized", `[{"paths":["a.bin"],"weights":[{"name":"w","shape":[2],"dtype":"float32","quantization":{"dtype":"uint8","scale":0.1,"min":-1}}]}]`, true},
		{"float16", `[{"paths":["a.bin"],"weights":[{"name":"w","shape":[2],"dtype":"float32","quantization":{"dtype":"float16"}}]}]`, true},
		{"scalar", `[{"paths":["a.bin"],"weights":[{"name":"w","shape":[],"dtype":"int32"}]}]`, true},
		{"not json", `{`, false},
		{"object", `{"paths":[]}`, false},
		{"empty", `[]`, false},
		{"no paths", `[{"paths":[],"weights":[]}]`, false},
		{"no name", `[{"paths":["a"],"weights":[{"shape":[1],"dtype":"float32"}]}]`, false},
		{"twice", `[{"paths":["a"],"weights":[{"name":"w","shape":[1],"dtype":"float32"},{"name":"w","shape":[1],"dtype":"float32"}]}]`, false},
		{"twice across groups", `[{"paths":["a"],"weights":[{"name":"w","shape":[1],"dtype":"float32"}]},{"paths":["b"],"weights":[{"name":"w","shape":[1],"dtype":"float32"}]}]`, false},
		{"string dtype", `[{"paths":["a"],"weights":[{"name":"w","shape":[1],"dtype":"string"}]}]`, false},
		{"bad quantization", `[{"paths":["a"],"weights":[{"name":"w","shape":[1],"dtype":"float32","quantization":{"dtype":"int4"}}]}]`, false},
		{"float16 of int32", `[{"paths":["a"],"weights":[{"name":"w","shape":[1],"dtype":"int32","quantization":{"dtype":"float16"}}]}]`, false},
		{"negative dim", `[{"paths":["a"],"weights":[{"name":"w","shape":[-1],"dtype":"float32"}]}]`, false},
		{"huge", `[{"paths":["a"],"weights":[{"name":"w","shape":[65536,65536],"dtype":"float32"}]}]`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := ParseWeightsManifest([]byte(tc.json))
			if tc.ok {
				require.NoError(t, err)
				require.NotEmpty(t, g)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrWeights)
		})
	}
}

func f32bytes(vs ...float32) []byte {
	b := make([]byte, 4*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}

func TestDecodeWeights(t *testing.T) {
	manifest := `[
	 {"paths":["s1.bin","s2.bin"],"weights":[
	  {"name":"f","shape":[2],"dtype":"float32"},
	  {"name":"u8","shape":[3],"dtype":"float32","quantization":{"dtype":"uint8","scale":0.005431825039433498,"min":-0.7441600304023892}},
	  {"name":"u16","shape":[2],"dtype":"float32","quantization":{"dtype":"uint16","scale":0.5,"min":-2}},
	  {"name":"h","shape":[2],"dtype":"float32","quantization":{"dtype":"float16"}}]},
	 {"paths":["s3.bin"],"weights":[
	  {"name":"i","shape":[1],"dtype":"int32"},
	  {"name":"iq","shape":[3],"dtype":"int32","quantization":{"dtype":"uint8","scale":0.5,"min":-1}}]}
	]`
	groups, err := ParseWeightsManifest([]byte(manifest))
	require.NoError(t, err)
	g1 := append(f32bytes(1.5, -2.25), 0, 137, 255) // f, then u8
	g1 = append(g1, 1, 0, 0, 1)                     // u16: 1, 256
	g1 = append(g1, 0x00, 0x3c, 0x00, 0xc0)         // h: 1.0, -2.0
	shards := map[string][]byte{
		// The group's bytes split across two shards anywhere.
		"s1.bin": g1[:5],
		"s2.bin": g1[5:],
		"s3.bin": append([]byte{0xfe, 0xff, 0xff, 0xff}, 0, 3, 5), // -2; q 0,3,5
	}
	var opened []string
	w, err := DecodeWeights(groups, func(p string) ([]byte, error) {
		opened = append(opened, p)
		return shards[p], nil
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"s1.bin", "s2.bin", "s3.bin"}, opened, "shards are read in manifest order")
	assert.Equal(t, []string{"f", "u8", "u16", "h", "i", "iq"}, w.Names())

	f, err := w.Get("f", 2)
	require.NoError(t, err)
	assert.Equal(t, []float32{1.5, -2.25}, f.Float)

	// TF.js computes q*scale+min in float64 and stores it into a Float32Array.
	u8, err := w.Get("u8")
	require.NoError(t, err)
	for i, q := range []float64{0, 137, 255} {
		assert.Equal(t, float32(q*0.005431825039433498+-0.7441600304023892), u8.Float[i])
	}
	u16, err := w.Get("u16")
	require.NoError(t, err)
	assert.Equal(t, []float32{-1.5, 126}, u16.Float)
	h, err := w.Get("h")
	require.NoError(t, err)
	assert.Equal(t, []float32{1, -2}, h.Float)

	_, err = w.Get("i")
	assert.ErrorIs(t, err, ErrWeights, "int32 weights are not float")
	// Math.round(q*0.5-1): -1, 0.5 → 1 (halves round up), 1.5 → 2.
	assert.Equal(t, []int32{-1, 1, 2}, w.byName["iq"].Int)
	assert.Equal(t, []int32{-2}, w.byName["i"].Int)

	_, err = w.Get("f", 3)
	assert.ErrorIs(t, err, ErrWeights, "shape is checked")
	_, err = w.Get("nope")
	assert.ErrorIs(t, err, ErrWeights)
	assert.Equal(t, []string{"i", "iq"}, w.Unused())
}

func TestDecodeWeightsSizeMismatch(t *testing.T) {
	groups, err := ParseWeightsManifest([]byte(`[{"paths":["a"],"weights":[{"name":"w","shape":[2],"dtype":"float32"}]}]`))
	require.NoError(t, err)
	for name, data := range map[string][]byte{
		"short": make([]byte, 7),
		"long":  make([]byte, 9),
		"empty": nil,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeWeights(groups, func(string) ([]byte, error) { return data, nil })
			assert.ErrorIs(t, err, ErrWeights)
		})
	}
	ioErr := errors.New("disk on fire")
	_, err = DecodeWeights(groups, func(string) ([]byte, error) { return nil, ioErr })
	assert.ErrorIs(t, err, ioErr)
}

func TestHalfToFloat(t *testing.T) {
	tests := []struct {
		bits uint16
		want float32
	}{
		{0x0000, 0},
		{0x3c00, 1},
		{0xc000, -2},
		{0x3555, 0.333251953125},
		{0x7bff, 65504},
		{0x0400, 6.103515625e-05},        // smallest normal
		{0x0001, 5.960464477539063e-08},  // smallest subnormal
		{0x83ff, -6.097555160522461e-05}, // largest negative subnormal
		{0x7c00, float32(math.Inf(1))},
		{0xfc00, float32(math.Inf(-1))},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, halfToFloat(tc.bits), "%#04x", tc.bits)
	}
	assert.True(t, math.Signbit(float64(halfToFloat(0x8000))), "negative zero keeps its sign")
	assert.True(t, math.IsNaN(float64(halfToFloat(0x7e00))))
}

func TestJSRound(t *testing.T) {
	for v, want := range map[float64]float64{0.5: 1, 1.5: 2, -0.5: 0, -1.5: -1, 2.4999: 2, -2.6: -3, 0.49999999999999994: 0} {
		assert.Equal(t, want, jsRound(v), "%v", v)
	}
}

// FuzzDecodeWeights feeds arbitrary manifests and shard bytes: decoding may
// fail but must never panic, and what it decodes must fit the shapes.
func FuzzDecodeWeights(f *testing.F) {
	f.Add([]byte(`[{"paths":["a"],"weights":[{"name":"w","shape":[2],"dtype":"float32"}]}]`), make([]byte, 8))
	f.Add([]byte(`[{"paths":["a"],"weights":[{"name":"w","shape":[3],"dtype":"float32","quantization":{"dtype":"uint8","scale":0.1,"min":-1}}]}]`), []byte{1, 2, 3})
	f.Add([]byte(`[{"paths":["a","b"],"weights":[{"name":"w","shape":[1,1],"dtype":"int32","quantization":{"dtype":"uint16","scale":1e308,"min":-1e308}}]}]`), []byte{9, 9})
	f.Add([]byte(`[{"paths":["a"],"weights":[{"name":"w","shape":[0],"dtype":"float32","quantization":{"dtype":"float16"}}]}]`), []byte{})
	f.Fuzz(func(t *testing.T, manifest, shard []byte) {
		groups, err := ParseWeightsManifest(manifest)
		if err != nil {
			return
		}
		w, err := DecodeWeights(groups, func(string) ([]byte, error) { return shard, nil })
		if err != nil {
			return
		}
		for _, n := range w.Names() {
			tt := w.byName[n]
			if got := len(tt.Float) + len(tt.Int); got != tt.Len() {
				t.Fatalf("weight %q: %d values for shape %v", n, got, tt.Shape)
			}
		}
	})
}
