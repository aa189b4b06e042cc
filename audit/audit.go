package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Outcomes of an audited action.
const (
	OutcomeSuccess = "success"
	OutcomeDenied  = "denied"
	OutcomeFailure = "failure"
)

// Entry is what happened. Never put PII or secrets in it.
type Entry struct {
	// TenantID is whose chain the entry joins; empty for operator actions.
	TenantID string `json:"tenant_id"`
	// Actor is who acted: "key:ik_…", "operator:42", "system".
	Actor string `json:"actor"`
	// Action is what was done: "key.create", "verification.complete".
	Action string `json:"action"`
	// Target is the id of the resource acted on, if any.
	Target    string `json:"target,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	// Outcome is one of the Outcome* constants or another short word.
	Outcome string `json:"outcome"`
	// Details are extra non-personal facts (a score band, a reason code).
	Details map[string]string `json:"details,omitempty"`
	// Time is set by the Logger's clock, truncated to microseconds so every
	// backend stores it exactly.
	Time time.Time `json:"time"`
}

// Record is an entry as chained and stored.
type Record struct {
	Entry
	Seq int64 `json:"seq"`
	// PrevHash is the hex SHA-256 of the previous record (GenesisHash for
	// the first).
	PrevHash string `json:"prev_hash"`
	// Hash is the hex SHA-256 of this record's canonical form.
	Hash string `json:"hash"`
}

// Head is the end of a chain: its last sequence number and hash.
type Head struct {
	TenantID string `json:"tenant_id"`
	Seq      int64  `json:"seq"`
	Hash     string `json:"hash"`
}

// GenesisHash is the PrevHash of the first record of every chain.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// Store keeps the chains. Implementations must serialise appends per
// tenant so that no two records share a Seq.
type Store interface {
	// AppendAudit reads the tenant's head (Seq 0 and GenesisHash for an
	// empty chain), calls build with it, and stores the record build
	// returns, all in one transaction.
	AppendAudit(ctx context.Context, tenantID string, build func(prev Head) (Record, error)) (Record, error)
	// AuditRecords returns up to limit records of the tenant with Seq >
	// afterSeq, in order.
	AuditRecords(ctx context.Context, tenantID string, afterSeq int64, limit int) ([]Record, error)
}

// Config configures a Logger.
type Config struct {
	// Store keeps the chains. Required.
	Store Store
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Logger appends entries to the audit log.
type Logger struct {
	cfg Config
}

// New checks cfg and fills its defaults.
func New(cfg Config) (*Logger, error) {
	if cfg.Store == nil {
		return nil, errors.New("audit: Config needs a Store")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Logger{cfg: cfg}, nil
}

// Append chains e onto its tenant's log.
//
// Every field, detail key and detail value must be valid UTF-8 without NUL
// bytes: the canonical form would replace invalid bytes (so two different
// entries would hash alike), PostgreSQL refuses both, and SQLite would
// store them and then fail verification on the way back.
func (l *Logger) Append(ctx context.Context, e Entry) (Record, error) {
	if e.Action == "" || e.Actor == "" || e.Outcome == "" {
		return Record{}, errors.New("audit: entry needs actor, action and outcome")
	}
	if err := checkText(e); err != nil {
		return Record{}, err
	}
	e.Time = l.cfg.Now().UTC().Truncate(time.Microsecond)
	rec, err := l.cfg.Store.AppendAudit(ctx, e.TenantID, func(prev Head) (Record, error) {
		r := Record{Entry: e, Seq: prev.Seq + 1, PrevHash: prev.Hash}
		r.Hash = HashOf(r)
		return r, nil
	})
	if err != nil {
		return Record{}, fmt.Errorf("audit: append: %w", err)
	}
	return rec, nil
}

// checkText refuses text the log cannot store and hash faithfully.
func checkText(e Entry) error {
	bad := func(s string) bool { return !utf8.ValidString(s) || strings.ContainsRune(s, 0) }
	for _, f := range [...]struct{ name, v string }{{"tenant", e.TenantID}, {"actor", e.Actor}, {"action", e.Action},
		{"target", e.Target}, {"request_id", e.RequestID}, {"outcome", e.Outcome}} {
		if bad(f.v) {
			return fmt.Errorf("audit: entry %s is not valid UTF-8 text without NUL", f.name)
		}
	}
	for k, v := range e.Details {
		if bad(k) || bad(v) {
			return fmt.Errorf("audit: detail %q is not valid UTF-8 text without NUL", strings.ToValidUTF8(k, "?"))
		}
	}
	return nil
}
