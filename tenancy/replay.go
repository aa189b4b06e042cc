package tenancy

import (
	"context"
	"sync"
	"time"
)

// ReplayCache remembers signatures for as long as they could be replayed.
type ReplayCache interface {
	// Remember records id for ttl and reports whether it was new. It must
	// be atomic: of two concurrent calls with one id, one gets false.
	Remember(ctx context.Context, id string, ttl time.Duration) (fresh bool, err error)
}

// MemoryReplayCache is an in-process ReplayCache: right for one node; use
// the Redis cache (store/redis) when several nodes verify requests.
type MemoryReplayCache struct {
	now func() time.Time

	mu      sync.Mutex
	seen    map[string]time.Time // id -> expiry
	inserts int
}

var _ ReplayCache = (*MemoryReplayCache)(nil)

// NewMemoryReplayCache returns an empty cache; now nil means time.Now.
func NewMemoryReplayCache(now func() time.Time) *MemoryReplayCache {
	if now == nil {
		now = time.Now
	}
	return &MemoryReplayCache{now: now, seen: map[string]time.Time{}}
}

// sweepEvery amortises expiry: every so many inserts, drop expired ids.
const sweepEvery = 1024

// Remember implements ReplayCache.
func (c *MemoryReplayCache) Remember(_ context.Context, id string, ttl time.Duration) (bool, error) {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if exp, ok := c.seen[id]; ok && now.Before(exp) {
		return false, nil
	}
	c.seen[id] = now.Add(ttl)
	c.inserts++
	if c.inserts%sweepEvery == 0 {
		for k, exp := range c.seen {
			if !now.Before(exp) {
				delete(c.seen, k)
			}
		}
	}
	return true, nil
}

// Len is the number of remembered ids, expired or not.
func (c *MemoryReplayCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}
