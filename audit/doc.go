// Package audit keeps an append-only, hash-chained log of who did what:
// actor, action, target, tenant, request id and outcome. It must never hold
// PII or secrets: record ids and outcomes, not names, images or keys.
//
// Each tenant has its own chain (the empty tenant ID is the operator's).
// Entry n carries Seq n, the hash of entry n-1 and its own hash, the
// SHA-256 of its canonical form (see Canonical), which includes the
// previous hash. Changing or deleting an entry in place therefore breaks
// the chain from that point, and Verify reports where. The hash has no
// key: whoever can write the table can also rewrite an entry and recompute
// every hash after it, and deleting the newest entries leaves a shorter
// valid chain. Without an anchor Verify proves only that the chain is
// consistent; keep the Head that Export returns somewhere else (WORM
// storage, a ticket, a transparency log), regularly, and pass it to Verify
// as an anchor: entries up to it are then protected, those after the last
// anchor are not.
//
// The Store interface is implemented by every backend in store/; on
// PostgreSQL and SQLite, triggers refuse UPDATE and DELETE on the log table.
package audit
