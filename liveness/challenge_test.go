package liveness

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testKey = bytes.Repeat([]byte("k"), 32)

// seededReader is deterministic randomness for tests.
type seededReader struct{ r *rand.ChaCha8 }

func (s seededReader) Read(p []byte) (int, error) { return s.r.Read(p) }

func newSeeded(seed byte) seededReader {
	var s [32]byte
	s[0] = seed
	return seededReader{rand.NewChaCha8(s)}
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestIssueAndParseRoundTrip(t *testing.T) {
	iss, err := NewIssuer(IssuerConfig{Key: testKey, Rand: newSeeded(1), Now: fixedClock(t0), Actions: 3})
	require.NoError(t, err)
	c, err := iss.Issue()
	require.NoError(t, err)
	assert.Len(t, c.Nonce, 22, "16 random bytes, base64url")
	assert.Equal(t, t0.Add(DefaultChallengeTTL), c.ExpiresAt)
	base := 0
	for i, a := range c.Actions {
		require.True(t, a.valid(), a)
		if a == StopSmiling {
			require.Positive(t, i)
			assert.Equal(t, Smile, c.Actions[i-1], "stop_smiling only follows smile")
			continue
		}
		base++
	}
	assert.Equal(t, 3, base)
	got, err := iss.Parse(c.Token)
	require.NoError(t, err)
	assert.Equal(t, c, got)
}

func TestIssueDrawsEveryOrder(t *testing.T) {
	iss, err := NewIssuer(IssuerConfig{Key: testKey, Rand: newSeeded(2), Actions: 1})
	require.NoError(t, err)
	first := map[Action]int{}
	nonces := map[string]bool{}
	for range 500 {
		c, err := iss.Issue()
		require.NoError(t, err)
		first[c.Actions[0]]++
		nonces[c.Nonce] = true
	}
	assert.Len(t, nonces, 500, "nonces never repeat")
	for _, a := range baseActions() {
		// Each of 5 actions is first about 100 times in 500 draws.
		assert.InDelta(t, 100, first[a], 40, "%s drawn first %d times", a, first[a])
	}
}

func TestParseRejectsTampering(t *testing.T) {
	iss, err := NewIssuer(IssuerConfig{Key: testKey, Rand: newSeeded(3), Now: fixedClock(t0)})
	require.NoError(t, err)
	c, err := iss.Issue()
	require.NoError(t, err)
	payload, sig, _ := strings.Cut(c.Token, ".")
	other, err := NewIssuer(IssuerConfig{Key: bytes.Repeat([]byte("x"), 32)})
	require.NoError(t, err)
	forged := other.sign(tokenClaims{V: 1, Nonce: "n", Actions: []Action{Blink}, IAT: 1, EXP: 2})
	flip := []byte(payload)
	flip[5] ^= 1
	for name, tok := range map[string]string{
		"empty":          "",
		"no signature":   payload,
		"bad base64":     payload + ".!!",
		"payload edited": string(flip) + "." + sig,
		"other key":      forged,
		"huge":           strings.Repeat("a", 5000) + "." + sig,
	} {
		_, err := iss.Parse(tok)
		assert.ErrorIs(t, err, ErrBadToken, name)
	}
	// An old key still verifies during rotation.
	rotated, err := NewIssuer(IssuerConfig{Key: bytes.Repeat([]byte("n"), 32), OldKeys: [][]byte{testKey}})
	require.NoError(t, err)
	_, err = rotated.Parse(c.Token)
	assert.NoError(t, err)
	// Signed claims must still make sense.
	for name, cl := range map[string]tokenClaims{
		"unknown action": {V: 1, Nonce: "n", Actions: []Action{"wink"}, IAT: 1, EXP: 2},
		"version":        {V: 2, Nonce: "n", Actions: []Action{Blink}, IAT: 1, EXP: 2},
		"no nonce":       {V: 1, Actions: []Action{Blink}, IAT: 1, EXP: 2},
		"expires first":  {V: 1, Nonce: "n", Actions: []Action{Blink}, IAT: 3, EXP: 2},
	} {
		_, err := iss.Parse(iss.sign(cl))
		assert.ErrorIs(t, err, ErrBadToken, name)
	}
	_, err = iss.Parse(iss.sign(tokenClaims{V: 1, Nonce: "n", IAT: 1, EXP: 2}))
	assert.ErrorIs(t, err, ErrNoChallenges)
}

func TestNewIssuerChecksConfig(t *testing.T) {
	_, err := NewIssuer(IssuerConfig{Key: []byte("short")})
	assert.ErrorIs(t, err, ErrWeakKey)
	_, err = NewIssuer(IssuerConfig{Key: testKey, OldKeys: [][]byte{[]byte("short")}})
	assert.ErrorIs(t, err, ErrWeakKey)
	_, err = NewIssuer(IssuerConfig{Key: testKey, Actions: 6})
	assert.Error(t, err)
	_, err = NewIssuer(IssuerConfig{Key: testKey, TTL: -time.Second})
	assert.Error(t, err)
	iss, err := NewIssuer(IssuerConfig{Key: testKey, Rand: bytes.NewReader(nil)})
	require.NoError(t, err)
	_, err = iss.Issue()
	assert.Error(t, err, "exhausted randomness is an error, not a weak nonce")
}

func TestMemoryReplayStore(t *testing.T) {
	now := t0
	m := NewMemoryReplayStore(func() time.Time { return now })
	ctx := context.Background()
	require.NoError(t, m.Use(ctx, "a", t0.Add(time.Minute)))
	assert.ErrorIs(t, m.Use(ctx, "a", t0.Add(time.Minute)), ErrReplayed)
	require.NoError(t, m.Use(ctx, "b", t0.Add(time.Hour)))
	now = t0.Add(2 * time.Minute)
	require.NoError(t, m.Use(ctx, "c", t0.Add(time.Hour)))
	assert.Equal(t, 2, m.Len(), "the expired nonce is forgotten")
	assert.ErrorIs(t, m.Use(ctx, "b", t0.Add(time.Hour)), ErrReplayed)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, m.Use(cctx, "d", t0.Add(time.Hour)), context.Canceled)
}

func FuzzParseToken(f *testing.F) {
	iss, err := NewIssuer(IssuerConfig{Key: testKey, Rand: newSeeded(4), Now: fixedClock(t0)})
	require.NoError(f, err)
	c, err := iss.Issue()
	require.NoError(f, err)
	f.Add(c.Token)
	f.Add("")
	f.Add(".")
	f.Add("eyJ2IjoxfQ.AAAA")
	f.Fuzz(func(t *testing.T, tok string) {
		got, err := iss.Parse(tok)
		if err != nil {
			return
		}
		// Only our own signature gets through, and it round-trips.
		assert.Equal(t, tok, got.Token)
		assert.NotEmpty(t, got.Actions)
		assert.False(t, got.ExpiresAt.Before(got.IssuedAt))
	})
}

func TestIssueActions(t *testing.T) {
	iss, err := NewIssuer(IssuerConfig{Key: testKey, Rand: newSeeded(6), Now: fixedClock(t0)})
	require.NoError(t, err)
	c, err := iss.IssueActions([]Action{Smile, StopSmiling, Blink})
	require.NoError(t, err)
	got, err := iss.Parse(c.Token)
	require.NoError(t, err)
	assert.Equal(t, []Action{Smile, StopSmiling, Blink}, got.Actions)
	for name, bad := range map[string][]Action{
		"empty":          nil,
		"unknown":        {"wink"},
		"repeated":       {Blink, TurnLeft, Blink},
		"stop first":     {StopSmiling},
		"stop not after": {Smile, Blink, StopSmiling},
	} {
		_, err := iss.IssueActions(bad)
		assert.ErrorIs(t, err, ErrBadActions, name)
	}
}
