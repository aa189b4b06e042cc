package local_test

import (
	"context"
	"fmt"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/ocr"
	"github.com/idkit-dev/idkit/ocr/local"
)

// Reading a passport photo. It needs the model assets (idkit models
// install), so it is compiled, not run.
func ExampleNew() {
	r, err := local.New(local.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	img, _, err := imageio.ReadFile("passport.jpg", imageio.Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	doc, err := r.Read(context.Background(), ocr.Request{Front: img, DocumentHint: ocr.Passport})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(doc.Detected.Type, doc.Detected.Country, doc.Reasons)
	for name, f := range doc.Fields {
		fmt.Printf("%s = %s (%s, %.2f)\n", name, f.Value, f.Source, f.Confidence)
	}
}
