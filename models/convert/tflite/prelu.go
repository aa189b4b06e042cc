package tflite

import "github.com/idkit-dev/idkit/models/convert"

// preluPattern is TF-Slim's PReLU as TOCO exports it:
//
//	relu(x) + c·(x − |x|)
//
// which is x for x ≥ 0 and 2c·x below. Five elementwise passes over a
// feature map become one PRelu node with slope 2c (MobileFaceNet has 33).
type preluPattern struct {
	x     int // the PReLU's input tensor
	slope []float32
	skip  []int // the RELU, ABS, SUB and MUL operators folded into the ADD
}

// findPRelus returns, by the index of the ADD that completes it, every
// PReLU whose intermediate tensors are used only inside the pattern.
func findPRelus(m *Model) map[int]preluPattern {
	producer := map[int]int{}
	uses := map[int]int{}
	for i, op := range m.Operators {
		for _, o := range op.Outputs {
			producer[o] = i
		}
		for _, in := range op.Inputs {
			uses[in]++
		}
	}
	for _, o := range m.Outputs {
		uses[o]++
	}
	// only returns the operator that produced tensor t if it is an op of
	// kind want with one output used once.
	only := func(t int, want BuiltinOp) (Operator, int, bool) {
		i, ok := producer[t]
		if !ok || uses[t] != 1 {
			return Operator{}, 0, false
		}
		op := m.Operators[i]
		return op, i, op.Op == want && op.Options.Activation == ActNone && len(op.Inputs) > 0
	}
	found := map[int]preluPattern{}
	for i, add := range m.Operators {
		if add.Op != OpAdd || len(add.Inputs) != 2 || len(add.Outputs) != 1 || add.Options.Activation != ActNone {
			continue
		}
		for _, order := range [][2]int{{0, 1}, {1, 0}} {
			relu, ri, ok := only(add.Inputs[order[0]], OpRelu)
			if !ok {
				continue
			}
			mul, mi, ok := only(add.Inputs[order[1]], OpMul)
			if !ok || len(mul.Inputs) != 2 {
				continue
			}
			x := relu.Inputs[0]
			if x < 0 {
				continue // an optional input left out: not the pattern
			}
			for _, mo := range [][2]int{{0, 1}, {1, 0}} {
				c, s := mul.Inputs[mo[0]], mul.Inputs[mo[1]]
				if c < 0 {
					continue
				}
				cs := m.Tensors[c]
				if cs.Data == nil || cs.Type != Float32 || len(cs.Shape) != 1 {
					continue
				}
				sub, si, ok := only(s, OpSub)
				if !ok || len(sub.Inputs) != 2 || sub.Inputs[0] != x {
					continue
				}
				abs, ai, ok := only(sub.Inputs[1], OpAbs)
				if !ok || abs.Inputs[0] != x {
					continue
				}
				f, err := cs.Floats()
				if err != nil {
					continue
				}
				// The rewrite is per channel of an image: leave any other
				// shape of PReLU to the plain translation of its five ops.
				if xs := m.Tensors[x].Shape; len(xs) != 4 || xs[3] != len(f) {
					continue
				}
				slope := make([]float32, len(f))
				for k, v := range f {
					slope[k] = 2 * v
				}
				found[i] = preluPattern{x: x, slope: slope, skip: []int{ri, ai, si, mi}}
			}
		}
	}
	return found
}

// prelu emits the folded PReLU for pattern p as
//
//	s·x + (1−s)·relu(x)
//
// with both per-channel products written as 1x1 depthwise convolutions.
// It is the same function, but ONNX Runtime keeps it in its blocked NCHWc
// layout (fusing the sum into the second convolution), where a PRelu node
// is a slow broadcasting kernel wrapped in two layout reorders: on one
// core MobileFaceNet went from 15.6 to 11.1 ms per face (ORT profiler, 30
// runs each).
func (t *translator) prelu(p preluPattern, out int) error {
	x, err := t.value(p.x)
	if err != nil {
		return err
	}
	name := t.m.Tensors[out].Name
	c := int64(len(p.slope))
	pos := make([]float32, c)
	for i, s := range p.slope {
		pos[i] = 1 - s
	}
	neg := t.g.DepthwiseConv2D(x, &convert.Tensor{Name: name + "/slope", Shape: []int64{1, 1, c, 1}, Float: p.slope}, nil, 1, convert.Valid)
	rest := t.g.DepthwiseConv2D(t.g.Relu(x), &convert.Tensor{Name: name + "/one_minus_slope", Shape: []int64{1, 1, c, 1}, Float: pos}, nil, 1, convert.Valid)
	t.vals[out] = t.g.Add(neg, rest)
	return t.g.Err()
}
