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
// The Verifier passes an expiry ReplayMargin past the challenge's own.
type ReplayStore interface {
	Use(ctx context.Context, nonce string, expires time.Time) error
}

// ReplayMargin is how long past its challenge's expiry a nonce is
// remembered. The Verifier reads its clock to check the expiry before the
// store reads its own to forget old nonces; without a margin a replay
// arriving at the very moment of expiry could pass the first and find its
// nonce forgotten by the second, and a store whose clock runs ahead of a
// verifier's would forget nonces the verifier still accepts.
const ReplayMargin = time.Minute

// pruneEvery is how often MemoryReplayStore forgets expired nonces: a walk
// of every entry on every Use would make each verification cost as much as
// the number of challenges issued in their lifetime.
const pruneEvery = 10 * time.Second

// MemoryReplayStore is a ReplayStore for one process. Expired entries are
// dropped at most every 10 seconds; an expired entry not yet dropped only
// refuses its own nonce, which is a replay anyway.
type MemoryReplayStore struct {
	now    func() time.Time
	mu     sync.Mutex
	seen   map[string]time.Time
	pruned time.Time
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
	if now := m.now(); now.Sub(m.pruned) >= pruneEvery || now.Before(m.pruned) {
		for n, exp := range m.seen {
			if now.After(exp) {
				delete(m.seen, n)
			}
		}
		m.pruned = now
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
