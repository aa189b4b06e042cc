package liveness

import (
	"context"
	"sync"
	"time"
)

// ReplayStore remembers used challenge nonces so each is accepted once.
// Use records nonce until expires and returns ErrReplayed when it was
// already recorded. Implementations must be safe for concurrent use; a
// server farm shares one (Redis SET NX with a TTL, a unique database row).
type ReplayStore interface {
	Use(ctx context.Context, nonce string, expires time.Time) error
}

// MemoryReplayStore is a ReplayStore for one process. Entries are dropped
// once expired, checked on every Use.
type MemoryReplayStore struct {
	now  func() time.Time
	mu   sync.Mutex
	seen map[string]time.Time
}

var _ ReplayStore = (*MemoryReplayStore)(nil)

// NewMemoryReplayStore returns an empty store; now is its clock (nil means
// time.Now).
func NewMemoryReplayStore(now func() time.Time) *MemoryReplayStore {
	if now == nil {
		now = time.Now
	}
	return &MemoryReplayStore{now: now, seen: map[string]time.Time{}}
}

// Use records nonce, or returns ErrReplayed.
func (m *MemoryReplayStore) Use(ctx context.Context, nonce string, expires time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	for n, exp := range m.seen {
		if now.After(exp) {
			delete(m.seen, n)
		}
	}
	if _, ok := m.seen[nonce]; ok {
		return ErrReplayed
	}
	m.seen[nonce] = expires
	return nil
}

// Len returns how many nonces are remembered.
func (m *MemoryReplayStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.seen)
}
