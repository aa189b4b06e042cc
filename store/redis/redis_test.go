package redis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/store/memory"
	"github.com/idkit-dev/idkit/store/redis"
	"github.com/idkit-dev/idkit/tenancy"
)

// client connects to IDKIT_TEST_REDIS_ADDR and returns a prefix unique to
// this test, whose keys are deleted afterwards.
func client(t testing.TB) (*goredis.Client, string) {
	addr := os.Getenv("IDKIT_TEST_REDIS_ADDR")
	if addr == "" {
		t.Skip("IDKIT_TEST_REDIS_ADDR is not set")
	}
	c := goredis.NewClient(&goredis.Options{Addr: addr})
	require.NoError(t, c.Ping(t.Context()).Err())
	b := make([]byte, 6)
	rand.Read(b)
	prefix := "idkit-test:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()                                              // t.Context is already cancelled here
		for _, pattern := range []string{prefix + "*", "rate:" + prefix + "*"} { // redis_rate adds "rate:"
			it := c.Scan(ctx, 0, pattern, 1000).Iterator()
			for it.Next(ctx) {
				c.Del(ctx, it.Val())
			}
		}
		c.Close()
	})
	return c, prefix
}

func TestRateLimiter(t *testing.T) {
	c, prefix := client(t)
	rl := redis.NewRateLimiter(c, prefix)
	l := tenancy.Limit{Rate: 5, Period: time.Minute, Name: "minute"}
	for i := range 5 {
		d, err := rl.Allow(t.Context(), "k", l)
		require.NoError(t, err)
		require.True(t, d.Allowed, "request %d", i+1)
		assert.Equal(t, 4-i, d.Remaining)
	}
	d, err := rl.Allow(t.Context(), "k", l)
	require.NoError(t, err)
	assert.False(t, d.Allowed)
	assert.InDelta(t, 12*time.Second, d.RetryAfter, float64(time.Second), "one token every 12 s")
	d, err = rl.Allow(t.Context(), "other", l)
	require.NoError(t, err)
	assert.True(t, d.Allowed, "buckets are per key")
}

// TestRateLimiterPeek: peeks take nothing, and a refusal tells the wait.
func TestRateLimiterPeek(t *testing.T) {
	c, prefix := client(t)
	rl := redis.NewRateLimiter(c, prefix)
	l := tenancy.Limit{Rate: 5, Period: time.Minute}
	for range 10 {
		d, err := rl.Peek(t.Context(), "k", l)
		require.NoError(t, err)
		require.True(t, d.Allowed)
	}
	for i := range 5 {
		d, err := rl.Allow(t.Context(), "k", l)
		require.NoError(t, err)
		require.True(t, d.Allowed, "request %d: peeks took nothing", i+1)
	}
	d, err := rl.Peek(t.Context(), "k", l)
	require.NoError(t, err)
	assert.False(t, d.Allowed)
	assert.Zero(t, d.Remaining)
	assert.InDelta(t, 12*time.Second, d.RetryAfter, float64(time.Second), "one token every 12 s")

	// Two tokens taken from a fresh bucket: one is free at once.
	for range 2 {
		_, err := rl.Allow(t.Context(), "k2", l)
		require.NoError(t, err)
	}
	d, err = rl.Peek(t.Context(), "k2", l)
	require.NoError(t, err)
	assert.True(t, d.Allowed)
	assert.Equal(t, 3, d.Remaining)

	// Through a Throttle: the minute and the day bucket both refuse, and the
	// wait reported is the day's.
	th := tenancy.Throttle{Limiter: rl}
	p := tenancy.RatePolicy{Global: tenancy.Limits{PerMinute: 1, PerDay: 1}}
	d, err = th.Allow(t.Context(), "ik_1", "", p)
	require.NoError(t, err)
	require.True(t, d.Allowed)
	d, err = th.Allow(t.Context(), "ik_1", "", p)
	require.NoError(t, err)
	require.False(t, d.Allowed)
	assert.Equal(t, "day", d.Limit.Name)
	assert.InDelta(t, 24*time.Hour, d.RetryAfter, float64(time.Second))
}

// TestRateLimiterShared checks that two limiters (two nodes) share one
// bucket, under concurrency.
func TestRateLimiterShared(t *testing.T) {
	c, prefix := client(t)
	nodes := []*redis.RateLimiter{redis.NewRateLimiter(c, prefix), redis.NewRateLimiter(c, prefix)}
	var ok atomic.Int64
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := nodes[i%2].Allow(t.Context(), "shared", tenancy.Limit{Rate: 60, Period: time.Hour})
			assert.NoError(t, err)
			if d.Allowed {
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(60), ok.Load())
}

func TestReplayCache(t *testing.T) {
	c, prefix := client(t)
	rc := redis.NewReplayCache(c, prefix)
	var fresh atomic.Int64
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := rc.Remember(t.Context(), "sig", time.Minute)
			assert.NoError(t, err)
			if f {
				fresh.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(1), fresh.Load(), "exactly one caller wins")
	ttl, err := c.PTTL(t.Context(), prefix+"replay:sig").Result()
	require.NoError(t, err)
	assert.Greater(t, ttl, 50*time.Second)
}

func BenchmarkRateLimiterAllow(b *testing.B) {
	c, prefix := client(b)
	rl := redis.NewRateLimiter(c, prefix)
	l := tenancy.Limit{Rate: 1 << 30, Period: time.Second}
	for b.Loop() {
		if _, err := rl.Allow(b.Context(), "bench", l); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkThrottleAllow(b *testing.B) {
	c, prefix := client(b)
	th := tenancy.Throttle{Limiter: redis.NewRateLimiter(c, prefix)}
	p := tenancy.RatePolicy{Global: tenancy.Limits{PerMinute: 1 << 30, PerDay: 1 << 30}, DefaultEndpoint: tenancy.Limits{PerMinute: 1 << 30, PerDay: 1 << 30}}
	for b.Loop() {
		if _, err := th.Allow(b.Context(), "ik_bench", "POST /v1/ocr", p); err != nil {
			b.Fatal(err)
		}
	}
}

// TestVerifierReplayAcrossNodes: a request verified by one node is refused
// as a replay by another that shares the Redis cache.
func TestVerifierReplayAcrossNodes(t *testing.T) {
	c, prefix := client(t)
	store := memory.New()
	require.NoError(t, store.CreateTenant(t.Context(), tenancy.Tenant{ID: "acme", Name: "Acme", Plan: tenancy.PlanPro}))
	box, err := tenancy.NewSecretBox(make([]byte, 32), nil)
	require.NoError(t, err)
	keys, err := tenancy.NewKeyManager(tenancy.KeyManagerConfig{Store: store, Box: box})
	require.NoError(t, err)
	_, creds, err := keys.Create(t.Context(), "acme", tenancy.KeyOptions{})
	require.NoError(t, err)
	node := func() *tenancy.Verifier {
		v, err := tenancy.NewVerifier(tenancy.VerifierConfig{Keys: store, Tenants: store, Box: box, Replay: redis.NewReplayCache(c, prefix)})
		require.NoError(t, err)
		return v
	}
	a, b := node(), node()
	s := tenancy.Signer{KeyID: creds.KeyID, Secret: creds.Secret}
	req := tenancy.Request{Method: "GET", Path: "/v1/me", Header: s.Headers("GET", "/v1/me", nil)}
	_, err = a.Verify(t.Context(), req)
	require.NoError(t, err)
	_, err = b.Verify(t.Context(), req)
	require.ErrorIs(t, err, tenancy.ErrReplayed)
}
