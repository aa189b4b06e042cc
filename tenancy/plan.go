package tenancy

import (
	"fmt"
	"time"
)

// PlanID names a plan.
type PlanID string

// The built-in plans.
const (
	PlanFree       PlanID = "free"
	PlanPro        PlanID = "pro"
	PlanEnterprise PlanID = "enterprise"
)

// Limits is a pair of request rate limits for one bucket. A zero field takes
// the default (60 a minute, 50,000 a day); a negative one disables that
// limit.
type Limits struct {
	PerMinute int `json:"per_minute,omitempty"`
	PerDay    int `json:"per_day,omitempty"`
}

// Default request limits per key.
const (
	DefaultPerMinute = 60
	DefaultPerDay    = 50_000
)

func (l Limits) withDefaults() Limits {
	if l.PerMinute == 0 {
		l.PerMinute = DefaultPerMinute
	}
	if l.PerDay == 0 {
		l.PerDay = DefaultPerDay
	}
	return l
}

// RatePolicy is the set of rate limits applied to each API key.
type RatePolicy struct {
	// Global applies to every request of a key.
	Global Limits `json:"global"`
	// Endpoints adds a bucket per endpoint name (as the HTTP layer names
	// it, e.g. "POST /v1/liveness"); endpoints not listed get DefaultEndpoint.
	Endpoints map[string]Limits `json:"endpoints,omitempty"`
	// DefaultEndpoint is the per-endpoint bucket for endpoints not listed.
	DefaultEndpoint Limits `json:"default_endpoint"`
}

// DiscountTier is one step of graduated workflow pricing: units up to and
// including UpTo in a month get Discount basis points off (100 bp = 1%).
// UpTo 0 means "and beyond"; the last tier must have it, and only the last,
// so that every unit of a month falls in some tier.
type DiscountTier struct {
	UpTo       int64 `json:"up_to"`
	DiscountBP int64 `json:"discount_bp"`
}

// SLA is what the operator promises on a plan.
type SLA struct {
	// UptimeBP is the monthly availability target in basis points
	// (9990 = 99.90%); 0 means best effort.
	UptimeBP int `json:"uptime_bp"`
	// SupportResponse is the first-response time for support requests.
	SupportResponse time.Duration `json:"support_response"`
}

// Plan is what a tenant subscribes to: limits, quotas, prices and SLA.
type Plan struct {
	ID   PlanID `json:"id"`
	Name string `json:"name"`
	// Sandbox plans get verbose signature errors (see Verifier.Debug) and
	// are never invoiced: their usage is metered against quotas, but
	// billing's Invoicer.Generate returns billing.ErrNotInvoiced.
	Sandbox bool `json:"sandbox"`
	// Rates are the request rate limits per key.
	Rates RatePolicy `json:"rates"`
	// Quotas are monthly units per module (UTC calendar month); 0 or
	// absent means unlimited.
	Quotas map[Module]int64 `json:"quotas,omitempty"`
	// Currency is the ISO 4217 code prices are in.
	Currency string `json:"currency"`
	// Prices are per unit of each module in minor units of Currency
	// (cents for USD). Workflows are priced as the sum of their modules.
	Prices map[Module]int64 `json:"prices,omitempty"`
	// WorkflowTiers are graduated discounts on workflow units in a month.
	WorkflowTiers []DiscountTier `json:"workflow_tiers,omitempty"`
	SLA           SLA            `json:"sla"`
}

// WorkflowPrice is the undiscounted unit price of a workflow made of modules.
func (p Plan) WorkflowPrice(modules ...Module) int64 {
	var sum int64
	for _, m := range modules {
		sum += p.Prices[m]
	}
	return sum
}

// Validate checks prices, quotas and tiers. A tier list must end with an
// open-ended tier (UpTo 0): units past a closed last tier would belong to
// no tier and never be billed.
func (p Plan) Validate() error {
	if p.ID == "" {
		return fmt.Errorf("plan: id is required")
	}
	for m, v := range p.Prices {
		if v < 0 {
			return fmt.Errorf("plan %s: negative price for %s", p.ID, m)
		}
	}
	for m, v := range p.Quotas {
		if v < 0 {
			return fmt.Errorf("plan %s: negative quota for %s", p.ID, m)
		}
	}
	var prev int64
	for i, t := range p.WorkflowTiers {
		if t.DiscountBP < 0 || t.DiscountBP > 10_000 {
			return fmt.Errorf("plan %s: tier %d discount %d bp out of 0-10000", p.ID, i+1, t.DiscountBP)
		}
		if t.UpTo == 0 && i != len(p.WorkflowTiers)-1 {
			return fmt.Errorf("plan %s: only the last tier may be open-ended", p.ID)
		}
		if t.UpTo != 0 && t.UpTo <= prev {
			return fmt.Errorf("plan %s: tier %d bound %d is not above %d", p.ID, i+1, t.UpTo, prev)
		}
		prev = t.UpTo
	}
	if n := len(p.WorkflowTiers); n > 0 && p.WorkflowTiers[n-1].UpTo != 0 {
		return fmt.Errorf("plan %s: the last tier must be open-ended (up_to 0), or units past %d are never billed", p.ID, p.WorkflowTiers[n-1].UpTo)
	}
	return nil
}

// Plans is a catalogue of plans by ID.
type Plans map[PlanID]Plan

// Validate checks every plan, and that each is filed under its own ID.
// Meters, invoicers and verifiers call it on the catalogue they are given,
// so a bad plan is refused at start-up rather than mispricing usage.
func (ps Plans) Validate() error {
	for id, p := range ps {
		if p.ID != id {
			return fmt.Errorf("plans: plan %q is filed under %q", p.ID, id)
		}
		if err := p.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Lookup returns the plan with the given id.
func (ps Plans) Lookup(id PlanID) (Plan, error) {
	p, ok := ps[id]
	if !ok {
		return Plan{}, fmt.Errorf("tenancy: unknown plan %q: %w", id, ErrNotFound)
	}
	return p, nil
}

// DefaultPlans returns the built-in Free (sandbox), Pro and Enterprise plans.
// Prices are in US cents and sit inside the ranges of the product spec
// (liveness 0.01–0.03, OCR 0.05–0.12, validation 0.01, face match
// 0.02–0.05 USD). Operators are expected to supply their own catalogue.
func DefaultPlans() Plans {
	return Plans{
		PlanFree: {
			ID: PlanFree, Name: "Free sandbox", Sandbox: true,
			Rates: RatePolicy{Global: Limits{PerMinute: 10, PerDay: 1_000}},
			Quotas: map[Module]int64{
				ModuleLiveness: 100, ModuleOCR: 100, ModuleValidation: 100,
				ModuleFaceMatch: 100, ModuleAge: 100, ModuleWorkflow: 100,
			},
			Currency: "USD",
			Prices:   map[Module]int64{},
			SLA:      SLA{},
		},
		PlanPro: {
			ID: PlanPro, Name: "Pro",
			Rates:    RatePolicy{Global: Limits{PerMinute: DefaultPerMinute, PerDay: DefaultPerDay}},
			Quotas:   map[Module]int64{ModuleWorkflow: 100_000},
			Currency: "USD",
			Prices: map[Module]int64{
				ModuleLiveness: 3, ModuleOCR: 12, ModuleValidation: 1, ModuleFaceMatch: 5, ModuleAge: 2,
			},
			WorkflowTiers: []DiscountTier{{UpTo: 1_000, DiscountBP: 0}, {UpTo: 10_000, DiscountBP: 1_000}, {DiscountBP: 2_000}},
			SLA:           SLA{UptimeBP: 9_950, SupportResponse: 24 * time.Hour},
		},
		PlanEnterprise: {
			ID: PlanEnterprise, Name: "Enterprise",
			Rates:    RatePolicy{Global: Limits{PerMinute: 600, PerDay: 500_000}},
			Currency: "USD",
			Prices: map[Module]int64{
				ModuleLiveness: 1, ModuleOCR: 5, ModuleValidation: 1, ModuleFaceMatch: 2, ModuleAge: 1,
			},
			WorkflowTiers: []DiscountTier{{UpTo: 10_000, DiscountBP: 1_000}, {UpTo: 100_000, DiscountBP: 2_000}, {DiscountBP: 3_000}},
			SLA:           SLA{UptimeBP: 9_990, SupportResponse: time.Hour},
		},
	}
}
