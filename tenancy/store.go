package tenancy

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned by stores when a record does not exist or belongs
// to another tenant: the two cases are indistinguishable on purpose.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when creating a record whose ID already exists,
// and when a key rotation lost a race: the key's secret is no longer the
// one the rotation replaces. Nothing was written; a caller may retry.
var ErrConflict = errors.New("already exists or changed concurrently")

// TenantStore keeps tenants.
type TenantStore interface {
	// CreateTenant stores a new tenant; ErrConflict if the ID is taken.
	CreateTenant(ctx context.Context, t Tenant) error
	// Tenant returns the tenant with the given ID.
	Tenant(ctx context.Context, id string) (Tenant, error)
	// UpdateTenant replaces a tenant's mutable fields (all but ID and
	// CreatedAt).
	UpdateTenant(ctx context.Context, t Tenant) error
	// ListTenants returns every tenant ordered by ID; an operator call.
	ListTenants(ctx context.Context) ([]Tenant, error)
}

// KeyStore keeps API keys. Every method except LookupKey is scoped by
// tenant: a key of another tenant is ErrNotFound.
type KeyStore interface {
	// CreateKey stores a new key; ErrConflict if the ID is taken.
	CreateKey(ctx context.Context, k APIKey) error
	// LookupKey finds a key by its public ID alone. It is the
	// authentication entry point, the only unscoped read.
	LookupKey(ctx context.Context, keyID string) (APIKey, error)
	// Key returns one key of the tenant.
	Key(ctx context.Context, tenantID, keyID string) (APIKey, error)
	// ListKeys returns the tenant's keys ordered by creation then ID.
	ListKeys(ctx context.Context, tenantID string) ([]APIKey, error)
	// RotateKey replaces the secrets of a key that is not revoked and whose
	// current sealed secret is r.Replaces, atomically; ErrNotFound if the
	// key is absent or revoked, ErrConflict if its secret is another one
	// (nothing changes). A Rotation that fails Validate is refused.
	RotateKey(ctx context.Context, tenantID, keyID string, r Rotation) error
	// RevokeKey marks the key revoked at the given time. Revoking a revoked
	// key keeps the first time.
	RevokeKey(ctx context.Context, tenantID, keyID string, at time.Time) error
	// TouchKey records a use of the key.
	TouchKey(ctx context.Context, tenantID, keyID string, at time.Time) error
}
