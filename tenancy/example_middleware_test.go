package tenancy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/idkit-dev/idkit/store/memory"
	"github.com/idkit-dev/idkit/tenancy"
)

// authenticate is the whole HTTP middleware: verify the signature, apply
// the plan's rate limits, and map refusals to status codes in one place.
func authenticate(v *tenancy.Verifier, th tenancy.Throttle, module tenancy.Module, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		p, err := v.Verify(r.Context(), tenancy.RequestFromHTTP(r, body, module))
		if err == nil {
			var d tenancy.Decision
			d, err = th.Allow(r.Context(), p.Key.ID, r.Method+" "+r.URL.Path, p.Plan.Rates)
			if err == nil {
				d.SetHeaders(w.Header())
				err = d.Err()
			}
		}
		var e *tenancy.Error
		if errors.As(err, &e) {
			w.WriteHeader(e.Kind.HTTPStatus())
			json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": e.Code, "message": e.Message, "details": e.Details()}})
			return
		} else if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	})
}

type principalKey struct{}

func ExampleVerifier_middleware() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }
	store := memory.New()
	store.CreateTenant(ctx, tenancy.Tenant{ID: "acme", Name: "Acme", Plan: tenancy.PlanFree})
	box, _ := tenancy.NewSecretBox(bytes.Repeat([]byte{1}, 32), nil)
	keys, _ := tenancy.NewKeyManager(tenancy.KeyManagerConfig{Store: store, Box: box, Now: now})
	_, creds, _ := keys.Create(ctx, "acme", tenancy.KeyOptions{})
	v, _ := tenancy.NewVerifier(tenancy.VerifierConfig{Keys: store, Tenants: store, Box: box, Now: now})
	th := tenancy.Throttle{Limiter: tenancy.NewMemoryRateLimiter(now)}

	h := authenticate(v, th, tenancy.ModuleOCR, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.Context().Value(principalKey{}).(tenancy.Principal)
		fmt.Fprintf(w, "hello %s", p.Tenant.ID)
	}))
	send := func(secret, path string) {
		req := httptest.NewRequest("POST", path, bytes.NewReader([]byte(`{}`)))
		signer := tenancy.Signer{KeyID: creds.KeyID, Secret: secret, Now: now}
		signer.SignRequest(req)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Code, rec.Header().Get("RateLimit"), strings.TrimSpace(rec.Body.String()))
	}
	send(creds.Secret, "/v1/ocr")
	send("iks_wrong", "/v1/ocr?try=2")
	for i := range 10 { // the Free plan allows 10 a minute
		send(creds.Secret, fmt.Sprintf("/v1/ocr?n=%d", i))
	}
	// Output:
	// 200 "minute";r=9;t=6 hello acme
	// 401  {"error":{"code":"bad_signature","details":{"header":"X-API-SIGN"},"message":"signature does not match; sign hex(hmac_sha256(secret, timestamp + \"\\n\" + method + \"\\n\" + path + \"\\n\" + hex(sha256(body)))) with the exact path and body sent"}}
	// 200 "minute";r=8;t=12 hello acme
	// 200 "minute";r=7;t=18 hello acme
	// 200 "minute";r=6;t=24 hello acme
	// 200 "minute";r=5;t=30 hello acme
	// 200 "minute";r=4;t=36 hello acme
	// 200 "minute";r=3;t=42 hello acme
	// 200 "minute";r=2;t=48 hello acme
	// 200 "minute";r=1;t=54 hello acme
	// 200 "minute";r=0;t=60 hello acme
	// 429 "minute";r=0;t=60 {"error":{"code":"rate_limited","details":{"retry_after_seconds":6},"message":"rate limit of 10 requests per 1m0s exceeded; retry after 6 s"}}
}
