package convert

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/models"
)

// The layer tests build one-op graphs, run them on ONNX Runtime and compare
// with straightforward NHWC reference implementations of TensorFlow's ops,
// so TF's padding and layout rules are checked independently of any net.

func randTensor(r *rand.Rand, name string, shape ...int64) *Tensor {
	t := &Tensor{Name: name, Shape: shape}
	t.Float = make([]float32, t.Len())
	for i := range t.Float {
		t.Float[i] = float32(r.NormFloat64())
	}
	return t
}

// runNHWC builds input [1,h,w,c] → NCHW → op → NHWC (for 4-D results) and
// runs it.
func runNHWC(t *testing.T, x *Tensor, op func(g *Graph, x Value) Value) ([]float32, []int64) {
	t.Helper()
	requireORT(t)
	g := NewGraph("test")
	in := g.Input("x", Batch, x.Shape[1], x.Shape[2], x.Shape[3])
	out := op(g, g.NHWCToNCHW(in))
	if len(out.Shape()) == 4 {
		out = g.Transpose(out, 0, 2, 3, 1)
	}
	g.Output("y", out)
	m, err := g.Model(ModelInfo{ProducerName: "test"})
	require.NoError(t, err)
	data, err := Marshal(m)
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "m.onnx")
	require.NoError(t, os.WriteFile(p, data, 0o644))
	s, err := onnx.NewSession(p, onnx.Options{})
	require.NoError(t, err)
	defer s.Close()
	res, err := s.Run(onnx.Tensor{Shape: x.Shape, Data: x.Float})
	require.NoError(t, err)
	shape := out.Shape()
	shape[0] = 1
	require.Equal(t, shape, res[0].Shape, "the graph's static shape matches what ONNX Runtime computes")
	return res[0].Data, res[0].Shape
}

// ort remembers whether ONNX Runtime could be initialised, so the many
// small tests here check the 45 MB library's digest once.
var ort struct {
	once sync.Once
	err  error
}

func requireORT(t *testing.T) {
	t.Helper()
	ort.once.Do(func() { ort.err = onnx.InitFromCache(models.Open(modeltest.Dir())) })
	if ort.err != nil {
		if os.Getenv("IDKIT_REQUIRE_MODELS") == "1" {
			t.Fatalf("model asset required: %v", ort.err)
		}
		t.Skipf("ONNX Runtime not installed: %v", ort.err)
	}
}

func tfWindow(in, k, s int, same bool) (out, before int) {
	if same {
		out = (in + s - 1) / s
		return out, max((out-1)*s+k-in, 0) / 2
	}
	return (in-k)/s + 1, 0
}

// refConv is tf.conv2d / tf.depthwiseConv2d on NHWC with an HWIO or HWCM
// filter, in float64.
func refConv(x *Tensor, f *Tensor, stride int, same, depthwise bool) []float64 {
	h, w, c := int(x.Shape[1]), int(x.Shape[2]), int(x.Shape[3])
	kh, kw, fo := int(f.Shape[0]), int(f.Shape[1]), int(f.Shape[3])
	oh, pt := tfWindow(h, kh, stride, same)
	ow, pl := tfWindow(w, kw, stride, same)
	cout := fo
	if depthwise {
		cout = c * fo
	}
	out := make([]float64, oh*ow*cout)
	for y := range oh {
		for xx := range ow {
			for o := range cout {
				sum := 0.0
				for i := range kh {
					for j := range kw {
						sy, sx := y*stride+i-pt, xx*stride+j-pl
						if sy < 0 || sx < 0 || sy >= h || sx >= w {
							continue
						}
						if depthwise {
							ci, m := o/fo, o%fo
							sum += float64(x.Float[(sy*w+sx)*c+ci]) * float64(f.Float[((i*kw+j)*c+ci)*fo+m])
							continue
						}
						for ci := range c {
							sum += float64(x.Float[(sy*w+sx)*c+ci]) * float64(f.Float[((i*kw+j)*c+ci)*fo+o])
						}
					}
				}
				out[(y*ow+xx)*cout+o] = sum
			}
		}
	}
	return out
}

// refPool is tf.maxPool / tf.avgPool on NHWC (padding excluded).
func refPool(x *Tensor, k, stride int, same, avg bool) []float64 {
	h, w, c := int(x.Shape[1]), int(x.Shape[2]), int(x.Shape[3])
	oh, pt := tfWindow(h, k, stride, same)
	ow, pl := tfWindow(w, k, stride, same)
	out := make([]float64, oh*ow*c)
	for y := range oh {
		for xx := range ow {
			for ch := range c {
				best, sum, n := math.Inf(-1), 0.0, 0
				for i := range k {
					for j := range k {
						sy, sx := y*stride+i-pt, xx*stride+j-pl
						if sy < 0 || sx < 0 || sy >= h || sx >= w {
							continue
						}
						v := float64(x.Float[(sy*w+sx)*c+ch])
						best, sum, n = max(best, v), sum+v, n+1
					}
				}
				if avg {
					best = sum / float64(n)
				}
				out[(y*ow+xx)*c+ch] = best
			}
		}
	}
	return out
}

func assertClose(t *testing.T, want []float64, got []float32, tol float64) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		if math.Abs(want[i]-float64(got[i])) > tol {
			t.Fatalf("value %d: want %v, got %v", i, want[i], got[i])
		}
	}
}

func TestConvAndPoolMatchTensorFlow(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	// Odd and even sizes, strides 1 and 2, "same" padding that is even,
	// odd (extra pixel at the end) and none.
	for _, size := range [][2]int64{{7, 7}, {8, 6}, {5, 9}} {
		for _, k := range []int64{1, 3, 4} {
			for _, stride := range []int64{1, 2} {
				for _, p := range []Padding{Valid, Same} {
					if p == Valid && (k > size[0] || k > size[1]) {
						continue
					}
					name := fmt.Sprintf("%dx%d_k%d_s%d_%s", size[0], size[1], k, stride, p)
					x := randTensor(r, "x", 1, size[0], size[1], 3)
					t.Run("conv_"+name, func(t *testing.T) {
						f := randTensor(r, "f", k, k, 3, 4)
						got, _ := runNHWC(t, x, func(g *Graph, v Value) Value { return g.Conv2D(v, f, nil, stride, p) })
						assertClose(t, refConv(x, f, int(stride), p == Same, false), got, 1e-4)
					})
					t.Run("depthwise_"+name, func(t *testing.T) {
						f := randTensor(r, "f", k, k, 3, 2)
						got, _ := runNHWC(t, x, func(g *Graph, v Value) Value { return g.DepthwiseConv2D(v, f, nil, stride, p) })
						assertClose(t, refConv(x, f, int(stride), p == Same, true), got, 1e-4)
					})
					t.Run("maxpool_"+name, func(t *testing.T) {
						got, _ := runNHWC(t, x, func(g *Graph, v Value) Value { return g.MaxPool2D(v, k, stride, p) })
						assertClose(t, refPool(x, int(k), int(stride), p == Same, false), got, 0)
					})
					t.Run("avgpool_"+name, func(t *testing.T) {
						got, _ := runNHWC(t, x, func(g *Graph, v Value) Value { return g.AvgPool2D(v, k, stride, p) })
						assertClose(t, refPool(x, int(k), int(stride), p == Same, true), got, 1e-5)
					})
				}
			}
		}
	}
}

func TestSeparableConvBiasAndChannels(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x := randTensor(r, "x", 1, 6, 5, 3)
	dw := randTensor(r, "dw", 3, 3, 3, 1)
	pw := randTensor(r, "pw", 1, 1, 3, 4)
	bias := randTensor(r, "b", 4)
	scale := randTensor(r, "s", 4)
	got, _ := runNHWC(t, x, func(g *Graph, v Value) Value {
		return g.MulChannels(g.SeparableConv2D(v, dw, pw, bias, 2, Same), scale)
	})
	mid := refConv(x, dw, 2, true, true)
	midT := &Tensor{Shape: []int64{1, 3, 3, 3}, Float: make([]float32, len(mid))}
	for i, v := range mid {
		midT.Float[i] = float32(v)
	}
	want := refConv(midT, pw, 1, false, false)
	for i := range want {
		want[i] = (want[i] + float64(bias.Float[i%4])) * float64(scale.Float[i%4])
	}
	assertClose(t, want, got, 1e-4)
}

func TestActivations(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	x := randTensor(r, "x", 1, 2, 3, 4)
	slope := randTensor(r, "slope", 4)
	bias := randTensor(r, "bias", 4)
	mean, offset, scale := randTensor(r, "mean", 4), randTensor(r, "offset", 4), randTensor(r, "scale", 4)
	variance := randTensor(r, "variance", 4)
	for i, v := range variance.Float {
		variance.Float[i] = v * v
	}
	tests := []struct {
		name string
		op   func(g *Graph, v Value) Value
		ref  func(v float64, ch int) float64
	}{
		{"relu", (*Graph).Relu, func(v float64, _ int) float64 { return max(v, 0) }},
		{"leaky", func(g *Graph, v Value) Value { return g.LeakyRelu(v, 0.2) }, func(v float64, _ int) float64 {
			if v < 0 {
				return float64(float32(0.2) * float32(v))
			}
			return v
		}},
		{"prelu", func(g *Graph, v Value) Value { return g.PRelu(v, slope) }, func(v float64, ch int) float64 {
			if v < 0 {
				return float64(slope.Float[ch]) * v
			}
			return v
		}},
		{"sigmoid", (*Graph).Sigmoid, func(v float64, _ int) float64 { return 1 / (1 + math.Exp(-v)) }},
		{"add channels", func(g *Graph, v Value) Value { return g.AddChannels(v, bias) }, func(v float64, ch int) float64 { return v + float64(bias.Float[ch]) }},
		{"batchnorm", func(g *Graph, v Value) Value { return g.BatchNorm(v, mean, variance, offset, scale, 1e-3) }, func(v float64, ch int) float64 {
			return (v-float64(mean.Float[ch]))*float64(scale.Float[ch])/math.Sqrt(float64(variance.Float[ch])+1e-3) + float64(offset.Float[ch])
		}},
		{"sub div", func(g *Graph, v Value) Value { return g.Div(g.Sub(v, g.Scalar(1)), g.Scalar(4)) }, func(v float64, _ int) float64 { return (v - 1) / 4 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := runNHWC(t, x, tc.op)
			want := make([]float64, len(x.Float))
			for i, v := range x.Float {
				want[i] = tc.ref(float64(v), i%4)
			}
			assertClose(t, want, got, 1e-6)
		})
	}
}

func TestFlattenDenseSoftmaxMeanPadConcat(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	x := randTensor(r, "x", 1, 2, 3, 4) // NHWC, 24 values
	w := randTensor(r, "w", 24, 5)
	b := randTensor(r, "b", 5)

	t.Run("flatten in NHWC order", func(t *testing.T) {
		got, shape := runNHWC(t, x, (*Graph).Flatten)
		assert.Equal(t, []int64{1, 24}, shape)
		assertClose(t, f64(x.Float), got, 0)
	})
	t.Run("dense softmax", func(t *testing.T) {
		got, _ := runNHWC(t, x, func(g *Graph, v Value) Value { return g.Softmax(g.Dense(g.Flatten(v), w, b), -1) })
		logits := make([]float64, 5)
		sum := 0.0
		for j := range 5 {
			logits[j] = float64(b.Float[j])
			for i := range 24 {
				logits[j] += float64(x.Float[i]) * float64(w.Float[i*5+j])
			}
		}
		mx := logits[0]
		for _, l := range logits {
			mx = max(mx, l)
		}
		for j := range logits {
			logits[j] = math.Exp(logits[j] - mx)
			sum += logits[j]
		}
		for j := range logits {
			logits[j] /= sum
		}
		assertClose(t, logits, got, 1e-5)
	})
	t.Run("mean over H and W", func(t *testing.T) {
		got, shape := runNHWC(t, x, (*Graph).MeanHW)
		assert.Equal(t, []int64{1, 4}, shape)
		want := make([]float64, 4)
		for i, v := range x.Float {
			want[i%4] += float64(v) / 6
		}
		assertClose(t, want, got, 1e-6)
	})
	t.Run("pad and concat", func(t *testing.T) {
		got, shape := runNHWC(t, x, func(g *Graph, v Value) Value {
			padded := g.Pad(v, []int64{0, 0, 0, 0}, []int64{0, 0, 1, 1}) // a zero row and column at the end
			return g.Concat(1, padded, padded)                           // channels twice
		})
		assert.Equal(t, []int64{1, 3, 4, 8}, shape)
		for y := range 3 {
			for xx := range 4 {
				for ch := range 8 {
					want := 0.0
					if y < 2 && xx < 3 {
						want = float64(x.Float[(y*3+xx)*4+ch%4])
					}
					require.Equal(t, want, float64(got[(y*4+xx)*8+ch]))
				}
			}
		}
	})
	t.Run("reshape keeps the batch", func(t *testing.T) {
		got, shape := runNHWC(t, x, func(g *Graph, v Value) Value { return g.Reshape(g.Flatten(v), Batch, 6, 4) })
		assert.Equal(t, []int64{1, 6, 4}, shape)
		assertClose(t, f64(x.Float), got, 0)
	})
}

func f64(vs []float32) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = float64(v)
	}
	return out
}

// TestGraphErrors checks that mistakes in an architecture surface as
// ErrGraph from Model, with the first error kept, rather than as a model
// that ONNX Runtime rejects or, worse, runs.
func TestGraphErrors(t *testing.T) {
	f := &Tensor{Name: "f", Shape: []int64{3, 3, 4, 8}, Float: make([]float32, 3*3*4*8)}
	tests := map[string]func(g *Graph, x Value) Value{
		"conv channels": func(g *Graph, x Value) Value { return g.Conv2D(x, f, nil, 1, Same) },
		"conv nil":      func(g *Graph, x Value) Value { return g.Conv2D(x, nil, nil, 1, Same) },
		"window":        func(g *Graph, x Value) Value { return g.MaxPool2D(x, 9, 1, Valid) },
		"stride":        func(g *Graph, x Value) Value { return g.AvgPool2D(x, 2, 0, Valid) },
		"broadcast":     func(g *Graph, x Value) Value { return g.Add(x, g.Const("c", []int64{2}, []float32{1, 2})) },
		"reshape":       func(g *Graph, x Value) Value { return g.Reshape(x, Batch, 7) },
		"transpose":     func(g *Graph, x Value) Value { return g.Transpose(x, 0, 1, 1, 2) },
		"dense rank":    func(g *Graph, x Value) Value { return g.Dense(x, f, nil) },
		"channels":      func(g *Graph, x Value) Value { return g.AddChannels(x, f) },
		"pad batch":     func(g *Graph, x Value) Value { return g.Pad(x, []int64{1, 0, 0, 0}, []int64{0, 0, 0, 0}) },
		"concat": func(g *Graph, x Value) Value {
			return g.Concat(1, x, g.Pad(x, []int64{0, 0, 0, 0}, []int64{0, 0, 1, 0}))
		},
		"const size":    func(g *Graph, x Value) Value { return g.Add(x, g.Const("c", []int64{3}, []float32{1})) },
		"same name":     func(g *Graph, x Value) Value { return g.Add(x, g.Const("x", nil, []float32{1})) },
		"foreign value": func(g *Graph, x Value) Value { return g.Relu(NewGraph("other").Input("y", 1)) },
		"nil weight":    func(g *Graph, x Value) Value { return g.Add(x, g.Weight(nil)) },
		"batchnorm":     func(g *Graph, x Value) Value { return g.BatchNorm(x, f, nil, nil, nil, 0) },
	}
	for name, op := range tests {
		t.Run(name, func(t *testing.T) {
			g := NewGraph("bad")
			x := g.Input("x", Batch, 3, 5, 5)
			g.Output("y", g.Relu(op(g, x)))
			_, err := g.Model(ModelInfo{})
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrGraph)
		})
	}
	t.Run("no output", func(t *testing.T) {
		g := NewGraph("bad")
		g.Input("x", 1)
		_, err := g.Model(ModelInfo{})
		assert.ErrorIs(t, err, ErrGraph)
	})
	t.Run("metadata key twice", func(t *testing.T) {
		g := NewGraph("bad")
		g.Output("y", g.Relu(g.Input("x", 1)))
		_, err := g.Model(ModelInfo{Metadata: []Metadata{{"k", "a"}, {"k", "b"}}})
		assert.ErrorIs(t, err, ErrGraph)
	})
	t.Run("first error wins", func(t *testing.T) {
		g := NewGraph("bad")
		mine := fmt.Errorf("weight missing")
		g.Fail(mine)
		g.Fail(fmt.Errorf("later"))
		assert.Equal(t, mine, g.Err())
	})
}

func TestMarshalDeterministic(t *testing.T) {
	build := func() []byte {
		r := rand.New(rand.NewPCG(9, 9))
		g := NewGraph("det")
		x := g.NHWCToNCHW(g.Input("x", Batch, 8, 8, 3))
		x = g.Relu(g.Conv2D(x, randTensor(r, "f", 3, 3, 3, 4), randTensor(r, "b", 4), 2, Same))
		g.Output("y", g.Flatten(g.MaxPool2D(x, 2, 2, Valid)))
		m, err := g.Model(ModelInfo{ProducerName: "t", Metadata: []Metadata{{"b", "2"}, {"a", "1"}}})
		require.NoError(t, err)
		data, err := Marshal(m)
		require.NoError(t, err)
		return data
	}
	first := build()
	for range 5 {
		require.Equal(t, first, build())
	}
}

func TestPermute(t *testing.T) {
	// shape [2,3,4], values = their index; perm (2,0,1) gives shape [4,2,3].
	data := make([]float32, 24)
	for i := range data {
		data[i] = float32(i)
	}
	out := permute(data, []int64{2, 3, 4}, []int{2, 0, 1})
	for k := range 4 {
		for i := range 2 {
			for j := range 3 {
				require.Equal(t, data[(i*3+j)*4+k], out[(k*2+i)*3+j])
			}
		}
	}
	assert.Empty(t, permute(nil, []int64{0, 3}, []int{1, 0}))
	assert.Equal(t, []float32{7}, permute([]float32{7}, nil, nil), "a scalar")
}
