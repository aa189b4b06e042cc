package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/idkit-dev/idkit/audit"
)

// AppendAudit implements audit.Store. A transaction-scoped advisory lock
// per tenant serialises appends across nodes; the primary key (tenant_id,
// seq) would refuse a fork anyway.
func (s *Store) AppendAudit(ctx context.Context, tenantID string, build func(audit.Head) (audit.Record, error)) (audit.Record, error) {
	var out audit.Record
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('idkit_audit:' || $1::text))`, tenantID); err != nil {
			return err
		}
		head := audit.Head{TenantID: tenantID, Hash: audit.GenesisHash}
		err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1`, tenantID).Scan(&head.Seq, &head.Hash)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		r, err := build(head)
		if err != nil {
			return err
		}
		if r.Seq != head.Seq+1 || r.TenantID != tenantID {
			return fmt.Errorf("postgres: audit record %d for %q does not follow head %d", r.Seq, r.TenantID, head.Seq)
		}
		details, err := encodeJSON(r.Details)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO audit_log (tenant_id, seq, time, actor, action, target, request_id, outcome, details, prev_hash, hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, tenantID, r.Seq, r.Time, r.Actor, r.Action, r.Target, r.RequestID,
			r.Outcome, details, r.PrevHash, r.Hash); err != nil {
			return err
		}
		if len(r.Details) == 0 {
			r.Details = nil
		}
		out = r
		return nil
	})
	return out, err
}

// AuditRecords implements audit.Store. A limit below 1 is an error, as on
// every backend (LIMIT 0 would return an empty page, read as the end of
// the chain).
func (s *Store) AuditRecords(ctx context.Context, tenantID string, afterSeq int64, limit int) ([]audit.Record, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("postgres: audit page limit %d must be at least 1", limit)
	}
	rows, err := s.pool.Query(ctx, `SELECT tenant_id, seq, time, actor, action, target, request_id, outcome, details, prev_hash, hash
		FROM audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, tenantID, afterSeq, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []audit.Record{}
	for rows.Next() {
		var r audit.Record
		var details []byte
		if err := rows.Scan(&r.TenantID, &r.Seq, &r.Time, &r.Actor, &r.Action, &r.Target, &r.RequestID, &r.Outcome, &details, &r.PrevHash, &r.Hash); err != nil {
			return nil, err
		}
		r.Time = r.Time.UTC()
		if r.Details, err = decodeMap[string, string](details); err != nil {
			return nil, fmt.Errorf("postgres: audit %d details: %w", r.Seq, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
