package tenancy

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// DefaultSkew is the clock skew a Verifier accepts either way.
const DefaultSkew = 5 * time.Minute

// DefaultTouchInterval limits last-use writes to one a minute per key.
const DefaultTouchInterval = time.Minute

// VerifierConfig configures a Verifier.
type VerifierConfig struct {
	// Keys and Tenants are the stores. Required.
	Keys    KeyStore
	Tenants TenantStore
	// Plans is the plan catalogue; nil means DefaultPlans(). NewVerifier
	// refuses a catalogue that fails Plans.Validate.
	Plans Plans
	// Box opens sealed secrets. Required.
	Box *SecretBox
	// Replay remembers seen signatures; nil means a MemoryReplayCache,
	// which is right for a single node only.
	Replay ReplayCache
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Skew is the accepted difference between server time and
	// X-API-TIMESTAMP either way; zero means DefaultSkew.
	Skew time.Duration
	// Debug adds the expected canonical string to bad_signature errors
	// for tenants on a sandbox plan, so integrators can diff it with
	// theirs. It never reveals anything the caller did not send.
	Debug bool
	// TouchInterval is the minimum time between last-use updates of a
	// key; zero means DefaultTouchInterval, negative disables them.
	TouchInterval time.Duration
	// Logger receives failures of last-use updates; nil discards them.
	Logger *slog.Logger
}

// Verifier authenticates signed requests. It is safe for concurrent use.
type Verifier struct {
	cfg VerifierConfig
}

// NewVerifier checks cfg and fills its defaults.
func NewVerifier(cfg VerifierConfig) (*Verifier, error) {
	if cfg.Keys == nil || cfg.Tenants == nil || cfg.Box == nil {
		return nil, errors.New("tenancy: VerifierConfig needs Keys, Tenants and Box")
	}
	if cfg.Plans == nil {
		cfg.Plans = DefaultPlans()
	}
	if err := cfg.Plans.Validate(); err != nil {
		return nil, fmt.Errorf("tenancy: %w", err)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Replay == nil {
		cfg.Replay = NewMemoryReplayCache(cfg.Now)
	}
	if cfg.Skew <= 0 {
		cfg.Skew = DefaultSkew
	}
	if cfg.TouchInterval == 0 {
		cfg.TouchInterval = DefaultTouchInterval
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Verifier{cfg: cfg}, nil
}

// Request is what a Verifier needs from an HTTP request.
type Request struct {
	Method string
	// Path is the request URI as received: escaped path plus "?query".
	Path   string
	Header http.Header
	// BodySHA256 is sha256 of the body; if nil, it is computed from Body.
	BodySHA256 []byte
	Body       []byte
	// Module is the module the endpoint belongs to, checked against the
	// key's scopes; empty skips the scope check.
	Module Module
}

// RequestFromHTTP builds a Request from r and its already-read body.
func RequestFromHTTP(r *http.Request, body []byte, module Module) Request {
	return Request{Method: r.Method, Path: r.URL.RequestURI(), Header: r.Header, Body: body, Module: module}
}

// Principal is the authenticated caller.
type Principal struct {
	Tenant Tenant
	Plan   Plan
	Key    APIKey
}

func unavailable(what string, err error) *Error {
	return &Error{Kind: KindUnavailable, Code: CodeUnavailable, Message: "authentication is temporarily unavailable, retry later", Err: fmt.Errorf("%s: %w", what, err)}
}

// Verify authenticates req. Refusals are *Error; match them with errors.Is
// against the Err* sentinels or map Kind.HTTPStatus.
func (v *Verifier) Verify(ctx context.Context, req Request) (Principal, error) {
	sh, err := ParseHeaders(req.Header)
	if err != nil {
		return Principal{}, err
	}
	now := v.cfg.Now()
	skew := now.Sub(sh.Timestamp)
	if skew > v.cfg.Skew || skew < -v.cfg.Skew {
		return Principal{}, &Error{Kind: KindUnauthenticated, Code: CodeTimestampSkew, Header: HeaderTimestamp, Skew: skew,
			Message: fmt.Sprintf("timestamp is %s away from server time %d; allowed skew is ±%s (check the client clock, and send Unix seconds)",
				skew.Round(time.Second), now.Unix(), v.cfg.Skew)}
	}

	key, err := v.cfg.Keys.LookupKey(ctx, sh.KeyID)
	if errors.Is(err, ErrNotFound) {
		return Principal{}, &Error{Kind: KindUnauthenticated, Code: CodeUnknownKey, Header: HeaderKey,
			Message: "no API key with this id; check X-API-KEY holds the api_key_id, not the secret"}
	}
	if err != nil {
		return Principal{}, unavailable("lookup key", err)
	}
	tenant, err := v.cfg.Tenants.Tenant(ctx, key.TenantID)
	if err != nil {
		return Principal{}, unavailable("lookup tenant", err)
	}
	plan, err := v.cfg.Plans.Lookup(tenant.Plan)
	if err != nil {
		return Principal{}, unavailable("lookup plan", err)
	}

	body := req.BodySHA256
	if body == nil {
		body = BodyHash(req.Body)
	}
	ok, err := v.signatureMatches(key, now, sh, req.Method, req.Path, body)
	if err != nil {
		// A secret that does not open (wrong master key, damaged row) is
		// our fault, not the caller's: 503, never bad_signature.
		return Principal{}, unavailable("open sealed secret of key "+key.ID, err)
	}
	if !ok {
		e := &Error{Kind: KindUnauthenticated, Code: CodeBadSignature, Header: HeaderSign,
			Message: `signature does not match; sign hex(hmac_sha256(secret, timestamp + "\n" + method + "\n" + path + "\n" + hex(sha256(body)))) with the exact path and body sent`}
		if v.cfg.Debug && plan.Sandbox {
			e.Canonical = CanonicalString(sh.RawTimestamp, req.Method, req.Path, body)
		}
		return Principal{}, e
	}
	// Only a caller holding the secret learns the key's state.
	if key.Revoked() {
		return Principal{}, &Error{Kind: KindUnauthenticated, Code: CodeKeyRevoked, Header: HeaderKey, Message: "this API key was revoked; create a new one"}
	}
	if key.Expired(now) {
		return Principal{}, &Error{Kind: KindUnauthenticated, Code: CodeKeyExpired, Header: HeaderKey, Message: "this API key has expired; create a new one"}
	}

	fresh, err := v.cfg.Replay.Remember(ctx, key.ID+":"+hex.EncodeToString(sh.Signature), v.replayTTL())
	if err != nil {
		return Principal{}, unavailable("replay cache", err)
	}
	if !fresh {
		return Principal{}, &Error{Kind: KindUnauthenticated, Code: CodeReplayed, Header: HeaderSign,
			Message: "this signature was already used; sign every request afresh (a new timestamp gives a new signature)"}
	}

	if !tenant.Active() {
		return Principal{}, &Error{Kind: KindForbidden, Code: CodeTenantSuspended, Message: "the account is suspended; contact support"}
	}
	if req.Module != "" && !key.Allows(req.Module) {
		return Principal{}, &Error{Kind: KindForbidden, Code: CodeScopeDenied,
			Message: fmt.Sprintf("this API key is not allowed to call the %s module", req.Module)}
	}
	v.touch(ctx, key, now)
	return Principal{Tenant: tenant, Plan: plan, Key: key}, nil
}

// replayTTL is how long a signature is remembered: 2*Skew + 1 s, whatever
// its timestamp. A TTL derived from the timestamp's remaining window would
// be measured on this node's clock, and a node whose clock is behind would
// still accept the signature after the shared cache forgot it; a signature
// can be acceptable somewhere for at most 2*Skew, plus the clock
// differences between nodes, here allowed up to a second.
func (v *Verifier) replayTTL() time.Duration { return 2*v.cfg.Skew + time.Second }

// signatureMatches compares in constant time against the current secret
// and, during a rotation overlap, the previous one. Both are always tried
// so timing says nothing about which matched. A secret that does not open
// is an error unless the other one matched: only then is the outcome
// certain.
func (v *Verifier) signatureMatches(key APIKey, now time.Time, sh SignedHeaders, method, path string, body []byte) (bool, error) {
	ok := false
	var openErr error
	try := func(sealed []byte) {
		secret, err := v.cfg.Box.Open(key.ID, sealed)
		if err != nil {
			openErr = err
			return
		}
		if hmac.Equal(Sign(secret, sh.RawTimestamp, method, path, body), sh.Signature) {
			ok = true
		}
	}
	try(key.SealedSecret)
	if len(key.SealedPreviousSecret) > 0 && now.Before(key.PreviousExpiresAt) {
		try(key.SealedPreviousSecret)
	}
	if ok {
		return true, nil
	}
	return false, openErr
}

func (v *Verifier) touch(ctx context.Context, key APIKey, now time.Time) {
	if v.cfg.TouchInterval < 0 || now.Sub(key.LastUsedAt) < v.cfg.TouchInterval {
		return
	}
	if err := v.cfg.Keys.TouchKey(ctx, key.TenantID, key.ID, now.UTC()); err != nil {
		v.cfg.Logger.WarnContext(ctx, "tenancy: record key use", "key_id", key.ID, "err", err)
	}
}
