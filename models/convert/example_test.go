package convert_test

import (
	"fmt"

	"github.com/idkit-dev/idkit/models/convert"
)

// Example builds a small network with TensorFlow semantics (an NHWC input,
// an HWIO filter, "same" padding) and prints the ONNX graph it becomes.
func Example() {
	g := convert.NewGraph("tiny")
	x := g.NHWCToNCHW(g.Input("input", convert.Batch, 4, 4, 3))
	filter := &convert.Tensor{Name: "conv/filters", Shape: []int64{3, 3, 3, 8}, Float: make([]float32, 3*3*3*8)}
	bias := &convert.Tensor{Name: "conv/bias", Shape: []int64{8}, Float: make([]float32, 8)}
	y := g.MaxPool2D(g.Relu(g.Conv2D(x, filter, bias, 2, convert.Same)), 2, 2, convert.Valid)
	g.Output("features", g.Flatten(y))

	m, err := g.Model(convert.ModelInfo{ProducerName: "example", Metadata: []convert.Metadata{{Key: "source", Value: "none"}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := convert.Marshal(m); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("pooled shape:", y.Shape())
	fmt.Println("ir", m.GetIrVersion(), "opset", m.GetOpsetImport()[0].GetVersion())
	for _, n := range m.GetGraph().GetNode() {
		fmt.Print(n.GetOpType(), " ")
	}
	fmt.Println()
	// Output:
	// pooled shape: [-1 8 1 1]
	// ir 8 opset 17
	// Transpose Conv Relu MaxPool Flatten Identity
}
