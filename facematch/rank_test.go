package facematch

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
)

// The ranking rules without a model: boxes as the detector reports them on
// a 250x250 photo.
func TestRankFaces(t *testing.T) {
	box := func(x1, y1, x2, y2 float64) face.Box { return face.Box{X1: x1, Y1: y1, X2: x2, Y2: y2} }
	subject := face.Face{Box: box(67, 66, 189, 187), Score: 1}
	small := face.Face{Box: box(10, 10, 60, 60), Score: 0.99}
	// A box straddling the subject and a raised hand: larger, unsure.
	straddling := face.Face{Box: box(108, 43, 233, 168), Score: 0.74}
	// A bystander cut by the right border: larger, but not square.
	cut := face.Face{Box: box(121, 20, 250, 166), Score: 0.99}
	// An unsure subject alone (a face half hidden by a scarf).
	unsure := face.Face{Box: box(30, 31, 185, 186), Score: 0.72}

	// A card's portrait behind laminate, scored low, and its ghost image:
	// smaller, fainter, yet scored higher.
	portrait := face.Face{Box: box(20, 60, 120, 190), Score: 0.8}
	ghost := face.Face{Box: box(180, 150, 225, 205), Score: 0.95}

	for _, tc := range []struct {
		name     string
		faces    []face.Face
		document bool
		want     []face.Face
	}{
		{"largest first", []face.Face{small, subject}, false, []face.Face{subject, small}},
		{"cut faces after whole ones", []face.Face{cut, small}, false, []face.Face{small, cut}},
		{"unsure faces after confident ones", []face.Face{straddling, subject}, false, []face.Face{subject, straddling}},
		{"an unsure face alone is still the subject", []face.Face{unsure}, false, []face.Face{unsure}},
		{"an unsure whole face before a cut one", []face.Face{cut, unsure}, false, []face.Face{unsure, cut}},
		{"a document's portrait is its largest face", []face.Face{ghost, portrait}, true, []face.Face{portrait, ghost}},
		{"documents still put cut faces last", []face.Face{cut, ghost}, true, []face.Face{ghost, cut}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rankFaces(tc.faces, 250, 250, !tc.document)
			assert.Equal(t, tc.want, tc.faces)
		})
	}

	f, info, err := pick([]face.Face{straddling, small, subject}, 250, 250, 0, false)
	require.NoError(t, err)
	assert.Equal(t, subject, f)
	assert.Equal(t, FaceInfo{Index: 0, Faces: 3, Box: subject.Box, Score: 1}, info)
	f, _, err = pick([]face.Face{ghost, portrait}, 250, 250, 0, true)
	require.NoError(t, err)
	assert.Equal(t, portrait, f)

	_, _, err = pick([]face.Face{subject}, 250, 250, 1, false)
	assert.True(t, errors.Is(err, ErrFaceIndex), "%v", err)
	_, _, err = pick(nil, 250, 250, 0, true)
	assert.True(t, errors.Is(err, ErrNoFace), "%v", err)
}
