// Package tenancy is the multi-tenant core of idkit's platform layer:
// tenants and their plans, API keys, HMAC request signing, replay
// protection and rate limits.
//
// An API key has a public ID (sent in X-API-KEY) and a secret that is shown
// once, when the key is created or rotated, and never again. Because HMAC
// verification needs the secret itself, it is stored sealed with
// AES-256-GCM under a master key from configuration (see SecretBox), never
// in clear and never hashed.
//
// A request is signed with
//
//	X-API-SIGN = hex(hmac_sha256(secret, timestamp + "\n" + method + "\n" + path + "\n" + hex(sha256(body))))
//
// where timestamp is X-API-TIMESTAMP in Unix seconds and path is the request
// URI as sent (escaped path plus "?query" when there is one). Signer signs
// requests on the client side; Verifier checks them on the server side:
// header syntax, clock skew (±5 minutes by default), key state, scope,
// constant-time signature comparison and replay. Every refusal is an
// *Error whose Kind maps to one HTTP status, and whose fields tell an
// integrator what to fix without ever carrying a secret.
//
// Rate limits are per key, global and per endpoint (60 requests a minute and
// 50,000 a day by default). RateLimiter decides for one bucket (or peeks at
// it without taking a token); Throttle combines a plan's buckets into one
// Decision that carries what an HTTP layer needs for 429, Retry-After (the
// longest wait over every refusing bucket) and the IETF RateLimit headers. The
// in-process limiter uses golang.org/x/time/rate; a Redis limiter shared by
// several nodes lives in store/redis.
//
// Storage is behind two small interfaces, TenantStore and KeyStore, each
// implemented by every backend in store/ and proved by store/storetest.
// Every method but LookupKey (the authentication entry point) is scoped by
// tenant.
package tenancy
