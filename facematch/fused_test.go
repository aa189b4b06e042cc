package facematch

import (
	"context"
	"image"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
)

func TestFusedScore(t *testing.T) {
	v := func(c float32, d float32) []float32 {
		out := make([]float32, fusedMFNDim+fusedFaceAPIDim)
		out[0] = c
		out[1] = float32(math.Sqrt(float64(1 - c*c)))
		out[fusedMFNDim] = d
		return out
	}
	same := FusedScore(v(1, 0), v(1, 0))
	assert.Equal(t, 1.0, same, "identical faces reach the top of the scale")
	// Raising either part's agreement raises the score.
	assert.Greater(t, FusedScore(v(1, 0), v(0.6, 0.5)), FusedScore(v(1, 0), v(0.4, 0.5)))
	assert.Greater(t, FusedScore(v(1, 0), v(0.4, 0.3)), FusedScore(v(1, 0), v(0.4, 0.5)))
	// A typical different-person pair (both parts at their mean) scores the
	// cosine mean.
	far := v(1, 0)
	near := v(float32(fusedCosMean), float32(-fusedDstMean))
	assert.InDelta(t, fusedCosMean, FusedScore(far, near), 1e-3)
	assert.True(t, math.IsNaN(FusedScore(make([]float32, 192), make([]float32, 192))), "wrong length")
	assert.True(t, math.IsNaN(Score(Embedding{Vector: make([]float32, 3)}, Embedding{Vector: make([]float32, 4)})))
}

func TestFusedEmbedderNeedsTheFace(t *testing.T) {
	e, err := NewFused(newMatcherCache(t))
	require.NoError(t, err)
	defer e.Close()
	_, err = e.Embed(context.Background(), image.NewRGBA(image.Rect(0, 0, 112, 112)))
	require.ErrorIs(t, err, ErrNeedsFace)
	img := fixture(t, obamas[0])
	_, err = e.EmbedFace(context.Background(), img, face.Face{Points5: make([]face.Point, 5)})
	require.ErrorIs(t, err, face.ErrNoLandmarks, "the chip needs the 68 landmarks")
	assert.ErrorContains(t, err, "68 landmarks (0 given)")
	var direct *FaceError
	require.ErrorAs(t, err, &direct, "a face that cannot be cut is a FaceError")
	assert.Equal(t, string(MobileFaceNetFaceAPI), e.Model().Name)
	assert.Equal(t, 320, e.Model().Dim)

	// Through a Matcher whose detector gives only five points, the same
	// lack is a FaceError that names the image.
	a, err := faceonnx.New(faceonnx.Config{Models: newMatcherCache(t)})
	require.NoError(t, err)
	defer a.Close()
	m := newMatcher(t, Config{Embedder: e, Detector: fivePointsOnly{a}})
	_, _, err = m.Enroll(context.Background(), Probe{Image: img})
	var fe *FaceError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "probe", fe.Probe)
	assert.ErrorIs(t, err, face.ErrNoLandmarks)
}

// fivePointsOnly is a detector that drops the 68 landmarks.
type fivePointsOnly struct{ d face.Detector }

func (f fivePointsOnly) Detect(ctx context.Context, img image.Image) ([]face.Face, error) {
	faces, err := f.d.Detect(ctx, img)
	for i := range faces {
		faces[i].Landmarks = nil
	}
	return faces, err
}
