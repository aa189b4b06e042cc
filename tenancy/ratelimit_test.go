package tenancy_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/tenancy"
)

func TestMemoryRateLimiter(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	rl := tenancy.NewMemoryRateLimiter(func() time.Time { return now })
	l := tenancy.Limit{Rate: 60, Period: time.Minute, Name: "minute"}
	for i := range 60 {
		d, err := rl.Allow(t.Context(), "k", l)
		require.NoError(t, err)
		require.True(t, d.Allowed, "request %d", i+1)
		assert.Equal(t, 59-i, d.Remaining)
	}
	d, err := rl.Allow(t.Context(), "k", l)
	require.NoError(t, err)
	assert.False(t, d.Allowed)
	assert.Equal(t, time.Second, d.RetryAfter, "one token a second")
	assert.Equal(t, time.Minute, d.ResetAfter)

	h := http.Header{}
	d.SetHeaders(h)
	assert.Equal(t, "1", h.Get("Retry-After"))
	assert.Equal(t, `"minute";q=60;w=60`, h.Get("RateLimit-Policy"))
	assert.Equal(t, `"minute";r=0;t=60`, h.Get("RateLimit"))
	var e *tenancy.Error
	require.ErrorAs(t, d.Err(), &e)
	assert.Equal(t, tenancy.KindRateLimited, e.Kind)
	assert.Equal(t, int64(1), e.Details()["retry_after_seconds"])

	now = now.Add(time.Second)
	d, err = rl.Allow(t.Context(), "k", l)
	require.NoError(t, err)
	assert.True(t, d.Allowed, "refilled after a second")
	assert.NoError(t, d.Err())
	h = http.Header{}
	d.SetHeaders(h)
	assert.Empty(t, h.Get("Retry-After"))

	d, err = rl.Allow(t.Context(), "other", l)
	require.NoError(t, err)
	assert.True(t, d.Allowed, "buckets are per key")

	_, err = rl.Allow(t.Context(), "k", tenancy.Limit{})
	require.Error(t, err)
}

func TestThrottle(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	th := tenancy.Throttle{Limiter: tenancy.NewMemoryRateLimiter(func() time.Time { return now })}
	p := tenancy.RatePolicy{
		Global:    tenancy.Limits{PerMinute: 10, PerDay: 12},
		Endpoints: map[string]tenancy.Limits{"POST /v1/ocr": {PerMinute: 3, PerDay: -1}},
	}
	allowed := func(endpoint string) tenancy.Decision {
		d, err := th.Allow(t.Context(), "ik_1", endpoint, p)
		require.NoError(t, err)
		return d
	}
	for i := range 3 {
		d := allowed("POST /v1/ocr")
		require.True(t, d.Allowed, "ocr %d", i+1)
	}
	d := allowed("POST /v1/ocr")
	assert.False(t, d.Allowed, "the endpoint bucket is tighter")
	assert.Equal(t, "endpoint-minute", d.Limit.Name)
	assert.Equal(t, 20*time.Second, d.RetryAfter)

	// The refused ocr call still took a global minute token (6 of 10 left),
	// on purpose: refusals cost the caller, not the operator. It took no day
	// token: the day bucket comes after the refusing minute bucket.
	for range 5 {
		require.True(t, allowed("POST /v1/liveness").Allowed)
	}
	d = allowed("POST /v1/liveness")
	assert.True(t, d.Allowed)
	assert.Equal(t, "minute", d.Limit.Name, "the tightest bucket is reported")
	assert.Equal(t, 0, d.Remaining)
	d = allowed("POST /v1/liveness")
	assert.False(t, d.Allowed)
	assert.Equal(t, "minute", d.Limit.Name)

	// An hour later the minute buckets are full again, but the day bucket
	// (12 a day, 9 used, half a token regained) admits only three more.
	now = now.Add(time.Hour)
	n := 0
	for allowed("GET /v1/me").Allowed {
		n++
		require.Less(t, n, 10)
	}
	assert.Equal(t, 3, n)
	d = allowed("GET /v1/me")
	assert.Equal(t, "day", d.Limit.Name)
	assert.Equal(t, time.Hour, d.RetryAfter, "half a token at one per two hours")
}

// TestThrottleLongestWait: when the minute and the day bucket both refuse,
// Retry-After is the day's wait, not the minute's.
func TestThrottleLongestWait(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	th := tenancy.Throttle{Limiter: tenancy.NewMemoryRateLimiter(func() time.Time { return now })}
	p := tenancy.RatePolicy{Global: tenancy.Limits{PerMinute: 1, PerDay: 2}, DefaultEndpoint: tenancy.Limits{PerMinute: -1, PerDay: -1}}
	allow := func() tenancy.Decision {
		d, err := th.Allow(t.Context(), "ik_1", "GET /v1/me", p)
		require.NoError(t, err)
		return d
	}
	require.True(t, allow().Allowed)
	now = now.Add(time.Minute)
	require.True(t, allow().Allowed)
	d := allow() // both buckets empty: the minute refills in 60 s, the day in ~12 h
	require.False(t, d.Allowed)
	assert.Equal(t, "day", d.Limit.Name)
	assert.Equal(t, 12*time.Hour-time.Minute, d.RetryAfter)
	h := http.Header{}
	d.SetHeaders(h)
	assert.Equal(t, "43140", h.Get("Retry-After"))
}

// TestThrottleRefusalsSpareLaterBuckets: a request refused by a minute
// bucket spends no day token, global or per endpoint.
func TestThrottleRefusalsSpareLaterBuckets(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	th := tenancy.Throttle{Limiter: tenancy.NewMemoryRateLimiter(func() time.Time { return now })}
	p := tenancy.RatePolicy{
		Global:    tenancy.Limits{PerMinute: 100, PerDay: 2},
		Endpoints: map[string]tenancy.Limits{"POST /v1/ocr": {PerMinute: 1, PerDay: -1}},
	}
	allow := func(endpoint string) bool {
		d, err := th.Allow(t.Context(), "ik_1", endpoint, p)
		require.NoError(t, err)
		return d.Allowed
	}
	require.True(t, allow("POST /v1/ocr"))
	for range 5 {
		require.False(t, allow("POST /v1/ocr"), "the endpoint allows one a minute")
	}
	require.True(t, allow("GET /v1/me"), "the refused calls left the day's second request")
	require.False(t, allow("GET /v1/me"))
}

func TestMemoryRateLimiterPeek(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	rl := tenancy.NewMemoryRateLimiter(func() time.Time { return now })
	l := tenancy.Limit{Rate: 2, Period: time.Minute}
	for range 5 {
		d, err := rl.Peek(t.Context(), "k", l)
		require.NoError(t, err)
		require.True(t, d.Allowed)
		assert.Equal(t, 2, d.Remaining)
	}
	for range 2 {
		d, err := rl.Allow(t.Context(), "k", l)
		require.NoError(t, err)
		require.True(t, d.Allowed, "peeks took nothing")
	}
	d, err := rl.Peek(t.Context(), "k", l)
	require.NoError(t, err)
	assert.False(t, d.Allowed)
	assert.Equal(t, 30*time.Second, d.RetryAfter)
	_, err = rl.Peek(t.Context(), "k", tenancy.Limit{})
	require.Error(t, err)
}

func TestThrottleDefaults(t *testing.T) {
	th := tenancy.Throttle{Limiter: tenancy.NewMemoryRateLimiter(func() time.Time { return time.Unix(0, 0) })}
	n := 0
	for {
		d, err := th.Allow(t.Context(), "ik_1", "", tenancy.RatePolicy{})
		require.NoError(t, err)
		if !d.Allowed {
			break
		}
		n++
		require.Less(t, n, 1000)
	}
	assert.Equal(t, tenancy.DefaultPerMinute, n, "60 a minute by default")
}
