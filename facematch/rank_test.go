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

	for _, tc := range []struct {
		name  string
		faces []face.Face
		want  []face.Face
	}{
		{"largest first", []face.Face{small, subject}, []face.Face{subject, small}},
		{"cut faces after whole ones", []face.Face{cut, small}, []face.Face{small, cut}},
		{"unsure faces after confident ones", []face.Face{straddling, subject}, []face.Face{subject, straddling}},
		{"an unsure face alone is still the subject", []face.Face{unsure}, []face.Face{unsure}},
		{"an unsure whole face before a cut one", []face.Face{cut, unsure}, []face.Face{unsure, cut}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rankFaces(tc.faces, 250, 250)
			assert.Equal(t, tc.want, tc.faces)
		})
	}

	f, info, err := pick([]face.Face{straddling, small, subject}, 250, 250, 0)
	require.NoError(t, err)
	assert.Equal(t, subject, f)
	assert.Equal(t, FaceInfo{Index: 0, Faces: 3, Box: subject.Box, Score: 1}, info)

	_, _, err = pick([]face.Face{subject}, 250, 250, 1)
	assert.True(t, errors.Is(err, ErrFaceIndex), "%v", err)
	_, _, err = pick(nil, 250, 250, 0)
	assert.True(t, errors.Is(err, ErrNoFace), "%v", err)
}
