package tenancy_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/store/memory"
	"github.com/idkit-dev/idkit/tenancy"
)

type fixture struct {
	now   time.Time
	store *memory.Store
	keys  *tenancy.KeyManager
	v     *tenancy.Verifier
	creds tenancy.Credentials
	key   tenancy.APIKey
	box   *tenancy.SecretBox
}

func (f *fixture) clock() time.Time { return f.now }

func (f *fixture) signer() tenancy.Signer {
	return tenancy.Signer{KeyID: f.creds.KeyID, Secret: f.creds.Secret, Now: f.clock}
}

func (f *fixture) request(s tenancy.Signer, method, path string, body []byte) tenancy.Request {
	return tenancy.Request{Method: method, Path: path, Header: s.Headers(method, path, body), Body: body}
}

func newFixture(t testing.TB, plan tenancy.PlanID, debug bool) *fixture {
	f := &fixture{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), store: memory.New()}
	require.NoError(t, f.store.CreateTenant(t.Context(), tenancy.Tenant{ID: "acme", Name: "Acme", Plan: plan, CreatedAt: f.now}))
	box, err := tenancy.NewSecretBox(bytes.Repeat([]byte{7}, 32), nil)
	require.NoError(t, err)
	f.box = box
	f.keys, err = tenancy.NewKeyManager(tenancy.KeyManagerConfig{Store: f.store, Box: box, Now: f.clock})
	require.NoError(t, err)
	f.v, err = tenancy.NewVerifier(tenancy.VerifierConfig{Keys: f.store, Tenants: f.store, Box: box, Now: f.clock, Debug: debug})
	require.NoError(t, err)
	f.key, f.creds, err = f.keys.Create(t.Context(), "acme", tenancy.KeyOptions{Name: "backend",
		Scopes: []tenancy.Module{tenancy.ModuleOCR}, ExpiresAt: f.now.Add(30 * 24 * time.Hour)})
	require.NoError(t, err)
	return f
}

func code(t *testing.T, err error) string {
	t.Helper()
	var e *tenancy.Error
	require.ErrorAs(t, err, &e)
	return e.Code
}

func TestCreateKey(t *testing.T) {
	f := newFixture(t, tenancy.PlanPro, false)
	assert.True(t, strings.HasPrefix(f.creds.KeyID, tenancy.KeyIDPrefix))
	assert.True(t, strings.HasPrefix(f.creds.Secret, tenancy.SecretPrefix))
	assert.Len(t, f.creds.Secret, len(tenancy.SecretPrefix)+43, "256 random bits")
	stored, err := f.store.Key(t.Context(), "acme", f.creds.KeyID)
	require.NoError(t, err)
	assert.NotContains(t, string(stored.SealedSecret), f.creds.Secret, "only sealed at rest")

	_, _, err = f.keys.Create(t.Context(), "acme", tenancy.KeyOptions{Scopes: []tenancy.Module{"teleport"}})
	require.Error(t, err)
	k, _, err := f.keys.Create(t.Context(), "acme", tenancy.KeyOptions{})
	require.NoError(t, err)
	assert.Equal(t, []tenancy.Module{tenancy.ScopeAll}, k.Scopes)
	_, _, err = f.keys.Create(t.Context(), "ghost", tenancy.KeyOptions{})
	require.ErrorIs(t, err, tenancy.ErrNotFound)
}

func TestVerify(t *testing.T) {
	f := newFixture(t, tenancy.PlanPro, false)
	body := []byte(`{"image":"..."}`)
	req := f.request(f.signer(), "POST", "/v1/ocr?lang=fr", body)
	req.Module = tenancy.ModuleOCR
	p, err := f.v.Verify(t.Context(), req)
	require.NoError(t, err)
	assert.Equal(t, "acme", p.Tenant.ID)
	assert.Equal(t, tenancy.PlanPro, p.Plan.ID)
	assert.Equal(t, f.creds.KeyID, p.Key.ID)

	k, err := f.store.Key(t.Context(), "acme", f.creds.KeyID)
	require.NoError(t, err)
	assert.Equal(t, f.now, k.LastUsedAt, "last use recorded")

	// The same request again is a replay.
	_, err = f.v.Verify(t.Context(), req)
	assert.Equal(t, tenancy.CodeReplayed, code(t, err))
	assert.ErrorIs(t, err, tenancy.ErrReplayed)

	// A precomputed body hash works as well as the body.
	f.now = f.now.Add(time.Second)
	req = f.request(f.signer(), "POST", "/v1/ocr", body)
	req.Body, req.BodySHA256 = nil, tenancy.BodyHash(body)
	_, err = f.v.Verify(t.Context(), req)
	require.NoError(t, err)
}

func TestVerifyRefusals(t *testing.T) {
	body := []byte(`{"n":1}`)
	tests := []struct {
		name  string
		setup func(t *testing.T, f *fixture) tenancy.Request
		code  string
		kind  tenancy.Kind
	}{
		{"missing headers", func(t *testing.T, f *fixture) tenancy.Request {
			return tenancy.Request{Method: "POST", Path: "/v1/ocr", Header: http.Header{}}
		}, tenancy.CodeMissingHeader, tenancy.KindUnauthenticated},
		{"body changed", func(t *testing.T, f *fixture) tenancy.Request {
			r := f.request(f.signer(), "POST", "/v1/ocr", body)
			r.Body = []byte(`{"n":2}`)
			return r
		}, tenancy.CodeBadSignature, tenancy.KindUnauthenticated},
		{"path changed", func(t *testing.T, f *fixture) tenancy.Request {
			r := f.request(f.signer(), "POST", "/v1/ocr", body)
			r.Path = "/v1/ocr?admin=1"
			return r
		}, tenancy.CodeBadSignature, tenancy.KindUnauthenticated},
		{"method changed", func(t *testing.T, f *fixture) tenancy.Request {
			r := f.request(f.signer(), "POST", "/v1/ocr", body)
			r.Method = "PUT"
			return r
		}, tenancy.CodeBadSignature, tenancy.KindUnauthenticated},
		{"wrong secret", func(t *testing.T, f *fixture) tenancy.Request {
			s := f.signer()
			s.Secret += "x"
			return f.request(s, "POST", "/v1/ocr", body)
		}, tenancy.CodeBadSignature, tenancy.KindUnauthenticated},
		{"unknown key", func(t *testing.T, f *fixture) tenancy.Request {
			s := f.signer()
			s.KeyID = "ik_nobody"
			return f.request(s, "POST", "/v1/ocr", body)
		}, tenancy.CodeUnknownKey, tenancy.KindUnauthenticated},
		{"clock 5m01s behind", func(t *testing.T, f *fixture) tenancy.Request {
			s := f.signer()
			s.Now = func() time.Time { return f.now.Add(-5*time.Minute - time.Second) }
			return f.request(s, "POST", "/v1/ocr", body)
		}, tenancy.CodeTimestampSkew, tenancy.KindUnauthenticated},
		{"clock 5m01s ahead", func(t *testing.T, f *fixture) tenancy.Request {
			s := f.signer()
			s.Now = func() time.Time { return f.now.Add(5*time.Minute + time.Second) }
			return f.request(s, "POST", "/v1/ocr", body)
		}, tenancy.CodeTimestampSkew, tenancy.KindUnauthenticated},
		{"revoked", func(t *testing.T, f *fixture) tenancy.Request {
			require.NoError(t, f.keys.Revoke(t.Context(), "acme", f.creds.KeyID))
			return f.request(f.signer(), "POST", "/v1/ocr", body)
		}, tenancy.CodeKeyRevoked, tenancy.KindUnauthenticated},
		{"expired", func(t *testing.T, f *fixture) tenancy.Request {
			f.now = f.now.Add(31 * 24 * time.Hour)
			return f.request(f.signer(), "POST", "/v1/ocr", body)
		}, tenancy.CodeKeyExpired, tenancy.KindUnauthenticated},
		{"out of scope", func(t *testing.T, f *fixture) tenancy.Request {
			r := f.request(f.signer(), "POST", "/v1/liveness", body)
			r.Module = tenancy.ModuleLiveness
			return r
		}, tenancy.CodeScopeDenied, tenancy.KindForbidden},
		{"suspended tenant", func(t *testing.T, f *fixture) tenancy.Request {
			tn, err := f.store.Tenant(t.Context(), "acme")
			require.NoError(t, err)
			tn.Status = tenancy.StatusSuspended
			require.NoError(t, f.store.UpdateTenant(t.Context(), tn))
			return f.request(f.signer(), "POST", "/v1/ocr", body)
		}, tenancy.CodeTenantSuspended, tenancy.KindForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, tenancy.PlanPro, true)
			_, err := f.v.Verify(t.Context(), tc.setup(t, f))
			var e *tenancy.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.code, e.Code)
			assert.Equal(t, tc.kind, e.Kind)
			assert.NotEmpty(t, e.Message)
			assert.Empty(t, e.Canonical, "no debug string outside the sandbox")
			// Nothing the caller may see carries the secret.
			shown := e.Error() + fmt.Sprint(e.Details())
			assert.NotContains(t, shown, f.creds.Secret)
			assert.NotContains(t, shown, strings.TrimPrefix(f.creds.Secret, tenancy.SecretPrefix))
		})
	}
}

func TestVerifySkewWindow(t *testing.T) {
	f := newFixture(t, tenancy.PlanPro, false)
	for _, d := range []time.Duration{-5 * time.Minute, 5 * time.Minute, 0} {
		s := f.signer()
		s.Now = func() time.Time { return f.now.Add(d) }
		_, err := f.v.Verify(t.Context(), f.request(s, "GET", "/v1/me", nil))
		require.NoError(t, err, "skew %s is inside the window", d)
	}
	s := f.signer()
	s.Now = func() time.Time { return f.now.Add(-7 * time.Minute) }
	_, err := f.v.Verify(t.Context(), f.request(s, "GET", "/v1/me", nil))
	var e *tenancy.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 7*time.Minute, e.Skew)
	assert.Equal(t, int64(420), e.Details()["skew_seconds"])
	assert.Equal(t, tenancy.HeaderTimestamp, e.Header)
}

func TestVerifyDebugCanonicalInSandbox(t *testing.T) {
	f := newFixture(t, tenancy.PlanFree, true)
	s := f.signer()
	s.Secret = "iks_wrong"
	_, err := f.v.Verify(t.Context(), f.request(s, "POST", "/v1/ocr", []byte("x")))
	var e *tenancy.Error
	require.ErrorAs(t, err, &e)
	want := tenancy.CanonicalString(strconv.FormatInt(f.now.Unix(), 10), "POST", "/v1/ocr", tenancy.BodyHash([]byte("x")))
	assert.Equal(t, want, e.Canonical)
	assert.Equal(t, want, e.Details()["expected_canonical_string"])
	assert.NotContains(t, fmt.Sprint(e.Details()), f.creds.Secret)
}

func TestRotationOverlapAndRevoke(t *testing.T) {
	f := newFixture(t, tenancy.PlanPro, false)
	old := f.signer()
	newCreds, err := f.keys.Rotate(t.Context(), "acme", f.creds.KeyID, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, f.creds.KeyID, newCreds.KeyID)
	assert.NotEqual(t, f.creds.Secret, newCreds.Secret)
	fresh := tenancy.Signer{KeyID: newCreds.KeyID, Secret: newCreds.Secret, Now: f.clock}

	verify := func(s tenancy.Signer) error {
		f.now = f.now.Add(time.Second) // a new timestamp, so no replay
		_, err := f.v.Verify(t.Context(), f.request(s, "GET", "/v1/me", nil))
		return err
	}
	require.NoError(t, verify(old), "old secret works during the overlap")
	require.NoError(t, verify(fresh))

	f.now = f.now.Add(time.Hour)
	require.ErrorIs(t, verify(old), tenancy.ErrBadSignature, "old secret stops after the overlap")
	require.NoError(t, verify(fresh))

	// Rotating again drops the oldest; negative overlap ends the old one now.
	third, err := f.keys.Rotate(t.Context(), "acme", f.creds.KeyID, -1)
	require.NoError(t, err)
	require.ErrorIs(t, verify(fresh), tenancy.ErrBadSignature)
	thirdSigner := tenancy.Signer{KeyID: third.KeyID, Secret: third.Secret, Now: f.clock}
	require.NoError(t, verify(thirdSigner))

	// Revocation is immediate, for the overlapping secret too.
	fourth, err := f.keys.Rotate(t.Context(), "acme", f.creds.KeyID, time.Hour)
	require.NoError(t, err)
	require.NoError(t, f.keys.Revoke(t.Context(), "acme", f.creds.KeyID))
	require.ErrorIs(t, verify(thirdSigner), tenancy.ErrKeyRevoked)
	require.ErrorIs(t, verify(tenancy.Signer{KeyID: fourth.KeyID, Secret: fourth.Secret, Now: f.clock}), tenancy.ErrKeyRevoked)
	_, err = f.keys.Rotate(t.Context(), "acme", f.creds.KeyID, 0)
	require.Error(t, err, "a revoked key cannot be rotated back to life")
}

// A sealed secret moved onto another key must not verify for it: it does
// not open there, which is a damaged row (503), not the caller's fault.
func TestSealedSecretBoundToKey(t *testing.T) {
	f := newFixture(t, tenancy.PlanPro, false)
	victim, _, err := f.keys.Create(t.Context(), "acme", tenancy.KeyOptions{})
	require.NoError(t, err)
	mine, err := f.store.Key(t.Context(), "acme", f.creds.KeyID)
	require.NoError(t, err)
	require.NoError(t, f.store.RotateKey(t.Context(), "acme", victim.ID, tenancy.Rotation{Replaces: victim.SealedSecret, SealedSecret: mine.SealedSecret}))
	s := tenancy.Signer{KeyID: victim.ID, Secret: f.creds.Secret, Now: f.clock}
	_, err = f.v.Verify(t.Context(), f.request(s, "GET", "/v1/me", nil))
	require.ErrorIs(t, err, tenancy.ErrUnavailable)
	require.ErrorIs(t, err, tenancy.ErrSealed)
}

// TestUnopenableSecretIsUnavailable: a secret the box cannot open (wrong
// master key, damaged row) is a server fault, 503, not a bad signature.
func TestUnopenableSecretIsUnavailable(t *testing.T) {
	f := newFixture(t, tenancy.PlanPro, false)
	otherBox, err := tenancy.NewSecretBox(bytes.Repeat([]byte{8}, 32), nil)
	require.NoError(t, err)
	v, err := tenancy.NewVerifier(tenancy.VerifierConfig{Keys: f.store, Tenants: f.store, Box: otherBox, Now: f.clock})
	require.NoError(t, err)
	_, err = v.Verify(t.Context(), f.request(f.signer(), "GET", "/v1/me", nil))
	var e *tenancy.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, tenancy.CodeUnavailable, e.Code)
	assert.Equal(t, http.StatusServiceUnavailable, e.Kind.HTTPStatus())
	require.ErrorIs(t, err, tenancy.ErrSealed, "the cause is kept for logs")

	// A damaged previous secret does not fail a request the current one
	// signed: the outcome could not have been different.
	k, err := f.store.Key(t.Context(), "acme", f.creds.KeyID)
	require.NoError(t, err)
	require.NoError(t, f.store.RotateKey(t.Context(), "acme", k.ID, tenancy.Rotation{Replaces: k.SealedSecret, SealedSecret: k.SealedSecret,
		SealedPreviousSecret: []byte("damaged"), PreviousExpiresAt: f.now.Add(time.Hour)}))
	_, err = f.v.Verify(t.Context(), f.request(f.signer(), "GET", "/v1/me", nil))
	require.NoError(t, err)
	f.now = f.now.Add(time.Second)
	s := f.signer()
	s.Secret += "x"
	_, err = f.v.Verify(t.Context(), f.request(s, "GET", "/v1/me", nil))
	require.ErrorIs(t, err, tenancy.ErrUnavailable, "but a mismatch might have matched it")
}

type failingKeys struct{ tenancy.KeyStore }

func (failingKeys) LookupKey(context.Context, string) (tenancy.APIKey, error) {
	return tenancy.APIKey{}, errors.New("connection refused")
}

func TestVerifyStoreFailureIsUnavailable(t *testing.T) {
	f := newFixture(t, tenancy.PlanPro, false)
	box, _ := tenancy.NewSecretBox(bytes.Repeat([]byte{7}, 32), nil)
	v, err := tenancy.NewVerifier(tenancy.VerifierConfig{Keys: failingKeys{f.store}, Tenants: f.store, Box: box, Now: f.clock})
	require.NoError(t, err)
	_, err = v.Verify(t.Context(), f.request(f.signer(), "GET", "/v1/me", nil))
	var e *tenancy.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, tenancy.KindUnavailable, e.Kind)
	assert.Equal(t, http.StatusServiceUnavailable, e.Kind.HTTPStatus())
	assert.NotContains(t, e.Message, "connection refused", "internal causes stay out of the message")
	assert.ErrorContains(t, err, "connection refused", "but are in the error chain for logs")
}

func TestKindHTTPStatus(t *testing.T) {
	assert.Equal(t, 401, tenancy.KindUnauthenticated.HTTPStatus())
	assert.Equal(t, 403, tenancy.KindForbidden.HTTPStatus())
	assert.Equal(t, 429, tenancy.KindRateLimited.HTTPStatus())
	assert.Equal(t, 503, tenancy.KindUnavailable.HTTPStatus())
}

func TestMemoryReplayCacheExpires(t *testing.T) {
	now := time.Unix(0, 0)
	c := tenancy.NewMemoryReplayCache(func() time.Time { return now })
	fresh, err := c.Remember(t.Context(), "a", time.Minute)
	require.NoError(t, err)
	assert.True(t, fresh)
	fresh, _ = c.Remember(t.Context(), "a", time.Minute)
	assert.False(t, fresh)
	now = now.Add(time.Minute)
	fresh, _ = c.Remember(t.Context(), "a", time.Minute)
	assert.True(t, fresh, "forgotten once expired")
	// Expired entries are swept as inserts go on, so memory stays bounded.
	for i := range 5000 {
		now = now.Add(time.Second)
		c.Remember(t.Context(), hex.EncodeToString([]byte{byte(i), byte(i >> 8)}), time.Second)
	}
	assert.Less(t, c.Len(), 1100)
}

func TestNewVerifierRefusesBadPlans(t *testing.T) {
	s := memory.New()
	box, err := tenancy.NewSecretBox(bytes.Repeat([]byte{7}, 32), nil)
	require.NoError(t, err)
	_, err = tenancy.NewVerifier(tenancy.VerifierConfig{Keys: s, Tenants: s, Box: box,
		Plans: tenancy.Plans{"x": {ID: "x", WorkflowTiers: []tenancy.DiscountTier{{UpTo: 10}}}}})
	require.ErrorContains(t, err, "open-ended")
}

// TestReplayAcrossSkewedNodes: a signature is remembered for 2*Skew + 1 s
// whatever its timestamp, so a node whose clock is behind the one that
// accepted it still refuses the replay. With a TTL computed from the
// accepting node's clock (the timestamp's remaining window) the entry had
// expired by then.
func TestReplayAcrossSkewedNodes(t *testing.T) {
	f := newFixture(t, tenancy.PlanPro, false)
	trueNow := f.now
	cache := tenancy.NewMemoryReplayCache(func() time.Time { return trueNow }) // Redis has its own clock
	node := func(offset time.Duration) *tenancy.Verifier {
		v, err := tenancy.NewVerifier(tenancy.VerifierConfig{Keys: f.store, Tenants: f.store, Box: f.box, Replay: cache,
			Now: func() time.Time { return trueNow.Add(offset) }})
		require.NoError(t, err)
		return v
	}
	a, behind := node(0), node(-2*time.Second)
	s := f.signer()
	s.Now = func() time.Time { return trueNow.Add(-tenancy.DefaultSkew + time.Second) } // one second left in a's window
	req := f.request(s, "GET", "/v1/me", nil)
	_, err := a.Verify(t.Context(), req)
	require.NoError(t, err)

	trueNow = trueNow.Add(3 * time.Second) // still inside the window of the node 2 s behind
	_, err = behind.Verify(t.Context(), req)
	require.ErrorIs(t, err, tenancy.ErrReplayed)
}

type ttlRecorder struct{ ttls []time.Duration }

func (r *ttlRecorder) Remember(_ context.Context, _ string, ttl time.Duration) (bool, error) {
	r.ttls = append(r.ttls, ttl)
	return true, nil
}

func TestReplayTTLIsFixed(t *testing.T) {
	f := newFixture(t, tenancy.PlanPro, false)
	rec := &ttlRecorder{}
	v, err := tenancy.NewVerifier(tenancy.VerifierConfig{Keys: f.store, Tenants: f.store, Box: f.box, Replay: rec, Now: f.clock, Skew: time.Minute})
	require.NoError(t, err)
	for _, d := range []time.Duration{-time.Minute, 0, time.Minute} {
		s := f.signer()
		s.Now = func() time.Time { return f.now.Add(d) }
		_, err := v.Verify(t.Context(), f.request(s, "GET", "/v1/me", nil))
		require.NoError(t, err)
	}
	assert.Equal(t, []time.Duration{2*time.Minute + time.Second, 2*time.Minute + time.Second, 2*time.Minute + time.Second}, rec.ttls)
}

// interleaved runs another rotation between Rotate's read and its write.
type interleaved struct {
	tenancy.KeyStore
	other func()
}

func (s interleaved) Key(ctx context.Context, tenantID, keyID string) (tenancy.APIKey, error) {
	k, err := s.KeyStore.Key(ctx, tenantID, keyID)
	s.other()
	return k, err
}

// TestRotateConflict: of two simultaneous rotations the loser returns
// ErrConflict and no secret, instead of a secret that never works.
func TestRotateConflict(t *testing.T) {
	f := newFixture(t, tenancy.PlanPro, false)
	var winner tenancy.Credentials
	slow, err := tenancy.NewKeyManager(tenancy.KeyManagerConfig{Box: f.box, Now: f.clock, Store: interleaved{f.store, func() {
		var err error
		winner, err = f.keys.Rotate(t.Context(), "acme", f.creds.KeyID, time.Hour)
		require.NoError(t, err)
	}}})
	require.NoError(t, err)
	lost, err := slow.Rotate(t.Context(), "acme", f.creds.KeyID, time.Hour)
	require.ErrorIs(t, err, tenancy.ErrConflict)
	assert.Empty(t, lost.Secret, "the loser hands out no secret")
	_, err = f.v.Verify(t.Context(), f.request(tenancy.Signer{KeyID: winner.KeyID, Secret: winner.Secret, Now: f.clock}, "GET", "/v1/me", nil))
	require.NoError(t, err, "the winner's secret works")
}
