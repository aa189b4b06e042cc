// Package postgres implements idkit's platform stores on PostgreSQL 14+
// with pgx v5: the scale-out backend, shared by any number of idkitd nodes.
//
// Quotas are counted with a conditional upsert on the counter row inside
// the transaction that inserts the usage event, so concurrent requests on
// any node serialise on that one row and never overshoot; the same
// transaction updates the monthly roll-up that invoices read (and, when
// workflow prices varied in the month, the month's workflow events in time
// order, through an index on (tenant, module, time, id)). Audit appends
// take a transaction-scoped advisory lock per tenant, and triggers refuse
// UPDATE, DELETE and TRUNCATE on the audit log. Schema changes are
// embedded, numbered migrations applied by Open under an advisory lock, in
// the schema named by Config.Schema (default: the connection's).
package postgres
