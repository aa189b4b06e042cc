package tenancy

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// Key ID and secret prefixes make leaked credentials easy to recognise by
// secret scanners.
const (
	KeyIDPrefix  = "ik_"
	SecretPrefix = "iks_"
)

// DefaultRotationOverlap is how long a rotated-out secret keeps working
// when KeyManagerConfig.RotationOverlap is zero.
const DefaultRotationOverlap = 24 * time.Hour

// KeyManagerConfig configures a KeyManager.
type KeyManagerConfig struct {
	// Store keeps the keys. Required.
	Store KeyStore
	// Box seals secrets. Required.
	Box *SecretBox
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand generates IDs and secrets; nil means crypto/rand.
	Rand io.Reader
	// RotationOverlap is the default window during which a rotated-out
	// secret still verifies; zero means DefaultRotationOverlap.
	RotationOverlap time.Duration
}

// KeyManager creates, rotates and revokes API keys.
type KeyManager struct {
	cfg KeyManagerConfig
}

// NewKeyManager checks cfg and fills its defaults.
func NewKeyManager(cfg KeyManagerConfig) (*KeyManager, error) {
	if cfg.Store == nil || cfg.Box == nil {
		return nil, errors.New("tenancy: KeyManagerConfig needs Store and Box")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	if cfg.RotationOverlap == 0 {
		cfg.RotationOverlap = DefaultRotationOverlap
	}
	return &KeyManager{cfg: cfg}, nil
}

// KeyOptions describe a key to create.
type KeyOptions struct {
	// Name labels the key.
	Name string
	// Scopes lists the modules the key may call; empty means ScopeAll.
	Scopes []Module
	// ExpiresAt is when the key stops working; zero means never.
	ExpiresAt time.Time
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

func (m *KeyManager) newID() (string, error) {
	b := make([]byte, 15)
	if _, err := io.ReadFull(m.cfg.Rand, b); err != nil {
		return "", err
	}
	id := idEncoding.EncodeToString(b)
	out := make([]byte, len(id))
	for i := range id { // lower case reads better in logs and dashboards
		c := id[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return KeyIDPrefix + string(out), nil
}

func (m *KeyManager) newSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(m.cfg.Rand, b); err != nil {
		return "", err
	}
	return SecretPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// Create makes a key for the tenant and returns it with its credentials:
// the only time the secret is ever visible.
func (m *KeyManager) Create(ctx context.Context, tenantID string, opts KeyOptions) (APIKey, Credentials, error) {
	if tenantID == "" {
		return APIKey{}, Credentials{}, errors.New("tenancy: tenant id is required")
	}
	scopes := slices.Clone(opts.Scopes)
	if len(scopes) == 0 {
		scopes = []Module{ScopeAll}
	}
	for _, s := range scopes {
		if s != ScopeAll && !s.Valid() {
			return APIKey{}, Credentials{}, fmt.Errorf("tenancy: unknown scope %q", s)
		}
	}
	id, err := m.newID()
	if err != nil {
		return APIKey{}, Credentials{}, fmt.Errorf("tenancy: key id: %w", err)
	}
	secret, err := m.newSecret()
	if err != nil {
		return APIKey{}, Credentials{}, fmt.Errorf("tenancy: key secret: %w", err)
	}
	sealed, err := m.cfg.Box.Seal(id, []byte(secret))
	if err != nil {
		return APIKey{}, Credentials{}, err
	}
	k := APIKey{
		ID: id, TenantID: tenantID, Name: opts.Name, Scopes: scopes,
		CreatedAt: m.cfg.Now().UTC(), ExpiresAt: opts.ExpiresAt,
		SealedSecret: sealed,
	}
	if err := m.cfg.Store.CreateKey(ctx, k); err != nil {
		return APIKey{}, Credentials{}, fmt.Errorf("tenancy: create key: %w", err)
	}
	return k, Credentials{KeyID: id, Secret: secret}, nil
}

// Rotate gives the key a new secret. The old one keeps verifying for
// overlap (zero means the configured default; negative means not at all),
// so clients can roll out the new secret without downtime. A secret left
// over from an earlier rotation is dropped.
//
// Of two concurrent rotations of one key, one wins; the other returns an
// error matching ErrConflict and no credentials (its secret was never
// stored), and may be retried.
func (m *KeyManager) Rotate(ctx context.Context, tenantID, keyID string, overlap time.Duration) (Credentials, error) {
	k, err := m.cfg.Store.Key(ctx, tenantID, keyID)
	if err != nil {
		return Credentials{}, fmt.Errorf("tenancy: rotate: %w", err)
	}
	if k.Revoked() {
		return Credentials{}, fmt.Errorf("tenancy: rotate: key %s is revoked", keyID)
	}
	if overlap == 0 {
		overlap = m.cfg.RotationOverlap
	}
	secret, err := m.newSecret()
	if err != nil {
		return Credentials{}, err
	}
	sealed, err := m.cfg.Box.Seal(keyID, []byte(secret))
	if err != nil {
		return Credentials{}, err
	}
	r := Rotation{Replaces: k.SealedSecret, SealedSecret: sealed}
	if overlap > 0 {
		r.SealedPreviousSecret = k.SealedSecret
		r.PreviousExpiresAt = m.cfg.Now().UTC().Add(overlap)
	}
	err = m.cfg.Store.RotateKey(ctx, tenantID, keyID, r)
	if errors.Is(err, ErrConflict) {
		return Credentials{}, fmt.Errorf("tenancy: rotate: key %s was rotated concurrently; its secret is not this one, retry: %w", keyID, err)
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("tenancy: rotate: %w", err)
	}
	return Credentials{KeyID: keyID, Secret: secret}, nil
}

// Revoke disables the key at once, including any overlapping old secret.
func (m *KeyManager) Revoke(ctx context.Context, tenantID, keyID string) error {
	if err := m.cfg.Store.RevokeKey(ctx, tenantID, keyID, m.cfg.Now().UTC()); err != nil {
		return fmt.Errorf("tenancy: revoke: %w", err)
	}
	return nil
}
