package tflite

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHalfToFloat(t *testing.T) {
	for _, c := range []struct {
		h    uint16
		want float32
	}{
		{0x0000, 0},
		{0x3c00, 1},
		{0xc000, -2},
		{0x3555, 0.333251953125},
		{0x7bff, 65504},              // largest finite
		{0xfbff, -65504},             //
		{0x0400, 1.0 / (1 << 14)},    // smallest normal, 2^-14
		{0x0001, 1.0 / (1 << 24)},    // smallest subnormal, 2^-24
		{0x03ff, 1023.0 / (1 << 24)}, // largest subnormal
		{0x8001, -1.0 / (1 << 24)},
		{0x0200, 1.0 / (1 << 15)},
	} {
		got := halfToFloat(c.h)
		assert.Equal(t, c.want, got, "%#04x", c.h)
	}
	neg := halfToFloat(0x8000)
	assert.Zero(t, neg)
	assert.True(t, math.Signbit(float64(neg)), "-0 keeps its sign")
	assert.True(t, math.IsInf(float64(halfToFloat(0x7c00)), 1))
	assert.True(t, math.IsInf(float64(halfToFloat(0xfc00)), -1))
	assert.True(t, math.IsNaN(float64(halfToFloat(0x7e00))))
	assert.True(t, math.IsNaN(float64(halfToFloat(0xfc01))))
}

// TestHalfToFloatIsExact checks every half value against an independent
// formula: (-1)^s · 2^(e-15) · (1 + f/1024), or 2^-14 · f/1024 when e = 0.
func TestHalfToFloatIsExact(t *testing.T) {
	for h := range 1 << 16 {
		s, e, f := h>>15, (h>>10)&0x1f, h&0x3ff
		if e == 0x1f {
			continue // inf and NaN: TestHalfToFloat
		}
		want := math.Ldexp(1+float64(f)/1024, e-15)
		if e == 0 {
			want = math.Ldexp(float64(f)/1024, -14)
		}
		if s == 1 {
			want = -want
		}
		if got := halfToFloat(uint16(h)); float64(got) != want {
			t.Fatalf("halfToFloat(%#04x) = %g, want %g", h, got, want)
		}
	}
}

func TestPermute(t *testing.T) {
	// A 2x3 matrix transposed.
	assert.Equal(t, []float32{1, 4, 2, 5, 3, 6}, permute([]float32{1, 2, 3, 4, 5, 6}, []int{2, 3}, []int{1, 0}))
	// Identity.
	assert.Equal(t, []float32{1, 2, 3, 4}, permute([]float32{1, 2, 3, 4}, []int{2, 2}, []int{0, 1}))

	// A [2,3,4,5] tensor whose value encodes its index: out[i,j,k,l] must
	// equal in[idx] where out axis a is in axis perm[a].
	shape := []int{2, 3, 4, 5}
	in := make([]float32, 2*3*4*5)
	for i := range in {
		in[i] = float32(i)
	}
	at := func(idx [4]int, shape []int) int {
		return ((idx[0]*shape[1]+idx[1])*shape[2]+idx[2])*shape[3] + idx[3]
	}
	for _, perm := range [][]int{{1, 2, 3, 0}, {0, 3, 1, 2}, {3, 2, 1, 0}} {
		out := permute(in, shape, perm)
		outShape := []int{shape[perm[0]], shape[perm[1]], shape[perm[2]], shape[perm[3]]}
		for a := range outShape[0] {
			for b := range outShape[1] {
				for c := range outShape[2] {
					for d := range outShape[3] {
						o := [4]int{a, b, c, d}
						var src [4]int
						for k, p := range perm {
							src[p] = o[k]
						}
						require.Equal(t, in[at(src, shape)], out[at(o, outShape)], "perm %v at %v", perm, o)
					}
				}
			}
		}
	}
}

func TestTensorFloats(t *testing.T) {
	f32 := make([]byte, 8)
	binary.LittleEndian.PutUint32(f32, math.Float32bits(1.5))
	binary.LittleEndian.PutUint32(f32[4:], math.Float32bits(-2))
	got, err := (&Tensor{Shape: []int{2}, Type: Float32, Data: f32}).Floats()
	require.NoError(t, err)
	assert.Equal(t, []float32{1.5, -2}, got)

	got, err = (&Tensor{Shape: []int{1, 2}, Type: Float16, Data: []byte{0x00, 0x3c, 0x00, 0xc0}}).Floats()
	require.NoError(t, err)
	assert.Equal(t, []float32{1, -2}, got)

	got, err = (&Tensor{Shape: nil, Type: Float32, Data: f32[:4]}).Floats() // a scalar
	require.NoError(t, err)
	assert.Equal(t, []float32{1.5}, got)

	for name, tn := range map[string]Tensor{
		"too short":      {Shape: []int{3}, Type: Float32, Data: f32},
		"too long":       {Shape: []int{1}, Type: Float32, Data: f32},
		"float16 size":   {Shape: []int{2}, Type: Float16, Data: f32},
		"odd bytes":      {Shape: []int{1}, Type: Float16, Data: f32[:3]},
		"int32":          {Shape: []int{2}, Type: Int32, Data: f32},
		"activation":     {Shape: []int{2}, Type: Float32},
		"negative shape": {Shape: []int{-1, -2}, Type: Float32, Data: f32},
		// 2^24·2^24·2^14 = 2^62 elements: 4·n wraps to 0 = len(Data).
		"overflowing shape": {Shape: []int{1 << 24, 1 << 24, 1 << 14}, Type: Float32},
		"overflow to size":  {Shape: []int{1 << 24, 1 << 24, 1 << 14, 4}, Type: Float16, Data: f32[:4]},
	} {
		got, err := tn.Floats()
		assert.ErrorIs(t, err, ErrModel, name)
		assert.Nil(t, got, name)
	}
}

func TestTensorInts(t *testing.T) {
	b := make([]byte, 8)
	binary.LittleEndian.PutUint32(b, 7)
	binary.LittleEndian.PutUint32(b[4:], math.MaxUint32) // -1
	got, err := (&Tensor{Shape: []int{2}, Type: Int32, Data: b}).Ints()
	require.NoError(t, err)
	assert.Equal(t, []int{7, -1}, got)

	for name, tn := range map[string]Tensor{
		"too short":         {Shape: []int{3}, Type: Int32, Data: b},
		"too long":          {Shape: []int{1}, Type: Int32, Data: b},
		"float32":           {Shape: []int{2}, Type: Float32, Data: b},
		"activation":        {Shape: []int{2}, Type: Int32},
		"overflowing shape": {Shape: []int{1 << 24, 1 << 24, 1 << 14}, Type: Int32},
	} {
		got, err := tn.Ints()
		assert.ErrorIs(t, err, ErrModel, name)
		assert.Nil(t, got, name)
	}
}

func TestTensorLen(t *testing.T) {
	assert.Equal(t, 1, (&Tensor{}).Len())
	assert.Equal(t, 0, (&Tensor{Shape: []int{3, 0}}).Len())
	assert.Equal(t, 2*112*112*3, (&Tensor{Shape: []int{2, 112, 112, 3}}).Len())
}

func TestNames(t *testing.T) {
	assert.Equal(t, "DEPTHWISE_CONV_2D", OpDepthwiseConv.String())
	assert.Equal(t, "BuiltinOperator(5)", BuiltinOp(5).String())
	assert.Equal(t, "float16", Float16.String())
	assert.Equal(t, "type9", TensorType(9).String())
}

// TestMobileFaceNetStructure checks what Parse reads from the real file
// against what the file is known to hold (manifest.json's description and
// the TOCO export): one NHWC input, a 192-d output, float32 weights.
func TestMobileFaceNetStructure(t *testing.T) {
	m, err := Parse(mobileFaceNetFile(t))
	require.NoError(t, err)
	assert.Equal(t, "TOCO Converted.", m.Description)
	require.Len(t, m.Inputs, 1)
	require.Len(t, m.Outputs, 1)
	assert.Equal(t, []int{2, 112, 112, 3}, m.Tensors[m.Inputs[0]].Shape)
	assert.Equal(t, []int{2, 192}, m.Tensors[m.Outputs[0]].Shape)
	counts := map[BuiltinOp]int{}
	for _, op := range m.Operators {
		counts[op.Op]++
		for _, i := range op.Inputs {
			if i >= 0 && m.Tensors[i].Data != nil && m.Tensors[i].Type == Float32 {
				_, err := m.Tensors[i].Floats()
				require.NoError(t, err, "constant %q", m.Tensors[i].Name)
			}
		}
	}
	// 33 PReLUs (RELU, ABS, SUB, MUL, ADD each), 35 convolutions, 17
	// depthwise ones, residual ADDs and the final flatten.
	assert.Equal(t, map[BuiltinOp]int{
		OpConv2D: 35, OpDepthwiseConv: 17, OpRelu: 33, OpAbs: 33, OpSub: 33, OpMul: 33, OpAdd: 45, OpReshape: 1,
	}, counts)
	first := m.Operators[0]
	assert.Equal(t, OpConv2D, first.Op)
	assert.Equal(t, Same, first.Options.Padding)
	assert.Equal(t, 2, first.Options.StrideW)
	assert.Equal(t, []int{64, 3, 3, 3}, m.Tensors[first.Inputs[1]].Shape)
}
