package tflite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// ErrModel is wrapped by every error about a malformed or unsupported
// TFLite file, so callers can tell bad input from I/O failures.
var ErrModel = errors.New("tflite: bad model")

// TensorType is a TFLite tensor element type (schema.fbs TensorType).
type TensorType byte

// The element types the translator understands.
const (
	Float32 TensorType = 0
	Float16 TensorType = 1
	Int32   TensorType = 2
	Bool    TensorType = 6
)

func (t TensorType) String() string {
	switch t {
	case Float32:
		return "float32"
	case Float16:
		return "float16"
	case Int32:
		return "int32"
	case Bool:
		return "bool"
	}
	return fmt.Sprintf("type%d", byte(t))
}

// Model is the first subgraph of a TFLite model: its tensors (constant ones
// carry their data), operators in execution order, inputs and outputs.
type Model struct {
	Description string
	Tensors     []Tensor
	Operators   []Operator
	Inputs      []int
	Outputs     []int
}

// Tensor is one tensor of the graph. Data is nil for activations.
type Tensor struct {
	Name  string
	Shape []int
	Type  TensorType
	Data  []byte
}

// Len is the number of elements the shape holds.
func (t *Tensor) Len() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// count is the number of elements the shape holds, or -1 when a dimension
// is negative or the product overflows (a hostile shape).
func (t *Tensor) count() int {
	n := 1
	for _, d := range t.Shape {
		if d < 0 || d > 0 && n > math.MaxInt/d {
			return -1
		}
		n *= d
	}
	return n
}

// Floats decodes a constant float32 or float16 tensor.
func (t *Tensor) Floats() ([]float32, error) {
	n := t.count()
	switch {
	case n < 0:
	case t.Type == Float32 && len(t.Data)%4 == 0 && len(t.Data)/4 == n:
		out := make([]float32, n)
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.Data[4*i:]))
		}
		return out, nil
	case t.Type == Float16 && len(t.Data)%2 == 0 && len(t.Data)/2 == n:
		out := make([]float32, n)
		for i := range out {
			out[i] = halfToFloat(binary.LittleEndian.Uint16(t.Data[2*i:]))
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: tensor %q (%s %v) has %d bytes of data", ErrModel, t.Name, t.Type, t.Shape, len(t.Data))
}

// Ints decodes a constant int32 tensor.
func (t *Tensor) Ints() ([]int, error) {
	n := t.count()
	if n < 0 || t.Type != Int32 || len(t.Data)%4 != 0 || len(t.Data)/4 != n {
		return nil, fmt.Errorf("%w: tensor %q (%s %v) is not a constant int32 tensor", ErrModel, t.Name, t.Type, t.Shape)
	}
	out := make([]int, n)
	for i := range out {
		out[i] = int(int32(binary.LittleEndian.Uint32(t.Data[4*i:])))
	}
	return out, nil
}

// halfToFloat widens an IEEE 754 half-precision value.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: normalize
		e := uint32(127 - 15 + 1)
		for frac&0x400 == 0 {
			frac <<= 1
			e--
		}
		return math.Float32frombits(sign | e<<23 | (frac&0x3ff)<<13)
	case exp == 0x1f:
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
}

// Operator is one builtin operator with its decoded options.
type Operator struct {
	Op      BuiltinOp
	Inputs  []int // -1 marks an omitted optional input
	Outputs []int
	Options Options
}

// Options holds the builtin options of the operators the translator
// supports; fields that an operator does not have stay zero.
type Options struct {
	Padding          Padding
	StrideW, StrideH int
	DilationW        int
	DilationH        int
	FilterW, FilterH int
	DepthMultiplier  int
	Activation       Activation
	Alpha            float32 // LEAKY_RELU (schema default 0)
	Beta             float32 // SOFTMAX: logits are multiplied by it
	Axis             int     // CONCATENATION
	KeepNumDims      bool    // FULLY_CONNECTED
	WeightsFormat    int     // FULLY_CONNECTED: 0 is the default layout
	BeginMask        int     // STRIDED_SLICE
	EndMask          int
	EllipsisMask     int
	NewAxisMask      int
	ShrinkAxisMask   int
}

// Padding is TFLite's padding mode.
type Padding byte

// TFLite padding modes.
const (
	Same  Padding = 0
	Valid Padding = 1
)

// Activation is a fused activation function.
type Activation byte

// Fused activations (schema.fbs ActivationFunctionType).
const (
	ActNone  Activation = 0
	ActRelu  Activation = 1
	ActRelu6 Activation = 3
)

// BuiltinOp is a TFLite builtin operator code (schema.fbs BuiltinOperator).
type BuiltinOp int32

// The builtin operators the translator supports.
const (
	OpAdd            BuiltinOp = 0
	OpAveragePool2D  BuiltinOp = 1
	OpConcatenation  BuiltinOp = 2
	OpConv2D         BuiltinOp = 3
	OpDepthwiseConv  BuiltinOp = 4
	OpDequantize     BuiltinOp = 6
	OpFullyConnected BuiltinOp = 9
	OpLogistic       BuiltinOp = 14
	OpMaxPool2D      BuiltinOp = 17
	OpMul            BuiltinOp = 18
	OpRelu           BuiltinOp = 19
	OpRelu6          BuiltinOp = 21
	OpReshape        BuiltinOp = 22
	OpSoftmax        BuiltinOp = 25
	OpSub            BuiltinOp = 41
	OpStridedSlice   BuiltinOp = 45
	OpCast           BuiltinOp = 53
	OpLess           BuiltinOp = 58
	OpGreater        BuiltinOp = 61
	OpGreaterEqual   BuiltinOp = 62
	OpLeakyRelu      BuiltinOp = 98
	OpAbs            BuiltinOp = 101
)

var opNames = map[BuiltinOp]string{
	OpAdd: "ADD", OpAveragePool2D: "AVERAGE_POOL_2D", OpConcatenation: "CONCATENATION",
	OpConv2D: "CONV_2D", OpDepthwiseConv: "DEPTHWISE_CONV_2D", OpDequantize: "DEQUANTIZE",
	OpFullyConnected: "FULLY_CONNECTED", OpLogistic: "LOGISTIC", OpMaxPool2D: "MAX_POOL_2D",
	OpMul: "MUL", OpRelu: "RELU", OpRelu6: "RELU6", OpReshape: "RESHAPE", OpSoftmax: "SOFTMAX",
	OpSub: "SUB", OpStridedSlice: "STRIDED_SLICE", OpCast: "CAST", OpLess: "LESS",
	OpGreater: "GREATER", OpGreaterEqual: "GREATER_EQUAL", OpLeakyRelu: "LEAKY_RELU", OpAbs: "ABS",
}

func (o BuiltinOp) String() string {
	if s, ok := opNames[o]; ok {
		return s
	}
	return fmt.Sprintf("BuiltinOperator(%d)", int32(o))
}

// maxTensors bounds the tables a file may declare so a hostile file cannot
// make the reader allocate without limit.
const maxTensors = 1 << 16

// Parse decodes a TFLite flatbuffer (schema version 3) and returns its first
// subgraph. It checks every offset, so a truncated or corrupt file is an
// error wrapping ErrModel.
func Parse(b []byte) (*Model, error) {
	var err error
	if len(b) < 8 {
		return nil, fmt.Errorf("%w: %d bytes is too short for a TFLite file", ErrModel, len(b))
	}
	if string(b[4:8]) != "TFL3" {
		return nil, fmt.Errorf("%w: file identifier %q, want TFL3", ErrModel, b[4:8])
	}
	root := table{b: b, err: &err}
	root.pos = root.deref(0)
	if !root.in(root.pos, 4) {
		return nil, err
	}
	m := &Model{Description: root.str(3)}
	var codes []BuiltinOp
	for _, oc := range root.tables(1) {
		// Newer files keep codes above 127 in builtin_code; the deprecated
		// byte field holds the rest (and a placeholder 127 otherwise).
		code := BuiltinOp(oc.byteField(0, 0))
		if c := BuiltinOp(oc.int32Field(3, 0)); c > code {
			code = c
		}
		codes = append(codes, code)
	}
	var buffers [][]byte
	for _, buf := range root.tables(4) {
		if buf.field(1) != 0 {
			return nil, fmt.Errorf("%w: buffers stored outside the flatbuffer are not supported", ErrModel)
		}
		buffers = append(buffers, buf.bytes(0))
	}
	subgraphs := root.tables(2)
	if err != nil {
		return nil, err
	}
	if len(subgraphs) == 0 {
		return nil, fmt.Errorf("%w: no subgraph", ErrModel)
	}
	sg := subgraphs[0]
	tensors := sg.tables(0)
	if len(tensors) > maxTensors {
		return nil, fmt.Errorf("%w: %d tensors", ErrModel, len(tensors))
	}
	for i, t := range tensors {
		shape := t.int32s(0)
		tn := Tensor{Name: t.str(3), Type: TensorType(t.byteField(1, 0)), Shape: make([]int, len(shape))}
		for k, d := range shape {
			if d < 0 || d > 1<<24 {
				return nil, fmt.Errorf("%w: tensor %d %q has dimension %d", ErrModel, i, tn.Name, d)
			}
			tn.Shape[k] = int(d)
		}
		if bi := int(t.uint32Field(2, 0)); bi > 0 {
			if bi >= len(buffers) {
				return nil, fmt.Errorf("%w: tensor %q uses buffer %d of %d", ErrModel, tn.Name, bi, len(buffers))
			}
			tn.Data = buffers[bi]
		}
		if _, ok := t.sub(4); ok && quantized(t) {
			return nil, fmt.Errorf("%w: tensor %q is quantized; only float models are supported", ErrModel, tn.Name)
		}
		m.Tensors = append(m.Tensors, tn)
	}
	index := func(what string, vs []int32, optional bool) ([]int, error) {
		out := make([]int, len(vs))
		for i, v := range vs {
			if v == -1 && optional {
				out[i] = -1
				continue
			}
			if v < 0 || int(v) >= len(m.Tensors) {
				return nil, fmt.Errorf("%w: %s refers to tensor %d of %d", ErrModel, what, v, len(m.Tensors))
			}
			out[i] = int(v)
		}
		return out, nil
	}
	var ierr error
	if m.Inputs, ierr = index("subgraph inputs", sg.int32s(1), false); ierr != nil {
		return nil, ierr
	}
	if m.Outputs, ierr = index("subgraph outputs", sg.int32s(2), false); ierr != nil {
		return nil, ierr
	}
	for i, o := range sg.tables(3) {
		ci := int(o.uint32Field(0, 0))
		if ci >= len(codes) {
			return nil, fmt.Errorf("%w: operator %d uses opcode %d of %d", ErrModel, i, ci, len(codes))
		}
		op := Operator{Op: codes[ci]}
		what := fmt.Sprintf("operator %d (%s)", i, op.Op)
		if op.Inputs, ierr = index(what+" inputs", o.int32s(1), true); ierr != nil {
			return nil, ierr
		}
		if op.Outputs, ierr = index(what+" outputs", o.int32s(2), false); ierr != nil {
			return nil, ierr
		}
		if opts, ok := o.sub(4); ok {
			op.Options = decodeOptions(op.Op, opts)
		} else {
			op.Options = decodeOptions(op.Op, table{})
		}
		m.Operators = append(m.Operators, op)
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// quantized reports whether a tensor's QuantizationParameters carry a scale
// (TOCO writes an empty table on float tensors).
func quantized(t table) bool {
	q, _ := t.sub(4)
	_, n := q.vector(2, 4) // scale
	return n > 0
}

// decodeOptions reads the builtin options table of op (t.b == nil when the
// operator has none, which gives the schema defaults).
func decodeOptions(op BuiltinOp, t table) Options {
	o := Options{StrideW: 1, StrideH: 1, DilationW: 1, DilationH: 1, DepthMultiplier: 1, Beta: 1}
	if t.b == nil {
		return o
	}
	switch op {
	case OpConv2D:
		o.Padding = Padding(t.byteField(0, 0))
		o.StrideW, o.StrideH = int(t.int32Field(1, 0)), int(t.int32Field(2, 0))
		o.Activation = Activation(t.byteField(3, 0))
		o.DilationW, o.DilationH = int(t.int32Field(4, 1)), int(t.int32Field(5, 1))
	case OpDepthwiseConv:
		o.Padding = Padding(t.byteField(0, 0))
		o.StrideW, o.StrideH = int(t.int32Field(1, 0)), int(t.int32Field(2, 0))
		o.DepthMultiplier = int(t.int32Field(3, 0))
		o.Activation = Activation(t.byteField(4, 0))
		o.DilationW, o.DilationH = int(t.int32Field(5, 1)), int(t.int32Field(6, 1))
	case OpAveragePool2D, OpMaxPool2D:
		o.Padding = Padding(t.byteField(0, 0))
		o.StrideW, o.StrideH = int(t.int32Field(1, 0)), int(t.int32Field(2, 0))
		o.FilterW, o.FilterH = int(t.int32Field(3, 0)), int(t.int32Field(4, 0))
		o.Activation = Activation(t.byteField(5, 0))
	case OpAdd, OpSub, OpMul:
		o.Activation = Activation(t.byteField(0, 0))
	case OpFullyConnected:
		o.Activation = Activation(t.byteField(0, 0))
		o.WeightsFormat = int(t.byteField(1, 0))
		o.KeepNumDims = t.byteField(2, 0) != 0
	case OpConcatenation:
		o.Axis = int(t.int32Field(0, 0))
		o.Activation = Activation(t.byteField(1, 0))
	case OpLeakyRelu:
		o.Alpha = t.float32Field(0, 0)
	case OpSoftmax:
		o.Beta = t.float32Field(0, 0)
	case OpStridedSlice:
		o.BeginMask, o.EndMask = int(t.int32Field(0, 0)), int(t.int32Field(1, 0))
		o.EllipsisMask, o.NewAxisMask = int(t.int32Field(2, 0)), int(t.int32Field(3, 0))
		o.ShrinkAxisMask = int(t.int32Field(4, 0))
	}
	return o
}
