package ageonnx_test

import (
	"context"
	"image"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/internal/imgproc"
)

// fakeEmbedder tells people apart by the image they came from.
func fakeEmbedder(people map[*image.RGBA][]float32) age.FrameEmbedder {
	return func(_ context.Context, img image.Image, _ face.Face) ([]float32, error) {
		return people[img.(*image.RGBA)], nil
	}
}

func TestEstimateSession(t *testing.T) {
	fa, est := models(t)
	ctx := context.Background()
	obama := load(t, "obama_official_portrait_2012.jpg")
	small := imgproc.Resize(obama, obama.Rect.Dx()*3/4, obama.Rect.Dy()*3/4)
	blank := image.NewRGBA(image.Rect(0, 0, 200, 200))
	hopper := load(t, "grace_hopper_512x512.jpg")
	emb := fakeEmbedder(map[*image.RGBA][]float32{obama: {1, 0}, small: {1, 0}, hopper: {0, 1}})

	frames := []image.Image{obama, small, obama, blank}
	e, reports, err := age.EstimateSession(ctx, fa, est, frames, age.SessionConfig{Embed: emb})
	require.NoError(t, err)
	assert.Equal(t, 6, e.Views, "three usable frames, two views each")
	assert.Greater(t, e.Age, 40.0)
	require.Len(t, reports, 4)
	assert.False(t, reports[3].Usable)
	assert.Contains(t, reports[3].Codes, face.NoFace)

	_, _, err = age.EstimateSession(ctx, fa, est, []image.Image{obama, small, hopper}, age.SessionConfig{Embed: emb})
	assert.ErrorIs(t, err, age.ErrDifferentPeople)

	_, _, err = age.EstimateSession(ctx, fa, est, []image.Image{obama, blank, blank}, age.SessionConfig{Embed: emb})
	assert.ErrorIs(t, err, age.ErrTooFewFrames)
}
