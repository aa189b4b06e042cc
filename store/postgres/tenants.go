package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/idkit-dev/idkit/tenancy"
)

const tenantColumns = `id, name, country, support_email, plan, status, quotas, settings, created_at`

func scanTenant(row pgx.Row) (tenancy.Tenant, error) {
	var t tenancy.Tenant
	var quotas, settings []byte
	var created time.Time
	if err := row.Scan(&t.ID, &t.Name, &t.Country, &t.SupportEmail, &t.Plan, &t.Status, &quotas, &settings, &created); err != nil {
		return t, err
	}
	var err error
	if t.Quotas, err = decodeMap[tenancy.Module, int64](quotas); err != nil {
		return t, fmt.Errorf("postgres: tenant %s quotas: %w", t.ID, err)
	}
	if t.Settings, err = decodeMap[string, string](settings); err != nil {
		return t, fmt.Errorf("postgres: tenant %s settings: %w", t.ID, err)
	}
	t.CreatedAt = created.UTC()
	return t, nil
}

func tenantMaps(t tenancy.Tenant) (quotas, settings []byte, err error) {
	if quotas, err = encodeJSON(t.Quotas); err != nil {
		return
	}
	settings, err = encodeJSON(t.Settings)
	return
}

// CreateTenant implements tenancy.TenantStore.
func (s *Store) CreateTenant(ctx context.Context, t tenancy.Tenant) error {
	if err := t.Validate(); err != nil {
		return err
	}
	quotas, settings, err := tenantMaps(t)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO tenants (`+tenantColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		t.ID, t.Name, t.Country, t.SupportEmail, t.Plan, t.Status, quotas, settings, t.CreatedAt)
	if isUniqueViolation(err) {
		return fmt.Errorf("tenant %s: %w", t.ID, tenancy.ErrConflict)
	}
	return err
}

// Tenant implements tenancy.TenantStore.
func (s *Store) Tenant(ctx context.Context, id string) (tenancy.Tenant, error) {
	t, err := scanTenant(s.pool.QueryRow(ctx, `SELECT `+tenantColumns+` FROM tenants WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return t, notFound("tenant", id)
	}
	return t, err
}

// UpdateTenant implements tenancy.TenantStore.
func (s *Store) UpdateTenant(ctx context.Context, t tenancy.Tenant) error {
	if err := t.Validate(); err != nil {
		return err
	}
	quotas, settings, err := tenantMaps(t)
	if err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `UPDATE tenants SET name = $1, country = $2, support_email = $3, plan = $4, status = $5, quotas = $6, settings = $7 WHERE id = $8`,
		t.Name, t.Country, t.SupportEmail, t.Plan, t.Status, quotas, settings, t.ID)
	return oneRow(tag, err, "tenant", t.ID)
}

// ListTenants implements tenancy.TenantStore.
func (s *Store) ListTenants(ctx context.Context) ([]tenancy.Tenant, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+tenantColumns+` FROM tenants ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []tenancy.Tenant{}
	for rows.Next() {
		t, err := scanTenant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
