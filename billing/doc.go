// Package billing meters billed API calls and turns them into invoices.
//
// Every billed call becomes one UsageEvent, CloudEvents-like, idempotent by
// (tenant, request id): recording the same request twice counts it once,
// and reusing its id for a call with another module, quantity or price is
// an ErrConflict. An event carries the unit price in force when it
// happened, in integer minor units of the plan's currency; money is never
// a float here.
//
// A Meter records events through a Ledger, which counts them against the
// tenant's monthly quota for the module in the same transaction, so that N
// concurrent requests against a quota of Q admit exactly min(N, Q). Crossing
// 80% and 100% of a quota emits an Event through a Notifier (webhooks plug
// in there); with HardStop, usage beyond the quota is refused with
// ErrQuotaExceeded.
//
// An Invoicer sums a month of usage into an Invoice with one line per module
// and unit price, and for workflows one line per discount tier and unit
// price (graduated: the first units of the month at the first tier's
// discount, and so on, in the order the units were used whatever their
// price; ties in time are broken by request id).
// Invoices export as JSON and CSV. Tenants on sandbox plans are metered
// but never invoiced (ErrNotInvoiced).
//
// The Ledger interface is implemented by every backend in store/ and proved
// by store/storetest.
package billing
