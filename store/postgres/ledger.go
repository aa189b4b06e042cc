package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/tenancy"
)

const eventColumns = `tenant_id, id, specversion, source, type, time, module, key_id, quantity, unit_price, currency`

func scanEvent(row pgx.Row) (billing.UsageEvent, error) {
	var e billing.UsageEvent
	err := row.Scan(&e.TenantID, &e.ID, &e.SpecVersion, &e.Source, &e.Type, &e.Time, &e.Module, &e.KeyID, &e.Quantity, &e.UnitPrice, &e.Currency)
	e.Time = e.Time.UTC()
	return e, err
}

// RecordUsage implements billing.Ledger. The counter upsert only applies
// when it stays within limit; concurrent transactions queue on the counter
// row and re-check the condition against its latest value.
func (s *Store) RecordUsage(ctx context.Context, ev billing.UsageEvent, limit int64) (billing.Recorded, error) {
	if err := ev.Validate(); err != nil {
		return billing.Recorded{}, err
	}
	ev.Time = ev.Time.UTC()
	period := billing.PeriodOf(ev.Time)
	var rec billing.Recorded
	var overQuota bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO usage_events (`+eventColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (tenant_id, id) DO NOTHING`,
			ev.TenantID, ev.ID, ev.SpecVersion, ev.Source, ev.Type, ev.Time, ev.Module, ev.KeyID, ev.Quantity, ev.UnitPrice, ev.Currency)
		if err != nil {
			return fmt.Errorf("postgres: record usage: %w", err)
		}
		if tag.RowsAffected() == 0 {
			old, err := scanEvent(tx.QueryRow(ctx, `SELECT `+eventColumns+` FROM usage_events WHERE tenant_id = $1 AND id = $2`, ev.TenantID, ev.ID))
			if err != nil {
				return err
			}
			used, err := counter(ctx, tx, old.TenantID, old.Module, billing.PeriodOf(old.Time))
			rec = billing.Recorded{Event: old, Duplicate: true, Used: used}
			return err
		}
		if limit > 0 && ev.Quantity > limit {
			overQuota = true
			return errRollback
		}
		var used int64
		err = tx.QueryRow(ctx, `INSERT INTO usage_counters (tenant_id, module, period, used) VALUES ($1, $2, $3, $4)
			ON CONFLICT (tenant_id, module, period) DO UPDATE SET used = usage_counters.used + excluded.used
			WHERE $5::bigint <= 0 OR excluded.used <= $5::bigint - usage_counters.used
			RETURNING used`, ev.TenantID, ev.Module, period, ev.Quantity, limit).Scan(&used)
		if errors.Is(err, pgx.ErrNoRows) {
			overQuota = true
			return errRollback
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO usage_rollups (tenant_id, period, module, unit_price, currency, events, units, first_time)
			VALUES ($1, $2, $3, $4, $5, 1, $6, $7)
			ON CONFLICT (tenant_id, period, module, unit_price, currency) DO UPDATE SET
				events = usage_rollups.events + 1, units = usage_rollups.units + excluded.units,
				first_time = least(usage_rollups.first_time, excluded.first_time)`,
			ev.TenantID, period, ev.Module, ev.UnitPrice, ev.Currency, ev.Quantity, ev.Time); err != nil {
			return err
		}
		rec = billing.Recorded{Event: ev, Used: used}
		return nil
	})
	if overQuota {
		used, err := counter(ctx, s.pool, ev.TenantID, ev.Module, period)
		if err != nil {
			return billing.Recorded{}, err
		}
		return billing.Recorded{}, &billing.QuotaError{TenantID: ev.TenantID, Module: ev.Module, Period: period, Used: used, Limit: limit, Requested: ev.Quantity}
	}
	if err != nil {
		return billing.Recorded{}, err
	}
	return rec, nil
}

// errRollback makes pgx.BeginFunc roll back without reporting a failure.
var errRollback = errors.New("rollback")

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func counter(ctx context.Context, q querier, tenantID string, module tenancy.Module, period billing.Period) (int64, error) {
	var used int64
	err := q.QueryRow(ctx, `SELECT used FROM usage_counters WHERE tenant_id = $1 AND module = $2 AND period = $3`,
		tenantID, module, period).Scan(&used)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return used, err
}

// ImportUsage bulk-loads events (e.g. history from another system) with
// COPY, without quota checks; events already present are skipped, the rest
// counted.
func (s *Store) ImportUsage(ctx context.Context, events []billing.UsageEvent) error {
	for _, ev := range events {
		if err := ev.Validate(); err != nil {
			return fmt.Errorf("postgres: import %s: %w", ev.ID, err)
		}
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// ord keeps the input order, so that within a batch the first of
		// two events with one id wins, as it would one by one.
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE import_usage (LIKE usage_events, ord bigint) ON COMMIT DROP`); err != nil {
			return err
		}
		cols := []string{"tenant_id", "id", "specversion", "source", "type", "time", "module", "key_id", "quantity", "unit_price", "currency", "ord"}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"import_usage"}, cols, pgx.CopyFromSlice(len(events), func(i int) ([]any, error) {
			e := events[i]
			return []any{e.TenantID, e.ID, e.SpecVersion, e.Source, e.Type, e.Time.UTC(), string(e.Module), e.KeyID, e.Quantity, e.UnitPrice, e.Currency, int64(i)}, nil
		}))
		if err != nil {
			return fmt.Errorf("postgres: import copy: %w", err)
		}
		_, err = tx.Exec(ctx, `WITH ins AS (
				INSERT INTO usage_events (`+eventColumns+`)
				SELECT DISTINCT ON (tenant_id, id) `+eventColumns+` FROM import_usage ORDER BY tenant_id, id, ord
				ON CONFLICT (tenant_id, id) DO NOTHING
				RETURNING tenant_id, module, to_char(time AT TIME ZONE 'UTC', 'YYYY-MM') AS period, quantity, unit_price, currency, time),
			counters AS (
				INSERT INTO usage_counters (tenant_id, module, period, used)
				SELECT tenant_id, module, period, sum(quantity) FROM ins GROUP BY tenant_id, module, period
				ON CONFLICT (tenant_id, module, period) DO UPDATE SET used = usage_counters.used + excluded.used)
			INSERT INTO usage_rollups (tenant_id, period, module, unit_price, currency, events, units, first_time)
			SELECT tenant_id, period, module, unit_price, currency, count(*), sum(quantity), min(time)
			FROM ins GROUP BY tenant_id, period, module, unit_price, currency
			ON CONFLICT (tenant_id, period, module, unit_price, currency) DO UPDATE SET
				events = usage_rollups.events + excluded.events, units = usage_rollups.units + excluded.units,
				first_time = least(usage_rollups.first_time, excluded.first_time)`)
		if err != nil {
			return fmt.Errorf("postgres: import: %w", err)
		}
		return nil
	})
}

// UsageEvent implements billing.Ledger.
func (s *Store) UsageEvent(ctx context.Context, tenantID, id string) (billing.UsageEvent, error) {
	ev, err := scanEvent(s.pool.QueryRow(ctx, `SELECT `+eventColumns+` FROM usage_events WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return ev, notFound("usage event", id)
	}
	return ev, err
}

// Usage implements billing.Ledger.
func (s *Store) Usage(ctx context.Context, tenantID string, module tenancy.Module, period billing.Period) (int64, error) {
	return counter(ctx, s.pool, tenantID, module, period)
}

// SummarizeUsage implements billing.Ledger from the rollups.
func (s *Store) SummarizeUsage(ctx context.Context, tenantID string, period billing.Period) ([]billing.UsageGroup, error) {
	return s.groups(ctx, `SELECT module, unit_price, currency, events, units, first_time
		FROM usage_rollups WHERE tenant_id = $1 AND period = $2 ORDER BY module, unit_price, currency`, tenantID, period)
}

// EachUsageEvent implements billing.Ledger. Ties in time are broken by id
// under the "C" collation, which compares bytes as the contract asks.
func (s *Store) EachUsageEvent(ctx context.Context, tenantID string, module tenancy.Module, period billing.Period, fn func(billing.UsageEvent) error) error {
	from, to, err := period.Bounds()
	if err != nil {
		return err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+eventColumns+` FROM usage_events
		WHERE tenant_id = $1 AND module = $2 AND time >= $3 AND time < $4 ORDER BY time, id COLLATE "C"`,
		tenantID, module, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		ev, err := scanEvent(rows)
		if err != nil {
			return err
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SummarizeUsageFromEvents computes what SummarizeUsage returns by scanning
// the events themselves: slow, for audits of the rollups.
func (s *Store) SummarizeUsageFromEvents(ctx context.Context, tenantID string, period billing.Period) ([]billing.UsageGroup, error) {
	from, to, err := period.Bounds()
	if err != nil {
		return nil, err
	}
	return s.groups(ctx, `SELECT module, unit_price, currency, count(*), sum(quantity)::bigint, min(time)
		FROM usage_events WHERE tenant_id = $1 AND time >= $2 AND time < $3
		GROUP BY module, unit_price, currency ORDER BY module, unit_price, currency`, tenantID, from, to)
}

func (s *Store) groups(ctx context.Context, query string, args ...any) ([]billing.UsageGroup, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []billing.UsageGroup{}
	for rows.Next() {
		var g billing.UsageGroup
		if err := rows.Scan(&g.Module, &g.UnitPrice, &g.Currency, &g.Events, &g.Units, &g.First); err != nil {
			return nil, err
		}
		g.First = g.First.UTC()
		out = append(out, g)
	}
	return out, rows.Err()
}
