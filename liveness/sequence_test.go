package liveness

import (
	"context"
	"image"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
)

// obs is a frame as the models would describe it: yaw, pitch, eye
// openness, mouth width and smile probability.
func obs(yaw, pitch, open, mouth, smile float64) observation {
	return observation{yaw: yaw, pitch: pitch, open: open, mouth: mouth, smile: smile}
}

var (
	neutral  = obs(0, 0, 1, 0.60, 0.05)
	closed   = obs(0, 0, 0.02, 0.60, 0.05)
	left     = obs(-25, 0, 1, 0.60, 0.05)
	right    = obs(25, 0, 1, 0.60, 0.05)
	up       = obs(0, 15, 1, 0.60, 0.05)
	smiling  = obs(0, 0, 1, 0.80, 0.98)
	wideTalk = obs(0, 0, 1, 0.80, 0.10) // a wide mouth that is not a smile
)

func TestSequenceMatch(t *testing.T) {
	v := &Verifier{lim: DefaultActiveLimits()}
	tests := []struct {
		name    string
		actions []Action
		frames  []observation
		events  []int
		reason  Reason
	}{
		{"blink", []Action{Blink}, []observation{neutral, closed, neutral}, []int{1}, ""},
		{"eyes never reopen", []Action{Blink}, []observation{neutral, closed, closed}, []int{-1}, ReasonActionMissing},
		{"eyes closed from the start", []Action{Blink}, []observation{closed, neutral}, []int{-1}, ReasonActionMissing},
		{"turn left then right", []Action{TurnLeft, TurnRight}, []observation{neutral, left, neutral, right}, []int{1, 3}, ""},
		{"left to right directly", []Action{TurnLeft, TurnRight}, []observation{neutral, left, right}, []int{1, 2}, ""},
		{"turned from the start", []Action{TurnLeft}, []observation{left, left}, []int{-1}, ReasonActionMissing},
		{"wrong direction", []Action{TurnLeft}, []observation{neutral, right, neutral}, []int{-1}, ReasonActionMissing},
		{"look up", []Action{LookUp}, []observation{neutral, up, neutral}, []int{1}, ""},
		{"smile", []Action{Smile}, []observation{neutral, neutral, smiling}, []int{2}, ""},
		{"smile then stop", []Action{Smile, StopSmiling}, []observation{neutral, smiling, neutral}, []int{1, 2}, ""},
		{"smiling from the start", []Action{Smile}, []observation{smiling, smiling}, []int{-1}, ReasonActionMissing},
		{"talking is not smiling", []Action{Smile}, []observation{neutral, wideTalk, neutral}, []int{-1}, ReasonActionMissing},
		{"blink then turn", []Action{Blink, TurnLeft}, []observation{neutral, closed, neutral, left}, []int{1, 3}, ""},
		{"turn then blink, asked the other way", []Action{Blink, TurnLeft}, []observation{neutral, left, neutral, closed, neutral}, []int{3, -1}, ReasonOutOfOrder},
		{"right before left", []Action{TurnLeft, TurnRight}, []observation{neutral, right, neutral, left}, []int{3, -1}, ReasonOutOfOrder},
		{"second action missing", []Action{TurnLeft, LookUp}, []observation{neutral, left, neutral}, []int{1, -1}, ReasonActionMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &sequence{v: v, obs: append([]observation(nil), tt.frames...)}
			events, reason, _, err := s.match(tt.actions)
			require.NoError(t, err)
			assert.Equal(t, tt.events, events)
			assert.Equal(t, tt.reason, reason)
		})
	}
}

// TestSequenceMeasuresOnDemand checks that the measurements are made only
// on the frames that decide: pose on the frames a turn or look-up search
// reaches, eyes on the frames a blink search reads, landmarks (mouth width)
// on those and the frames a smile search ranks, the expression model on
// the one or two frames a smile or a stop is decided on (and not the
// second when the first fails).
func TestSequenceMeasuresOnDemand(t *testing.T) {
	v := &Verifier{lim: DefaultActiveLimits()}
	tests := []struct {
		name    string
		actions []Action
		frames  []observation
		events  []int
		posed   []int // frames whose pose was measured, in order
		smiled  []int // frames the expression model ran on, in order
		marked  []int // frames whose landmarks were measured, in order
		eyed    []int // frames whose eyes were measured, in order
	}{
		{"turn found early", []Action{TurnLeft}, []observation{neutral, neutral, left, neutral, neutral, neutral}, []int{2}, []int{0, 1, 2}, nil, nil, nil},
		{"turn after a blink", []Action{Blink, TurnRight}, []observation{neutral, closed, neutral, right, neutral, neutral}, []int{1, 3}, []int{1, 2, 3}, nil, []int{0, 1, 2, 3, 4, 5}, []int{0, 1, 2, 3, 4, 5}},
		{"blink after a turn", []Action{TurnLeft, Blink}, []observation{neutral, left, neutral, closed, neutral}, []int{1, 3}, []int{0, 1}, nil, []int{1, 2, 3, 4}, []int{1, 2, 3, 4}},
		{"look up", []Action{LookUp}, []observation{neutral, up, neutral, neutral}, []int{1}, []int{0, 1}, nil, nil, nil},
		{"blink needs no pose", []Action{Blink}, []observation{neutral, closed, neutral, neutral}, []int{1}, nil, nil, []int{0, 1, 2, 3}, []int{0, 1, 2, 3}},
		{"smile", []Action{Smile}, []observation{neutral, neutral, smiling, smiling, neutral}, []int{2}, nil, []int{2, 0}, []int{0, 1, 2, 3, 4}, nil},
		{"smile then stop", []Action{Smile, StopSmiling}, []observation{neutral, smiling, neutral, neutral}, []int{1, 2}, nil, []int{1, 0, 2}, []int{0, 1, 2, 3}, nil},
		{"smile after a turn", []Action{TurnLeft, Smile}, []observation{neutral, left, neutral, smiling, neutral}, []int{1, 3}, []int{0, 1}, []int{3, 2}, []int{2, 3, 4}, nil},
		{"not a smile: one run", []Action{Smile}, []observation{neutral, wideTalk, neutral}, []int{-1}, nil, []int{1}, []int{0, 1, 2}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &sequence{v: v}
			for _, f := range tt.frames {
				f.yaw, f.pitch, f.smile = math.NaN(), math.NaN(), math.NaN()
				f.bare, f.open, f.mouth = true, math.NaN(), math.NaN()
				s.obs = append(s.obs, f)
			}
			index := func(o *observation) int {
				for k := range s.obs {
					if &s.obs[k] == o {
						return k
					}
				}
				t.Fatal("not one of the frames")
				return -1
			}
			var posed, smiled, marked, eyed []int
			s.measureLandmarks = func(o *observation) error {
				k := index(o)
				marked = append(marked, k)
				o.mouth = tt.frames[k].mouth
				return nil
			}
			s.measureEyes = func(o *observation) error {
				k := index(o)
				require.False(t, o.bare, "frame %d: eyes measured before landmarks", k)
				eyed = append(eyed, k)
				o.open = tt.frames[k].open
				return nil
			}
			s.measurePose = func(o *observation) error {
				k := index(o)
				posed = append(posed, k)
				o.yaw, o.pitch = tt.frames[k].yaw, tt.frames[k].pitch
				return nil
			}
			s.measureSmile = func(o *observation) (float64, error) {
				k := index(o)
				smiled = append(smiled, k)
				return tt.frames[k].smile, nil
			}
			events, _, _, err := s.match(tt.actions)
			require.NoError(t, err)
			assert.Equal(t, tt.events, events)
			assert.Equal(t, tt.posed, posed, "pose measured on")
			assert.Equal(t, tt.smiled, smiled, "expression model run on")
			assert.Equal(t, tt.marked, marked, "landmarks measured on")
			assert.Equal(t, tt.eyed, eyed, "eyes measured on")
		})
	}
}

// preModelVerifier is a Verifier without models: enough for every check
// made before the frames are looked at.
func preModelVerifier(t *testing.T, now *time.Time) (*Verifier, *Issuer) {
	t.Helper()
	clock := func() time.Time { return *now }
	iss, err := NewIssuer(IssuerConfig{Key: testKey, Rand: newSeeded(9), Now: clock})
	require.NoError(t, err)
	return &Verifier{cfg: VerifierConfig{Issuer: iss, Replay: NewMemoryReplayStore(clock), Now: clock}, lim: DefaultActiveLimits()}, iss
}

func framesAt(start time.Time, gaps ...time.Duration) []Frame {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	fr := []Frame{{Image: img, At: start}}
	for _, g := range gaps {
		fr = append(fr, Frame{Image: img, At: fr[len(fr)-1].At.Add(g)})
	}
	return fr
}

func TestVerifyRefusesBeforeLookingAtFrames(t *testing.T) {
	now := t0
	v, iss := preModelVerifier(t, &now)
	ctx := context.Background()
	tok := func() string {
		c, err := iss.Issue()
		require.NoError(t, err)
		return c.Token
	}
	ms := time.Millisecond
	tests := []struct {
		name   string
		token  string
		frames []Frame
		at     time.Duration // verification time after issue
		reason Reason
	}{
		{"bad token", "nonsense", framesAt(t0, 300*ms, 300*ms), time.Second, ReasonBadToken},
		{"expired", tok(), framesAt(t0, 300*ms, 300*ms), DefaultChallengeTTL + time.Second, ReasonExpired},
		{"too few frames", tok(), framesAt(t0, 300*ms), time.Second, ReasonFrameCount},
		{"frames out of time order", tok(), framesAt(t0, 300*ms, -100*ms, 300*ms), time.Second, ReasonBadTiming},
		{"long pause", tok(), framesAt(t0, 300*ms, 3*time.Second, 300*ms), 5 * time.Second, ReasonBadTiming},
		{"captured before the challenge", tok(), framesAt(t0.Add(-time.Minute), 300*ms, 300*ms), time.Second, ReasonBadTiming},
		{"captured in the future", tok(), framesAt(t0.Add(time.Minute), 300*ms, 300*ms), time.Second, ReasonBadTiming},
	}
	for _, tt := range tests {
		now = t0.Add(tt.at)
		res, err := v.Verify(ctx, tt.token, tt.frames)
		require.NoError(t, err, tt.name)
		assert.False(t, res.Passed, tt.name)
		assert.Equal(t, tt.reason, res.Reason, tt.name)
		assert.Error(t, res.Err(), tt.name)
		now = t0
	}
	// A nonce is spent by the first attempt, even a failed one.
	now = t0
	c, err := iss.Issue()
	require.NoError(t, err)
	res, err := v.Verify(ctx, c.Token, framesAt(t0, 300*ms))
	require.NoError(t, err)
	assert.Equal(t, ReasonFrameCount, res.Reason)
	res, err = v.Verify(ctx, c.Token, framesAt(t0, 300*ms, 300*ms, 300*ms))
	require.NoError(t, err)
	assert.Equal(t, ReasonReplayed, res.Reason)
	assert.ErrorIs(t, res.Err(), ErrReplayed)
	// Replayed at the last instant the challenge is valid, when the store's
	// clock has already passed its expiry and the store prunes: still spent.
	now = c.ExpiresAt
	storeNow := c.ExpiresAt
	v.cfg.Replay = NewMemoryReplayStore(func() time.Time {
		storeNow = storeNow.Add(pruneEvery + time.Second)
		return storeNow
	})
	_, err = v.Verify(ctx, c.Token, framesAt(t0, 300*ms))
	require.NoError(t, err)
	res, err = v.Verify(ctx, c.Token, framesAt(t0, 300*ms, 300*ms, 300*ms))
	require.NoError(t, err)
	assert.Equal(t, ReasonReplayed, res.Reason, "a nonce is remembered past its challenge's expiry")
}

func TestJump(t *testing.T) {
	a := jump(boxAt(100, 100, 50), boxAt(110, 100, 50))
	assert.InDelta(t, 0.2, a.move, 1e-9)
	assert.InDelta(t, 1, a.scale, 1e-9)
	b := jump(boxAt(100, 100, 50), boxAt(100, 100, 100))
	assert.InDelta(t, 2, b.scale, 1e-9)
	assert.False(t, math.IsNaN(jump(boxAt(0, 0, 0), boxAt(0, 0, 0)).scale))
}

func boxAt(cx, cy, side float64) face.Box {
	return face.Box{X1: cx - side/2, Y1: cy - side/2, X2: cx + side/2, Y2: cy + side/2}
}

func TestReasonErrors(t *testing.T) {
	seen := map[error]Reason{}
	for _, r := range []Reason{ReasonBadToken, ReasonExpired, ReasonReplayed, ReasonFrameCount, ReasonBadTiming, ReasonNoFace,
		ReasonMultipleFaces, ReasonDiscontinuous, ReasonDifferentPerson, ReasonActionMissing, ReasonOutOfOrder} {
		err := (&ActiveResult{Reason: r}).Err()
		require.Error(t, err, r)
		_, dup := seen[err]
		assert.False(t, dup, "%s shares its error with %s", r, seen[err])
		seen[err] = r
	}
	assert.NoError(t, (&ActiveResult{Passed: true}).Err())
	assert.ErrorIs(t, (&ActiveResult{Reason: ReasonExpired}).Err(), ErrExpired)
}
