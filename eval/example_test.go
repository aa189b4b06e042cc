package eval_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/idkit-dev/idkit/eval"
)

// A subcommand reads a labelled folder, runs its model on each item with
// Run, and prints the summary. Here the "model" is a stand-in that adds two
// years to each age and finds no face in one image.
func ExampleRun() {
	set := &eval.Set[eval.AgeItem]{Dir: "faces", Items: []eval.AgeItem{
		{Line: 2, File: "a.jpg", Age: 15},
		{Line: 3, File: "b.jpg", Age: 22},
		{Line: 4, File: "c.jpg", Age: 40},
		{Line: 5, File: "d.jpg", Age: 9},
	}}
	errNoFace := errors.New("no face")
	estimate := func(_ context.Context, it eval.AgeItem) (eval.AgePrediction, error) {
		if it.File == "d.jpg" {
			return eval.AgePrediction{}, errNoFace
		}
		est := it.Age + 2
		dec := eval.DecisionNeedsDocument
		if est >= 25 {
			dec = eval.DecisionAbove
		}
		return eval.AgePrediction{Age: est, Decision: dec}, nil
	}
	classify := func(err error) string {
		if errors.Is(err, errNoFace) {
			return "no_face"
		}
		return ""
	}

	out, stats, err := eval.Run(context.Background(), set.Items, estimate, eval.RunConfig{Classify: classify})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := eval.SummarizeAge(set, out, stats, &eval.AgePolicy{Threshold: 18, Challenge: 25})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("n:", r.N, "no_face:", r.NoFace)
	fmt.Println("mae:", r.MAE.Format(2), "bias:", r.Bias.Format(2))
	fmt.Println("minors passed:", r.MinorsPassedRate)
	fmt.Println("adults passed:", r.AdultsPassedRate)
	// Output:
	// n: 4 no_face: 1
	// mae: 2.00 bias: 2.00
	// minors passed: 0.0000 (0/1)
	// adults passed: 1.0000 (1/1)
}
