package local_test

import (
	"context"
	"fmt"
	"os"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/workflow"
	"github.com/idkit-dev/idkit/workflow/local"
)

// Example wires the models of this machine into a pipeline. It needs the
// installed models, so it is compiled but not run by go test.
func Example() {
	b, err := local.New(local.Config{}) // $IDKIT_MODELS or ./models/cache
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // names the missing model and the command that installs it
		return
	}
	defer b.Close()
	p, err := workflow.New(workflow.Config{}, b.Workflow(), workflow.Options{})
	if err != nil {
		panic(err)
	}
	selfie, _, err := imageio.ReadFile("selfie.jpg", imageio.Limits{})
	if err != nil {
		panic(err)
	}
	front, _, err := imageio.ReadFile("passport.jpg", imageio.Limits{})
	if err != nil {
		panic(err)
	}
	r, err := p.Run(context.Background(), workflow.Request{Selfie: selfie, DocumentFront: front})
	if err != nil {
		panic(err)
	}
	_ = r.Explain(os.Stdout)
}
