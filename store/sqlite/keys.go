package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/idkit-dev/idkit/tenancy"
)

const keyColumns = `id, tenant_id, name, scopes, created_at, expires_at, last_used_at, revoked_at, sealed_secret, sealed_previous_secret, previous_expires_at`

func scanKey(row interface{ Scan(...any) error }) (tenancy.APIKey, error) {
	var k tenancy.APIKey
	var scopes string
	var created int64
	var expires, lastUsed, revoked, prevExpires sql.NullInt64
	if err := row.Scan(&k.ID, &k.TenantID, &k.Name, &scopes, &created, &expires, &lastUsed, &revoked,
		&k.SealedSecret, &k.SealedPreviousSecret, &prevExpires); err != nil {
		return k, err
	}
	if err := json.Unmarshal([]byte(scopes), &k.Scopes); err != nil {
		return k, fmt.Errorf("sqlite: key %s scopes: %w", k.ID, err)
	}
	k.CreatedAt = fromMicros(created)
	k.ExpiresAt = fromNullMicros(expires)
	k.LastUsedAt = fromNullMicros(lastUsed)
	k.RevokedAt = fromNullMicros(revoked)
	k.PreviousExpiresAt = fromNullMicros(prevExpires)
	if len(k.SealedPreviousSecret) == 0 {
		k.SealedPreviousSecret = nil
	}
	return k, nil
}

// CreateKey implements tenancy.KeyStore.
func (s *Store) CreateKey(ctx context.Context, k tenancy.APIKey) error {
	if k.ID == "" || k.TenantID == "" || len(k.SealedSecret) == 0 {
		return errors.New("sqlite: key needs ID, TenantID and SealedSecret")
	}
	scopes, err := encodeJSON(k.Scopes)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO api_keys (`+keyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.ID, k.TenantID, k.Name, scopes, micros(k.CreatedAt), nullMicros(k.ExpiresAt), nullMicros(k.LastUsedAt),
		nullMicros(k.RevokedAt), k.SealedSecret, k.SealedPreviousSecret, nullMicros(k.PreviousExpiresAt))
	if isUniqueViolation(err) {
		return fmt.Errorf("key %s: %w", k.ID, tenancy.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlite: create key (does tenant %s exist?): %w", k.TenantID, err)
	}
	return nil
}

// LookupKey implements tenancy.KeyStore.
func (s *Store) LookupKey(ctx context.Context, keyID string) (tenancy.APIKey, error) {
	k, err := scanKey(s.r.QueryRowContext(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE id = ?`, keyID))
	if errors.Is(err, sql.ErrNoRows) {
		return k, notFound("key", keyID)
	}
	return k, err
}

// Key implements tenancy.KeyStore.
func (s *Store) Key(ctx context.Context, tenantID, keyID string) (tenancy.APIKey, error) {
	k, err := scanKey(s.r.QueryRowContext(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE tenant_id = ? AND id = ?`, tenantID, keyID))
	if errors.Is(err, sql.ErrNoRows) {
		return k, notFound("key", keyID)
	}
	return k, err
}

// ListKeys implements tenancy.KeyStore.
func (s *Store) ListKeys(ctx context.Context, tenantID string) ([]tenancy.APIKey, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id`, tenantID)
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

// RotateKey implements tenancy.KeyStore: one conditional UPDATE, so the
// compare and the swap are one step.
func (s *Store) RotateKey(ctx context.Context, tenantID, keyID string, r tenancy.Rotation) error {
	if err := r.Validate(); err != nil {
		return err
	}
	res, err := s.w.ExecContext(ctx, `UPDATE api_keys SET sealed_secret = ?, sealed_previous_secret = ?, previous_expires_at = ?
		WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL AND sealed_secret = ?`,
		r.SealedSecret, r.SealedPreviousSecret, nullMicros(r.PreviousExpiresAt), tenantID, keyID, r.Replaces)
	err = oneRow(res, err, "key", keyID)
	if !errors.Is(err, tenancy.ErrNotFound) {
		return err
	}
	// Nothing changed: say whether the key is gone or its secret moved on.
	var live bool
	err = s.w.QueryRowContext(ctx, `SELECT revoked_at IS NULL FROM api_keys WHERE tenant_id = ? AND id = ?`, tenantID, keyID).Scan(&live)
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && !live:
		return notFound("key", keyID)
	case err != nil:
		return err
	}
	return fmt.Errorf("key %s: secret changed since it was read: %w", keyID, tenancy.ErrConflict)
}

// RevokeKey implements tenancy.KeyStore.
func (s *Store) RevokeKey(ctx context.Context, tenantID, keyID string, at time.Time) error {
	res, err := s.w.ExecContext(ctx, `UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE tenant_id = ? AND id = ?`,
		micros(at), tenantID, keyID)
	return oneRow(res, err, "key", keyID)
}

// TouchKey implements tenancy.KeyStore.
func (s *Store) TouchKey(ctx context.Context, tenantID, keyID string, at time.Time) error {
	res, err := s.w.ExecContext(ctx, `UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE tenant_id = ? AND id = ?`,
		micros(at), tenantID, keyID)
	return oneRow(res, err, "key", keyID)
}
