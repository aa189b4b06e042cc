package facematch_test

import (
	"context"
	"fmt"
	"log"

	"github.com/idkit-dev/idkit/facematch"
	"github.com/idkit-dev/idkit/imageio"
)

// Compare a selfie with another photo, then keep a template and verify
// against it later. Run `idkit models install` first (and set IDKIT_MODELS
// when running outside the repository root).
func Example() {
	m, err := facematch.New(facematch.Config{})
	if err != nil {
		log.Fatal(err) // names the missing model file and the install command
	}
	defer m.Close()
	ctx := context.Background()

	selfie, _, err := imageio.ReadFile("../testdata/faces/obama_2009_health_care_address.jpg", imageio.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	portrait, _, err := imageio.ReadFile("../testdata/faces/obama_official_portrait_2012.jpg", imageio.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := m.Compare(ctx, facematch.Probe{Image: selfie}, facematch.Probe{Image: portrait})
	if err != nil {
		log.Fatal(err) // a *FaceError when an image has no face
	}
	fmt.Printf("match: %v (threshold %.2f, faces in a: %d)\n", r.Match, r.Threshold, r.A.Faces)

	// Store the portrait's template (biometric data: encrypt it at rest).
	enrolled, _, err := m.Enroll(ctx, facematch.Probe{Image: portrait})
	if err != nil {
		log.Fatal(err)
	}
	data, err := enrolled.MarshalBinary()
	if err != nil {
		log.Fatal(err)
	}
	stored, err := facematch.ParseTemplate(data)
	if err != nil {
		log.Fatal(err)
	}
	v, err := m.Verify(ctx, facematch.Probe{Image: selfie}, stored, facematch.WithThreshold(0.99))
	if err != nil {
		log.Fatal(err) // a *ModelMismatchError for a template from another model
	}
	fmt.Printf("same score from the template: %v; match at 0.99: %v\n", v.Similarity == r.Similarity, v.Match)
	// Output:
	// match: true (threshold 0.75, faces in a: 1)
	// same score from the template: true; match at 0.99: false
}
