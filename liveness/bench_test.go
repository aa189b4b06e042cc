package liveness

import (
	"context"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/benchcpu"
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
	benchcpu.Loop(b, func() {
		if _, err := p.Check(context.Background(), frame); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkPassiveJudge is the liveness part of a check on a face already
// found and measured: fr_liveness, the cues and the fusion.
func BenchmarkPassiveJudge(b *testing.B) {
	p, frame, faces := benchPassive(b)
	q := face.Assess(frame, faces, face.QualityConfig{})
	benchcpu.Loop(b, func() {
		if _, err := p.judge(frame, q); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkCues is the hand-made cues alone on the same frame.
func BenchmarkCues(b *testing.B) {
	_, frame, faces := benchFace(b)
	b.ResetTimer()
	for b.Loop() {
		measureCues(frame, faces[0].Box, false)
	}
}

// benchPassive is a Passive checker with the benchmark frame and its faces.
func benchPassive(b *testing.B) (*Passive, *image.RGBA, []face.Face) {
	c := modeltest.Cache(b, "fr_detect", "fr_landmark", "fr_pose", "fr_eye", "fr_liveness")
	p, err := New(Config{Models: c})
	require.NoError(b, err)
	b.Cleanup(func() { p.Close() })
	frame := benchFrame(b, p.cfg.Analyzer)
	faces, err := p.cfg.Analyzer.Detect(context.Background(), frame)
	require.NoError(b, err)
	return p, frame, faces
}

// benchFace is a face analyzer with the benchmark frame and its faces.
func benchFace(b *testing.B) (*faceonnx.Analyzer, *image.RGBA, []face.Face) {
	c := modeltest.Cache(b, "fr_detect", "fr_landmark", "fr_pose", "fr_eye")
	a, err := faceonnx.New(faceonnx.Config{Models: c})
	require.NoError(b, err)
	b.Cleanup(func() { a.Close() })
	frame := benchFrame(b, a)
	faces, err := a.Detect(context.Background(), frame)
	require.NoError(b, err)
	return a, frame, faces
}

// benchFrame is the Grace Hopper fixture as a 640x480 webcam frame.
func benchFrame(b *testing.B, a *faceonnx.Analyzer) *image.RGBA {
	img, _, err := imageio.ReadFile(modeltest.Testdata(b, "faces", "grace_hopper_512x512.jpg"), imageio.Limits{})
	require.NoError(b, err)
	faces, err := a.Detect(context.Background(), img)
	require.NoError(b, err)
	return cameraFrame(b, img, faces[0], cameraSpecs[0], rand.New(rand.NewPCG(1, 1)))
}

// BenchmarkActiveVerify10 verifies 10-frame sequences, one case per action
// type and two combined ones: detection, landmarks and eyes on every frame,
// pose where the challenge needs it, fr_expression on the frames that
// decide a smile, and face embeddings of the reference, action and last
// frames. Frames are synthesized (active_synth_test.go). No frames make the
// pose model read a look-up, so look_up_missing measures a look-up
// challenge that is searched to the end and fails (action_missing): the
// same per-frame work, one embedding fewer than a pass.
func BenchmarkActiveVerify10(b *testing.B) {
	r := newActiveRig(b)
	h := makeFaceFrames(b, r.a, "grace_hopper_512x512.jpg", 0.4)
	talk := makeFaceFrames(b, r.a, "obama_2009_health_care_address.jpg", 0.4)
	smile := makeFaceFrames(b, r.a, "obama_official_portrait_2012.jpg", faceSide(b, r.a, talk.open)/480)
	o, c, l, rt := h.open, h.closed, h.left, h.right
	t, tcl, s := talk.open, talk.closed, smile.open
	cases := []struct {
		name    string
		imgs    []*image.RGBA
		actions []Action
		fail    Reason
	}{
		{"blink", []*image.RGBA{o, o, o, c, o, o, o, o, o, o}, []Action{Blink}, ""},
		{"turn_left", []*image.RGBA{o, o, o, o, l, o, o, o, o, o}, []Action{TurnLeft}, ""},
		{"turn_right", []*image.RGBA{o, o, o, o, rt, o, o, o, o, o}, []Action{TurnRight}, ""},
		{"look_up_missing", []*image.RGBA{o, o, o, o, o, o, o, o, o, o}, []Action{LookUp}, ReasonActionMissing},
		{"smile", []*image.RGBA{t, t, t, t, s, s, s, s, s, s}, []Action{Smile}, ""},
		{"smile_stop", []*image.RGBA{t, t, t, s, s, s, t, t, t, t}, []Action{Smile, StopSmiling}, ""},
		{"blink_turn_left", []*image.RGBA{o, o, c, o, o, l, o, o, o, o}, []Action{Blink, TurnLeft}, ""},
		{"blink_smile_stop", []*image.RGBA{t, t, tcl, t, t, s, s, t, t, t}, []Action{Blink, Smile, StopSmiling}, ""},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			benchVerify(b, r, tc.imgs, tc.fail, tc.actions...)
		})
	}
}

// BenchmarkActiveExpression is one fr_expression run on a 640x480 frame's
// face: the cost each smile decision adds.
func BenchmarkActiveExpression(b *testing.B) {
	r := newActiveRig(b)
	img := makeFaceFrames(b, r.a, "obama_official_portrait_2012.jpg", 0.4).open
	faces, err := r.a.Detect(context.Background(), img)
	require.NoError(b, err)
	benchcpu.Loop(b, func() {
		if _, err := smileProb(r.v.expr, img, faces[0].Box); err != nil {
			b.Fatal(err)
		}
	})
}

// benchVerify verifies imgs against a challenge of actions and expects
// the outcome fail ("" for a pass).
func benchVerify(b *testing.B, r *activeRig, imgs []*image.RGBA, fail Reason, actions ...Action) {
	benchcpu.Loop(b, func() {
		r.now = t0
		fr := r.frames(imgs...)
		res := r.verify(b, r.token(actions...), fr)
		if res.Reason != fail {
			b.Fatalf("got %q (%s), want %q", res.Reason, res.Detail, fail)
		}
	})
}
