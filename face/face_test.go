package face_test

import (
	"context"
	"image"
	"image/color"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
)

func TestAlignPutsEyesOnTemplate(t *testing.T) {
	a := newAnalyzer(t)
	for _, name := range []string{"obama_official_portrait_2012.jpg", "grace_hopper_512x512.jpg", "biden_2010_blue_room_crop.jpg"} {
		img := load(t, name)
		faces, err := a.Detect(context.Background(), img)
		require.NoError(t, err)
		// Align at 4x the template size with a margin, then find the face
		// again: its eyes must be where the template puts them.
		const size = 448
		aligned, err := face.Align(img, faces[0], size)
		require.NoError(t, err)
		require.Equal(t, image.Rect(0, 0, size, size), aligned.Rect)
		again, err := a.Detect(context.Background(), aligned)
		require.NoError(t, err)
		require.NotEmpty(t, again, name)
		k := float64(size) / face.AlignSize
		for i := 0; i < 2; i++ {
			p := again[0].Points5[i]
			want := face.Template[i]
			assert.InDelta(t, want.X*k, p.X, 0.06*size, "%s eye %d x", name, i)
			assert.InDelta(t, want.Y*k, p.Y, 0.06*size, "%s eye %d y", name, i)
		}
	}
}

func TestAlignWithoutLandmarks(t *testing.T) {
	_, err := face.Align(solid(10, 10, color.RGBA{}), face.Face{}, 112)
	assert.ErrorIs(t, err, face.ErrNoLandmarks)
}

func TestEstimateSimilarityRecoversTransform(t *testing.T) {
	want := face.Similarity{A: 0.8, B: 0.3, TX: 12, TY: -7}
	src := []face.Point{{10, 20}, {60, 22}, {35, 50}, {15, 80}, {55, 78}}
	dst := make([]face.Point, len(src))
	for i, p := range src {
		dst[i] = want.Apply(p)
	}
	got, err := face.EstimateSimilarity(src, dst)
	require.NoError(t, err)
	assert.InDelta(t, want.A, got.A, 1e-9)
	assert.InDelta(t, want.B, got.B, 1e-9)
	assert.InDelta(t, want.TX, got.TX, 1e-9)
	assert.InDelta(t, want.TY, got.TY, 1e-9)
	_, err = face.EstimateSimilarity(src[:1], dst[:1])
	assert.Error(t, err)
	_, err = face.EstimateSimilarity([]face.Point{{1, 1}, {1, 1}}, []face.Point{{0, 0}, {5, 5}})
	assert.Error(t, err)
}

func TestOnlyAndLargest(t *testing.T) {
	big := face.Face{Box: face.Box{X2: 100, Y2: 100}}
	small := face.Face{Box: face.Box{X1: 200, X2: 220, Y2: 20}}
	similar := face.Face{Box: face.Box{X1: 300, X2: 390, Y2: 90}}
	_, err := face.Largest(nil)
	assert.ErrorIs(t, err, face.ErrNoFace)
	f, err := face.Only([]face.Face{small, big}, 0.25)
	require.NoError(t, err)
	assert.Equal(t, big, f)
	_, err = face.Only([]face.Face{small, big, similar}, 0.25)
	assert.ErrorIs(t, err, face.ErrMultipleFaces)
}

func TestBoxScaleStaysInside(t *testing.T) {
	b := face.Box{X1: 10, Y1: 10, X2: 60, Y2: 60}
	s := b.Scale(2.7, 200, 100)
	assert.GreaterOrEqual(t, s.X1, 0.0)
	assert.GreaterOrEqual(t, s.Y1, 0.0)
	assert.LessOrEqual(t, s.X2, 200.0)
	assert.LessOrEqual(t, s.Y2, 100.0)
	assert.InDelta(t, 100, s.H(), 1e-9, "factor capped so the crop fits")
	assert.InDelta(t, s.W(), s.H(), 1e-9)
}

func BenchmarkAlign(b *testing.B) {
	a := newAnalyzer(b)
	img := load(b, "obama_official_portrait_2012.jpg")
	faces, err := a.Detect(context.Background(), img)
	require.NoError(b, err)
	for b.Loop() {
		if _, err := face.Align(img, faces[0], face.AlignSize); err != nil {
			b.Fatal(err)
		}
	}
}
