// Package storetest is the conformance suite every idkit platform store
// must pass: one set of tests, run by each backend's own tests with a
// factory for fresh stores (store/memory, store/sqlite, store/postgres).
//
// It covers tenants, API keys (rotation as a compare-and-swap, under a
// race too), the usage ledger (quota checks that cannot overflow, events
// in time order, workflow tiers filled in that order) and the audit log,
// tenant isolation through every scoped method, and the quota race: 1,000
// concurrent usage events against a quota of 500 must admit exactly 500.
// Where an interface leaves a case open the suite fixes one answer for
// every backend: a ledger limit <= 0 means no limit, and AuditRecords with
// a limit below 1 is an error (not an empty page, which would read as the
// end of the chain).
// Benchmarks for recording usage and generating a large invoice live here
// too, so every backend is measured the same way.
package storetest
