package liveness

import (
	"context"
	"image"
	"image/draw"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/facematch"
	"github.com/idkit-dev/idkit/internal/imgproc"
	"github.com/idkit-dev/idkit/internal/modeltest"
)

// activeRig is a verifier on the real models with a clock the test moves.
type activeRig struct {
	v   *Verifier
	iss *Issuer
	a   *faceonnx.Analyzer
	now time.Time
}

func newActiveRig(t testing.TB) *activeRig {
	t.Helper()
	c := modeltest.Cache(t, "fr_detect", "fr_landmark", "fr_pose", "fr_eye", "fr_expression", "mobilefacenet_tflite")
	r := &activeRig{now: t0}
	clock := func() time.Time { return r.now }
	iss, err := NewIssuer(IssuerConfig{Key: testKey, Rand: newSeeded(5), Now: clock})
	require.NoError(t, err)
	a, err := faceonnx.New(faceonnx.Config{Models: c, Pose: true, Eyes: true, NoPadRetry: true})
	require.NoError(t, err)
	emb, err := facematch.NewONNX(facematch.ONNXConfig{Models: c})
	require.NoError(t, err)
	v, err := NewVerifier(VerifierConfig{
		Issuer: iss, Models: c, Analyzer: a, Now: clock,
		Embedder: EmbedderFunc(func(ctx context.Context, al image.Image) ([]float32, error) {
			e, err := emb.Embed(ctx, al)
			return e.Vector, err
		}),
	})
	require.NoError(t, err)
	t.Cleanup(func() { v.Close(); emb.Close(); a.Close() })
	r.v, r.iss, r.a = v, iss, a
	return r
}

// token signs a challenge for exactly these actions, issued now.
func (r *activeRig) token(actions ...Action) string {
	return r.iss.sign(tokenClaims{V: 1, Nonce: "nonce-" + time.Now().String(), Actions: actions,
		IAT: r.now.UnixMilli(), EXP: r.now.Add(DefaultChallengeTTL).UnixMilli()})
}

// frames stamps images 300 ms apart from the rig's clock.
func (r *activeRig) frames(imgs ...*image.RGBA) []Frame {
	out := make([]Frame, len(imgs))
	for i, im := range imgs {
		out[i] = Frame{Image: im, At: r.now.Add(time.Duration(i) * 300 * time.Millisecond)}
	}
	return out
}

// verifyAt runs Verify as if the frames had just arrived.
func (r *activeRig) verify(t testing.TB, token string, frames []Frame) *ActiveResult {
	t.Helper()
	r.now = frames[len(frames)-1].At.Add(200 * time.Millisecond)
	res, err := r.v.Verify(context.Background(), token, frames)
	require.NoError(t, err)
	return res
}

// faceFrames are camera-like frames of one fixture: as captured, eyes
// painted shut, head turned toward the image's left and right (yaw ≈ −21
// and +34 on Grace Hopper, measured).
type faceFrames struct{ open, closed, left, right *image.RGBA }

func makeFaceFrames(t testing.TB, a *faceonnx.Analyzer, name string, frac float64) faceFrames {
	img := loadFixture(t, name)
	faces, err := a.Detect(context.Background(), img)
	require.NoError(t, err)
	spec := cameraSpecs[0]
	spec.Face = frac
	fr := cameraFrame(t, img, faces[0], spec, rand.New(rand.NewPCG(11, 12)))
	ff, err := a.Detect(context.Background(), fr)
	require.NoError(t, err)
	require.NotEmpty(t, ff)
	return faceFrames{
		open: fr, closed: closeEyes(t, a, fr),
		left: turnHead(fr, ff[0], 30, false), right: turnHead(fr, ff[0], -40, false),
	}
}

func TestActiveBlinkAndTurnsPass(t *testing.T) {
	r := newActiveRig(t)
	h := makeFaceFrames(t, r.a, "grace_hopper_512x512.jpg", 0.4)
	fr := r.frames(h.open, h.closed, h.open, h.left, h.open, h.right, h.open)
	res := r.verify(t, r.token(Blink, TurnLeft, TurnRight), fr)
	require.True(t, res.Passed, "%s: %s", res.Reason, res.Detail)
	assert.Equal(t, []ActionResult{{Blink, true, 1}, {TurnLeft, true, 3}, {TurnRight, true, 5}}, res.Performed)
	require.NotNil(t, res.SamePerson)
	assert.Equal(t, []int{1, 3, 5, 6}, res.SamePerson.Frames)
	assert.Greater(t, res.SamePerson.MinSimilarity, DefaultSameThreshold)
	t.Logf("same-person minimum similarity %.3f (threshold %.2f)", res.SamePerson.MinSimilarity, DefaultSameThreshold)
}

func TestActiveSmileAndStop(t *testing.T) {
	r := newActiveRig(t)
	// Smiles cannot be painted on: two real photos of one man, framed alike.
	talk := makeFaceFrames(t, r.a, "obama_2009_health_care_address.jpg", 0.4)
	side := faceSide(t, r.a, talk.open)
	smile := makeFaceFrames(t, r.a, "obama_official_portrait_2012.jpg", side/480)
	res := r.verify(t, r.token(Smile, StopSmiling), r.frames(talk.open, talk.open, smile.open, smile.open, talk.open))
	require.True(t, res.Passed, "%s: %s", res.Reason, res.Detail)
	assert.Equal(t, []ActionResult{{Smile, true, 2}, {StopSmiling, true, 4}}, res.Performed)

	res = r.verify(t, r.token(Smile), r.frames(smile.open, smile.open, smile.open))
	assert.Equal(t, ReasonActionMissing, res.Reason, "smiling all along is not a smile on request")
}

func faceSide(t testing.TB, a *faceonnx.Analyzer, img *image.RGBA) float64 {
	ff, err := a.Detect(context.Background(), img)
	require.NoError(t, err)
	require.NotEmpty(t, ff)
	return ff[0].Box.H()
}

func TestActiveFailures(t *testing.T) {
	r := newActiveRig(t)
	h := makeFaceFrames(t, r.a, "grace_hopper_512x512.jpg", 0.4)
	other := makeFaceFrames(t, r.a, "eileen_collins_nasa_astronaut.png", 0.4)

	t.Run("out of order", func(t *testing.T) {
		res := r.verify(t, r.token(TurnLeft, Blink), r.frames(h.open, h.closed, h.open, h.left, h.open))
		assert.Equal(t, ReasonOutOfOrder, res.Reason, res.Detail)
		assert.ErrorIs(t, res.Err(), ErrOutOfOrder)
	})
	t.Run("different person", func(t *testing.T) {
		// Hopper starts, Collins does the blink: frames spliced from two people.
		res := r.verify(t, r.token(Blink), r.frames(h.open, h.open, other.closed, other.open))
		assert.Equal(t, ReasonDifferentPerson, res.Reason, res.Detail)
		require.NotNil(t, res.SamePerson)
		assert.Less(t, res.SamePerson.MinSimilarity, DefaultSameThreshold)
	})
	t.Run("expired nonce", func(t *testing.T) {
		tok := r.token(Blink)
		fr := r.frames(h.open, h.closed, h.open)
		r.now = r.now.Add(DefaultChallengeTTL + time.Second)
		res, err := r.v.Verify(context.Background(), tok, fr)
		require.NoError(t, err)
		assert.Equal(t, ReasonExpired, res.Reason)
		assert.ErrorIs(t, res.Err(), ErrExpired)
	})
	t.Run("replayed nonce", func(t *testing.T) {
		tok := r.token(Blink)
		fr := r.frames(h.open, h.closed, h.open)
		first := r.verify(t, tok, fr)
		require.True(t, first.Passed, "%s: %s", first.Reason, first.Detail)
		again := r.verify(t, tok, fr)
		assert.Equal(t, ReasonReplayed, again.Reason)
	})
	t.Run("no blink", func(t *testing.T) {
		res := r.verify(t, r.token(Blink), r.frames(h.open, h.open, h.open))
		assert.Equal(t, ReasonActionMissing, res.Reason)
	})
	t.Run("no face", func(t *testing.T) {
		blank := image.NewRGBA(image.Rect(0, 0, 640, 480))
		res := r.verify(t, r.token(Blink), r.frames(h.open, blank, h.open))
		assert.Equal(t, ReasonNoFace, res.Reason)
		assert.Equal(t, "frame 1", res.Detail)
	})
	t.Run("second face mid-sequence", func(t *testing.T) {
		// Detection runs on every frame, so a face that comes in for one
		// frame of a blink fails that frame, even though only the blink's
		// search would otherwise look at it.
		two := withSecondFace(t, r.a, h.open, other.open)
		res := r.verify(t, r.token(Blink), r.frames(h.open, h.closed, two, h.open))
		assert.Equal(t, ReasonMultipleFaces, res.Reason, res.Detail)
		assert.Equal(t, "frame 2", res.Detail)
		assert.ErrorIs(t, res.Err(), ErrFrameMultiple)
	})
	t.Run("face jumps", func(t *testing.T) {
		// A frame spliced in from a capture framed elsewhere.
		res := r.verify(t, r.token(Blink), r.frames(h.open, shift(h.closed, 200), h.open))
		assert.Equal(t, ReasonDiscontinuous, res.Reason, res.Detail)
	})
}

// shift moves the picture dx pixels right, repeating the left edge.
func shift(img *image.RGBA, dx int) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(img.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			copy(out.Pix[y*out.Stride+x*4:y*out.Stride+x*4+4], img.Pix[y*img.Stride+max(x-dx, 0)*4:])
		}
	}
	return out
}

// withSecondFace pastes the face of from, at 0.7 times its size, into the
// left part of a copy of img, beside img's own face.
func withSecondFace(t *testing.T, a *faceonnx.Analyzer, img, from *image.RGBA) *image.RGBA {
	t.Helper()
	ff, err := a.Detect(context.Background(), from)
	require.NoError(t, err)
	require.NotEmpty(t, ff)
	crop := ff[0].Box.Scale(1.4, from.Rect.Dx(), from.Rect.Dy()).Rectangle().Intersect(from.Rect)
	side := int(0.7 * float64(crop.Dx()))
	small := imgproc.Resize(from.SubImage(crop).(*image.RGBA), side, side*crop.Dy()/crop.Dx())
	out := image.NewRGBA(img.Rect)
	draw.Draw(out, out.Rect, img, img.Rect.Min, draw.Src)
	draw.Draw(out, small.Rect.Add(image.Pt(4, 40)), small, small.Rect.Min, draw.Src)
	got, err := a.Detect(context.Background(), out)
	require.NoError(t, err)
	require.Len(t, got, 2, "both faces are found")
	return out
}
