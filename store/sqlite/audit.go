package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/idkit-dev/idkit/audit"
)

// AppendAudit implements audit.Store. The write connection serialises
// appends; the primary key (tenant_id, seq) would refuse a fork anyway.
func (s *Store) AppendAudit(ctx context.Context, tenantID string, build func(audit.Head) (audit.Record, error)) (audit.Record, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return audit.Record{}, err
	}
	defer tx.Rollback()
	head := audit.Head{TenantID: tenantID, Hash: audit.GenesisHash}
	err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1`, tenantID).Scan(&head.Seq, &head.Hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return audit.Record{}, err
	}
	r, err := build(head)
	if err != nil {
		return audit.Record{}, err
	}
	if r.Seq != head.Seq+1 || r.TenantID != tenantID {
		return audit.Record{}, fmt.Errorf("sqlite: audit record %d for %q does not follow head %d", r.Seq, r.TenantID, head.Seq)
	}
	details, err := encodeJSON(r.Details)
	if err != nil {
		return audit.Record{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (tenant_id, seq, time, actor, action, target, request_id, outcome, details, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tenantID, r.Seq, micros(r.Time), r.Actor, r.Action, r.Target, r.RequestID,
		r.Outcome, details, r.PrevHash, r.Hash); err != nil {
		return audit.Record{}, err
	}
	if len(r.Details) == 0 {
		r.Details = nil
	}
	return r, tx.Commit()
}

// AuditRecords implements audit.Store. A limit below 1 is an error, as on
// every backend (SQLite would read LIMIT -1 as no limit at all).
func (s *Store) AuditRecords(ctx context.Context, tenantID string, afterSeq int64, limit int) ([]audit.Record, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("sqlite: audit page limit %d must be at least 1", limit)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT tenant_id, seq, time, actor, action, target, request_id, outcome, details, prev_hash, hash
		FROM audit_log WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?`, tenantID, afterSeq, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []audit.Record{}
	for rows.Next() {
		var r audit.Record
		var at int64
		var details string
		if err := rows.Scan(&r.TenantID, &r.Seq, &at, &r.Actor, &r.Action, &r.Target, &r.RequestID, &r.Outcome, &details, &r.PrevHash, &r.Hash); err != nil {
			return nil, err
		}
		r.Time = fromMicros(at)
		if r.Details, err = decodeMap[string, string](details); err != nil {
			return nil, fmt.Errorf("sqlite: audit %d details: %w", r.Seq, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
