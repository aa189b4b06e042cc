package convert

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/idkit-dev/idkit/internal/onnxpb"
)

// IRVersion and Opset are what every model this package writes declares:
// the ONNX 1.12 schema in internal/onnxpb defines IR version 8 and opsets up
// to 17, all of which ONNX Runtime 1.30 runs.
const (
	IRVersion = 8
	Opset     = 17
)

// Batch stands for the batch dimension in shapes: it is a named dimension
// ("N") in the ONNX graph, so one model serves any batch size.
const Batch int64 = -1

// ErrGraph is wrapped by errors about an inconsistent graph (mismatched
// shapes, unknown values, duplicate names).
var ErrGraph = errors.New("convert: bad graph")

// Value is a tensor in a Graph: a graph input, a constant or an op's
// output. Its shape is known when the graph is built; Batch marks the batch
// dimension.
type Value struct {
	name  string
	shape []int64
}

// Name is the value's name in the ONNX graph.
func (v Value) Name() string { return v.name }

// Shape returns a copy of the value's shape.
func (v Value) Shape() []int64 { return append([]int64(nil), v.shape...) }

// Graph builds one ONNX graph. Ops record the first error and then do
// nothing, so an architecture reads as straight-line code and checks Err
// (or the error from Model) once at the end. A Graph is not safe for
// concurrent use.
type Graph struct {
	name    string
	nodes   []*onnxpb.NodeProto
	inits   []*onnxpb.TensorProto
	inputs  []*onnxpb.ValueInfoProto
	outputs []*onnxpb.ValueInfoProto
	values  map[string]bool
	seq     map[string]int
	err     error
}

// NewGraph returns an empty graph called name.
func NewGraph(name string) *Graph {
	return &Graph{name: name, values: map[string]bool{}, seq: map[string]int{}}
}

// Err returns the first error any op met, or nil.
func (g *Graph) Err() error { return g.err }

// Fail records err (the first one wins) so that architecture code can feed
// its own errors, such as a missing weight, into the graph's error.
func (g *Graph) Fail(err error) {
	if g.err == nil && err != nil {
		g.err = err
	}
}

func (g *Graph) failf(format string, args ...any) {
	g.Fail(fmt.Errorf("%w: "+format, append([]any{ErrGraph}, args...)...))
}

// fresh returns a new unique value name based on op.
func (g *Graph) fresh(op string) string {
	base := strings.ToLower(op)
	for {
		g.seq[base]++
		name := fmt.Sprintf("%s_%d", base, g.seq[base])
		if !g.values[name] {
			return name
		}
	}
}

func (g *Graph) claim(name string) bool {
	if name == "" {
		g.failf("empty value name")
		return false
	}
	if g.values[name] {
		g.failf("value name %q used twice", name)
		return false
	}
	g.values[name] = true
	return true
}

func (g *Graph) known(vs ...Value) bool {
	for _, v := range vs {
		if !g.values[v.name] {
			g.failf("value %q does not belong to this graph", v.name)
			return false
		}
	}
	return g.err == nil
}

// Input declares a float32 graph input. Use Batch for the batch dimension.
func (g *Graph) Input(name string, shape ...int64) Value {
	if g.err != nil || !g.claim(name) {
		return Value{}
	}
	v := Value{name: name, shape: append([]int64(nil), shape...)}
	g.inputs = append(g.inputs, valueInfo(v))
	return v
}

// Output marks v as a graph output called name (an Identity node renames it
// when needed, so an op's output can also be exposed under a stable name).
func (g *Graph) Output(name string, v Value) {
	if g.err != nil || !g.known(v) {
		return
	}
	if v.name != name {
		if !g.claim(name) {
			return
		}
		g.nodes = append(g.nodes, node("Identity", name, []string{v.name}, []string{name}))
		v = Value{name: name, shape: v.shape}
	}
	g.outputs = append(g.outputs, valueInfo(v))
}

// Const adds a float32 initializer called name (a fresh name when empty).
func (g *Graph) Const(name string, shape []int64, data []float32) Value {
	if g.err != nil {
		return Value{}
	}
	n := int64(1)
	for _, d := range shape {
		if d < 0 {
			g.failf("constant %q has unknown dimension in %v", name, shape)
			return Value{}
		}
		n *= d
	}
	if n != int64(len(data)) {
		g.failf("constant %q: shape %v needs %d values, has %d", name, shape, n, len(data))
		return Value{}
	}
	if name == "" {
		name = g.fresh("const")
	}
	if !g.claim(name) {
		return Value{}
	}
	raw := make([]byte, 4*len(data))
	for i, f := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(f))
	}
	g.inits = append(g.inits, &onnxpb.TensorProto{
		Name:     proto.String(name),
		Dims:     append([]int64(nil), shape...),
		DataType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)),
		RawData:  raw,
	})
	return Value{name: name, shape: append([]int64(nil), shape...)}
}

// Scalar adds a float32 scalar constant.
func (g *Graph) Scalar(v float32) Value { return g.Const("", nil, []float32{v}) }

// Weight adds a decoded weight as a constant under its own name, reshaped
// to shape when given (the element count must match).
func (g *Graph) Weight(t *Tensor, shape ...int64) Value {
	if g.err != nil {
		return Value{}
	}
	if t == nil {
		g.failf("nil weight")
		return Value{}
	}
	if shape == nil {
		shape = t.Shape
	}
	return g.Const(t.Name, shape, t.Float)
}

// ints adds an int64 initializer (shapes and pads for Reshape and Pad).
func (g *Graph) ints(vals ...int64) string {
	name := g.fresh("ints")
	g.claim(name)
	raw := make([]byte, 8*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(v))
	}
	g.inits = append(g.inits, &onnxpb.TensorProto{
		Name:     proto.String(name),
		Dims:     []int64{int64(len(vals))},
		DataType: proto.Int32(int32(onnxpb.TensorProto_INT64)),
		RawData:  raw,
	})
	return name
}

// op appends a node with one output of the given shape.
func (g *Graph) op(opType string, shape []int64, inputs []string, attrs ...*onnxpb.AttributeProto) Value {
	out := g.fresh(opType)
	g.claim(out)
	n := node(opType, out, inputs, []string{out})
	n.Attribute = attrs
	g.nodes = append(g.nodes, n)
	return Value{name: out, shape: shape}
}

func node(opType, name string, inputs, outputs []string) *onnxpb.NodeProto {
	return &onnxpb.NodeProto{
		Name:   proto.String(name),
		OpType: proto.String(opType),
		Input:  inputs,
		Output: outputs,
	}
}

func attrInt(name string, v int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INT.Enum(), I: proto.Int64(v)}
}

func attrInts(name string, v ...int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INTS.Enum(), Ints: v}
}

func attrFloat(name string, v float32) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_FLOAT.Enum(), F: proto.Float32(v)}
}

func valueInfo(v Value) *onnxpb.ValueInfoProto {
	dims := make([]*onnxpb.TensorShapeProto_Dimension, len(v.shape))
	for i, d := range v.shape {
		if d == Batch {
			dims[i] = &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: "N"}}
		} else {
			dims[i] = &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: d}}
		}
	}
	return &onnxpb.ValueInfoProto{
		Name: proto.String(v.name),
		Type: &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{
			ElemType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)),
			Shape:    &onnxpb.TensorShapeProto{Dim: dims},
		}}},
	}
}

// Metadata is one metadata_props entry of a model.
type Metadata struct {
	Key, Value string
}

// ModelInfo is what a model says about itself.
type ModelInfo struct {
	// ProducerName and ProducerVersion name the program that built the model.
	ProducerName, ProducerVersion string
	// Doc is the model's doc_string: what it computes, its inputs and outputs.
	Doc string
	// Metadata is written in this order as metadata_props (keys must be
	// unique): sources, versions and digests of what the model was built from.
	Metadata []Metadata
}

// Model returns the ONNX model of the graph, or the first error met while
// building it.
func (g *Graph) Model(info ModelInfo) (*onnxpb.ModelProto, error) {
	if g.err != nil {
		return nil, g.err
	}
	if len(g.inputs) == 0 || len(g.outputs) == 0 {
		return nil, fmt.Errorf("%w: graph %q needs at least one input and one output", ErrGraph, g.name)
	}
	seen := map[string]bool{}
	props := make([]*onnxpb.StringStringEntryProto, 0, len(info.Metadata))
	for _, m := range info.Metadata {
		if m.Key == "" || seen[m.Key] {
			return nil, fmt.Errorf("%w: metadata key %q empty or repeated", ErrGraph, m.Key)
		}
		seen[m.Key] = true
		props = append(props, &onnxpb.StringStringEntryProto{Key: proto.String(m.Key), Value: proto.String(m.Value)})
	}
	return &onnxpb.ModelProto{
		IrVersion:       proto.Int64(IRVersion),
		OpsetImport:     []*onnxpb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(Opset)}},
		ProducerName:    proto.String(info.ProducerName),
		ProducerVersion: proto.String(info.ProducerVersion),
		DocString:       proto.String(info.Doc),
		MetadataProps:   props,
		Graph: &onnxpb.GraphProto{
			Name:        proto.String(g.name),
			Node:        g.nodes,
			Initializer: g.inits,
			Input:       g.inputs,
			Output:      g.outputs,
		},
	}, nil
}

// Marshal serializes a model deterministically: the same model gives the
// same bytes on every run.
func Marshal(m *onnxpb.ModelProto) ([]byte, error) {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("convert: marshal model: %w", err)
	}
	return b, nil
}
