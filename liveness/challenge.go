package liveness

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Action is one thing the user is asked to do in an active check.
type Action string

// Actions. Directions are in the frames as the server receives them: turn
// left means the head turns toward the image's left (face.Pose yaw
// negative). A capture page that shows a mirrored preview should word its
// instructions to match.
const (
	Blink       Action = "blink"
	TurnLeft    Action = "turn_left"
	TurnRight   Action = "turn_right"
	LookUp      Action = "look_up"
	Smile       Action = "smile"
	StopSmiling Action = "stop_smiling" // only ever issued right after Smile
)

// numBaseActions is how many actions a challenge draws from.
const numBaseActions = 5

// baseActions are the actions drawn from; StopSmiling is added after Smile.
func baseActions() [numBaseActions]Action {
	return [numBaseActions]Action{Blink, TurnLeft, TurnRight, LookUp, Smile}
}

func (a Action) valid() bool {
	b := baseActions()
	return slices.Contains(b[:], a) || a == StopSmiling
}

// Challenge is a signed, expiring request for an ordered list of actions.
// The Token carries everything else, so a server can verify a response
// without having stored the challenge; a ReplayStore makes each nonce
// usable once. The token is a bearer token: it names no tenant, session or
// subject, and any verifier holding the key accepts it. A server that
// issues challenges to several tenants or sessions records the nonce with
// the session that asked for it and checks ActiveResult.Nonce against it
// (or gives each tenant its own key).
type Challenge struct {
	Nonce     string    `json:"nonce"`
	Actions   []Action  `json:"actions"`
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// Token is the signed form the client sends back with its frames.
	Token string `json:"token"`
}

// Defaults for IssuerConfig.
const (
	DefaultChallengeTTL = 2 * time.Minute
	DefaultActions      = 2
	// MinKeyLen is the shortest accepted HMAC key, in bytes.
	MinKeyLen = 32
)

// IssuerConfig configures an Issuer.
type IssuerConfig struct {
	// Key signs challenges with HMAC-SHA256; at least MinKeyLen bytes,
	// shared by every server that verifies.
	Key []byte
	// OldKeys still verify challenges (during a key rotation) but never sign.
	OldKeys [][]byte
	// TTL is how long a challenge may be answered; 0 means DefaultChallengeTTL.
	TTL time.Duration
	// Actions is how many base actions a challenge asks for, 1–5; 0 means
	// DefaultActions. A drawn Smile may add a StopSmiling after it.
	Actions int
	// Rand is the randomness for nonces and the draw; nil means crypto/rand.
	Rand io.Reader
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Issuer issues and verifies challenges. It is safe for concurrent use if
// its Rand is.
type Issuer struct {
	cfg IssuerConfig
}

// Challenge errors.
var (
	ErrWeakKey      = errors.New("liveness: challenge key shorter than 32 bytes")
	ErrBadToken     = errors.New("liveness: challenge token malformed or not signed by us")
	ErrExpired      = errors.New("liveness: challenge expired")
	ErrReplayed     = errors.New("liveness: challenge nonce already used")
	ErrNoChallenges = errors.New("liveness: no actions requested")
)

// NewIssuer checks the configuration.
func NewIssuer(cfg IssuerConfig) (*Issuer, error) {
	if len(cfg.Key) < MinKeyLen {
		return nil, ErrWeakKey
	}
	for _, k := range cfg.OldKeys {
		if len(k) < MinKeyLen {
			return nil, ErrWeakKey
		}
	}
	if cfg.TTL == 0 {
		cfg.TTL = DefaultChallengeTTL
	}
	if cfg.TTL < 0 {
		return nil, fmt.Errorf("liveness: negative challenge TTL %v", cfg.TTL)
	}
	if cfg.Actions == 0 {
		cfg.Actions = DefaultActions
	}
	if cfg.Actions < 1 || cfg.Actions > numBaseActions {
		return nil, fmt.Errorf("liveness: %d actions requested, want 1–%d", cfg.Actions, numBaseActions)
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Key = slices.Clone(cfg.Key)
	return &Issuer{cfg: cfg}, nil
}

// tokenClaims is the signed payload.
type tokenClaims struct {
	V       int      `json:"v"`
	Nonce   string   `json:"n"`
	Actions []Action `json:"a"`
	IAT     int64    `json:"iat"` // Unix milliseconds
	EXP     int64    `json:"exp"`
}

// tokenDomain separates these signatures from any other use of the key.
const tokenDomain = "idkit-liveness-challenge-v1."

// Issue draws a new challenge: a random nonce and a random ordered subset
// of the actions.
func (i *Issuer) Issue() (Challenge, error) {
	order := baseActions()
	// Fisher–Yates with unbiased draws from Rand.
	for k := len(order) - 1; k > 0; k-- {
		j, err := i.uniform(k + 1)
		if err != nil {
			return Challenge{}, err
		}
		order[k], order[j] = order[j], order[k]
	}
	var actions []Action
	for _, a := range order[:i.cfg.Actions] {
		actions = append(actions, a)
		if a == Smile {
			stop, err := i.uniform(2)
			if err != nil {
				return Challenge{}, err
			}
			if stop == 1 {
				actions = append(actions, StopSmiling)
			}
		}
	}
	return i.issue(actions)
}

// ErrBadActions is returned by IssueActions for a list that is empty, has
// an unknown or repeated action, or a StopSmiling not right after Smile.
var ErrBadActions = errors.New("liveness: invalid action list")

// IssueActions issues a challenge for the given actions in that order, for
// a server that chooses them itself (a shorter check for accessibility, a
// fixed one for a demonstration). Issue's random draw is the default.
func (i *Issuer) IssueActions(actions []Action) (Challenge, error) {
	if len(actions) == 0 {
		return Challenge{}, ErrBadActions
	}
	for k, a := range actions {
		if !a.valid() || slices.Contains(actions[:k], a) || (a == StopSmiling && (k == 0 || actions[k-1] != Smile)) {
			return Challenge{}, fmt.Errorf("%w: %q at %d", ErrBadActions, a, k)
		}
	}
	return i.issue(slices.Clone(actions))
}

func (i *Issuer) issue(actions []Action) (Challenge, error) {
	var nonce [16]byte
	if _, err := io.ReadFull(i.cfg.Rand, nonce[:]); err != nil {
		return Challenge{}, fmt.Errorf("liveness: nonce: %w", err)
	}
	now := i.cfg.Now()
	c := Challenge{
		Nonce:     base64.RawURLEncoding.EncodeToString(nonce[:]),
		Actions:   actions,
		IssuedAt:  now.UTC().Truncate(time.Millisecond),
		ExpiresAt: now.Add(i.cfg.TTL).UTC().Truncate(time.Millisecond),
	}
	c.Token = i.sign(tokenClaims{V: 1, Nonce: c.Nonce, Actions: c.Actions, IAT: c.IssuedAt.UnixMilli(), EXP: c.ExpiresAt.UnixMilli()})
	return c, nil
}

// uniform returns an unbiased integer in [0, n) from Rand.
func (i *Issuer) uniform(n int) (int, error) {
	limit := ^uint32(0) - ^uint32(0)%uint32(n)
	var b [4]byte
	for {
		if _, err := io.ReadFull(i.cfg.Rand, b[:]); err != nil {
			return 0, fmt.Errorf("liveness: randomness: %w", err)
		}
		if v := binary.BigEndian.Uint32(b[:]); v < limit {
			return int(v % uint32(n)), nil
		}
	}
}

func (i *Issuer) sign(c tokenClaims) string {
	payload, _ := json.Marshal(c) // plain types: cannot fail
	p := base64.RawURLEncoding.EncodeToString(payload)
	return p + "." + base64.RawURLEncoding.EncodeToString(mac(i.cfg.Key, p))
}

func mac(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(tokenDomain))
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// Parse checks the token's signature and returns the challenge it carries.
// It does not check expiry or replay: Verifier does both.
func (i *Issuer) Parse(token string) (Challenge, error) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 4096 {
		return Challenge{}, ErrBadToken
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return Challenge{}, ErrBadToken
	}
	valid := false
	for _, k := range append([][]byte{i.cfg.Key}, i.cfg.OldKeys...) {
		if hmac.Equal(got, mac(k, p)) {
			valid = true
		}
	}
	if !valid {
		return Challenge{}, ErrBadToken
	}
	raw, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return Challenge{}, ErrBadToken
	}
	var c tokenClaims
	if err := json.Unmarshal(raw, &c); err != nil || c.V != 1 || c.Nonce == "" || c.EXP < c.IAT {
		return Challenge{}, ErrBadToken
	}
	if len(c.Actions) == 0 {
		return Challenge{}, ErrNoChallenges
	}
	for _, a := range c.Actions {
		if !a.valid() {
			return Challenge{}, ErrBadToken
		}
	}
	return Challenge{
		Nonce: c.Nonce, Actions: c.Actions, Token: token,
		IssuedAt: time.UnixMilli(c.IAT).UTC(), ExpiresAt: time.UnixMilli(c.EXP).UTC(),
	}, nil
}
