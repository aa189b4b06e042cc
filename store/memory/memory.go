package memory

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/idkit-dev/idkit/audit"
	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/tenancy"
)

// Store keeps everything in maps behind one mutex. The zero value is not
// usable; call New.
type Store struct {
	mu       sync.Mutex
	tenants  map[string]tenancy.Tenant
	keys     map[string]tenancy.APIKey // by key id
	events   map[eventKey]billing.UsageEvent
	counters map[counterKey]int64
	audit    map[string][]audit.Record // by tenant
}

type eventKey struct{ tenant, id string }

type counterKey struct {
	tenant string
	module tenancy.Module
	period billing.Period
}

var (
	_ tenancy.TenantStore = (*Store)(nil)
	_ tenancy.KeyStore    = (*Store)(nil)
	_ billing.Ledger      = (*Store)(nil)
	_ audit.Store         = (*Store)(nil)
)

// New returns an empty store.
func New() *Store {
	return &Store{
		tenants:  map[string]tenancy.Tenant{},
		keys:     map[string]tenancy.APIKey{},
		events:   map[eventKey]billing.UsageEvent{},
		counters: map[counterKey]int64{},
		audit:    map[string][]audit.Record{},
	}
}

// Close is a no-op, for symmetry with the SQL stores.
func (s *Store) Close() error { return nil }

// cloneTenant copies maps, and like the SQL stores returns empty maps as nil.
func cloneTenant(t tenancy.Tenant) tenancy.Tenant {
	t.Quotas = maps.Clone(t.Quotas)
	t.Settings = maps.Clone(t.Settings)
	if len(t.Quotas) == 0 {
		t.Quotas = nil
	}
	if len(t.Settings) == 0 {
		t.Settings = nil
	}
	return t
}

func cloneKey(k tenancy.APIKey) tenancy.APIKey {
	k.Scopes = slices.Clone(k.Scopes)
	k.SealedSecret = slices.Clone(k.SealedSecret)
	k.SealedPreviousSecret = slices.Clone(k.SealedPreviousSecret)
	return k
}

// CreateTenant implements tenancy.TenantStore.
func (s *Store) CreateTenant(_ context.Context, t tenancy.Tenant) error {
	if err := t.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tenants[t.ID]; ok {
		return fmt.Errorf("tenant %s: %w", t.ID, tenancy.ErrConflict)
	}
	s.tenants[t.ID] = cloneTenant(t)
	return nil
}

// Tenant implements tenancy.TenantStore.
func (s *Store) Tenant(_ context.Context, id string) (tenancy.Tenant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tenants[id]
	if !ok {
		return tenancy.Tenant{}, fmt.Errorf("tenant %s: %w", id, tenancy.ErrNotFound)
	}
	return cloneTenant(t), nil
}

// UpdateTenant implements tenancy.TenantStore.
func (s *Store) UpdateTenant(_ context.Context, t tenancy.Tenant) error {
	if err := t.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.tenants[t.ID]
	if !ok {
		return fmt.Errorf("tenant %s: %w", t.ID, tenancy.ErrNotFound)
	}
	t.CreatedAt = old.CreatedAt
	s.tenants[t.ID] = cloneTenant(t)
	return nil
}

// ListTenants implements tenancy.TenantStore.
func (s *Store) ListTenants(_ context.Context) ([]tenancy.Tenant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]tenancy.Tenant, 0, len(s.tenants))
	for _, t := range s.tenants {
		out = append(out, cloneTenant(t))
	}
	slices.SortFunc(out, func(a, b tenancy.Tenant) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// CreateKey implements tenancy.KeyStore.
func (s *Store) CreateKey(_ context.Context, k tenancy.APIKey) error {
	if k.ID == "" || k.TenantID == "" {
		return fmt.Errorf("memory: key needs ID and TenantID")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tenants[k.TenantID]; !ok {
		return fmt.Errorf("tenant %s: %w", k.TenantID, tenancy.ErrNotFound)
	}
	if _, ok := s.keys[k.ID]; ok {
		return fmt.Errorf("key %s: %w", k.ID, tenancy.ErrConflict)
	}
	s.keys[k.ID] = cloneKey(k)
	return nil
}

// LookupKey implements tenancy.KeyStore.
func (s *Store) LookupKey(_ context.Context, keyID string) (tenancy.APIKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.keys[keyID]
	if !ok {
		return tenancy.APIKey{}, fmt.Errorf("key %s: %w", keyID, tenancy.ErrNotFound)
	}
	return cloneKey(k), nil
}

// key returns a pointer-free copy of the tenant's key; callers hold mu.
func (s *Store) key(tenantID, keyID string) (tenancy.APIKey, error) {
	k, ok := s.keys[keyID]
	if !ok || k.TenantID != tenantID {
		return tenancy.APIKey{}, fmt.Errorf("key %s: %w", keyID, tenancy.ErrNotFound)
	}
	return k, nil
}

// Key implements tenancy.KeyStore.
func (s *Store) Key(_ context.Context, tenantID, keyID string) (tenancy.APIKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.key(tenantID, keyID)
	return cloneKey(k), err
}

// ListKeys implements tenancy.KeyStore.
func (s *Store) ListKeys(_ context.Context, tenantID string) ([]tenancy.APIKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []tenancy.APIKey{}
	for _, k := range s.keys {
		if k.TenantID == tenantID {
			out = append(out, cloneKey(k))
		}
	}
	slices.SortFunc(out, func(a, b tenancy.APIKey) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// RotateKey implements tenancy.KeyStore.
func (s *Store) RotateKey(_ context.Context, tenantID, keyID string, r tenancy.Rotation) error {
	if err := r.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.key(tenantID, keyID)
	if err != nil {
		return err
	}
	if k.Revoked() {
		return fmt.Errorf("key %s is revoked: %w", keyID, tenancy.ErrNotFound)
	}
	if !bytes.Equal(k.SealedSecret, r.Replaces) {
		return fmt.Errorf("key %s: secret changed since it was read: %w", keyID, tenancy.ErrConflict)
	}
	k.SealedSecret = slices.Clone(r.SealedSecret)
	k.SealedPreviousSecret = slices.Clone(r.SealedPreviousSecret)
	k.PreviousExpiresAt = r.PreviousExpiresAt
	s.keys[keyID] = k
	return nil
}

// RevokeKey implements tenancy.KeyStore.
func (s *Store) RevokeKey(_ context.Context, tenantID, keyID string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.key(tenantID, keyID)
	if err != nil {
		return err
	}
	if !k.Revoked() {
		k.RevokedAt = at
		s.keys[keyID] = k
	}
	return nil
}

// TouchKey implements tenancy.KeyStore.
func (s *Store) TouchKey(_ context.Context, tenantID, keyID string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, err := s.key(tenantID, keyID)
	if err != nil {
		return err
	}
	if at.After(k.LastUsedAt) {
		k.LastUsedAt = at
		s.keys[keyID] = k
	}
	return nil
}

// RecordUsage implements billing.Ledger.
func (s *Store) RecordUsage(_ context.Context, ev billing.UsageEvent, limit int64) (billing.Recorded, error) {
	if err := ev.Validate(); err != nil {
		return billing.Recorded{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ck := counterKey{ev.TenantID, ev.Module, billing.PeriodOf(ev.Time)}
	if old, ok := s.events[eventKey{ev.TenantID, ev.ID}]; ok {
		return billing.Recorded{Event: old, Duplicate: true, Used: s.counters[counterKey{old.TenantID, old.Module, billing.PeriodOf(old.Time)}]}, nil
	}
	used := s.counters[ck]
	// Compared as a difference: used+ev.Quantity could wrap around.
	if limit > 0 && ev.Quantity > limit-used {
		return billing.Recorded{}, &billing.QuotaError{TenantID: ev.TenantID, Module: ev.Module, Period: ck.period, Used: used, Limit: limit, Requested: ev.Quantity}
	}
	if ev.Quantity > math.MaxInt64-used {
		return billing.Recorded{}, fmt.Errorf("memory: usage counter for %s in %s would overflow", ev.Module, ck.period)
	}
	s.events[eventKey{ev.TenantID, ev.ID}] = ev
	s.counters[ck] = used + ev.Quantity
	return billing.Recorded{Event: ev, Used: used + ev.Quantity}, nil
}

// UsageEvent implements billing.Ledger.
func (s *Store) UsageEvent(_ context.Context, tenantID, id string) (billing.UsageEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev, ok := s.events[eventKey{tenantID, id}]
	if !ok {
		return billing.UsageEvent{}, fmt.Errorf("usage event %s: %w", id, tenancy.ErrNotFound)
	}
	return ev, nil
}

// Usage implements billing.Ledger.
func (s *Store) Usage(_ context.Context, tenantID string, module tenancy.Module, period billing.Period) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counters[counterKey{tenantID, module, period}], nil
}

// SummarizeUsage implements billing.Ledger.
func (s *Store) SummarizeUsage(_ context.Context, tenantID string, period billing.Period) ([]billing.UsageGroup, error) {
	type gk struct {
		m        tenancy.Module
		price    int64
		currency string
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	groups := map[gk]*billing.UsageGroup{}
	for k, ev := range s.events {
		if k.tenant != tenantID || billing.PeriodOf(ev.Time) != period {
			continue
		}
		g := groups[gk{ev.Module, ev.UnitPrice, ev.Currency}]
		if g == nil {
			g = &billing.UsageGroup{Module: ev.Module, UnitPrice: ev.UnitPrice, Currency: ev.Currency, First: ev.Time}
			groups[gk{ev.Module, ev.UnitPrice, ev.Currency}] = g
		}
		g.Events++
		g.Units += ev.Quantity
		if ev.Time.Before(g.First) {
			g.First = ev.Time
		}
	}
	out := make([]billing.UsageGroup, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b billing.UsageGroup) int {
		return cmp.Or(cmp.Compare(a.Module, b.Module), cmp.Compare(a.UnitPrice, b.UnitPrice), cmp.Compare(a.Currency, b.Currency))
	})
	return out, nil
}

// EachUsageEvent implements billing.Ledger. fn runs without the lock held.
func (s *Store) EachUsageEvent(_ context.Context, tenantID string, module tenancy.Module, period billing.Period, fn func(billing.UsageEvent) error) error {
	if _, _, err := period.Bounds(); err != nil {
		return err
	}
	s.mu.Lock()
	var evs []billing.UsageEvent
	for k, ev := range s.events {
		if k.tenant == tenantID && ev.Module == module && billing.PeriodOf(ev.Time) == period {
			evs = append(evs, ev)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(evs, func(a, b billing.UsageEvent) int { return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.ID, b.ID)) })
	for _, ev := range evs {
		if err := fn(ev); err != nil {
			return err
		}
	}
	return nil
}

// AppendAudit implements audit.Store.
func (s *Store) AppendAudit(_ context.Context, tenantID string, build func(audit.Head) (audit.Record, error)) (audit.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chain := s.audit[tenantID]
	head := audit.Head{TenantID: tenantID, Hash: audit.GenesisHash}
	if n := len(chain); n > 0 {
		head.Seq, head.Hash = chain[n-1].Seq, chain[n-1].Hash
	}
	r, err := build(head)
	if err != nil {
		return audit.Record{}, err
	}
	if r.Seq != head.Seq+1 || r.TenantID != tenantID {
		return audit.Record{}, fmt.Errorf("memory: audit record %d for %q does not follow head %d", r.Seq, r.TenantID, head.Seq)
	}
	r.Details = maps.Clone(r.Details)
	if len(r.Details) == 0 {
		r.Details = nil
	}
	s.audit[tenantID] = append(chain, r)
	// The caller gets its own copy: changing it must not alter the chain.
	out := r
	out.Details = maps.Clone(r.Details)
	return out, nil
}

// AuditRecords implements audit.Store. A limit below 1 is an error, as on
// every backend: an empty page would read as the end of the chain.
func (s *Store) AuditRecords(_ context.Context, tenantID string, afterSeq int64, limit int) ([]audit.Record, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("memory: audit page limit %d must be at least 1", limit)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []audit.Record{}
	for _, r := range s.audit[tenantID] {
		if r.Seq > afterSeq && len(out) < limit {
			r.Details = maps.Clone(r.Details)
			out = append(out, r)
		}
	}
	return out, nil
}

// TamperAudit lets tests of audit.Verify alter a stored record in place;
// SQL backends forbid this with triggers.
func (s *Store) TamperAudit(tenantID string, seq int64, fn func(*audit.Record) (keep bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	chain := s.audit[tenantID]
	for i := range chain {
		if chain[i].Seq == seq {
			if !fn(&chain[i]) {
				s.audit[tenantID] = append(chain[:i:i], chain[i+1:]...)
			}
			return
		}
	}
}
