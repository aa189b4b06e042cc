package tenancy

import (
	"errors"
	"fmt"
	"net/mail"
	"time"
)

// Status is a tenant's lifecycle state.
type Status string

const (
	// StatusActive tenants may call the API.
	StatusActive Status = "active"
	// StatusSuspended tenants are refused with a 403 until reactivated.
	StatusSuspended Status = "suspended"
)

// Tenant is one client company of an idkit operator.
type Tenant struct {
	// ID is the stable identifier, chosen by the operator or generated.
	ID string `json:"id"`
	// Name is the company's display name.
	Name string `json:"name"`
	// Country is the ISO 3166-1 alpha-2 code of the company's country.
	Country string `json:"country,omitempty"`
	// SupportEmail receives operational notices.
	SupportEmail string `json:"support_email,omitempty"`
	// Plan is the ID of the tenant's plan (see Plan).
	Plan PlanID `json:"plan"`
	// Status is active unless the operator suspended the tenant; the zero
	// value is treated as active.
	Status Status `json:"status,omitempty"`
	// Quotas overrides the plan's monthly quota for some modules: units per
	// calendar month (UTC); 0 means unlimited. Absent modules use the plan.
	Quotas map[Module]int64 `json:"quotas,omitempty"`
	// Settings holds free-form tenant preferences (never secrets).
	Settings map[string]string `json:"settings,omitempty"`
	// CreatedAt is set by the store's caller.
	CreatedAt time.Time `json:"created_at"`
}

// Active reports whether the tenant may call the API.
func (t Tenant) Active() bool { return t.Status == "" || t.Status == StatusActive }

// Validate checks the fields a store relies on.
func (t Tenant) Validate() error {
	var errs []error
	if t.ID == "" || len(t.ID) > 128 {
		errs = append(errs, errors.New("tenant: id must be 1-128 characters"))
	}
	if t.Name == "" {
		errs = append(errs, errors.New("tenant: name is required"))
	}
	if t.Country != "" && len(t.Country) != 2 {
		errs = append(errs, fmt.Errorf("tenant: country %q is not an ISO 3166-1 alpha-2 code", t.Country))
	}
	if t.SupportEmail != "" {
		if _, err := mail.ParseAddress(t.SupportEmail); err != nil {
			errs = append(errs, fmt.Errorf("tenant: support email: %w", err))
		}
	}
	if t.Plan == "" {
		errs = append(errs, errors.New("tenant: plan is required"))
	}
	for m, q := range t.Quotas {
		if q < 0 {
			errs = append(errs, fmt.Errorf("tenant: quota for %s is negative", m))
		}
	}
	return errors.Join(errs...)
}

// Quota returns the monthly quota for module m: the tenant's override if
// set, else the plan's; 0 means unlimited.
func (t Tenant) Quota(p Plan, m Module) int64 {
	if q, ok := t.Quotas[m]; ok {
		return q
	}
	return p.Quotas[m]
}
