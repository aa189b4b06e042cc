package tenancy

import (
	"errors"
	"slices"
	"time"
)

// APIKey is an API key as stored. Its secret is held only sealed (see
// SecretBox) and is never marshalled to JSON.
type APIKey struct {
	// ID is the public key id sent in X-API-KEY.
	ID       string `json:"id"`
	TenantID string `json:"tenant_id"`
	// Name is a label chosen by the tenant ("production backend").
	Name string `json:"name,omitempty"`
	// Scopes lists the modules the key may call; ScopeAll grants all.
	Scopes    []Module  `json:"scopes"`
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is when the key stops working; zero means never.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// LastUsedAt is updated at most once per Verifier.TouchInterval.
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	// RevokedAt is when the key was revoked; zero means it is not.
	RevokedAt time.Time `json:"revoked_at,omitzero"`

	// SealedSecret is the current secret sealed by a SecretBox.
	SealedSecret []byte `json:"-"`
	// SealedPreviousSecret is the secret replaced by the last rotation; it
	// keeps working until PreviousExpiresAt.
	SealedPreviousSecret []byte    `json:"-"`
	PreviousExpiresAt    time.Time `json:"previous_expires_at,omitzero"`
}

// Revoked reports whether the key was revoked.
func (k APIKey) Revoked() bool { return !k.RevokedAt.IsZero() }

// Expired reports whether the key has expired at now.
func (k APIKey) Expired(now time.Time) bool { return !k.ExpiresAt.IsZero() && !now.Before(k.ExpiresAt) }

// Allows reports whether the key's scopes include module m.
func (k APIKey) Allows(m Module) bool {
	return slices.Contains(k.Scopes, ScopeAll) || slices.Contains(k.Scopes, m)
}

// Rotation is the state a rotation writes: a new current secret, and the
// old one kept until PreviousExpiresAt. It applies only while the key still
// holds the secret it Replaces (compare-and-swap), so that of two
// concurrent rotations one wins and the other learns it lost.
type Rotation struct {
	// Replaces is the sealed secret the rotator read as current. Required.
	Replaces             []byte
	SealedSecret         []byte
	SealedPreviousSecret []byte
	PreviousExpiresAt    time.Time
}

// Validate checks the fields a store relies on: a rotation that does not
// name the secret it replaces would overwrite blindly.
func (r Rotation) Validate() error {
	if len(r.Replaces) == 0 || len(r.SealedSecret) == 0 {
		return errors.New("tenancy: a rotation needs Replaces and SealedSecret")
	}
	return nil
}

// Credentials are what a tenant receives when a key is created or rotated.
// The secret is never retrievable again.
type Credentials struct {
	KeyID  string `json:"api_key_id"`
	Secret string `json:"api_key_secret"`
}
