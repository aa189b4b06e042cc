package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/idkit-dev/idkit/tenancy"
)

// ErrQuotaExceeded is matched (errors.Is) by a *QuotaError.
var ErrQuotaExceeded = errors.New("billing: monthly quota exceeded")

// QuotaError says which quota refused a usage event.
type QuotaError struct {
	TenantID  string
	Module    tenancy.Module
	Period    Period
	Used      int64
	Limit     int64
	Requested int64
}

func (e *QuotaError) Error() string {
	return fmt.Sprintf("billing: monthly quota for %s exceeded in %s: %d of %d used, %d requested", e.Module, e.Period, e.Used, e.Limit, e.Requested)
}

// Is makes errors.Is(err, ErrQuotaExceeded) true.
func (e *QuotaError) Is(target error) bool { return target == ErrQuotaExceeded }

// Recorded is the outcome of recording a usage event.
type Recorded struct {
	// Event is the stored event: the earlier one for a duplicate.
	Event UsageEvent
	// Duplicate is true when the request id had been recorded before;
	// nothing was counted.
	Duplicate bool
	// Used is the tenant's units of the module in the event's period,
	// after this event.
	Used int64
}

// UsageGroup sums events of a tenant in one period that share module, unit
// price and currency.
type UsageGroup struct {
	Module    tenancy.Module
	UnitPrice int64
	Currency  string
	Events    int64
	Units     int64
	// First is the earliest event of the group.
	First time.Time
}

// Ledger stores usage events and monthly counters. Every method is scoped
// by tenant.
type Ledger interface {
	// RecordUsage stores ev and adds its quantity to the tenant's counter
	// for (module, PeriodOf(ev.Time)) in one transaction. If the tenant
	// already has an event with ev.ID, nothing changes and the stored event
	// comes back with Duplicate set. A limit <= 0 means no limit. If
	// limit > 0 and the counter would pass it, nothing changes and the
	// error is a *QuotaError (the test
	// must not overflow: a quantity near math.MaxInt64 is over quota, not
	// admitted). An event that fails Validate (a quantity below 1, say) or
	// that would overflow the counter is an error, and nothing changes.
	RecordUsage(ctx context.Context, ev UsageEvent, limit int64) (Recorded, error)
	// UsageEvent returns one event of the tenant; tenancy.ErrNotFound if
	// absent.
	UsageEvent(ctx context.Context, tenantID, id string) (UsageEvent, error)
	// Usage returns the units counted for a module in a period.
	Usage(ctx context.Context, tenantID string, module tenancy.Module, period Period) (int64, error)
	// SummarizeUsage groups the tenant's events of one period. Stores keep
	// these groups up to date in the transaction that records each event,
	// so the cost does not grow with the number of events.
	SummarizeUsage(ctx context.Context, tenantID string, period Period) ([]UsageGroup, error)
	// EachUsageEvent calls fn with the tenant's events of module in period,
	// in time order, ties broken by ID (compared as bytes), and stops at the
	// first error fn returns. Its cost grows with the number of events; the
	// Invoicer calls it only for workflows whose price varied in the month,
	// to fill the discount tiers in the order usage happened.
	EachUsageEvent(ctx context.Context, tenantID string, module tenancy.Module, period Period, fn func(UsageEvent) error) error
}

// ErrConflict is matched (errors.Is) by a *ConflictError.
var ErrConflict = errors.New("billing: request id already recorded for another call")

// ConflictError says a request id was recorded before for a call with
// another module, quantity or unit price: a reused id, not a retry, which
// counting as a duplicate would leave unbilled.
type ConflictError struct {
	// Stored is the event recorded first; Requested is the one refused.
	Stored, Requested UsageEvent
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("billing: request id %q was recorded for %d %s at %d %s, not %d %s at %d %s",
		e.Stored.ID, e.Stored.Quantity, e.Stored.Module, e.Stored.UnitPrice, e.Stored.Currency,
		e.Requested.Quantity, e.Requested.Module, e.Requested.UnitPrice, e.Requested.Currency)
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }
