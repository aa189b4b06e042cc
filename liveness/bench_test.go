package liveness

import (
	"context"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/modeltest"
)

// BenchmarkPassiveCheck is one passive check of a 640x480 camera-like frame:
// detection, landmarks, pose, eyes, quality hints, fr_liveness and the cues.
func BenchmarkPassiveCheck(b *testing.B) {
	c := modeltest.Cache(b, "fr_detect", "fr_landmark", "fr_pose", "fr_eye", "fr_liveness")
	p, err := New(Config{Models: c})
	require.NoError(b, err)
	defer p.Close()
	frame := benchFrame(b, p.cfg.Analyzer)
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.Check(context.Background(), frame); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCues is the hand-made cues alone on the same frame.
func BenchmarkCues(b *testing.B) {
	c := modeltest.Cache(b, "fr_detect", "fr_landmark", "fr_pose", "fr_eye")
	a, err := face.New(face.Config{Models: c})
	require.NoError(b, err)
	defer a.Close()
	frame := benchFrame(b, a)
	faces, err := a.Detect(context.Background(), frame)
	require.NoError(b, err)
	b.ResetTimer()
	for b.Loop() {
		measureCues(frame, faces[0].Box)
	}
}

// benchFrame is the Grace Hopper fixture as a 640x480 webcam frame.
func benchFrame(b *testing.B, a *face.Analyzer) *image.RGBA {
	img, _, err := imageio.ReadFile(modeltest.Testdata(b, "faces", "grace_hopper_512x512.jpg"), imageio.Limits{})
	require.NoError(b, err)
	faces, err := a.Detect(context.Background(), img)
	require.NoError(b, err)
	return cameraFrame(b, img, faces[0], cameraSpecs[0], rand.New(rand.NewPCG(1, 1)))
}
