package tenancy

import (
	"context"
	"time"
)

// Throttle applies a plan's RatePolicy to a key: a global minute and day
// bucket and a minute and day bucket per endpoint.
type Throttle struct {
	// Limiter holds the buckets. Required.
	Limiter RateLimiter
	// Prefix namespaces bucket names (e.g. per deployment).
	Prefix string
}

func (t Throttle) buckets(keyID, endpoint string, p RatePolicy) []struct {
	name  string
	limit Limit
} {
	g := p.Global.withDefaults()
	e, ok := p.Endpoints[endpoint]
	if !ok {
		e = p.DefaultEndpoint
	}
	e = e.withDefaults()
	var out []struct {
		name  string
		limit Limit
	}
	add := func(name string, n int, period time.Duration, label string) {
		if n > 0 {
			out = append(out, struct {
				name  string
				limit Limit
			}{name, Limit{Rate: n, Period: period, Name: label}})
		}
	}
	// Minute buckets come first: a request refused by one of them only
	// peeks at the day buckets and never spends their tokens.
	base := t.Prefix + "rl:" + keyID + ":"
	add(base+"m", g.PerMinute, time.Minute, "minute")
	if endpoint != "" {
		add(base+"e:"+endpoint+":m", e.PerMinute, time.Minute, "endpoint-minute")
	}
	add(base+"d", g.PerDay, 24*time.Hour, "day")
	if endpoint != "" {
		add(base+"e:"+endpoint+":d", e.PerDay, 24*time.Hour, "endpoint-day")
	}
	return out
}

// Allow checks every bucket for one request of keyID to endpoint. The
// result is the refusal with the longest wait, or, when all admit, the
// bucket with the fewest requests left.
//
// Buckets are taken from in order, minute buckets before day buckets. At
// the first refusal the buckets left are only peeked (Peek), so their waits
// count towards Retry-After but they lose no token. Buckets before the
// refusing one keep the token they gave: a refused request costs the
// caller, not the operator, and since minute buckets come first a burst
// refused by a minute limit never spends day tokens. (Spending nothing at
// all would take a peek of every bucket before any take, twice the limiter
// round trips on every admitted request.)
func (t Throttle) Allow(ctx context.Context, keyID, endpoint string, p RatePolicy) (Decision, error) {
	var best Decision
	first, refused := true, false
	for _, b := range t.buckets(keyID, endpoint, p) {
		check := t.Limiter.Allow
		if refused {
			check = t.Limiter.Peek
		}
		d, err := check(ctx, b.name, b.limit)
		if err != nil {
			return Decision{}, err
		}
		switch {
		case first:
			best = d
		case !d.Allowed && (best.Allowed || d.RetryAfter > best.RetryAfter):
			best = d
		case d.Allowed && best.Allowed && d.Remaining < best.Remaining:
			best = d
		}
		first = false
		refused = refused || !d.Allowed
	}
	if first {
		return Decision{Allowed: true}, nil
	}
	return best, nil
}
