package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/idkit-dev/idkit/tenancy"
)

const tenantColumns = `id, name, country, support_email, plan, status, quotas, settings, created_at`

func scanTenant(row interface{ Scan(...any) error }) (tenancy.Tenant, error) {
	var t tenancy.Tenant
	var quotas, settings string
	var created int64
	if err := row.Scan(&t.ID, &t.Name, &t.Country, &t.SupportEmail, &t.Plan, &t.Status, &quotas, &settings, &created); err != nil {
		return t, err
	}
	var err error
	if t.Quotas, err = decodeMap[tenancy.Module, int64](quotas); err != nil {
		return t, fmt.Errorf("sqlite: tenant %s quotas: %w", t.ID, err)
	}
	if t.Settings, err = decodeMap[string, string](settings); err != nil {
		return t, fmt.Errorf("sqlite: tenant %s settings: %w", t.ID, err)
	}
	t.CreatedAt = fromMicros(created)
	return t, nil
}

func tenantMaps(t tenancy.Tenant) (quotas, settings string, err error) {
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
	_, err = s.w.ExecContext(ctx, `INSERT INTO tenants (`+tenantColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.Name, t.Country, t.SupportEmail, t.Plan, t.Status, quotas, settings, micros(t.CreatedAt))
	if isUniqueViolation(err) {
		return fmt.Errorf("tenant %s: %w", t.ID, tenancy.ErrConflict)
	}
	return err
}

// Tenant implements tenancy.TenantStore.
func (s *Store) Tenant(ctx context.Context, id string) (tenancy.Tenant, error) {
	t, err := scanTenant(s.r.QueryRowContext(ctx, `SELECT `+tenantColumns+` FROM tenants WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
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
	res, err := s.w.ExecContext(ctx, `UPDATE tenants SET name = ?, country = ?, support_email = ?, plan = ?, status = ?, quotas = ?, settings = ? WHERE id = ?`,
		t.Name, t.Country, t.SupportEmail, t.Plan, t.Status, quotas, settings, t.ID)
	return oneRow(res, err, "tenant", t.ID)
}

// ListTenants implements tenancy.TenantStore.
func (s *Store) ListTenants(ctx context.Context) ([]tenancy.Tenant, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+tenantColumns+` FROM tenants ORDER BY id`)
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

// oneRow turns "no row changed" into ErrNotFound.
func oneRow(res sql.Result, err error, what, id string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(what, id)
	}
	return nil
}
