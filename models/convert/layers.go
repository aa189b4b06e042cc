package convert

import (
	"fmt"
	"math"
	"slices"

	"github.com/idkit-dev/idkit/internal/onnxpb"
)

// Padding is TensorFlow's padding mode for convolutions and pooling.
type Padding int

const (
	// Valid uses no padding: windows lie entirely inside the input.
	Valid Padding = iota
	// Same pads so that the output is ceil(input/stride) long, putting the
	// odd extra pixel at the end (bottom/right), as TensorFlow does.
	Same
)

func (p Padding) String() string {
	if p == Same {
		return "same"
	}
	return "valid"
}

// window returns the output length and the begin/end padding of one
// spatial axis under TensorFlow's rules.
func window(in, k, stride int64, p Padding) (out, begin, end int64, ok bool) {
	if in <= 0 || k <= 0 || stride <= 0 {
		return 0, 0, 0, false
	}
	if p == Same {
		out = (in + stride - 1) / stride
		total := max((out-1)*stride+k-in, 0)
		return out, total / 2, total - total/2, true
	}
	if k > in {
		return 0, 0, 0, false
	}
	return (in-k)/stride + 1, 0, 0, true
}

// spatial checks that x is 4-D NCHW with known C, H, W.
func (g *Graph) spatial(op string, x Value) bool {
	if g.err != nil || !g.known(x) {
		return false
	}
	if len(x.shape) != 4 || x.shape[1] < 1 || x.shape[2] < 1 || x.shape[3] < 1 {
		g.failf("%s needs a 4-D NCHW value with known C, H, W; %s has shape %v", op, x.name, x.shape)
		return false
	}
	return true
}

// pooled computes the output shape and ONNX pads of a 2-D window op.
func (g *Graph) pooled(op string, x Value, kh, kw, stride int64, p Padding) (shape, pads []int64, ok bool) {
	oh, t, b, okh := window(x.shape[2], kh, stride, p)
	ow, l, r, okw := window(x.shape[3], kw, stride, p)
	if !okh || !okw {
		g.failf("%s: window %dx%d stride %d (%s) does not fit input %v", op, kh, kw, stride, p, x.shape)
		return nil, nil, false
	}
	return []int64{x.shape[0], x.shape[1], oh, ow}, []int64{t, l, b, r}, true
}

// Transpose permutes the axes of x.
func (g *Graph) Transpose(x Value, perm ...int64) Value {
	if g.err != nil || !g.known(x) {
		return Value{}
	}
	if len(perm) != len(x.shape) {
		g.failf("transpose of %v by %v", x.shape, perm)
		return Value{}
	}
	shape := make([]int64, len(perm))
	seen := make([]bool, len(perm))
	for i, p := range perm {
		if p < 0 || int(p) >= len(perm) || seen[p] {
			g.failf("transpose permutation %v is not valid", perm)
			return Value{}
		}
		seen[p] = true
		shape[i] = x.shape[p]
	}
	return g.op("Transpose", shape, []string{x.name}, attrInts("perm", perm...))
}

// NHWCToNCHW turns a TensorFlow-layout image batch into the NCHW layout the
// convolution and pooling ops expect.
func (g *Graph) NHWCToNCHW(x Value) Value { return g.Transpose(x, 0, 3, 1, 2) }

// broadcast returns the NumPy-style broadcast shape of a and b; the batch
// dimension only matches itself or 1.
func broadcast(a, b []int64) ([]int64, bool) {
	n := max(len(a), len(b))
	out := make([]int64, n)
	for i := range n {
		da, db := int64(1), int64(1)
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db:
			out[i] = da
		case da == 1:
			out[i] = db
		case db == 1:
			out[i] = da
		default:
			return nil, false
		}
	}
	return out, true
}

func (g *Graph) binary(op string, a, b Value) Value {
	if g.err != nil || !g.known(a, b) {
		return Value{}
	}
	shape, ok := broadcast(a.shape, b.shape)
	if !ok {
		g.failf("%s of shapes %v and %v does not broadcast", op, a.shape, b.shape)
		return Value{}
	}
	return g.op(op, shape, []string{a.name, b.name})
}

// Add returns a+b with NumPy broadcasting.
func (g *Graph) Add(a, b Value) Value { return g.binary("Add", a, b) }

// Sub returns a-b with NumPy broadcasting.
func (g *Graph) Sub(a, b Value) Value { return g.binary("Sub", a, b) }

// Mul returns a*b with NumPy broadcasting.
func (g *Graph) Mul(a, b Value) Value { return g.binary("Mul", a, b) }

// Div returns a/b with NumPy broadcasting.
func (g *Graph) Div(a, b Value) Value { return g.binary("Div", a, b) }

func (g *Graph) unary(op string, x Value, attrs ...*onnxpb.AttributeProto) Value {
	if g.err != nil || !g.known(x) {
		return Value{}
	}
	return g.op(op, x.shape, []string{x.name}, attrs...)
}

// Relu returns max(x, 0).
func (g *Graph) Relu(x Value) Value { return g.unary("Relu", x) }

// LeakyRelu returns x for x ≥ 0 and alpha·x below.
func (g *Graph) LeakyRelu(x Value, alpha float32) Value {
	return g.unary("LeakyRelu", x, attrFloat("alpha", alpha))
}

// Abs returns |x|.
func (g *Graph) Abs(x Value) Value { return g.unary("Abs", x) }

// Clip limits x to [lo, hi] (ReLU6 is Clip(x, 0, 6)).
func (g *Graph) Clip(x Value, lo, hi float32) Value {
	if g.err != nil || !g.known(x) {
		return Value{}
	}
	return g.op("Clip", x.shape, []string{x.name, g.Scalar(lo).name, g.Scalar(hi).name})
}

// Compare is an elementwise comparison (op is "Less", "LessOrEqual",
// "Greater", "GreaterOrEqual" or "Equal") giving 1 where it holds and 0
// elsewhere, as float32 (a boolean comparison followed by a cast, the way
// TensorFlow graphs build masks).
func (g *Graph) Compare(op string, a, b Value) Value {
	switch op {
	case "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "Equal":
	default:
		g.failf("Compare: unknown comparison %q", op)
		return Value{}
	}
	mask := g.binary(op, a, b)
	if g.err != nil {
		return Value{}
	}
	return g.op("Cast", mask.shape, []string{mask.name}, attrInt("to", int64(onnxpb.TensorProto_FLOAT)))
}

// Slice takes begin[i]:end[i]:step[i] along every axis of x (ONNX Slice;
// indices already resolved, end exclusive, positive steps only).
func (g *Graph) Slice(x Value, begin, end, step []int64) Value {
	if g.err != nil || !g.known(x) {
		return Value{}
	}
	n := len(x.shape)
	if len(begin) != n || len(end) != n || len(step) != n {
		g.failf("Slice of %v by %v:%v:%v", x.shape, begin, end, step)
		return Value{}
	}
	shape := x.Shape()
	axes := make([]int64, n)
	for i := range n {
		axes[i] = int64(i)
		if shape[i] == Batch {
			if begin[i] != 0 || step[i] != 1 || end[i] != math.MaxInt64 {
				g.failf("Slice of %v: the batch dimension must be kept whole", x.shape)
				return Value{}
			}
			continue
		}
		if step[i] <= 0 || begin[i] < 0 || begin[i] > shape[i] || end[i] < begin[i] {
			g.failf("Slice of %v by %v:%v:%v", x.shape, begin, end, step)
			return Value{}
		}
		e := min(end[i], shape[i])
		shape[i] = (e - begin[i] + step[i] - 1) / step[i]
	}
	return g.op("Slice", shape, []string{x.name, g.ints(begin...), g.ints(end...), g.ints(axes...), g.ints(step...)})
}

// Sigmoid returns 1/(1+exp(-x)).
func (g *Graph) Sigmoid(x Value) Value { return g.unary("Sigmoid", x) }

// Softmax normalizes x along axis (negative counts from the end).
func (g *Graph) Softmax(x Value, axis int64) Value {
	return g.unary("Softmax", x, attrInt("axis", axis))
}

// channelConst turns a per-channel weight (TensorFlow's last axis) into a
// constant that broadcasts over x: [C,1,1] for NCHW values, [C] otherwise.
func (g *Graph) channelConst(op string, x Value, t *Tensor) Value {
	if g.err != nil || !g.known(x) {
		return Value{}
	}
	if len(x.shape) < 2 {
		g.failf("%s: %s %v has no channel axis", op, x.name, x.shape)
		return Value{}
	}
	c := x.shape[len(x.shape)-1]
	if len(x.shape) == 4 {
		c = x.shape[1]
	}
	if t == nil || int64(t.Len()) != c {
		g.failf("%s: per-channel weight %v does not fit %s %v", op, shapeOf(t), x.name, x.shape)
		return Value{}
	}
	if len(x.shape) == 4 {
		return g.Weight(t, c, 1, 1)
	}
	return g.Weight(t, c)
}

// AddChannels adds a per-channel weight (a TensorFlow bias) to x.
func (g *Graph) AddChannels(x Value, t *Tensor) Value {
	return g.Add(x, g.channelConst("AddChannels", x, t))
}

// MulChannels multiplies x by a per-channel weight.
func (g *Graph) MulChannels(x Value, t *Tensor) Value {
	return g.Mul(x, g.channelConst("MulChannels", x, t))
}

// BatchNorm is TensorFlow's batch normalization in inference mode, folded
// into one per-channel multiply-add: x·k + (offset − mean·k) with
// k = scale/√(variance+epsilon), computed in float64 at build time (ONNX
// Runtime then folds it into a preceding Conv). A nil offset means 0 and a
// nil scale 1, as in tf.batchNorm. Folding rounds differently from
// TensorFlow's unfolded arithmetic, by about one float32 ulp.
func (g *Graph) BatchNorm(x Value, mean, variance, offset, scale *Tensor, epsilon float64) Value {
	if g.err != nil {
		return Value{}
	}
	if mean == nil || variance == nil || mean.Len() != variance.Len() ||
		offset != nil && offset.Len() != mean.Len() || scale != nil && scale.Len() != mean.Len() {
		g.failf("BatchNorm: mean, variance, offset and scale must have one value per channel")
		return Value{}
	}
	n := mean.Len()
	k := &Tensor{Name: mean.Name + "/folded_scale", Shape: []int64{int64(n)}, Float: make([]float32, n)}
	b := &Tensor{Name: mean.Name + "/folded_offset", Shape: []int64{int64(n)}, Float: make([]float32, n)}
	for i := range n {
		f := 1 / math.Sqrt(float64(variance.Float[i])+epsilon)
		if scale != nil {
			f *= float64(scale.Float[i])
		}
		off := 0.0
		if offset != nil {
			off = float64(offset.Float[i])
		}
		k.Float[i] = float32(f)
		b.Float[i] = float32(off - float64(float64(mean.Float[i])*f))
	}
	return g.AddChannels(g.MulChannels(x, k), b)
}

// PRelu returns x for x ≥ 0 and slope·x below, with one slope per channel.
func (g *Graph) PRelu(x Value, slope *Tensor) Value {
	s := g.channelConst("PRelu", x, slope)
	if g.err != nil {
		return Value{}
	}
	return g.op("PRelu", x.shape, []string{x.name, s.name})
}

// Conv2D is tf.conv2d (plus a bias when bias is not nil) on an NCHW value,
// with a TensorFlow filter of shape [kh, kw, in, out].
func (g *Graph) Conv2D(x Value, filter, bias *Tensor, stride int64, p Padding) Value {
	if !g.spatial("Conv2D", x) {
		return Value{}
	}
	if filter == nil || len(filter.Shape) != 4 || filter.Shape[2] != x.shape[1] {
		g.failf("Conv2D: filter %v does not fit input %v", shapeOf(filter), x.shape)
		return Value{}
	}
	kh, kw, cin, cout := filter.Shape[0], filter.Shape[1], filter.Shape[2], filter.Shape[3]
	w := g.Const(filter.Name, []int64{cout, cin, kh, kw}, permute(filter.Float, filter.Shape, []int{3, 2, 0, 1}))
	return g.conv(x, w, bias, kh, kw, cout, 1, stride, p)
}

// DepthwiseConv2D is tf.depthwiseConv2d (plus an optional bias) on an NCHW
// value, with a TensorFlow filter of shape [kh, kw, in, multiplier].
func (g *Graph) DepthwiseConv2D(x Value, filter, bias *Tensor, stride int64, p Padding) Value {
	if !g.spatial("DepthwiseConv2D", x) {
		return Value{}
	}
	if filter == nil || len(filter.Shape) != 4 || filter.Shape[2] != x.shape[1] {
		g.failf("DepthwiseConv2D: filter %v does not fit input %v", shapeOf(filter), x.shape)
		return Value{}
	}
	kh, kw, cin, mult := filter.Shape[0], filter.Shape[1], filter.Shape[2], filter.Shape[3]
	// TF's output channel c*mult+m is ONNX's group c, filter m: [kh,kw,c,m]
	// becomes [c*mult+m, 1, kh, kw].
	w := g.Const(filter.Name, []int64{cin * mult, 1, kh, kw}, permute(filter.Float, filter.Shape, []int{2, 3, 0, 1}))
	return g.conv(x, w, bias, kh, kw, cin*mult, cin, stride, p)
}

// SeparableConv2D is tf.separableConv2d plus a bias: a depthwise
// convolution with the given stride and padding, then a 1x1 pointwise
// convolution [1, 1, in·mult, out].
func (g *Graph) SeparableConv2D(x Value, depthwise, pointwise, bias *Tensor, stride int64, p Padding) Value {
	return g.Conv2D(g.DepthwiseConv2D(x, depthwise, nil, stride, p), pointwise, bias, 1, Valid)
}

func (g *Graph) conv(x, w Value, bias *Tensor, kh, kw, cout, group, stride int64, p Padding) Value {
	if g.err != nil {
		return Value{}
	}
	shape, pads, ok := g.pooled("Conv", x, kh, kw, stride, p)
	if !ok {
		return Value{}
	}
	shape[1] = cout
	inputs := []string{x.name, w.name}
	if bias != nil {
		if bias.Len() != int(cout) {
			g.failf("Conv: bias %s has %d values for %d channels", bias.Name, bias.Len(), cout)
			return Value{}
		}
		inputs = append(inputs, g.Weight(bias, cout).name)
	}
	attrs := []*onnxpb.AttributeProto{
		attrInts("kernel_shape", kh, kw),
		attrInts("strides", stride, stride),
		attrInts("pads", pads...),
	}
	if group != 1 {
		attrs = append(attrs, attrInt("group", group))
	}
	return g.op("Conv", shape, inputs, attrs...)
}

// MaxPool2D is tf.maxPool on an NCHW value (padding never wins the max).
func (g *Graph) MaxPool2D(x Value, k, stride int64, p Padding) Value {
	if !g.spatial("MaxPool2D", x) {
		return Value{}
	}
	shape, pads, ok := g.pooled("MaxPool2D", x, k, k, stride, p)
	if !ok {
		return Value{}
	}
	return g.op("MaxPool", shape, []string{x.name},
		attrInts("kernel_shape", k, k), attrInts("strides", stride, stride), attrInts("pads", pads...))
}

// AvgPool2D is tf.avgPool on an NCHW value (padding is left out of the
// average, as in TensorFlow).
func (g *Graph) AvgPool2D(x Value, k, stride int64, p Padding) Value {
	if !g.spatial("AvgPool2D", x) {
		return Value{}
	}
	shape, pads, ok := g.pooled("AvgPool2D", x, k, k, stride, p)
	if !ok {
		return Value{}
	}
	return g.op("AveragePool", shape, []string{x.name},
		attrInts("kernel_shape", k, k), attrInts("strides", stride, stride), attrInts("pads", pads...),
		attrInt("count_include_pad", 0))
}

// MeanHW averages an NCHW value over its spatial axes, giving [N, C]
// (TensorFlow's x.mean([1, 2]) on NHWC).
func (g *Graph) MeanHW(x Value) Value {
	if !g.spatial("MeanHW", x) {
		return Value{}
	}
	return g.op("ReduceMean", []int64{x.shape[0], x.shape[1]}, []string{x.name},
		attrInts("axes", 2, 3), attrInt("keepdims", 0))
}

// Flatten reshapes x to [N, rest] in TensorFlow's element order: an NCHW
// value is flattened as its NHWC equivalent would be.
func (g *Graph) Flatten(x Value) Value {
	if g.err != nil || !g.known(x) {
		return Value{}
	}
	if len(x.shape) < 2 {
		g.failf("Flatten of %v", x.shape)
		return Value{}
	}
	if len(x.shape) == 4 && x.shape[2]*x.shape[3] != 1 {
		x = g.Transpose(x, 0, 2, 3, 1)
	}
	rest := int64(1)
	for _, d := range x.shape[1:] {
		if d < 0 {
			g.failf("Flatten of %v: only the first dimension may be the batch", x.shape)
			return Value{}
		}
		rest *= d
	}
	return g.op("Flatten", []int64{x.shape[0], rest}, []string{x.name}, attrInt("axis", 1))
}

// Reshape gives x a new shape with the same elements in the same order.
// Batch may stand in the first position when x's first dimension is the
// batch.
func (g *Graph) Reshape(x Value, shape ...int64) Value {
	if g.err != nil || !g.known(x) {
		return Value{}
	}
	count := func(s []int64) (int64, bool) {
		n := int64(1)
		for _, d := range s {
			if d < 0 {
				return 0, false
			}
			n *= d
		}
		return n, true
	}
	spec := append([]int64(nil), shape...)
	from, to := x.shape, shape
	if len(shape) > 0 && shape[0] == Batch {
		if len(x.shape) == 0 || x.shape[0] != Batch {
			g.failf("Reshape of %v to %v: no batch dimension to keep", x.shape, shape)
			return Value{}
		}
		spec[0] = 0 // ONNX: copy the input's first dimension
		from, to = x.shape[1:], shape[1:]
	}
	nf, okf := count(from)
	nt, okt := count(to)
	if !okf || !okt || nf != nt {
		g.failf("Reshape of %v to %v", x.shape, shape)
		return Value{}
	}
	return g.op("Reshape", append([]int64(nil), shape...), []string{x.name, g.ints(spec...)})
}

// Dense is a fully connected layer, x·w + b, for x of shape [N, K] and a
// TensorFlow weight w of shape [K, M]; bias may be nil.
func (g *Graph) Dense(x Value, w, bias *Tensor) Value {
	if g.err != nil || !g.known(x) {
		return Value{}
	}
	if len(x.shape) != 2 || w == nil || len(w.Shape) != 2 || w.Shape[0] != x.shape[1] {
		g.failf("Dense: weight %v does not fit input %v", shapeOf(w), x.shape)
		return Value{}
	}
	m := w.Shape[1]
	wv := g.Weight(w)
	if bias == nil {
		return g.op("MatMul", []int64{x.shape[0], m}, []string{x.name, wv.name})
	}
	if bias.Len() != int(m) {
		g.failf("Dense: bias %s has %d values for %d outputs", bias.Name, bias.Len(), m)
		return Value{}
	}
	return g.op("Gemm", []int64{x.shape[0], m}, []string{x.name, wv.name, g.Weight(bias, m).name})
}

// Pad pads x with zeros: begin[i] and end[i] values before and after axis i.
func (g *Graph) Pad(x Value, begin, end []int64) Value {
	if g.err != nil || !g.known(x) {
		return Value{}
	}
	if len(begin) != len(x.shape) || len(end) != len(x.shape) {
		g.failf("Pad of %v by %v, %v", x.shape, begin, end)
		return Value{}
	}
	shape := x.Shape()
	for i := range shape {
		if begin[i] < 0 || end[i] < 0 || (shape[i] == Batch && begin[i]+end[i] != 0) {
			g.failf("Pad of %v by %v, %v", x.shape, begin, end)
			return Value{}
		}
		if shape[i] != Batch {
			shape[i] += begin[i] + end[i]
		}
	}
	return g.op("Pad", shape, []string{x.name, g.ints(slices.Concat(begin, end)...)})
}

// Concat joins values along axis; all other dimensions must agree.
func (g *Graph) Concat(axis int, vs ...Value) Value {
	if g.err != nil || !g.known(vs...) {
		return Value{}
	}
	if len(vs) == 0 || axis < 0 || axis >= len(vs[0].shape) {
		g.failf("Concat of %d values on axis %d", len(vs), axis)
		return Value{}
	}
	shape := vs[0].Shape()
	names := []string{vs[0].name}
	for _, v := range vs[1:] {
		if len(v.shape) != len(shape) {
			g.failf("Concat of %v and %v", shape, v.shape)
			return Value{}
		}
		for i := range shape {
			if i != axis && v.shape[i] != shape[i] || i == axis && (v.shape[i] == Batch || shape[i] == Batch) {
				g.failf("Concat on axis %d of %v and %v", axis, vs[0].shape, v.shape)
				return Value{}
			}
		}
		shape[axis] += v.shape[axis]
		names = append(names, v.name)
	}
	return g.op("Concat", shape, names, attrInt("axis", int64(axis)))
}

func shapeOf(t *Tensor) string {
	if t == nil {
		return "(none)"
	}
	return fmt.Sprint(t.Shape)
}

// permute returns data (row-major, shape) with its axes reordered so that
// output axis i is input axis perm[i].
func permute(data []float32, shape []int64, perm []int) []float32 {
	n := len(shape)
	out := make([]float32, len(data))
	if len(out) == 0 {
		return out
	}
	inStride := make([]int, n)
	s := 1
	for i := n - 1; i >= 0; i-- {
		inStride[i] = s
		s *= int(shape[i])
	}
	// Walk the output in order like an odometer, moving the source offset
	// by the stride of the input axis each output axis maps to.
	dims := make([]int, n)
	step := make([]int, n)
	for i, p := range perm {
		dims[i], step[i] = int(shape[p]), inStride[p]
	}
	idx := make([]int, n)
	src := 0
	for o := range out {
		out[o] = data[src]
		for i := n - 1; i >= 0; i-- {
			idx[i]++
			src += step[i]
			if idx[i] < dims[i] {
				break
			}
			src -= step[i] * dims[i]
			idx[i] = 0
		}
	}
	return out
}
