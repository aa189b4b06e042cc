package facematch

import (
	"errors"
	"fmt"

	"github.com/idkit-dev/idkit/face"
)

var (
	// ErrNoFace is face.ErrNoFace: no face was found in an image. It comes
	// wrapped in a *FaceError that names the image.
	ErrNoFace = face.ErrNoFace
	// ErrFaceIndex means Probe.Face asked for a face the image does not
	// have (wrapped in a *FaceError).
	ErrFaceIndex = errors.New("facematch: no face at the requested index")
	// ErrNetwork means an embedding network idkit does not know.
	ErrNetwork = errors.New("facematch: unknown embedding network")
	// ErrThreshold means a threshold outside 0–1.
	ErrThreshold = errors.New("facematch: threshold must be within 0–1")
)

// FaceError says which image of a comparison had no usable face.
type FaceError struct {
	// Probe is "a" or "b" for Compare, "probe" for Verify and Enroll.
	Probe string
	// Faces is how many faces were found.
	Faces int
	// Err is ErrNoFace, ErrFaceIndex, face.ErrNoLandmarks or (a document
	// face too small to crop) face.ErrFaceTooSmall. Detector errors are
	// returned as they are, not in a FaceError.
	Err error
}

func (e *FaceError) Error() string {
	return fmt.Sprintf("facematch: image %s (%d faces found): %v", e.Probe, e.Faces, e.Err)
}

func (e *FaceError) Unwrap() error { return e.Err }
