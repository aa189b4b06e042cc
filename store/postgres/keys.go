package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/idkit-dev/idkit/tenancy"
)

const keyColumns = `id, tenant_id, name, scopes, created_at, expires_at, last_used_at, revoked_at, sealed_secret, sealed_previous_secret, previous_expires_at`

func scanKey(row pgx.Row) (tenancy.APIKey, error) {
	var k tenancy.APIKey
	var scopes []byte
	var created time.Time
	var expires, lastUsed, revoked, prevExpires *time.Time
	if err := row.Scan(&k.ID, &k.TenantID, &k.Name, &scopes, &created, &expires, &lastUsed, &revoked,
		&k.SealedSecret, &k.SealedPreviousSecret, &prevExpires); err != nil {
		return k, err
	}
	if err := json.Unmarshal(scopes, &k.Scopes); err != nil {
		return k, fmt.Errorf("postgres: key %s scopes: %w", k.ID, err)
	}
	k.CreatedAt = created.UTC()
	k.ExpiresAt = fromNullTime(expires)
	k.LastUsedAt = fromNullTime(lastUsed)
	k.RevokedAt = fromNullTime(revoked)
	k.PreviousExpiresAt = fromNullTime(prevExpires)
	if len(k.SealedPreviousSecret) == 0 {
		k.SealedPreviousSecret = nil
	}
	return k, nil
}

// CreateKey implements tenancy.KeyStore.
func (s *Store) CreateKey(ctx context.Context, k tenancy.APIKey) error {
	if k.ID == "" || k.TenantID == "" || len(k.SealedSecret) == 0 {
		return errors.New("postgres: key needs ID, TenantID and SealedSecret")
	}
	scopes, err := encodeJSON(k.Scopes)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO api_keys (`+keyColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		k.ID, k.TenantID, k.Name, scopes, k.CreatedAt, nullTime(k.ExpiresAt), nullTime(k.LastUsedAt),
		nullTime(k.RevokedAt), k.SealedSecret, k.SealedPreviousSecret, nullTime(k.PreviousExpiresAt))
	if isUniqueViolation(err) {
		return fmt.Errorf("key %s: %w", k.ID, tenancy.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("postgres: create key (does tenant %s exist?): %w", k.TenantID, err)
	}
	return nil
}

// LookupKey implements tenancy.KeyStore.
func (s *Store) LookupKey(ctx context.Context, keyID string) (tenancy.APIKey, error) {
	k, err := scanKey(s.pool.QueryRow(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE id = $1`, keyID))
	if errors.Is(err, pgx.ErrNoRows) {
		return k, notFound("key", keyID)
	}
	return k, err
}

// Key implements tenancy.KeyStore.
func (s *Store) Key(ctx context.Context, tenantID, keyID string) (tenancy.APIKey, error) {
	k, err := scanKey(s.pool.QueryRow(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE tenant_id = $1 AND id = $2`, tenantID, keyID))
	if errors.Is(err, pgx.ErrNoRows) {
		return k, notFound("key", keyID)
	}
	return k, err
}

// ListKeys implements tenancy.KeyStore.
func (s *Store) ListKeys(ctx context.Context, tenantID string) ([]tenancy.APIKey, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, id`, tenantID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []tenancy.APIKey{}
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// RotateKey implements tenancy.KeyStore: one conditional UPDATE, which
// re-checks its condition on the row's latest version when it waited for
// a concurrent one, so the compare and the swap are one step.
func (s *Store) RotateKey(ctx context.Context, tenantID, keyID string, r tenancy.Rotation) error {
	if err := r.Validate(); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE api_keys SET sealed_secret = $1, sealed_previous_secret = $2, previous_expires_at = $3
		WHERE tenant_id = $4 AND id = $5 AND revoked_at IS NULL AND sealed_secret = $6`,
		r.SealedSecret, r.SealedPreviousSecret, nullTime(r.PreviousExpiresAt), tenantID, keyID, r.Replaces)
	err = oneRow(tag, err, "key", keyID)
	if !errors.Is(err, tenancy.ErrNotFound) {
		return err
	}
	// Nothing changed: say whether the key is gone or its secret moved on.
	var live bool
	err = s.pool.QueryRow(ctx, `SELECT revoked_at IS NULL FROM api_keys WHERE tenant_id = $1 AND id = $2`, tenantID, keyID).Scan(&live)
	switch {
	case errors.Is(err, pgx.ErrNoRows) || err == nil && !live:
		return notFound("key", keyID)
	case err != nil:
		return err
	}
	return fmt.Errorf("key %s: secret changed since it was read: %w", keyID, tenancy.ErrConflict)
}

// RevokeKey implements tenancy.KeyStore.
func (s *Store) RevokeKey(ctx context.Context, tenantID, keyID string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE tenant_id = $2 AND id = $3`,
		at, tenantID, keyID)
	return oneRow(tag, err, "key", keyID)
}

// TouchKey implements tenancy.KeyStore.
func (s *Store) TouchKey(ctx context.Context, tenantID, keyID string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE api_keys SET last_used_at = greatest(last_used_at, $1) WHERE tenant_id = $2 AND id = $3`,
		at, tenantID, keyID)
	return oneRow(tag, err, "key", keyID)
}
