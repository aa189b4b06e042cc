package tenancy

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// MemoryRateLimiter keeps token buckets in process (golang.org/x/time/rate).
// Each node has its own buckets: use the Redis limiter for shared limits.
type MemoryRateLimiter struct {
	now func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
	calls   int
}

type bucket struct {
	lim   *rate.Limiter
	limit Limit
	last  time.Time
}

var _ RateLimiter = (*MemoryRateLimiter)(nil)

// NewMemoryRateLimiter returns an empty limiter; now nil means time.Now.
func NewMemoryRateLimiter(now func() time.Time) *MemoryRateLimiter {
	if now == nil {
		now = time.Now
	}
	return &MemoryRateLimiter{now: now, buckets: map[string]*bucket{}}
}

// Allow implements RateLimiter.
func (m *MemoryRateLimiter) Allow(_ context.Context, key string, l Limit) (Decision, error) {
	if err := l.Validate(); err != nil {
		return Decision{}, err
	}
	now := m.now()
	every := rate.Every(l.Period / time.Duration(l.Rate))
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if m.calls%sweepEvery == 0 {
		m.sweep(now)
	}
	b, ok := m.buckets[key]
	if !ok || b.limit != l {
		b = &bucket{lim: rate.NewLimiter(every, l.burst()), limit: l}
		m.buckets[key] = b
	}
	b.last = now
	d := Decision{Limit: l}
	r := b.lim.ReserveN(now, 1)
	if delay := r.DelayFrom(now); delay > 0 {
		r.CancelAt(now)
		d.RetryAfter = delay
	} else {
		d.Allowed = true
	}
	tokens := b.lim.TokensAt(now)
	d.Remaining = int(tokens)
	d.ResetAfter = time.Duration((float64(l.burst()) - tokens) * float64(l.Period) / float64(l.Rate))
	return d, nil
}

// Peek implements RateLimiter.
func (m *MemoryRateLimiter) Peek(_ context.Context, key string, l Limit) (Decision, error) {
	if err := l.Validate(); err != nil {
		return Decision{}, err
	}
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	tokens := float64(l.burst()) // a bucket not yet used is full
	if b, ok := m.buckets[key]; ok && b.limit == l {
		tokens = b.lim.TokensAt(now)
	}
	d := Decision{Limit: l, Allowed: tokens >= 1, Remaining: int(tokens)}
	interval := float64(l.Period / time.Duration(l.Rate))
	if !d.Allowed {
		d.RetryAfter = time.Duration((1 - tokens) * interval)
	}
	d.ResetAfter = time.Duration((float64(l.burst()) - tokens) * interval)
	return d, nil
}

// sweep forgets buckets idle long enough to be full again: they would be
// recreated identical.
func (m *MemoryRateLimiter) sweep(now time.Time) {
	for k, b := range m.buckets {
		if now.Sub(b.last) > b.limit.Period {
			delete(m.buckets, k)
		}
	}
}
