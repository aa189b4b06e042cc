package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/idkit-dev/idkit/tenancy"
)

// Soft-limit thresholds, in percent of the monthly quota.
var thresholds = [...]struct {
	percent int
	typ     string
}{{80, EventQuotaWarning}, {100, EventQuotaReached}}

// MeterConfig configures a Meter.
type MeterConfig struct {
	// Ledger stores usage. Required.
	Ledger Ledger
	// Plans gives prices and quotas; nil means tenancy.DefaultPlans().
	// NewMeter refuses a catalogue that fails Plans.Validate.
	Plans tenancy.Plans
	// Notifier receives 80% and 100% quota events; nil drops them.
	Notifier Notifier
	// HardStop refuses usage beyond a quota with ErrQuotaExceeded. When
	// false, quotas only notify.
	HardStop bool
	// Source is the CloudEvents source of recorded events; empty means
	// "idkit".
	Source string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives notifier failures; nil discards them.
	Logger *slog.Logger
}

// Meter records billed calls against quotas. It is safe for concurrent use.
type Meter struct {
	cfg MeterConfig
}

// NewMeter checks cfg and fills its defaults.
func NewMeter(cfg MeterConfig) (*Meter, error) {
	if cfg.Ledger == nil {
		return nil, errors.New("billing: MeterConfig needs a Ledger")
	}
	if cfg.Plans == nil {
		cfg.Plans = tenancy.DefaultPlans()
	}
	if err := cfg.Plans.Validate(); err != nil {
		return nil, fmt.Errorf("billing: %w", err)
	}
	if cfg.Source == "" {
		cfg.Source = "idkit"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Meter{cfg: cfg}, nil
}

// Usage describes one billed call.
type Usage struct {
	// RequestID makes recording idempotent. Required.
	RequestID string
	Module    tenancy.Module
	// Quantity is the units billed; zero means 1.
	Quantity int64
	// Steps are the modules a workflow ran, priced as their sum. Required
	// for ModuleWorkflow (each a valid module other than the workflow
	// itself), refused for other modules.
	Steps []tenancy.Module
	// KeyID is the API key that made the call.
	KeyID string
}

// Record prices and stores one billed call for tenant t, enforcing the
// quota when HardStop is set and emitting soft-limit events when the call
// crosses 80% or 100% of it. Each threshold is crossed by exactly one
// call, because the ledger counts in one transaction.
//
// A retry (same request id, module, quantity and price) is counted once
// and comes back with Duplicate set. A request id recorded before for
// another module, quantity or price (or currency) is a *ConflictError
// (ErrConflict), and nothing is counted. A retry that straddles a change
// of the plan's prices is such a conflict too.
func (m *Meter) Record(ctx context.Context, t tenancy.Tenant, u Usage) (Recorded, error) {
	plan, err := m.cfg.Plans.Lookup(t.Plan)
	if err != nil {
		return Recorded{}, err
	}
	qty := u.Quantity
	if qty == 0 {
		qty = 1
	}
	price := plan.Prices[u.Module]
	if u.Module == tenancy.ModuleWorkflow {
		if err := checkSteps(u.Steps); err != nil {
			return Recorded{}, err
		}
		price = plan.WorkflowPrice(u.Steps...)
	} else if len(u.Steps) > 0 {
		return Recorded{}, fmt.Errorf("billing: steps are only for %s", tenancy.ModuleWorkflow)
	}
	ev := UsageEvent{
		SpecVersion: SpecVersion, ID: u.RequestID, Source: m.cfg.Source, Type: EventType,
		// Microseconds, as the SQL backends store them: the memory store
		// would otherwise order two events of one microsecond differently,
		// and tiers fill in event order.
		Time: m.cfg.Now().UTC().Truncate(time.Microsecond), TenantID: t.ID, Module: u.Module, KeyID: u.KeyID,
		Quantity: qty, UnitPrice: price, Currency: plan.Currency,
	}
	if err := ev.Validate(); err != nil {
		return Recorded{}, err
	}
	quota := t.Quota(plan, u.Module)
	limit := int64(0)
	if m.cfg.HardStop {
		limit = quota
	}
	rec, err := m.cfg.Ledger.RecordUsage(ctx, ev, limit)
	if err != nil {
		return Recorded{}, err
	}
	if rec.Duplicate {
		old := rec.Event
		if old.Module != ev.Module || old.Quantity != ev.Quantity || old.UnitPrice != ev.UnitPrice || old.Currency != ev.Currency {
			return Recorded{}, &ConflictError{Stored: old, Requested: ev}
		}
	}
	if !rec.Duplicate && quota > 0 {
		m.notifyCrossings(ctx, ev, rec.Used-qty, rec.Used, quota)
	}
	return rec, nil
}

// checkSteps refuses the workflows WorkflowPrice would price at nothing
// for a reason other than the plan's prices: no steps, or steps that are
// not billable modules.
func checkSteps(steps []tenancy.Module) error {
	if len(steps) == 0 {
		return fmt.Errorf("billing: a %s needs the steps it ran", tenancy.ModuleWorkflow)
	}
	for _, s := range steps {
		if !s.Valid() || s == tenancy.ModuleWorkflow {
			return fmt.Errorf("billing: workflow step %q is not a module a workflow runs", s)
		}
	}
	return nil
}

func (m *Meter) notifyCrossings(ctx context.Context, ev UsageEvent, before, after, quota int64) {
	if m.cfg.Notifier == nil {
		return
	}
	for _, th := range thresholds {
		mark := (quota*int64(th.percent) + 99) / 100 // first unit count at or above the threshold
		if before < mark && after >= mark {
			e := Event{Type: th.typ, TenantID: ev.TenantID, Module: ev.Module, Period: PeriodOf(ev.Time),
				Used: after, Limit: quota, Percent: th.percent, Time: ev.Time}
			if err := m.cfg.Notifier.Notify(ctx, e); err != nil {
				m.cfg.Logger.WarnContext(ctx, "billing: quota notification failed", "tenant_id", ev.TenantID, "type", e.Type, "err", err)
			}
		}
	}
}

// Remaining returns the units left in the tenant's quota for module this
// month, and false when the quota is unlimited. It is advisory: only
// Record is authoritative under concurrency.
func (m *Meter) Remaining(ctx context.Context, t tenancy.Tenant, module tenancy.Module) (int64, bool, error) {
	plan, err := m.cfg.Plans.Lookup(t.Plan)
	if err != nil {
		return 0, false, err
	}
	quota := t.Quota(plan, module)
	if quota == 0 {
		return 0, false, nil
	}
	used, err := m.cfg.Ledger.Usage(ctx, t.ID, module, PeriodOf(m.cfg.Now()))
	if err != nil {
		return 0, false, err
	}
	return max(quota-used, 0), true, nil
}
