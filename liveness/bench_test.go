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

// BenchmarkPassiveJudge is the liveness part of a check on a face already
// found and measured: fr_liveness, the cues and the fusion.
func BenchmarkPassiveJudge(b *testing.B) {
	c := modeltest.Cache(b, "fr_detect", "fr_landmark", "fr_pose", "fr_eye", "fr_liveness")
	p, err := New(Config{Models: c})
	require.NoError(b, err)
	defer p.Close()
	frame := benchFrame(b, p.cfg.Analyzer)
	faces, err := p.cfg.Analyzer.Detect(context.Background(), frame)
	require.NoError(b, err)
	q := face.Assess(frame, faces, face.QualityConfig{})
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.judge(frame, q); err != nil {
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
		measureCues(frame, faces[0].Box, false)
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

// BenchmarkActiveVerify10 verifies a 10-frame blink-and-turn sequence:
// detection, landmarks, pose and eyes on every frame and face embeddings of
// the reference, action and last frames (no expression model).
func BenchmarkActiveVerify10(b *testing.B) {
	r := newActiveRig(b)
	h := makeFaceFrames(b, r.a, "grace_hopper_512x512.jpg", 0.4)
	imgs := []*image.RGBA{h.open, h.open, h.closed, h.open, h.open, h.left, h.open, h.open, h.open, h.open}
	benchVerify(b, r, imgs, Blink, TurnLeft)
}

// BenchmarkActiveVerify10Smile verifies a 10-frame smile-and-stop
// sequence: as above, plus two runs of the expression model.
func BenchmarkActiveVerify10Smile(b *testing.B) {
	r := newActiveRig(b)
	talk := makeFaceFrames(b, r.a, "obama_2009_health_care_address.jpg", 0.4)
	smile := makeFaceFrames(b, r.a, "obama_official_portrait_2012.jpg", faceSide(b, r.a, talk.open)/480)
	imgs := []*image.RGBA{talk.open, talk.open, talk.open, smile.open, smile.open, smile.open, talk.open, talk.open, talk.open, talk.open}
	benchVerify(b, r, imgs, Smile, StopSmiling)
}

func benchVerify(b *testing.B, r *activeRig, imgs []*image.RGBA, actions ...Action) {
	b.ResetTimer()
	for b.Loop() {
		r.now = t0
		fr := r.frames(imgs...)
		res := r.verify(b, r.token(actions...), fr)
		if !res.Passed {
			b.Fatalf("%s: %s", res.Reason, res.Detail)
		}
	}
}
