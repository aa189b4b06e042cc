package redis

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	goredis "github.com/redis/go-redis/v9"

	"github.com/idkit-dev/idkit/tenancy"
)

// DefaultPrefix namespaces idkit's keys in a shared Redis.
const DefaultPrefix = "idkit:"

// RateLimiter is a tenancy.RateLimiter shared through Redis. Time comes
// from the Redis server, so all nodes agree on it.
type RateLimiter struct {
	lim    *redis_rate.Limiter
	prefix string
}

var _ tenancy.RateLimiter = (*RateLimiter)(nil)

// NewRateLimiter uses client; prefix "" means DefaultPrefix.
func NewRateLimiter(client goredis.UniversalClient, prefix string) *RateLimiter {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &RateLimiter{lim: redis_rate.NewLimiter(client), prefix: prefix}
}

// gcra is l as redis_rate's limit (Burst 0 means Rate).
func gcra(l tenancy.Limit) (redis_rate.Limit, error) {
	if err := l.Validate(); err != nil {
		return redis_rate.Limit{}, fmt.Errorf("redis: %w", err)
	}
	burst := l.Burst
	if burst <= 0 {
		burst = l.Rate
	}
	return redis_rate.Limit{Rate: l.Rate, Burst: burst, Period: l.Period}, nil
}

// Allow implements tenancy.RateLimiter.
func (r *RateLimiter) Allow(ctx context.Context, key string, l tenancy.Limit) (tenancy.Decision, error) {
	g, err := gcra(l)
	if err != nil {
		return tenancy.Decision{}, err
	}
	res, err := r.lim.Allow(ctx, r.prefix+key, g)
	if err != nil {
		return tenancy.Decision{}, fmt.Errorf("redis: rate limit: %w", err)
	}
	d := tenancy.Decision{Allowed: res.Allowed > 0, Limit: l, Remaining: res.Remaining, ResetAfter: max(res.ResetAfter, 0)}
	if !d.Allowed {
		d.RetryAfter = max(res.RetryAfter, 0)
	}
	return d, nil
}

// Peek implements tenancy.RateLimiter: GCRA with a cost of 0 takes nothing
// from the bucket (redis_rate's script still rewrites the key with a fresh
// expiry, so it needs a writable node). One token is free once the bucket's
// reset time is at most burst-1 emission intervals away.
func (r *RateLimiter) Peek(ctx context.Context, key string, l tenancy.Limit) (tenancy.Decision, error) {
	g, err := gcra(l)
	if err != nil {
		return tenancy.Decision{}, err
	}
	res, err := r.lim.AllowN(ctx, r.prefix+key, g, 0)
	if err != nil {
		return tenancy.Decision{}, fmt.Errorf("redis: rate limit: %w", err)
	}
	reset := max(res.ResetAfter, 0)
	wait := reset - time.Duration(g.Burst-1)*(l.Period/time.Duration(l.Rate))
	d := tenancy.Decision{Allowed: wait <= 0, Limit: l, Remaining: res.Remaining, ResetAfter: reset}
	if !d.Allowed {
		d.RetryAfter = wait
	}
	return d, nil
}

// ReplayCache is a tenancy.ReplayCache shared through Redis.
type ReplayCache struct {
	client goredis.UniversalClient
	prefix string
}

var _ tenancy.ReplayCache = (*ReplayCache)(nil)

// NewReplayCache uses client; prefix "" means DefaultPrefix.
func NewReplayCache(client goredis.UniversalClient, prefix string) *ReplayCache {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &ReplayCache{client: client, prefix: prefix}
}

// Remember implements tenancy.ReplayCache with SET NX PX: atomic across
// nodes.
func (c *ReplayCache) Remember(ctx context.Context, id string, ttl time.Duration) (bool, error) {
	if ttl < time.Millisecond {
		ttl = time.Millisecond
	}
	err := c.client.SetArgs(ctx, c.prefix+"replay:"+id, 1, goredis.SetArgs{Mode: "NX", TTL: ttl}).Err()
	if errors.Is(err, goredis.Nil) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("redis: replay cache: %w", err)
	}
	return true, nil
}
