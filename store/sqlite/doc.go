// Package sqlite implements idkit's platform stores on one SQLite file with
// modernc.org/sqlite (pure Go, no cgo): the embedded default.
//
// The database runs in WAL mode. Writes go through a single connection
// whose transactions begin IMMEDIATE, so writers queue in Go instead of
// failing with SQLITE_BUSY, and a quota check and its increment can never
// interleave; reads use a separate pool of read-only connections. Each
// usage event also updates a monthly roll-up, so invoices read a few rows
// whatever the volume, except when workflow prices varied in the month:
// then the month's workflow events are read in time order, through an
// index on (tenant, module, time, id). Schema changes are embedded,
// numbered migrations applied by Open.
package sqlite
