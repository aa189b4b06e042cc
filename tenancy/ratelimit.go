package tenancy

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Limit is one token bucket: Rate requests per Period, with bursts of up
// to Burst (Rate when zero).
type Limit struct {
	Rate   int
	Period time.Duration
	Burst  int
	// Name labels the bucket in RateLimit headers ("minute", "day").
	Name string
}

// Validate checks what every RateLimiter needs: a positive Rate and Period.
func (l Limit) Validate() error {
	if l.Rate <= 0 || l.Period <= 0 {
		return errors.New("tenancy: rate limit needs positive Rate and Period")
	}
	return nil
}

func (l Limit) burst() int {
	if l.Burst > 0 {
		return l.Burst
	}
	return l.Rate
}

// RateLimiter decides whether one more request fits a bucket.
type RateLimiter interface {
	// Allow takes one token from the bucket named key, created with limit
	// on first use, and reports the outcome.
	Allow(ctx context.Context, key string, limit Limit) (Decision, error)
	// Peek reports what Allow would decide now without taking a token: a
	// refusal carries the wait for one token in RetryAfter.
	Peek(ctx context.Context, key string, limit Limit) (Decision, error)
}

// Decision is the outcome of a rate-limit check, with what the HTTP layer
// needs for the response headers.
type Decision struct {
	Allowed bool
	// Limit is the bucket that decided (the tightest one for a Throttle).
	Limit Limit
	// Remaining is how many more requests the bucket admits right now.
	Remaining int
	// RetryAfter is how long to wait before retrying; zero when allowed.
	RetryAfter time.Duration
	// ResetAfter is when the bucket is full again.
	ResetAfter time.Duration
}

func retryAfterSeconds(d time.Duration) int64 {
	s := int64((d + time.Second - 1) / time.Second) // round up: never invite an early retry
	if s < 1 {
		s = 1
	}
	return s
}

// SetHeaders writes the IETF RateLimit-Policy and RateLimit fields
// (draft-ietf-httpapi-ratelimit-headers, structured-field form) and, when
// refused, Retry-After in whole seconds.
func (d Decision) SetHeaders(h http.Header) {
	name := d.Limit.Name
	if name == "" {
		name = "default"
	}
	h.Set("RateLimit-Policy", fmt.Sprintf("%q;q=%d;w=%d", name, d.Limit.Rate, int64(d.Limit.Period/time.Second)))
	reset := int64((d.ResetAfter + time.Second - 1) / time.Second)
	h.Set("RateLimit", fmt.Sprintf("%q;r=%d;t=%d", name, max(d.Remaining, 0), reset))
	if !d.Allowed {
		h.Set("Retry-After", strconv.FormatInt(retryAfterSeconds(d.RetryAfter), 10))
	}
}

// Err returns nil when allowed, else an *Error of KindRateLimited.
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	return &Error{Kind: KindRateLimited, Code: CodeRateLimited, RetryAfter: d.RetryAfter,
		Message: fmt.Sprintf("rate limit of %d requests per %s exceeded; retry after %d s", d.Limit.Rate, d.Limit.Period, retryAfterSeconds(d.RetryAfter))}
}
