package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/tenancy"
)

const eventColumns = `tenant_id, id, specversion, source, type, time, module, key_id, quantity, unit_price, currency`

func scanEvent(row interface{ Scan(...any) error }) (billing.UsageEvent, error) {
	var e billing.UsageEvent
	var at int64
	err := row.Scan(&e.TenantID, &e.ID, &e.SpecVersion, &e.Source, &e.Type, &at, &e.Module, &e.KeyID, &e.Quantity, &e.UnitPrice, &e.Currency)
	e.Time = fromMicros(at)
	return e, err
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func insertEvent(ctx context.Context, x execer, ev billing.UsageEvent) (bool, error) {
	res, err := x.ExecContext(ctx, `INSERT INTO usage_events (`+eventColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, id) DO NOTHING`,
		ev.TenantID, ev.ID, ev.SpecVersion, ev.Source, ev.Type, micros(ev.Time), ev.Module, ev.KeyID, ev.Quantity, ev.UnitPrice, ev.Currency)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RecordUsage implements billing.Ledger. The single write connection
// serialises it, and the transaction makes the check and the count one step.
func (s *Store) RecordUsage(ctx context.Context, ev billing.UsageEvent, limit int64) (billing.Recorded, error) {
	if err := ev.Validate(); err != nil {
		return billing.Recorded{}, err
	}
	ev.Time = ev.Time.UTC()
	period := billing.PeriodOf(ev.Time)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return billing.Recorded{}, err
	}
	defer tx.Rollback()

	inserted, err := insertEvent(ctx, tx, ev)
	if err != nil {
		return billing.Recorded{}, fmt.Errorf("sqlite: record usage: %w", err)
	}
	if !inserted {
		old, err := scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM usage_events WHERE tenant_id = ? AND id = ?`, ev.TenantID, ev.ID))
		if err != nil {
			return billing.Recorded{}, err
		}
		used, err := counter(ctx, tx, old.TenantID, old.Module, billing.PeriodOf(old.Time))
		if err != nil {
			return billing.Recorded{}, err
		}
		return billing.Recorded{Event: old, Duplicate: true, Used: used}, tx.Commit()
	}
	used, err := counter(ctx, tx, ev.TenantID, ev.Module, period)
	if err != nil {
		return billing.Recorded{}, err
	}
	// Compared as a difference: used+ev.Quantity could wrap around.
	if limit > 0 && ev.Quantity > limit-used {
		return billing.Recorded{}, &billing.QuotaError{TenantID: ev.TenantID, Module: ev.Module, Period: period, Used: used, Limit: limit, Requested: ev.Quantity}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO usage_counters (tenant_id, module, period, used) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, module, period) DO UPDATE SET used = used + excluded.used`,
		ev.TenantID, ev.Module, period, ev.Quantity); err != nil {
		return billing.Recorded{}, err
	}
	if err := addRollup(ctx, tx, rollupKey{ev.TenantID, period, ev.Module, ev.UnitPrice, ev.Currency}, rollup{1, ev.Quantity, ev.Time}); err != nil {
		return billing.Recorded{}, err
	}
	if err := tx.Commit(); err != nil {
		return billing.Recorded{}, err
	}
	return billing.Recorded{Event: ev, Used: used + ev.Quantity}, nil
}

func counter(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, tenantID string, module tenancy.Module, period billing.Period) (int64, error) {
	var used int64
	err := q.QueryRowContext(ctx, `SELECT used FROM usage_counters WHERE tenant_id = ? AND module = ? AND period = ?`,
		tenantID, module, period).Scan(&used)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return used, err
}

// ImportUsage bulk-loads events (e.g. history from another system) without
// quota checks; events already present are skipped, the rest counted.
func (s *Store) ImportUsage(ctx context.Context, events []billing.UsageEvent) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO usage_events (`+eventColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, id) DO NOTHING`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	type ck struct {
		tenant string
		module tenancy.Module
		period billing.Period
	}
	counts := map[ck]int64{}
	rollups := map[rollupKey]rollup{}
	for _, ev := range events {
		if err := ev.Validate(); err != nil {
			return fmt.Errorf("sqlite: import %s: %w", ev.ID, err)
		}
		inserted, err := insertEvent(ctx, stmtExec{stmt}, ev)
		if err != nil {
			return fmt.Errorf("sqlite: import %s: %w", ev.ID, err)
		}
		if inserted {
			period := billing.PeriodOf(ev.Time)
			ckey := ck{ev.TenantID, ev.Module, period}
			rk := rollupKey{ev.TenantID, period, ev.Module, ev.UnitPrice, ev.Currency}
			r, ok := rollups[rk]
			// The sums would wrap silently in Go; PostgreSQL refuses them
			// as bigint out of range, and so does this.
			if counts[ckey] > math.MaxInt64-ev.Quantity || r.units > math.MaxInt64-ev.Quantity {
				return fmt.Errorf("sqlite: import %s: usage of %s in %s overflows a 64-bit count", ev.ID, ev.Module, period)
			}
			counts[ckey] += ev.Quantity
			if !ok || ev.Time.Before(r.first) {
				r.first = ev.Time
			}
			r.events++
			r.units += ev.Quantity
			rollups[rk] = r
		}
	}
	for k, r := range rollups {
		if err := addRollup(ctx, tx, k, r); err != nil {
			return err
		}
	}
	for k, n := range counts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO usage_counters (tenant_id, module, period, used) VALUES (?, ?, ?, ?)
			ON CONFLICT (tenant_id, module, period) DO UPDATE SET used = used + excluded.used`, k.tenant, k.module, k.period, n); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// stmtExec lets a prepared statement stand in for an execer; the query
// argument is ignored because the statement already holds it.
type stmtExec struct{ *sql.Stmt }

func (s stmtExec) ExecContext(ctx context.Context, _ string, args ...any) (sql.Result, error) {
	return s.Stmt.ExecContext(ctx, args...)
}

// UsageEvent implements billing.Ledger.
func (s *Store) UsageEvent(ctx context.Context, tenantID, id string) (billing.UsageEvent, error) {
	ev, err := scanEvent(s.r.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM usage_events WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return ev, notFound("usage event", id)
	}
	return ev, err
}

// Usage implements billing.Ledger.
func (s *Store) Usage(ctx context.Context, tenantID string, module tenancy.Module, period billing.Period) (int64, error) {
	return counter(ctx, s.r, tenantID, module, period)
}

// EachUsageEvent implements billing.Ledger. SQLite compares text as bytes,
// so ties in time are broken in the order the contract asks.
func (s *Store) EachUsageEvent(ctx context.Context, tenantID string, module tenancy.Module, period billing.Period, fn func(billing.UsageEvent) error) error {
	from, to, err := period.Bounds()
	if err != nil {
		return err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+eventColumns+` FROM usage_events
		WHERE tenant_id = ? AND module = ? AND time >= ? AND time < ? ORDER BY time, id`,
		tenantID, module, micros(from), micros(to))
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

type rollupKey struct {
	tenant   string
	period   billing.Period
	module   tenancy.Module
	price    int64
	currency string
}

type rollup struct {
	events, units int64
	first         time.Time
}

func addRollup(ctx context.Context, x execer, k rollupKey, r rollup) error {
	_, err := x.ExecContext(ctx, `INSERT INTO usage_rollups (tenant_id, period, module, unit_price, currency, events, units, first_time)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, period, module, unit_price, currency) DO UPDATE SET
			events = events + excluded.events, units = units + excluded.units, first_time = min(first_time, excluded.first_time)`,
		k.tenant, k.period, k.module, k.price, k.currency, r.events, r.units, micros(r.first))
	return err
}

// SummarizeUsage implements billing.Ledger from the rollups.
func (s *Store) SummarizeUsage(ctx context.Context, tenantID string, period billing.Period) ([]billing.UsageGroup, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT module, unit_price, currency, events, units, first_time
		FROM usage_rollups WHERE tenant_id = ? AND period = ? ORDER BY module, unit_price, currency`, tenantID, period)
	if err != nil {
		return nil, err
	}
	return scanUsageGroups(rows)
}

// scanUsageGroups reads rows of (module, unit_price, currency, events,
// units, first time in µs) and closes them.
func scanUsageGroups(rows *sql.Rows) ([]billing.UsageGroup, error) {
	defer rows.Close()
	out := []billing.UsageGroup{}
	for rows.Next() {
		var g billing.UsageGroup
		var first int64
		if err := rows.Scan(&g.Module, &g.UnitPrice, &g.Currency, &g.Events, &g.Units, &first); err != nil {
			return nil, err
		}
		g.First = fromMicros(first)
		out = append(out, g)
	}
	return out, rows.Err()
}

// SummarizeUsageFromEvents computes what SummarizeUsage returns by scanning
// the events themselves: slow, for audits of the rollups.
func (s *Store) SummarizeUsageFromEvents(ctx context.Context, tenantID string, period billing.Period) ([]billing.UsageGroup, error) {
	from, to, err := period.Bounds()
	if err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT module, unit_price, currency, count(*), sum(quantity), min(time)
		FROM usage_events WHERE tenant_id = ? AND time >= ? AND time < ?
		GROUP BY module, unit_price, currency ORDER BY module, unit_price, currency`, tenantID, micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	return scanUsageGroups(rows)
}
