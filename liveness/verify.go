package liveness

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"time"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/internal/vecmath"
	"github.com/idkit-dev/idkit/models"
)

// VerifierConfig configures a Verifier. Only Issuer is required.
type VerifierConfig struct {
	// Issuer verifies challenge tokens (the same key as the issuing server).
	Issuer *Issuer
	// Replay makes each nonce usable once; nil means an in-process
	// MemoryReplayStore, which is right only for a single server.
	Replay ReplayStore
	// Models is where the model assets are; nil means models.Open("").
	Models *models.Cache
	// Analyzer finds the faces in every frame and measures head pose; it
	// must have been made with Pose. nil makes one (closed by Close) with
	// NoPadRetry: the detector's second look for a face filling the frame
	// doubles the detection time of every normally framed frame, and a face
	// that fills the frame is too close for the capture page's guidance
	// anyway. Landmarks and eyes come from the verifier's own analyzer
	// without the pose model. Each is measured only where an action or the
	// identity check needs it: pose on the frames a turn or look-up is
	// searched in (fr_pose costs more than the detector and a challenge
	// without turns never needs it), eyes on the frames a blink is searched
	// in, landmarks on those, on the frames a smile is searched in and on
	// the frames compared for identity.
	Analyzer *faceonnx.Analyzer
	// Embedder checks that the person is the same in every frame; nil
	// leaves only the continuity check of the face box (and says so).
	Embedder Embedder
	// SameThreshold is the least cosine similarity of a frame's face with
	// the reference frame's; 0 means DefaultSameThreshold.
	SameThreshold float64
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Limits and thresholds; zero fields take DefaultActiveLimits'.
	Limits ActiveLimits
}

// ActiveLimits are the timing limits and the action thresholds.
type ActiveLimits struct {
	// MinFrames and MaxFrames bound the number of frames.
	MinFrames, MaxFrames int
	// MaxSpan is the longest time from the first frame to the last, MaxGap
	// the longest between two frames, and ClockSkew the allowance between
	// the client's capture clock and the server's.
	MaxSpan, MaxGap, ClockSkew time.Duration
	// TurnDegrees is the yaw a turn must reach. NeutralDegrees is how far
	// towards the turn a frame before it may already be (yaw); a look-up
	// needs a frame before it raised by at most half of it over the first
	// frame (pitch). Both bounds are one-sided: a frame turned or tilted the
	// other way also counts as before the action.
	TurnDegrees, NeutralDegrees float64
	// LookUpDegrees is the pitch rise over the first frame a look-up needs.
	LookUpDegrees float64
	// EyesClosed is the "open" probability both eyes must fall below for a
	// blink; EyesOpen the level the more open eye reaches before and after.
	EyesClosed, EyesOpen float64
	// SmileOn and SmileOff are the "happy" probabilities of a smiling and a
	// not-smiling frame.
	SmileOn, SmileOff float64
	// MaxJump is how far, in face sides, the face centre may move between
	// two consecutive frames, and MaxScale how much its size may change.
	MaxJump, MaxScale float64
}

// DefaultSameThreshold is a cosine for facematch's default network,
// MobileFaceNet: 0.45 is about FAR 0.1% on LFW's different-person pairs
// (facematch's calibration puts 0.447 there), and frames of one capture
// session, turned heads included, score far above it. An Embedder of
// another network needs its own threshold (fr_feature's FAR 0.1% is
// cosine 0.334).
const DefaultSameThreshold = 0.45

// DefaultActiveLimits are the limits used for zero fields.
func DefaultActiveLimits() ActiveLimits {
	return ActiveLimits{
		MinFrames: 3, MaxFrames: 60,
		MaxSpan: 20 * time.Second, MaxGap: 2 * time.Second, ClockSkew: 5 * time.Second,
		TurnDegrees: 18, NeutralDegrees: 10, LookUpDegrees: 12,
		EyesClosed: 0.3, EyesOpen: 0.6,
		SmileOn: 0.6, SmileOff: 0.3,
		MaxJump: 0.6, MaxScale: 1.5,
	}
}

func (l ActiveLimits) withDefaults() ActiveLimits {
	d := DefaultActiveLimits()
	seti := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	setd := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	setf := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	seti(&l.MinFrames, d.MinFrames)
	seti(&l.MaxFrames, d.MaxFrames)
	setd(&l.MaxSpan, d.MaxSpan)
	setd(&l.MaxGap, d.MaxGap)
	setd(&l.ClockSkew, d.ClockSkew)
	setf(&l.TurnDegrees, d.TurnDegrees)
	setf(&l.NeutralDegrees, d.NeutralDegrees)
	setf(&l.LookUpDegrees, d.LookUpDegrees)
	setf(&l.EyesClosed, d.EyesClosed)
	setf(&l.EyesOpen, d.EyesOpen)
	setf(&l.SmileOn, d.SmileOn)
	setf(&l.SmileOff, d.SmileOff)
	setf(&l.MaxJump, d.MaxJump)
	setf(&l.MaxScale, d.MaxScale)
	return l
}

// Verifier checks the frames of an active (challenge-response) liveness
// check. It is safe for concurrent use.
type Verifier struct {
	cfg  VerifierConfig
	lim  ActiveLimits
	expr *onnx.Session
	// lite measures landmarks and eyes on every frame (no pose model);
	// cfg.Analyzer detects and measures pose where needed.
	lite    *faceonnx.Analyzer
	ownsAna bool
}

// NewVerifier loads the expression model and a face analyzer for
// landmarks and eyes (and one for detection and pose unless given).
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	if cfg.Issuer == nil {
		return nil, errors.New("liveness: verifier needs an Issuer")
	}
	if cfg.Models == nil {
		cfg.Models = models.Open("")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Replay == nil {
		cfg.Replay = NewMemoryReplayStore(cfg.Now)
	}
	if cfg.SameThreshold == 0 {
		cfg.SameThreshold = DefaultSameThreshold
	}
	v := &Verifier{cfg: cfg, lim: cfg.Limits.withDefaults()}
	if v.cfg.Analyzer == nil {
		a, err := faceonnx.New(faceonnx.Config{Models: cfg.Models, Pose: true, Eyes: true, NoPadRetry: true})
		if err != nil {
			return nil, fmt.Errorf("liveness: %w", err)
		}
		v.cfg.Analyzer, v.ownsAna = a, true
	}
	lite, err := faceonnx.New(faceonnx.Config{Models: cfg.Models, Eyes: true, NoPadRetry: true})
	if err != nil {
		v.Close()
		return nil, fmt.Errorf("liveness: %w", err)
	}
	v.lite = lite
	s, err := onnx.Load(cfg.Models, "fr_expression", onnx.Options{})
	if err != nil {
		v.Close()
		return nil, fmt.Errorf("liveness: %w", err)
	}
	v.expr = s
	return v, nil
}

// Close releases the models.
func (v *Verifier) Close() error {
	var errs []error
	if v.expr != nil {
		errs = append(errs, v.expr.Close())
	}
	if v.lite != nil {
		errs = append(errs, v.lite.Close())
	}
	if v.ownsAna && v.cfg.Analyzer != nil {
		errs = append(errs, v.cfg.Analyzer.Close())
	}
	return errors.Join(errs...)
}

// Verify checks frames against the challenge in token: signature, expiry,
// single use of the nonce, plausible capture times, one face in every
// frame moving continuously, each action performed in order, and (with an
// Embedder) the same person throughout. A failed check is a result with a
// Reason, not an error; errors are for cancelled contexts and broken
// models. The nonce is spent as soon as the token is found valid, whatever
// the outcome, so one challenge allows one attempt.
func (v *Verifier) Verify(ctx context.Context, token string, frames []Frame) (*ActiveResult, error) {
	start := v.cfg.Now()
	res := &ActiveResult{Frames: len(frames), Performed: []ActionResult{}, Warnings: []Warning{}}
	err := v.verify(ctx, token, frames, res)
	res.ProcessingMS = float64(v.cfg.Now().Sub(start).Microseconds()) / 1000
	if err != nil {
		return nil, err
	}
	res.Passed = res.Reason == ""
	if res.SamePerson == nil && res.Passed {
		res.Warnings = append(res.Warnings, Warning{Risk: "IDENTITY_NOT_CHECKED", LogType: LogWarning,
			ShortDescription: "Same person not checked",
			LongDescription:  "No face embedder is configured: frames were only checked for a continuous face, not for one identity."})
	}
	return res, nil
}

func (v *Verifier) fail(res *ActiveResult, r Reason, format string, args ...any) error {
	res.Reason, res.Detail = r, fmt.Sprintf(format, args...)
	return nil
}

func (v *Verifier) verify(ctx context.Context, token string, frames []Frame, res *ActiveResult) error {
	ch, err := v.cfg.Issuer.Parse(token)
	if err != nil {
		return v.fail(res, ReasonBadToken, "%v", err)
	}
	res.Nonce, res.Actions = ch.Nonce, ch.Actions
	now := v.cfg.Now()
	if now.After(ch.ExpiresAt) {
		return v.fail(res, ReasonExpired, "challenge expired at %s", ch.ExpiresAt.Format(time.RFC3339))
	}
	switch err := v.cfg.Replay.Use(ctx, ch.Nonce, ch.ExpiresAt.Add(ReplayMargin)); {
	case errors.Is(err, ErrReplayed):
		return v.fail(res, ReasonReplayed, "nonce %s was already used", ch.Nonce)
	case err != nil:
		return fmt.Errorf("liveness: replay store: %w", err)
	}
	if r, detail := v.checkTiming(ch, frames, now); r != "" {
		return v.fail(res, r, "%s", detail)
	}
	obs := make([]observation, len(frames))
	for i, f := range frames {
		if err := ctx.Err(); err != nil {
			return err
		}
		o, r, err := v.observe(ctx, f.Image)
		if err != nil {
			return err
		}
		if r != "" {
			return v.fail(res, r, "frame %d", i)
		}
		obs[i] = o
		if i > 0 {
			if d := jump(obs[i-1].face.Box, o.face.Box); d.move > v.lim.MaxJump || d.scale > v.lim.MaxScale {
				return v.fail(res, ReasonDiscontinuous, "frame %d: face moved %.2f face sides and changed size %.2fx since frame %d", i, d.move, d.scale, i-1)
			}
		}
	}
	seq := &sequence{v: v, obs: obs}
	events, failure, detail, err := seq.match(ch.Actions)
	if err != nil {
		return err
	}
	for i, a := range ch.Actions {
		ev := events[i]
		res.Performed = append(res.Performed, ActionResult{Action: a, Done: ev >= 0, Frame: ev})
	}
	if v.cfg.Embedder != nil {
		r, detail, err := v.samePerson(ctx, seq, events, res)
		if err != nil {
			return err
		}
		if r != "" {
			return v.fail(res, r, "%s", detail)
		}
	}
	if failure != "" {
		return v.fail(res, failure, "%s", detail)
	}
	return nil
}

// checkTiming checks the frame count and capture times.
func (v *Verifier) checkTiming(ch Challenge, frames []Frame, now time.Time) (Reason, string) {
	l := v.lim
	if len(frames) < max(l.MinFrames, len(ch.Actions)+1) || len(frames) > l.MaxFrames {
		return ReasonFrameCount, fmt.Sprintf("%d frames, want %d–%d", len(frames), max(l.MinFrames, len(ch.Actions)+1), l.MaxFrames)
	}
	for i, f := range frames {
		if imageio.IsNil(f.Image) {
			return ReasonFrameCount, fmt.Sprintf("frame %d has no image", i)
		}
		if i > 0 {
			gap := f.At.Sub(frames[i-1].At)
			if gap <= 0 {
				return ReasonBadTiming, fmt.Sprintf("frame %d is not later than frame %d", i, i-1)
			}
			if gap > l.MaxGap {
				return ReasonBadTiming, fmt.Sprintf("%v between frames %d and %d, at most %v", gap, i-1, i, l.MaxGap)
			}
		}
	}
	first, last := frames[0].At, frames[len(frames)-1].At
	switch {
	case last.Sub(first) > l.MaxSpan:
		return ReasonBadTiming, fmt.Sprintf("frames span %v, at most %v", last.Sub(first), l.MaxSpan)
	case first.Before(ch.IssuedAt.Add(-l.ClockSkew)):
		return ReasonBadTiming, "first frame captured before the challenge was issued"
	case last.After(now.Add(l.ClockSkew)), last.After(ch.ExpiresAt.Add(l.ClockSkew)):
		return ReasonBadTiming, "last frame captured after the challenge expired or in the future"
	}
	return "", ""
}

// observation is what one frame shows. Only the detection is made on every
// frame; the other measurements are made on the frames that need them
// (sequence): landmarks (and so mouth width) for smiles, blinks and the
// identity check, eyes for blinks, pose (yaw, pitch) for turns and
// look-ups, the expression model (smile) on the frames deciding a smile.
type observation struct {
	img  *image.RGBA
	face face.Face
	// bare is true until the face's landmarks (and mouth) are measured.
	bare  bool
	yaw   float64 // NaN until measured (pose)
	pitch float64 // NaN until measured (pose)
	open  float64 // the more open eye's "open" probability, NaN until measured
	mouth float64 // mouthWidth, once not bare (NaN without usable landmarks)
	smile float64 // happy probability, NaN until computed
}

// observe finds the one face in a frame. A second face fails the frame on
// its box alone; the face found is measured later, as far as needed.
func (v *Verifier) observe(ctx context.Context, img image.Image) (observation, Reason, error) {
	rgba := imageio.ToRGBA(img)
	faces, err := v.cfg.Analyzer.Boxes(ctx, rgba)
	if err != nil {
		return observation{}, "", fmt.Errorf("liveness: %w", err)
	}
	f, err := face.Only(faces, face.DefaultQuality.SecondFaceRatio)
	switch {
	case errors.Is(err, face.ErrNoFace):
		return observation{}, ReasonNoFace, nil
	case errors.Is(err, face.ErrMultipleFaces):
		return observation{}, ReasonMultipleFaces, nil
	}
	return observation{
		img: rgba, face: f, bare: true, yaw: math.NaN(), pitch: math.NaN(),
		open: math.NaN(), mouth: math.NaN(), smile: math.NaN(),
	}, "", nil
}

// measureLandmarks fills o's landmarks and mouth width.
func (v *Verifier) measureLandmarks(o *observation) error {
	if err := v.lite.Landmarks(o.img, &o.face); err != nil {
		return fmt.Errorf("liveness: %w", err)
	}
	o.mouth = mouthWidth(o.face.Landmarks)
	return nil
}

// measureEyes fills o's eye openness from its landmarks.
func (v *Verifier) measureEyes(o *observation) error {
	e, err := v.lite.EyeState(o.img, o.face.Landmarks)
	if err != nil {
		return fmt.Errorf("liveness: %w", err)
	}
	o.open = math.Max(e.LeftOpen, e.RightOpen)
	return nil
}

// measurePose fills o's yaw and pitch with the analyzer's pose model.
func (v *Verifier) measurePose(o *observation) error {
	p, err := v.cfg.Analyzer.HeadPose(o.img, o.face.Box)
	if errors.Is(err, faceonnx.ErrNotConfigured) {
		return errors.New("liveness: the verifier's face analyzer must measure pose")
	}
	if err != nil {
		return fmt.Errorf("liveness: %w", err)
	}
	o.yaw, o.pitch = p.Yaw, p.Pitch
	return nil
}

type boxJump struct{ move, scale float64 }

// jump measures how far the face moved between two frames, in face sides,
// and the ratio of their sizes (≥ 1).
func jump(a, b face.Box) boxJump {
	side := math.Max(math.Sqrt(a.Area()), 1)
	ca, cb := a.Center(), b.Center()
	s := math.Sqrt(b.Area()) / side
	if s < 1 {
		s = 1 / math.Max(s, 1e-9)
	}
	return boxJump{move: math.Hypot(cb.X-ca.X, cb.Y-ca.Y) / side, scale: s}
}

// samePerson compares the reference frame's face with each action's frame
// and the last frame.
func (v *Verifier) samePerson(ctx context.Context, seq *sequence, events []int, res *ActiveResult) (Reason, string, error) {
	obs := seq.obs
	embed := func(i int) ([]float32, error) {
		// Alignment needs the landmarks' five points.
		if err := seq.landmarks(i); err != nil {
			return nil, err
		}
		al, err := face.Align(obs[i].img, obs[i].face, face.AlignSize)
		if err != nil {
			return nil, fmt.Errorf("liveness: align frame %d: %w", i, err)
		}
		e, err := v.cfg.Embedder.Embed(ctx, al)
		if err != nil {
			return nil, fmt.Errorf("liveness: embed frame %d: %w", i, err)
		}
		return e, nil
	}
	ref, err := embed(0)
	if err != nil {
		return "", "", err
	}
	var check []int
	seen := map[int]bool{0: true}
	for _, ev := range append(append([]int(nil), events...), len(obs)-1) {
		if ev > 0 && !seen[ev] {
			seen[ev] = true
			check = append(check, ev)
		}
	}
	sp := &SamePerson{Frames: check, MinSimilarity: 1, Threshold: v.cfg.SameThreshold}
	res.SamePerson = sp
	for _, i := range check {
		e, err := embed(i)
		if err != nil {
			return "", "", err
		}
		sim := vecmath.Cosine(ref, e)
		sp.MinSimilarity = math.Min(sp.MinSimilarity, sim)
		if sim < v.cfg.SameThreshold {
			return ReasonDifferentPerson, fmt.Sprintf("frame %d: similarity %.3f with frame 0, below %.2f", i, sim, v.cfg.SameThreshold), nil
		}
	}
	return "", "", nil
}
