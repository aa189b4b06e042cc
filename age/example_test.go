package age_test

import (
	"context"
	"fmt"
	"log"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/age/ageonnx"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
)

// Decide on a face alone with the Challenge 25 policy; in threshold-only
// mode the decision never carries the estimated age.
func ExampleDecide() {
	e := age.Estimate{Age: 22.4, StdDev: 4.6, Confidence: 0.8}
	d, _ := age.Decide(e, age.Challenge25)
	fmt.Println(d.Outcome)

	p := age.Challenge25
	p.ThresholdOnly = true
	d, _ = age.Decide(age.Estimate{Age: 41, StdDev: 7.5, Confidence: 0.9}, p)
	fmt.Println(d.Outcome, d.Age == nil)
	// Output:
	// needs_document
	// above true
}

// Estimate the age of the face in a photo (run `idkit models install` first).
func ExampleEstimateImage() {
	fa, err := faceonnx.New(faceonnx.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer fa.Close()
	est, err := ageonnx.New(ageonnx.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer est.Close()
	img, _, err := imageio.ReadFile("../testdata/faces/grace_hopper_512x512.jpg", imageio.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	res, err := age.EstimateImage(context.Background(), fa, est, img)
	if err != nil {
		log.Fatal(err)
	}
	d, _ := age.Decide(res.Estimate, age.Challenge25)
	fmt.Println(d.Outcome)
	// Output: above
}
