package tflite

import (
	"fmt"
	"math"

	"github.com/idkit-dev/idkit/models/convert"
)

// Translate adds m's graph to g. The model's image inputs (NHWC in TFLite)
// become ONNX inputs in NCHW, [N, C, H, W] with a free batch dimension,
// called inputNames[i]; outputs are exposed as outputNames[i]. Activations
// stay NCHW throughout: per-channel constants, concatenation axes and
// flattening are rewritten to match, so the ONNX graph computes exactly
// what the TFLite one does.
func Translate(m *Model, g *convert.Graph, inputNames, outputNames []string) error {
	if len(inputNames) != len(m.Inputs) || len(outputNames) != len(m.Outputs) {
		return fmt.Errorf("%w: model has %d inputs and %d outputs, %d and %d names given",
			ErrModel, len(m.Inputs), len(m.Outputs), len(inputNames), len(outputNames))
	}
	t := &translator{m: m, g: g, vals: map[int]convert.Value{}, consts: map[int][]float32{}}
	for i, ti := range m.Inputs {
		tn := m.Tensors[ti]
		if tn.Type != Float32 || len(tn.Shape) != 4 {
			return fmt.Errorf("%w: input %q is %s %v; only float32 NHWC images are supported", ErrModel, tn.Name, tn.Type, tn.Shape)
		}
		t.vals[ti] = g.Input(inputNames[i], convert.Batch, int64(tn.Shape[3]), int64(tn.Shape[1]), int64(tn.Shape[2]))
	}
	prelus := findPRelus(m)
	skip := map[int]bool{}
	for _, p := range prelus {
		for _, i := range p.skip {
			skip[i] = true
		}
	}
	for i, op := range m.Operators {
		if skip[i] {
			continue
		}
		if p, ok := prelus[i]; ok {
			if err := t.prelu(p, op.Outputs[0]); err != nil {
				return fmt.Errorf("operator %d (%s as PReLU): %w", i, op.Op, err)
			}
			continue
		}
		if err := t.operator(op); err != nil {
			return fmt.Errorf("operator %d (%s): %w", i, op.Op, err)
		}
		if err := g.Err(); err != nil {
			return fmt.Errorf("operator %d (%s): %w", i, op.Op, err)
		}
	}
	for i, ti := range m.Outputs {
		v, ok := t.vals[ti]
		if !ok {
			return fmt.Errorf("%w: output %q is never computed", ErrModel, m.Tensors[ti].Name)
		}
		g.Output(outputNames[i], v)
	}
	return g.Err()
}

type translator struct {
	m      *Model
	g      *convert.Graph
	vals   map[int]convert.Value // computed tensors
	consts map[int][]float32     // dequantized constants
}

// value returns a computed tensor.
func (t *translator) value(i int) (convert.Value, error) {
	if v, ok := t.vals[i]; ok {
		return v, nil
	}
	return convert.Value{}, fmt.Errorf("%w: tensor %q is used before it is computed", ErrModel, t.name(i))
}

func (t *translator) name(i int) string {
	if i < 0 {
		return "(none)"
	}
	return t.m.Tensors[i].Name
}

// tensor returns tensor i of a required operand (-1 marks an omitted one).
func (t *translator) tensor(i int) (*Tensor, error) {
	if i < 0 {
		return nil, fmt.Errorf("%w: a required operand is missing", ErrModel)
	}
	return &t.m.Tensors[i], nil
}

func (t *translator) isConst(i int) bool {
	if i < 0 {
		return false
	}
	_, deq := t.consts[i]
	return deq || t.m.Tensors[i].Data != nil
}

// floats returns a constant's values (decoding float16 data and
// dequantized tensors), or nil with an error.
func (t *translator) floats(i int) ([]float32, error) {
	if i < 0 {
		return nil, nil
	}
	if f, ok := t.consts[i]; ok {
		return f, nil
	}
	tn := &t.m.Tensors[i]
	if tn.Data == nil {
		return nil, fmt.Errorf("%w: %q is not a constant", ErrModel, tn.Name)
	}
	return tn.Floats()
}

// weight returns a constant as a convert.Tensor in the given TF shape,
// reordered by perm from its TFLite layout (nil perm: same order).
func (t *translator) weight(i int, perm []int, shape ...int64) (*convert.Tensor, error) {
	if i < 0 {
		return nil, nil
	}
	f, err := t.floats(i)
	if err != nil {
		return nil, err
	}
	src := t.m.Tensors[i].Shape
	if perm != nil {
		f = permute(f, src, perm)
	}
	if shape == nil {
		for _, d := range src {
			shape = append(shape, int64(d))
		}
	}
	return &convert.Tensor{Name: t.m.Tensors[i].Name, Shape: shape, Float: f}, nil
}

// operand returns input i of an op as a graph value; a constant is laid out
// to broadcast against like (NCHW when like is a 4-D activation).
func (t *translator) operand(i int, like convert.Value) (convert.Value, error) {
	if !t.isConst(i) {
		return t.value(i)
	}
	f, err := t.floats(i)
	if err != nil {
		return convert.Value{}, err
	}
	shape := t.m.Tensors[i].Shape
	n := len(f)
	ls := like.Shape()
	switch {
	case n == 1:
		return t.g.Const("", nil, f), nil
	case len(ls) == 4 && (len(shape) == 1 || len(shape) == 4 && shape[0]*shape[1]*shape[2] == 1) && int64(n) == ls[1]:
		return t.g.Const("", []int64{ls[1], 1, 1}, f), nil
	case len(ls) == 4 && len(shape) == 4:
		return t.g.Const("", []int64{int64(shape[0]), int64(shape[3]), int64(shape[1]), int64(shape[2])},
			permute(f, shape, []int{0, 3, 1, 2})), nil
	case len(ls) == 4:
		return convert.Value{}, fmt.Errorf("%w: constant %q %v does not broadcast against an image", ErrModel, t.name(i), shape)
	}
	s := make([]int64, len(shape))
	for k, d := range shape {
		s[k] = int64(d)
	}
	return t.g.Const("", s, f), nil
}

func (t *translator) operator(op Operator) error {
	g, o := t.g, op.Options
	in := func(k int) int {
		if k < len(op.Inputs) {
			return op.Inputs[k]
		}
		return -1
	}
	if len(op.Outputs) != 1 {
		return fmt.Errorf("%w: %d outputs", ErrModel, len(op.Outputs))
	}
	out := op.Outputs[0]
	var v convert.Value
	switch op.Op {
	case OpDequantize:
		src, err := t.tensor(in(0))
		if err != nil {
			return err
		}
		f, err := src.Floats()
		if err != nil {
			return err
		}
		if n := t.m.Tensors[out].count(); n != len(f) {
			return fmt.Errorf("%w: %d values dequantized into %v", ErrModel, len(f), t.m.Tensors[out].Shape)
		}
		t.consts[out] = f
		return nil

	case OpConv2D, OpDepthwiseConv:
		x, err := t.value(in(0))
		if err != nil {
			return err
		}
		if o.StrideW != o.StrideH || o.DilationW != 1 || o.DilationH != 1 {
			return fmt.Errorf("%w: strides %dx%d, dilation %dx%d: only equal strides without dilation are supported",
				ErrModel, o.StrideW, o.StrideH, o.DilationW, o.DilationH)
		}
		wt, err := t.tensor(in(1))
		if err != nil {
			return err
		}
		ws := wt.Shape
		if len(ws) != 4 {
			return fmt.Errorf("%w: filter %q has shape %v", ErrModel, t.name(in(1)), ws)
		}
		bias, err := t.weight(in(2), nil)
		if err != nil {
			return err
		}
		if op.Op == OpConv2D {
			// TFLite [out, kh, kw, in] → TensorFlow [kh, kw, in, out].
			w, err := t.weight(in(1), []int{1, 2, 3, 0})
			if err != nil {
				return err
			}
			w.Shape = []int64{int64(ws[1]), int64(ws[2]), int64(ws[3]), int64(ws[0])}
			v = g.Conv2D(x, w, bias, int64(o.StrideW), padding(o.Padding))
		} else {
			// TFLite [1, kh, kw, in·mult] is TensorFlow's [kh, kw, in, mult].
			cin := x.Shape()[1]
			if o.DepthMultiplier < 1 || int64(ws[3]) != cin*int64(o.DepthMultiplier) {
				return fmt.Errorf("%w: depthwise filter %v for %d channels × %d", ErrModel, ws, cin, o.DepthMultiplier)
			}
			w, err := t.weight(in(1), nil, int64(ws[1]), int64(ws[2]), cin, int64(o.DepthMultiplier))
			if err != nil {
				return err
			}
			v = g.DepthwiseConv2D(x, w, bias, int64(o.StrideW), padding(o.Padding))
		}
		v = t.activate(v, o.Activation)

	case OpMaxPool2D, OpAveragePool2D:
		x, err := t.value(in(0))
		if err != nil {
			return err
		}
		if o.FilterW != o.FilterH || o.StrideW != o.StrideH {
			return fmt.Errorf("%w: pool %dx%d stride %dx%d: only square windows and equal strides are supported",
				ErrModel, o.FilterW, o.FilterH, o.StrideW, o.StrideH)
		}
		if op.Op == OpMaxPool2D {
			v = g.MaxPool2D(x, int64(o.FilterW), int64(o.StrideW), padding(o.Padding))
		} else {
			v = g.AvgPool2D(x, int64(o.FilterW), int64(o.StrideW), padding(o.Padding))
		}
		v = t.activate(v, o.Activation)

	case OpFullyConnected:
		x, err := t.value(in(0))
		if err != nil {
			return err
		}
		if o.WeightsFormat != 0 || o.KeepNumDims {
			return fmt.Errorf("%w: fully connected weights format %d, keep_num_dims %v", ErrModel, o.WeightsFormat, o.KeepNumDims)
		}
		if len(x.Shape()) != 2 {
			x = g.Flatten(x)
		}
		wt, err := t.tensor(in(1))
		if err != nil {
			return err
		}
		ws := wt.Shape
		if len(ws) != 2 {
			return fmt.Errorf("%w: fully connected weights %v", ErrModel, ws)
		}
		// TFLite [out, in] → TensorFlow [in, out].
		w, err := t.weight(in(1), []int{1, 0}, int64(ws[1]), int64(ws[0]))
		if err != nil {
			return err
		}
		bias, err := t.weight(in(2), nil)
		if err != nil {
			return err
		}
		v = t.activate(g.Dense(x, w, bias), o.Activation)

	case OpAdd, OpSub, OpMul, OpLess, OpGreater, OpGreaterEqual:
		a, b, err := t.binaryOperands(in(0), in(1))
		if err != nil {
			return err
		}
		switch op.Op {
		case OpAdd:
			v = g.Add(a, b)
		case OpSub:
			v = g.Sub(a, b)
		case OpMul:
			v = g.Mul(a, b)
		case OpLess:
			v = g.Compare("Less", a, b)
		case OpGreater:
			v = g.Compare("Greater", a, b)
		case OpGreaterEqual:
			v = g.Compare("GreaterOrEqual", a, b)
		}
		v = t.activate(v, o.Activation)

	case OpCast:
		// Comparisons already give float32 0/1; a cast back to float32 is
		// the identity.
		x, err := t.value(in(0))
		if err != nil {
			return err
		}
		if t.m.Tensors[out].Type != Float32 {
			return fmt.Errorf("%w: cast to %s", ErrModel, t.m.Tensors[out].Type)
		}
		v = x

	case OpRelu, OpRelu6, OpLogistic, OpAbs, OpLeakyRelu, OpSoftmax:
		x, err := t.value(in(0))
		if err != nil {
			return err
		}
		switch op.Op {
		case OpRelu:
			v = g.Relu(x)
		case OpRelu6:
			v = g.Clip(x, 0, 6)
		case OpLogistic:
			v = g.Sigmoid(x)
		case OpAbs:
			v = g.Abs(x)
		case OpLeakyRelu:
			v = g.LeakyRelu(x, o.Alpha)
		case OpSoftmax:
			if o.Beta != 1 {
				return fmt.Errorf("%w: softmax beta %v (only 1 is supported)", ErrModel, o.Beta)
			}
			axis := int64(-1)
			if len(x.Shape()) == 4 {
				axis = 1
			}
			v = g.Softmax(x, axis)
		}

	case OpReshape:
		x, err := t.value(in(0))
		if err != nil {
			return err
		}
		xs, want := x.Shape(), t.m.Tensors[out].Shape
		switch {
		case len(want) == 2 && len(xs) >= 2:
			v = g.Flatten(x)
			if vs := v.Shape(); g.Err() == nil && vs[1] != int64(want[1]) {
				return fmt.Errorf("%w: reshape of %v to %v", ErrModel, xs, want)
			}
		case len(want) == len(xs) && sameShape(xs, want):
			v = x
		default:
			return fmt.Errorf("%w: reshape of %v to %v is not supported", ErrModel, xs, want)
		}

	case OpConcatenation:
		if len(op.Inputs) == 0 {
			return fmt.Errorf("%w: concatenation of nothing", ErrModel)
		}
		vs := make([]convert.Value, len(op.Inputs))
		for k, i := range op.Inputs {
			var err error
			if vs[k], err = t.value(i); err != nil {
				return err
			}
		}
		rank := len(vs[0].Shape())
		axis := o.Axis
		if axis < 0 {
			axis += rank
		}
		if axis < 0 || axis >= rank {
			return fmt.Errorf("%w: concatenation axis %d of rank %d", ErrModel, o.Axis, rank)
		}
		if rank == 4 {
			axis = [4]int{0, 2, 3, 1}[axis] // NHWC axis → NCHW axis
		}
		v = t.activate(g.Concat(axis, vs...), o.Activation)

	case OpStridedSlice:
		x, err := t.value(in(0))
		if err != nil {
			return err
		}
		if v, err = t.stridedSlice(x, op); err != nil {
			return err
		}

	default:
		return fmt.Errorf("%w: operator %s is not supported", ErrModel, op.Op)
	}
	t.vals[out] = v
	return nil
}

func (t *translator) binaryOperands(ia, ib int) (a, b convert.Value, err error) {
	switch {
	case !t.isConst(ia):
		if a, err = t.value(ia); err == nil {
			b, err = t.operand(ib, a)
		}
	case !t.isConst(ib):
		if b, err = t.value(ib); err == nil {
			a, err = t.operand(ia, b)
		}
	default:
		err = fmt.Errorf("%w: both operands %q and %q are constants", ErrModel, t.name(ia), t.name(ib))
	}
	return a, b, err
}

// stridedSlice supports slices of 2-D (non-image) values with constant
// begin, end and strides and no ellipsis, new-axis or shrink masks.
func (t *translator) stridedSlice(x convert.Value, op Operator) (convert.Value, error) {
	o := op.Options
	if len(op.Inputs) != 4 {
		return convert.Value{}, fmt.Errorf("%w: strided slice with %d inputs, want 4", ErrModel, len(op.Inputs))
	}
	if o.EllipsisMask != 0 || o.NewAxisMask != 0 || o.ShrinkAxisMask != 0 {
		return convert.Value{}, fmt.Errorf("%w: strided slice masks ellipsis %d, new axis %d, shrink %d are not supported",
			ErrModel, o.EllipsisMask, o.NewAxisMask, o.ShrinkAxisMask)
	}
	xs := x.Shape()
	if len(xs) == 4 {
		return convert.Value{}, fmt.Errorf("%w: strided slice of an image is not supported", ErrModel)
	}
	var idx [3][]int
	for k := range 3 {
		it, err := t.tensor(op.Inputs[k+1])
		if err != nil {
			return convert.Value{}, err
		}
		if idx[k], err = it.Ints(); err != nil {
			return convert.Value{}, err
		}
		if len(idx[k]) != len(xs) {
			return convert.Value{}, fmt.Errorf("%w: strided slice indices %v for shape %v", ErrModel, idx[k], xs)
		}
	}
	n := len(xs)
	begin, end, step := make([]int64, n), make([]int64, n), make([]int64, n)
	whole := true
	for i := range n {
		b, e, s := int64(idx[0][i]), int64(idx[1][i]), int64(idx[2][i])
		if o.BeginMask&(1<<i) != 0 {
			b = 0
		}
		if o.EndMask&(1<<i) != 0 {
			e = math.MaxInt64
		}
		if xs[i] != convert.Batch {
			if b < 0 {
				b += xs[i]
			}
			if e < 0 {
				e += xs[i]
			}
		}
		begin[i], end[i], step[i] = b, e, s
		if b != 0 || s != 1 || (e != math.MaxInt64 && (xs[i] == convert.Batch || e < xs[i])) {
			whole = false
		}
	}
	if whole {
		return x, nil
	}
	return t.g.Slice(x, begin, end, step), nil
}

func (t *translator) activate(v convert.Value, a Activation) convert.Value {
	switch a {
	case ActNone:
		return v
	case ActRelu:
		return t.g.Relu(v)
	case ActRelu6:
		return t.g.Clip(v, 0, 6)
	}
	t.g.Fail(fmt.Errorf("%w: fused activation %d is not supported", ErrModel, a))
	return convert.Value{}
}

func padding(p Padding) convert.Padding {
	if p == Valid {
		return convert.Valid
	}
	return convert.Same
}

// sameShape reports whether the value shape a (NCHW when 4-D, free batch
// first) is the TFLite shape b (NHWC when 4-D): a reshape between them is
// the identity.
func sameShape(a []int64, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	var perm []int // identity below rank 4; rank 5 and up compare axis by axis
	if len(a) < 4 {
		perm = []int{0, 1, 2}[:len(a)]
	}
	if len(a) == 4 {
		perm = []int{0, 3, 1, 2} // NCHW axis i is NHWC axis perm[i]
	}
	for i := 1; i < len(a); i++ {
		if len(a) > 4 {
			if a[i] != int64(b[i]) {
				return false
			}
			continue
		}
		if a[i] != int64(b[perm[i]]) {
			return false
		}
	}
	return true
}

// permute returns data (row-major, shape) with its axes reordered so that
// output axis i is input axis perm[i].
func permute(data []float32, shape []int, perm []int) []float32 {
	n := len(shape)
	stride := make([]int, n)
	s := 1
	for i := n - 1; i >= 0; i-- {
		stride[i] = s
		s *= shape[i]
	}
	outShape := make([]int, n)
	for i, p := range perm {
		outShape[i] = shape[p]
	}
	out := make([]float32, len(data))
	idx := make([]int, n)
	for o := range out {
		src := 0
		for i, p := range perm {
			src += idx[i] * stride[p]
		}
		out[o] = data[src]
		for i := n - 1; i >= 0; i-- {
			idx[i]++
			if idx[i] < outShape[i] {
				break
			}
			idx[i] = 0
		}
	}
	return out
}
