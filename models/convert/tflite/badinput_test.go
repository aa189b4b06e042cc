package tflite

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/models/convert"
)

// mobileFaceNetFile returns the installed MobileFaceNet.tflite.
func mobileFaceNetFile(t testing.TB) []byte {
	t.Helper()
	c := modeltest.Cache(t, "mobilefacenet_tflite")
	p, err := c.Path("mobilefacenet_tflite")
	require.NoError(t, err)
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	return b
}

// parseNoPanic parses b, turning a panic into a test failure that names
// the input.
func parseNoPanic(t testing.TB, what string, b []byte) (m *Model, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s: Parse panicked: %v", what, r)
		}
	}()
	return Parse(b)
}

var errPanic = errors.New("panic")

// translateNoPanic translates m into a fresh graph, turning a panic into a
// test failure (and errPanic).
func translateNoPanic(t testing.TB, what string, m *Model) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: Translate panicked: %v", what, r)
			err = errPanic
		}
	}()
	ins := make([]string, len(m.Inputs))
	for i := range ins {
		ins[i] = fmt.Sprintf("in%d", i)
	}
	outs := make([]string, len(m.Outputs))
	for i := range outs {
		outs[i] = fmt.Sprintf("out%d", i)
	}
	return Translate(m, convert.NewGraph("test"), ins, outs)
}

func TestParseRejectsNonModels(t *testing.T) {
	valid := []byte{8, 0, 0, 0, 'T', 'F', 'L', '3'}
	for name, b := range map[string][]byte{
		"nil":           nil,
		"empty":         {},
		"short":         []byte("TFL3"),
		"identifier":    []byte("\x08\x00\x00\x00TFL2\x00\x00\x00\x00"),
		"text":          []byte("this is not a TensorFlow Lite model at all"),
		"png":           []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"),
		"root past end": {0xff, 0xff, 0xff, 0x7f, 'T', 'F', 'L', '3'},
		"root at end":   valid,
		"zero vtable":   {8, 0, 0, 0, 'T', 'F', 'L', '3', 0, 0, 0, 0},
	} {
		m, err := parseNoPanic(t, name, b)
		assert.ErrorIs(t, err, ErrModel, name)
		assert.Nil(t, m, name)
	}
}

func TestParseTruncated(t *testing.T) {
	b := mobileFaceNetFile(t)
	var offsets []int
	for i := range 4096 { // every cut inside the header and root tables
		offsets = append(offsets, i)
	}
	for i := range 500 { // and evenly through the weights
		offsets = append(offsets, 4096+i*(len(b)-4096)/500)
	}
	for i := 1; i <= 64; i++ { // and near the end
		offsets = append(offsets, len(b)-i)
	}
	whole, err := Parse(b)
	require.NoError(t, err)
	var unused int
	for _, n := range offsets {
		m, err := parseNoPanic(t, fmt.Sprintf("cut at %d", n), b[:n:n])
		if err == nil {
			// The cut removed only bytes the reader never looks at (the
			// file's trailing metadata): it must read the same model.
			require.Equal(t, whole, m, "file cut at %d of %d bytes reads differently", n, len(b))
			unused++
			continue
		}
		require.ErrorIs(t, err, ErrModel, "file cut at %d of %d bytes", n, len(b))
	}
	t.Logf("%d cuts: %d rejected, %d only removed unread trailing bytes", len(offsets), len(offsets)-unused, unused)
	assert.Less(t, unused, 64, "most cuts must be rejected")
}

// corruption is a set of bytes to overwrite.
type corruption map[int]byte

// apply overwrites b in place and returns a function restoring it.
func (c corruption) apply(b []byte) (restore func()) {
	old := map[int]byte{}
	for p, v := range c {
		old[p] = b[p]
		b[p] = v
	}
	return func() {
		for p, v := range old {
			b[p] = v
		}
	}
}

// corruptions returns n seeded corruptions of b: 1 to 8 random bytes
// overwritten, half of them anywhere and half in the first and last 64 KiB,
// where TOCO files keep their tables and small vectors.
func corruptions(b []byte, n int) []corruption {
	rng := rand.New(rand.NewPCG(42, 7))
	region := min(len(b), 64<<10)
	out := make([]corruption, n)
	for i := range out {
		c := corruption{}
		for range 1 + rng.IntN(8) {
			var p int
			switch i % 4 {
			case 0, 1:
				p = rng.IntN(len(b))
			case 2:
				p = rng.IntN(region)
			case 3:
				p = len(b) - 1 - rng.IntN(region)
			}
			switch rng.IntN(3) {
			case 0:
				c[p] = b[p] ^ 1<<rng.IntN(8)
			case 1:
				c[p] = byte(rng.IntN(256))
			case 2:
				c[p] = 0xff
			}
		}
		out[i] = c
	}
	return out
}

// TestParseCorrupted parses a few hundred corrupted copies of the real
// file: each must be an error wrapping ErrModel or a model the translator
// handles without panicking (a flipped weight is still a model).
func TestParseCorrupted(t *testing.T) {
	b := mobileFaceNetFile(t)
	var failed, parsed, translated int
	for i, c := range corruptions(b, 300) {
		what := fmt.Sprintf("corruption %d %v", i, c)
		restore := c.apply(b)
		m, err := parseNoPanic(t, what, b)
		if err != nil {
			restore()
			require.ErrorIs(t, err, ErrModel, what)
			failed++
			continue
		}
		parsed++
		// Translating copies every weight; a sample is enough to catch a
		// decoded-but-inconsistent model.
		if parsed%10 == 1 || len(m.Operators) != 230 || len(m.Tensors) != 369 {
			translateNoPanic(t, what, m)
			translated++
		}
		restore()
	}
	t.Logf("300 corruptions: %d rejected, %d parsed (%d of them translated)", failed, parsed, translated)
	assert.Positive(t, failed, "no corruption hit the structure: the test proves little")
}

func TestTranslateUnsupportedOperator(t *testing.T) {
	m, err := Parse(mobileFaceNetFile(t))
	require.NoError(t, err)
	for _, op := range []BuiltinOp{5, 200, -1} { // DEPTH_TO_SPACE, an unknown code, a hostile one
		c := *m
		c.Operators = append([]Operator(nil), m.Operators...)
		c.Operators[0].Op = op
		err := translateNoPanic(t, op.String(), &c)
		require.ErrorIs(t, err, ErrModel)
		assert.Contains(t, err.Error(), op.String())
		assert.Contains(t, err.Error(), "operator 0")
	}
	// A supported code with the wrong operands is an error too.
	c := *m
	c.Operators = append([]Operator(nil), m.Operators...)
	c.Operators[0].Op = OpFullyConnected
	require.ErrorIs(t, translateNoPanic(t, "conv as fully connected", &c), ErrModel)
}

// tinyModel is a hand-made model: an NHWC input [1,4,4,2] (tensor 0) and
// the extra tensors and single operator given; its output is tensor out.
func tinyModel(extra []Tensor, op Operator, out int) *Model {
	return &Model{
		Tensors:   append([]Tensor{{Name: "x", Shape: []int{1, 4, 4, 2}, Type: Float32}}, extra...),
		Operators: []Operator{op},
		Inputs:    []int{0},
		Outputs:   []int{out},
	}
}

// TestTranslateHostileModels feeds the translator models that Parse can
// return from a hostile file (any index may be -1 for an omitted optional
// input, shapes and options are whatever the file says): each must be an
// error, never a panic.
func TestTranslateHostileModels(t *testing.T) {
	act := func(shape ...int) Tensor { return Tensor{Name: "y", Shape: shape, Type: Float32} }
	opts := decodeOptions(OpConv2D, table{})
	cases := map[string]*Model{
		"conv without filter": tinyModel([]Tensor{act(1, 4, 4, 1)},
			Operator{Op: OpConv2D, Inputs: []int{0, -1, -1}, Outputs: []int{1}, Options: opts}, 1),
		"conv with one input": tinyModel([]Tensor{act(1, 4, 4, 1)},
			Operator{Op: OpConv2D, Inputs: []int{0}, Outputs: []int{1}, Options: opts}, 1),
		"depthwise without filter": tinyModel([]Tensor{act(1, 4, 4, 2)},
			Operator{Op: OpDepthwiseConv, Inputs: []int{0, -1}, Outputs: []int{1}, Options: opts}, 1),
		"fully connected without weights": tinyModel([]Tensor{act(1, 3)},
			Operator{Op: OpFullyConnected, Inputs: []int{0, -1, -1}, Outputs: []int{1}, Options: opts}, 1),
		"dequantize of nothing": tinyModel([]Tensor{act(2)},
			Operator{Op: OpDequantize, Inputs: []int{-1}, Outputs: []int{1}, Options: opts}, 1),
		"dequantize to a bigger shape": tinyModel([]Tensor{
			{Name: "c16", Shape: []int{2}, Type: Float16, Data: []byte{0, 0x3c, 0, 0x3c}},
			{Name: "c", Shape: []int{1, 2, 2, 2}, Type: Float32},
			act(1, 4, 4, 2),
		}, Operator{Op: OpDequantize, Inputs: []int{1}, Outputs: []int{2}, Options: opts}, 2),
		"concatenation axis 7": tinyModel([]Tensor{act(1, 4, 4, 4)},
			Operator{Op: OpConcatenation, Inputs: []int{0, 0}, Outputs: []int{1}, Options: Options{Axis: 7}}, 1),
		"concatenation axis -9": tinyModel([]Tensor{act(1, 4, 4, 4)},
			Operator{Op: OpConcatenation, Inputs: []int{0, 0}, Outputs: []int{1}, Options: Options{Axis: -9}}, 1),
		"strided slice without indices": tinyModel([]Tensor{act(1, 4, 4, 2)},
			Operator{Op: OpStridedSlice, Inputs: []int{0, -1, -1, -1}, Outputs: []int{1}, Options: opts}, 1),
		"no operands": tinyModel([]Tensor{act(1, 4, 4, 2)},
			Operator{Op: OpAdd, Outputs: []int{1}, Options: opts}, 1),
		"prelu pattern, relu without input":  preluModel(func(m *Model) { m.Operators[0].Inputs = nil }),
		"prelu pattern, abs without input":   preluModel(func(m *Model) { m.Operators[1].Inputs = nil }),
		"prelu pattern, mul without operand": preluModel(func(m *Model) { m.Operators[3].Inputs[0] = -1 }),
		"prelu pattern, sub without operand": preluModel(func(m *Model) { m.Operators[2].Inputs = []int{0, -1} }),
		"prelu pattern, add without output":  preluModel(func(m *Model) { m.Operators[4].Outputs = nil }),
		"prelu pattern over an optional input": preluModel(func(m *Model) {
			m.Operators[0].Inputs, m.Operators[1].Inputs, m.Operators[2].Inputs = []int{-1}, []int{-1}, []int{-1, 3}
		}),
		"no outputs": tinyModel(nil,
			Operator{Op: OpRelu, Inputs: []int{0}, Options: opts}, 0),
	}
	// The dequantized constant then multiplies the image.
	dq := cases["dequantize to a bigger shape"]
	dq.Operators = append(dq.Operators, Operator{Op: OpMul, Inputs: []int{0, 2}, Outputs: []int{3}, Options: opts})
	dq.Outputs = []int{3}
	for name, m := range cases {
		err := translateNoPanic(t, name, m)
		assert.Error(t, err, name)
	}
}

// preluModel is TF-Slim's PReLU as TOCO writes it, relu(x) + c·(x − |x|),
// over the tiny model's input, after edit.
func preluModel(edit func(m *Model)) *Model {
	act := func(name string) Tensor { return Tensor{Name: name, Shape: []int{1, 4, 4, 2}, Type: Float32} }
	m := &Model{
		Tensors: []Tensor{act("x"), act("relu"), {Name: "c", Shape: []int{2}, Type: Float32, Data: make([]byte, 8)},
			act("abs"), act("sub"), act("mul"), act("add")},
		Operators: []Operator{
			{Op: OpRelu, Inputs: []int{0}, Outputs: []int{1}},
			{Op: OpAbs, Inputs: []int{0}, Outputs: []int{3}},
			{Op: OpSub, Inputs: []int{0, 3}, Outputs: []int{4}},
			{Op: OpMul, Inputs: []int{2, 4}, Outputs: []int{5}},
			{Op: OpAdd, Inputs: []int{1, 5}, Outputs: []int{6}},
		},
		Inputs:  []int{0},
		Outputs: []int{6},
	}
	edit(m)
	return m
}

func FuzzParse(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{8, 0, 0, 0, 'T', 'F', 'L', '3', 0, 0, 0, 0})
	if b, err := os.ReadFile(modeltest.Dir() + "/expo/MobileFaceNet.tflite"); err == nil {
		f.Add(b[:4096])
		prefix := b[:4096]
		for _, c := range corruptions(prefix, 16) {
			restore := c.apply(prefix)
			f.Add(append([]byte(nil), prefix...))
			restore()
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseNoPanic(t, "fuzz input", b)
		if err != nil {
			if !errors.Is(err, ErrModel) {
				t.Fatalf("error %v does not wrap ErrModel", err)
			}
			return
		}
		if len(m.Inputs) == 0 {
			return
		}
		_ = translateNoPanic(t, "fuzz input", m)
	})
}

// sameShape compares shapes of rank 5 and more axis by axis (it sliced a
// four-entry permutation to the rank, and panicked).
func TestSameShapeHighRank(t *testing.T) {
	assert.True(t, sameShape([]int64{1, 2, 3, 4, 5}, []int{1, 2, 3, 4, 5}))
	assert.False(t, sameShape([]int64{1, 2, 3, 4, 5}, []int{1, 2, 3, 5, 4}))
	assert.True(t, sameShape([]int64{1, 3, 2, 2}, []int{1, 2, 2, 3}), "NCHW against NHWC")
	assert.True(t, sameShape([]int64{1, 7}, []int{1, 7}))
}
