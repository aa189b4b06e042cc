package tflite

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/models/convert"
)

// This file holds a deliberately naive TFLite interpreter: it executes a
// parsed *Model in TFLite's own NHWC layout, straight from the schema's
// definitions of each operator, sharing no code with the translator (no
// permute, no operand layout, no PReLU folding). Running it and the
// converted ONNX model on the same input checks the layout translation:
// filter permutations, the depthwise reshape, broadcasting of per-channel
// constants and the final flatten.

// refTensor is a dense row-major float tensor.
type refTensor struct {
	shape []int
	data  []float64
}

func refSize(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// refConst decodes a float32 constant by hand (little-endian IEEE 754).
func refConst(tn *Tensor) (refTensor, error) {
	if tn.Type != Float32 || len(tn.Data) != 4*refSize(tn.Shape) {
		return refTensor{}, fmt.Errorf("constant %q: %s %v with %d bytes", tn.Name, tn.Type, tn.Shape, len(tn.Data))
	}
	out := refTensor{shape: append([]int(nil), tn.Shape...), data: make([]float64, refSize(tn.Shape))}
	for i := range out.data {
		out.data[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(tn.Data[4*i:])))
	}
	return out, nil
}

// refWindow is TensorFlow's output size and leading padding for one
// spatial axis: SAME gives ceil(in/stride) with the odd pixel of padding
// at the end, VALID gives ceil((in-k+1)/stride) without padding.
func refWindow(in, k, stride int, p Padding) (out, before int) {
	if p == Valid {
		return (in - k + stride) / stride, 0
	}
	out = (in + stride - 1) / stride
	total := max((out-1)*stride+k-in, 0)
	return out, total / 2
}

// refConv is CONV_2D: input [N,H,W,Ci], filter [Co,KH,KW,Ci], bias [Co].
func refConv(x, w, b refTensor, stride int, p Padding) refTensor {
	n, h, wd, ci := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	co, kh, kw := w.shape[0], w.shape[1], w.shape[2]
	oh, pt := refWindow(h, kh, stride, p)
	ow, pl := refWindow(wd, kw, stride, p)
	out := refTensor{shape: []int{n, oh, ow, co}, data: make([]float64, n*oh*ow*co)}
	for b0 := range n {
		for oy := range oh {
			for ox := range ow {
				for c := range co {
					s := b.data[c]
					for ky := range kh {
						iy := oy*stride + ky - pt
						if iy < 0 || iy >= h {
							continue
						}
						for kx := range kw {
							ix := ox*stride + kx - pl
							if ix < 0 || ix >= wd {
								continue
							}
							xi := ((b0*h+iy)*wd + ix) * ci
							wi := ((c*kh+ky)*kw + kx) * ci
							for k := range ci {
								s += x.data[xi+k] * w.data[wi+k]
							}
						}
					}
					out.data[((b0*oh+oy)*ow+ox)*co+c] = s
				}
			}
		}
	}
	return out
}

// refDepthwise is DEPTHWISE_CONV_2D: input [N,H,W,Ci], filter
// [1,KH,KW,Ci·M], bias [Ci·M]; output channel c·M+m reads input channel c.
func refDepthwise(x, w, b refTensor, mult, stride int, p Padding) refTensor {
	n, h, wd, ci := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	kh, kw, co := w.shape[1], w.shape[2], w.shape[3]
	oh, pt := refWindow(h, kh, stride, p)
	ow, pl := refWindow(wd, kw, stride, p)
	out := refTensor{shape: []int{n, oh, ow, co}, data: make([]float64, n*oh*ow*co)}
	for b0 := range n {
		for oy := range oh {
			for ox := range ow {
				for c := range co {
					s := b.data[c]
					for ky := range kh {
						iy := oy*stride + ky - pt
						if iy < 0 || iy >= h {
							continue
						}
						for kx := range kw {
							ix := ox*stride + kx - pl
							if ix < 0 || ix >= wd {
								continue
							}
							s += x.data[((b0*h+iy)*wd+ix)*ci+c/mult] * w.data[(ky*kw+kx)*co+c]
						}
					}
					out.data[((b0*oh+oy)*ow+ox)*co+c] = s
				}
			}
		}
	}
	return out
}

// refBinary applies f elementwise with NumPy broadcasting (shapes aligned
// on their last axis, so a [C] constant scales NHWC channels).
func refBinary(a, b refTensor, f func(x, y float64) float64) (refTensor, error) {
	rank := max(len(a.shape), len(b.shape))
	pad := func(s []int) []int {
		out := make([]int, rank)
		for i := range out {
			out[i] = 1
		}
		copy(out[rank-len(s):], s)
		return out
	}
	as, bs := pad(a.shape), pad(b.shape)
	shape := make([]int, rank)
	for i := range shape {
		switch {
		case as[i] == bs[i], bs[i] == 1:
			shape[i] = as[i]
		case as[i] == 1:
			shape[i] = bs[i]
		default:
			return refTensor{}, fmt.Errorf("shapes %v and %v do not broadcast", a.shape, b.shape)
		}
	}
	out := refTensor{shape: shape, data: make([]float64, refSize(shape))}
	idx := make([]int, rank)
	for o := range out.data {
		ai, bi := 0, 0
		for i := range rank {
			ai = ai*as[i] + idx[i]%as[i]
			bi = bi*bs[i] + idx[i]%bs[i]
		}
		out.data[o] = f(a.data[ai], b.data[bi])
		for i := rank - 1; i >= 0; i-- {
			if idx[i]++; idx[i] < shape[i] {
				break
			}
			idx[i] = 0
		}
	}
	return out, nil
}

func refMap(x refTensor, f func(float64) float64) refTensor {
	out := refTensor{shape: x.shape, data: make([]float64, len(x.data))}
	for i, v := range x.data {
		out.data[i] = f(v)
	}
	return out
}

func refActivate(x refTensor, a Activation) (refTensor, error) {
	switch a {
	case ActNone:
		return x, nil
	case ActRelu:
		return refMap(x, func(v float64) float64 { return max(v, 0) }), nil
	case ActRelu6:
		return refMap(x, func(v float64) float64 { return min(max(v, 0), 6) }), nil
	}
	return refTensor{}, fmt.Errorf("fused activation %d", a)
}

// refRun executes m on input (NHWC). The batch of the input overrides the
// batch the file was exported with (MobileFaceNet's is 2), as resizing the
// input tensor does in the TFLite interpreter; RESHAPE keeps the batch and
// takes the rest of its shape from its output tensor.
func refRun(m *Model, input refTensor) ([]refTensor, error) {
	vals := map[int]refTensor{m.Inputs[0]: input}
	get := func(i int) (refTensor, error) {
		if v, ok := vals[i]; ok {
			return v, nil
		}
		if i >= 0 && m.Tensors[i].Data != nil {
			return refConst(&m.Tensors[i])
		}
		return refTensor{}, fmt.Errorf("tensor %d used before it is computed", i)
	}
	for k, op := range m.Operators {
		ops := op.Inputs
		if op.Op == OpReshape {
			ops = ops[:1] // the new shape comes from the output tensor
		}
		ins := make([]refTensor, len(ops))
		for j, i := range ops {
			var err error
			if ins[j], err = get(i); err != nil {
				return nil, fmt.Errorf("operator %d (%s): %w", k, op.Op, err)
			}
		}
		o := op.Options
		if (op.Op == OpConv2D || op.Op == OpDepthwiseConv) && (o.StrideW != o.StrideH || o.DilationW != 1 || o.DilationH != 1) {
			return nil, fmt.Errorf("operator %d: strides %dx%d dilation %dx%d", k, o.StrideW, o.StrideH, o.DilationW, o.DilationH)
		}
		var out refTensor
		var err error
		switch op.Op {
		case OpConv2D:
			out, err = refActivate(refConv(ins[0], ins[1], ins[2], o.StrideW, o.Padding), o.Activation)
		case OpDepthwiseConv:
			out, err = refActivate(refDepthwise(ins[0], ins[1], ins[2], o.DepthMultiplier, o.StrideW, o.Padding), o.Activation)
		case OpAdd, OpSub, OpMul:
			f := map[BuiltinOp]func(x, y float64) float64{
				OpAdd: func(x, y float64) float64 { return x + y },
				OpSub: func(x, y float64) float64 { return x - y },
				OpMul: func(x, y float64) float64 { return x * y },
			}[op.Op]
			if out, err = refBinary(ins[0], ins[1], f); err == nil {
				out, err = refActivate(out, o.Activation)
			}
		case OpRelu:
			out = refMap(ins[0], func(v float64) float64 { return max(v, 0) })
		case OpAbs:
			out = refMap(ins[0], math.Abs)
		case OpReshape:
			shape := append([]int{ins[0].shape[0]}, m.Tensors[op.Outputs[0]].Shape[1:]...)
			if refSize(shape) != len(ins[0].data) {
				return nil, fmt.Errorf("operator %d: reshape %v to %v", k, ins[0].shape, shape)
			}
			out = refTensor{shape: shape, data: ins[0].data}
		default:
			return nil, fmt.Errorf("operator %d: the reference does not implement %s", k, op.Op)
		}
		if err != nil {
			return nil, fmt.Errorf("operator %d (%s): %w", k, op.Op, err)
		}
		vals[op.Outputs[0]] = out
	}
	outs := make([]refTensor, len(m.Outputs))
	for i, ti := range m.Outputs {
		v, ok := vals[ti]
		if !ok {
			return nil, fmt.Errorf("output %d never computed", ti)
		}
		outs[i] = v
	}
	return outs, nil
}

// TestReferenceWindowMatchesTensorFlow pins the reference's padding rule on
// hand-worked cases, so a shared misunderstanding of SAME padding cannot
// hide in the comparison below.
func TestReferenceWindowMatchesTensorFlow(t *testing.T) {
	for _, c := range []struct {
		in, k, stride int
		p             Padding
		out, before   int
	}{
		{112, 3, 2, Same, 56, 0}, // 1 pixel of padding, at the end
		{112, 3, 1, Same, 112, 1},
		{7, 7, 1, Valid, 1, 0},
		{7, 3, 2, Same, 4, 1},
		{8, 3, 2, Valid, 3, 0},
	} {
		out, before := refWindow(c.in, c.k, c.stride, c.p)
		require.Equal(t, [2]int{c.out, c.before}, [2]int{out, before}, "%+v", c)
	}
}

// TestReferenceOps checks the reference's operators on tiny hand-computed
// cases.
func TestReferenceOps(t *testing.T) {
	// 1x3x3x2 input, one 2x2 filter per output channel, stride 1 VALID.
	x := refTensor{shape: []int{1, 3, 3, 2}, data: make([]float64, 18)}
	for i := range x.data {
		x.data[i] = float64(i)
	}
	w := refTensor{shape: []int{1, 2, 2, 2}, data: []float64{1, 0, 0, 0, 0, 0, 0, 1}} // x[0,0,c0] + x[1,1,c1]
	b := refTensor{shape: []int{1}, data: []float64{0.5}}
	got := refConv(x, w, b, 1, Valid)
	require.Equal(t, []int{1, 2, 2, 1}, got.shape)
	// out[y,x] = in[y,x,0] + in[y+1,x+1,1] + 0.5 = 2(3y+x) + 2(3y+3+x+1)+1 + 0.5
	require.Equal(t, []float64{0 + 9 + 0.5, 2 + 11 + 0.5, 6 + 15 + 0.5, 8 + 17 + 0.5}, got.data)

	// Depthwise with multiplier 2 on 2 channels: output channel c·2+m reads c.
	dw := refTensor{shape: []int{1, 1, 1, 4}, data: []float64{1, 10, 100, 1000}}
	db := refTensor{shape: []int{4}, data: make([]float64, 4)}
	one := refTensor{shape: []int{1, 1, 1, 2}, data: []float64{2, 3}}
	got = refDepthwise(one, dw, db, 2, 1, Same)
	require.Equal(t, []float64{2, 20, 300, 3000}, got.data)

	// A [C] constant broadcasts over the last (channel) axis.
	c := refTensor{shape: []int{2}, data: []float64{10, 100}}
	got, err := refBinary(x, c, func(a, b float64) float64 { return a * b })
	require.NoError(t, err)
	require.Equal(t, []int{1, 3, 3, 2}, got.shape)
	require.Equal(t, []float64{0, 100, 20, 300}, got.data[:4])
	_, err = refBinary(x, refTensor{shape: []int{3}, data: make([]float64, 3)}, nil)
	require.Error(t, err)
}

// referenceInput is a batch of two 112x112 NHWC images preprocessed as
// MobileFaceNet expects, (v-127.5)/128: a fixture face (a centred square
// crop, nearest-neighbour resized) and seeded uniform noise in [-1, 1].
func referenceInput(t *testing.T) refTensor {
	const s = MobileFaceNetSize
	img := modeltest.LoadFace(t, "grace_hopper_512x512.jpg")
	r := img.Bounds()
	side := min(r.Dx(), r.Dy())
	x0, y0 := r.Min.X+(r.Dx()-side)/2, r.Min.Y+(r.Dy()-side)/2
	in := refTensor{shape: []int{2, s, s, 3}, data: make([]float64, 2*s*s*3)}
	for y := range s {
		for x := range s {
			o := img.PixOffset(x0+x*side/s, y0+y*side/s)
			for c := range 3 {
				in.data[(y*s+x)*3+c] = float64(float32((float64(img.Pix[o+c]) - 127.5) / 128))
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := s * s * 3; i < len(in.data); i++ {
		in.data[i] = float64(float32(2*rng.Float64() - 1))
	}
	return in
}

// TestMobileFaceNetMatchesReference runs the naive NHWC interpreter on the
// TFLite file and ONNX Runtime on a fresh conversion of it (built from the
// current translator, not the installed file) and compares the embeddings.
func TestMobileFaceNetMatchesReference(t *testing.T) {
	if testing.Short() {
		t.Skip("the naive reference interpreter takes a few seconds")
	}
	m := MobileFaceNet()
	c := modeltest.Cache(t, m.Sources...)
	src, err := c.Path(m.Sources[0])
	require.NoError(t, err)
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	model, err := Parse(data)
	require.NoError(t, err)

	in := referenceInput(t)
	want, err := refRun(model, in)
	require.NoError(t, err)
	require.Len(t, want, 1)
	require.Equal(t, []int{2, 192}, want[0].shape)

	built, err := m.Build(c)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "mobilefacenet.onnx")
	require.NoError(t, os.WriteFile(path, built, 0o600))
	require.NoError(t, onnx.InitFromCache(c))
	sess, err := onnx.NewSession(path, onnx.Options{})
	require.NoError(t, err)
	defer sess.Close()
	require.Equal(t, []string{InputName}, sess.Inputs())
	require.Equal(t, []string{EmbeddingOutput}, sess.Outputs())

	// NHWC → NCHW for the ONNX input.
	const s = MobileFaceNetSize
	nchw := onnx.NewTensor(2, 3, s, s)
	for b := range 2 {
		for y := range s {
			for x := range s {
				for ch := range 3 {
					nchw.Data[((b*3+ch)*s+y)*s+x] = float32(in.data[((b*s+y)*s+x)*3+ch])
				}
			}
		}
	}
	out, err := sess.Run(nchw)
	require.NoError(t, err)
	require.Len(t, out, 1)
	require.Equal(t, []int64{2, 192}, out[0].Shape)

	for b := range 2 {
		ref := want[0].data[b*192 : (b+1)*192]
		got := out[0].Data[b*192 : (b+1)*192]
		var scale, diff, dot, nr, ng float64
		for i, r := range ref {
			g := float64(got[i])
			scale = max(scale, math.Abs(r))
			diff = max(diff, math.Abs(g-r))
			dot, nr, ng = dot+g*r, nr+r*r, ng+g*g
		}
		cos := dot / math.Sqrt(nr*ng)
		t.Logf("image %d: max |embedding| %.4g, max abs difference %.3g (%.3g relative), cosine %.9f", b, scale, diff, diff/scale, cos)
		require.Greater(t, scale, 0.0)
		require.LessOrEqual(t, diff/scale, 1e-3, "image %d: ONNX and the NHWC reference disagree", b)
	}
	// The two images must give different embeddings, or the comparison
	// above proves little.
	var d float64
	for i := range 192 {
		d = max(d, math.Abs(want[0].data[i]-want[0].data[192+i]))
	}
	require.Greater(t, d, 0.1)
}

// tinyBuilder assembles small hand-made models with seeded weights.
type tinyBuilder struct {
	m   Model
	rng *rand.Rand
}

func (b *tinyBuilder) tensor(tn Tensor) int {
	b.m.Tensors = append(b.m.Tensors, tn)
	return len(b.m.Tensors) - 1
}

// konst adds a float32 constant with values uniform in [-scale, scale].
func (b *tinyBuilder) konst(scale float64, shape ...int) int {
	data := make([]byte, 4*refSize(shape))
	for i := 0; i < len(data); i += 4 {
		binary.LittleEndian.PutUint32(data[i:], math.Float32bits(float32(scale*(2*b.rng.Float64()-1))))
	}
	return b.tensor(Tensor{Name: fmt.Sprintf("c%d", len(b.m.Tensors)), Shape: shape, Type: Float32, Data: data})
}

// op adds an operator whose output has the given shape.
func (b *tinyBuilder) op(code BuiltinOp, opts Options, out []int, ins ...int) int {
	o := b.tensor(Tensor{Name: fmt.Sprintf("t%d", len(b.m.Tensors)), Shape: out, Type: Float32})
	b.m.Operators = append(b.m.Operators, Operator{Op: code, Inputs: ins, Outputs: []int{o}, Options: opts})
	return o
}

// TestTinyModelMatchesReference covers what MobileFaceNet does not:
// non-square odd-sized images, SAME padding with stride 2 on odd sizes, a
// depthwise multiplier of 2, RELU6, [1,1,1,C] and scalar constants, and a
// flatten of a map with more than one pixel (NHWC element order).
func TestTinyModelMatchesReference(t *testing.T) {
	c := modeltest.Cache(t)
	b := &tinyBuilder{rng: rand.New(rand.NewPCG(3, 4))}
	conv := func(stride int, p Padding, a Activation) Options {
		o := decodeOptions(OpConv2D, table{})
		o.StrideW, o.StrideH, o.Padding, o.Activation = stride, stride, p, a
		return o
	}
	x := b.tensor(Tensor{Name: "x", Shape: []int{1, 7, 5, 3}, Type: Float32})
	h := b.op(OpConv2D, conv(2, Same, ActRelu6), []int{1, 4, 3, 4}, x, b.konst(1, 4, 3, 3, 3), b.konst(1, 4))
	dw := conv(1, Same, ActNone)
	dw.DepthMultiplier = 2
	h = b.op(OpDepthwiseConv, dw, []int{1, 4, 3, 8}, h, b.konst(1, 1, 3, 3, 8), b.konst(1, 8))
	h = b.op(OpMul, Options{}, []int{1, 4, 3, 8}, b.konst(2, 8), h)
	h = b.op(OpAdd, Options{}, []int{1, 4, 3, 8}, h, b.konst(1, 1, 1, 1, 8))
	h = b.op(OpSub, Options{Activation: ActRelu}, []int{1, 4, 3, 8}, h, b.konst(0.5, 1))
	// PReLU as TOCO writes it.
	r := b.op(OpRelu, Options{}, []int{1, 4, 3, 8}, h)
	a := b.op(OpAbs, Options{}, []int{1, 4, 3, 8}, h)
	s := b.op(OpSub, Options{}, []int{1, 4, 3, 8}, h, a)
	m := b.op(OpMul, Options{}, []int{1, 4, 3, 8}, b.konst(0.5, 8), s)
	h = b.op(OpAdd, Options{}, []int{1, 4, 3, 8}, r, m)
	// The same pattern with a fused ReLU6 on the sum is not a plain PReLU.
	r = b.op(OpRelu, Options{}, []int{1, 4, 3, 8}, h)
	a = b.op(OpAbs, Options{}, []int{1, 4, 3, 8}, h)
	s = b.op(OpSub, Options{}, []int{1, 4, 3, 8}, h, a)
	m = b.op(OpMul, Options{}, []int{1, 4, 3, 8}, b.konst(0.5, 8), s)
	h = b.op(OpAdd, Options{Activation: ActRelu6}, []int{1, 4, 3, 8}, r, m)
	// A reshape to the same shape is the identity.
	h = b.op(OpReshape, Options{}, []int{1, 4, 3, 8}, h, b.tensor(Tensor{Name: "same", Shape: []int{4}, Type: Int32,
		Data: []byte{1, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0, 8, 0, 0, 0}}))
	h = b.op(OpConv2D, conv(1, Valid, ActNone), []int{1, 4, 3, 5}, h, b.konst(1, 5, 1, 1, 8), b.konst(1, 5))
	h = b.op(OpDepthwiseConv, conv(2, Valid, ActNone), []int{1, 2, 1, 5}, h, b.konst(1, 1, 2, 2, 5), b.konst(1, 5))
	h = b.op(OpReshape, Options{}, []int{1, 10}, h, b.tensor(Tensor{Name: "shape", Shape: []int{2}, Type: Int32, Data: []byte{1, 0, 0, 0, 10, 0, 0, 0}}))
	b.m.Inputs, b.m.Outputs = []int{x}, []int{h}

	in := refTensor{shape: []int{1, 7, 5, 3}, data: make([]float64, 7*5*3)}
	for i := range in.data {
		in.data[i] = float64(float32(3 * (2*b.rng.Float64() - 1)))
	}
	want, err := refRun(&b.m, in)
	require.NoError(t, err)

	g := convert.NewGraph("tiny")
	require.NoError(t, Translate(&b.m, g, []string{"input"}, []string{"out"}))
	om, err := g.Model(convert.ModelInfo{ProducerName: "test"})
	require.NoError(t, err)
	data, err := convert.Marshal(om)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "tiny.onnx")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	require.NoError(t, onnx.InitFromCache(c))
	sess, err := onnx.NewSession(path, onnx.Options{})
	require.NoError(t, err)
	defer sess.Close()
	nchw := onnx.NewTensor(1, 3, 7, 5)
	for y := range 7 {
		for x := range 5 {
			for ch := range 3 {
				nchw.Data[(ch*7+y)*5+x] = float32(in.data[(y*5+x)*3+ch])
			}
		}
	}
	out, err := sess.Run(nchw)
	require.NoError(t, err)
	require.Equal(t, []int64{1, 10}, out[0].Shape)
	var scale, diff float64
	for i, r := range want[0].data {
		scale = max(scale, math.Abs(r))
		diff = max(diff, math.Abs(float64(out[0].Data[i])-r))
	}
	t.Logf("tiny model: max |output| %.4g, max abs difference %.3g", scale, diff)
	require.Greater(t, scale, 0.0)
	require.LessOrEqual(t, diff/scale, 1e-5)
}
