package tflite_test

import (
	"errors"
	"fmt"

	"github.com/idkit-dev/idkit/models/convert/tflite"
)

// Example lists the models `idkit models install` converts from TFLite and
// the source asset each is built from.
func Example() {
	for _, m := range tflite.Models() {
		fmt.Println(m.Name, m.File, m.Sources)
	}
	// Output:
	// mobilefacenet converted/mobilefacenet.onnx [mobilefacenet_tflite]
	// face_antispoofing converted/face_antispoofing.onnx [face_antispoofing_tflite]
}

// ExampleParse shows that a file that is not a TFLite model is an error
// wrapping ErrModel.
func ExampleParse() {
	_, err := tflite.Parse([]byte("\x1c\x00\x00\x00ONNX model, not TFLite"))
	fmt.Println(errors.Is(err, tflite.ErrModel))
	fmt.Println(err)
	// Output:
	// true
	// tflite: bad model: file identifier "ONNX", want TFL3
}
