package billing

import (
	"errors"
	"fmt"
	"time"

	"github.com/idkit-dev/idkit/tenancy"
)

// CloudEvents attributes of usage events.
const (
	SpecVersion = "1.0"
	EventType   = "dev.idkit.usage.v1"
)

// UsageEvent is one billed call. Its JSON form follows CloudEvents
// attribute naming, with idkit's fields as extension attributes.
type UsageEvent struct {
	SpecVersion string `json:"specversion"`
	// ID is the request id, the idempotency key within a tenant.
	ID     string    `json:"id"`
	Source string    `json:"source"`
	Type   string    `json:"type"`
	Time   time.Time `json:"time"`

	TenantID string         `json:"tenantid"`
	Module   tenancy.Module `json:"module"`
	// KeyID is the API key that made the call, if any.
	KeyID string `json:"keyid,omitempty"`
	// Quantity is the number of units billed, at least 1.
	Quantity int64 `json:"quantity"`
	// UnitPrice is the price of one unit when the call happened, in minor
	// units of Currency.
	UnitPrice int64  `json:"unitprice"`
	Currency  string `json:"currency"`
}

// Validate checks the fields stores rely on.
func (e UsageEvent) Validate() error {
	var errs []error
	if e.ID == "" || len(e.ID) > 200 {
		errs = append(errs, errors.New("billing: event id (request id) must be 1-200 characters"))
	}
	if e.TenantID == "" {
		errs = append(errs, errors.New("billing: event tenant is required"))
	}
	if !e.Module.Valid() {
		errs = append(errs, fmt.Errorf("billing: unknown module %q", e.Module))
	}
	if e.Quantity < 1 {
		errs = append(errs, errors.New("billing: quantity must be at least 1"))
	}
	if e.UnitPrice < 0 {
		errs = append(errs, errors.New("billing: unit price must not be negative"))
	}
	if len(e.Currency) != 3 {
		errs = append(errs, fmt.Errorf("billing: currency %q is not an ISO 4217 code", e.Currency))
	}
	if e.Time.IsZero() {
		errs = append(errs, errors.New("billing: event time is required"))
	}
	return errors.Join(errs...)
}

// Period is a calendar month in UTC, formatted "2006-01".
type Period string

// PeriodOf returns the month containing t.
func PeriodOf(t time.Time) Period { return Period(t.UTC().Format("2006-01")) }

// Bounds returns the first instant of the month and of the next one.
func (p Period) Bounds() (start, end time.Time, err error) {
	start, err = time.Parse("2006-01", string(p))
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("billing: period %q is not YYYY-MM", p)
	}
	return start, start.AddDate(0, 1, 0), nil
}
