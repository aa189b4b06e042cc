package tenancy_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/idkit-dev/idkit/tenancy"
)

// BenchmarkVerify measures a full verification against the memory store:
// header parsing, key lookup, unsealing, HMAC and replay bookkeeping.
func BenchmarkVerify(b *testing.B) {
	f := newFixture(b, tenancy.PlanPro, false)
	body := make([]byte, 4096)
	s := f.signer()
	// Sign distinct requests up front so that replay protection passes.
	const n = 1 << 14
	reqs := make([]tenancy.Request, n)
	for i := range reqs {
		reqs[i] = f.request(s, "POST", fmt.Sprintf("/v1/ocr?i=%d", i), body)
	}
	i := 0
	for b.Loop() {
		if i == n {
			b.StopTimer()
			f.v, _ = tenancy.NewVerifier(tenancy.VerifierConfig{Keys: f.store, Tenants: f.store, Box: f.box, Now: f.clock})
			i = 0
			b.StartTimer()
		}
		if _, err := f.v.Verify(b.Context(), reqs[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSignatureCheck isolates the signature computation and compare.
func BenchmarkSignatureCheck(b *testing.B) {
	body := tenancy.BodyHash(make([]byte, 4096))
	want := tenancy.Sign([]byte("iks_secret"), "1700000000", "POST", "/v1/ocr", body)
	for b.Loop() {
		got := tenancy.Sign([]byte("iks_secret"), "1700000000", "POST", "/v1/ocr", body)
		if got[0] != want[0] {
			b.Fatal("mismatch")
		}
	}
}

func BenchmarkMemoryRateLimiter(b *testing.B) {
	rl := tenancy.NewMemoryRateLimiter(nil)
	l := tenancy.Limit{Rate: 1 << 30, Period: time.Second}
	for b.Loop() {
		if _, err := rl.Allow(b.Context(), "ik_bench", l); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMemoryThrottle(b *testing.B) {
	th := tenancy.Throttle{Limiter: tenancy.NewMemoryRateLimiter(nil)}
	p := tenancy.RatePolicy{Global: tenancy.Limits{PerMinute: 1 << 30, PerDay: 1 << 30}, DefaultEndpoint: tenancy.Limits{PerMinute: 1 << 30, PerDay: 1 << 30}}
	for b.Loop() {
		if _, err := th.Allow(b.Context(), "ik_bench", "POST /v1/ocr", p); err != nil {
			b.Fatal(err)
		}
	}
}
