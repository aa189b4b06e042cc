// Package redis holds the Redis-backed pieces of idkit's platform layer,
// shared by every idkitd node: a tenancy.RateLimiter using GCRA
// (github.com/go-redis/redis_rate) and a tenancy.ReplayCache using SET NX
// with expiry. Both take a go-redis v9 client the caller configures.
package redis
