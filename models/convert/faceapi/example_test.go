package faceapi_test

import (
	"fmt"
	"image"
	"image/color"

	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/models/convert"
	"github.com/idkit-dev/idkit/models/convert/faceapi"
)

// Example lists the models `idkit models install` builds.
func Example() {
	for _, m := range faceapi.Models() {
		fmt.Println(m.Name, m.File)
	}
	// Output:
	// faceapi_age_gender converted/faceapi_age_gender.onnx
	// faceapi_recognition converted/faceapi_recognition.onnx
	// faceapi_landmark68 converted/faceapi_landmark68.onnx
	// faceapi_expression converted/faceapi_expression.onnx
}

// ExamplePreprocess turns a face crop into the age/gender net's input.
func ExamplePreprocess() {
	crop := image.NewNRGBA(image.Rect(0, 0, 90, 120)) // a portrait crop
	for i := range crop.Pix {
		crop.Pix[i] = 200
	}
	crop.Set(0, 0, color.NRGBA{10, 20, 30, 255})
	in := faceapi.Preprocess(crop, faceapi.AgeGenderSize)
	fmt.Println(len(in), "values; top-left pixel is padding:", in[0:3])
	// Output: 37632 values; top-left pixel is padding: [0 0 0]
}

// Example_estimateAge loads the converted age/gender net (built by
// `idkit models install`) and estimates the age of one face crop.
func Example_estimateAge() {
	cache := convert.Open("", faceapi.AgeGender()) // the default models directory
	s, err := onnx.Load(cache, faceapi.AgeGenderName, onnx.Options{})
	if err != nil {
		fmt.Println(err) // names the missing file and the install command
		return
	}
	defer s.Close()
	var crop image.Image = image.NewNRGBA(image.Rect(0, 0, 200, 200)) // an aligned face crop
	out, err := s.Run(onnx.Tensor{
		Shape: []int64{1, faceapi.AgeGenderSize, faceapi.AgeGenderSize, 3},
		Data:  faceapi.Preprocess(crop, faceapi.AgeGenderSize),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	age, pMale := out[0].Data[0], out[1].Data[0] // outputs in s.Outputs() order: age, gender
	fmt.Printf("age %.1f years, P(male) %.2f\n", age, pMale)
}
