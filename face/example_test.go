package face_test

import (
	"context"
	"fmt"
	"log"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
)

// Detect a face, check the capture and align it for a recognition model.
// Run `idkit models install` first (and set IDKIT_MODELS when running
// outside the repository root).
func Example() {
	a, err := faceonnx.New(faceonnx.Config{Pose: true, Eyes: true})
	if err != nil {
		log.Fatal(err) // names the missing model file and the install command
	}
	defer a.Close()

	img, _, err := imageio.ReadFile("../testdata/faces/grace_hopper_512x512.jpg", imageio.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	faces, err := a.Detect(context.Background(), img)
	if err != nil {
		log.Fatal(err)
	}
	q := face.Assess(img, faces, face.QualityConfig{})
	aligned, err := face.Align(img, faces[0], face.AlignSize)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(faces), "face; capture ok:", q.OK)
	fmt.Println("aligned:", aligned.Bounds().Dx(), "x", aligned.Bounds().Dy())
	// Output:
	// 1 face; capture ok: true
	// aligned: 112 x 112
}
