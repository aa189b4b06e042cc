package billing

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/idkit-dev/idkit/tenancy"
)

// Invoice is a tenant's bill for one month.
type Invoice struct {
	TenantID    string         `json:"tenant_id"`
	Plan        tenancy.PlanID `json:"plan"`
	Period      Period         `json:"period"`
	Currency    string         `json:"currency"`
	Lines       []Line         `json:"lines"`
	Total       int64          `json:"total"`
	GeneratedAt time.Time      `json:"generated_at"`
}

// Line is one module at one unit price, and for workflows one discount tier.
type Line struct {
	Module tenancy.Module `json:"module"`
	// Tier is the 1-based workflow discount tier; 0 for untiered modules.
	Tier        int    `json:"tier,omitempty"`
	Description string `json:"description"`
	Quantity    int64  `json:"quantity"`
	UnitPrice   int64  `json:"unit_price"`
	DiscountBP  int64  `json:"discount_bp,omitempty"`
	Amount      int64  `json:"amount"`
}

// lineAmount rounds half up to the minor unit, once per line.
func lineAmount(qty, unit, discountBP int64) int64 {
	return (qty*unit*(10_000-discountBP) + 5_000) / 10_000
}

// InvoicerConfig configures an Invoicer.
type InvoicerConfig struct {
	// Ledger holds the usage. Required.
	Ledger Ledger
	// Plans gives tiers and currencies; nil means tenancy.DefaultPlans().
	// NewInvoicer refuses a catalogue that fails Plans.Validate.
	Plans tenancy.Plans
	// Now stamps GeneratedAt; nil means time.Now.
	Now func() time.Time
}

// Invoicer builds monthly invoices.
type Invoicer struct {
	cfg InvoicerConfig
}

// NewInvoicer checks cfg and fills its defaults.
func NewInvoicer(cfg InvoicerConfig) (*Invoicer, error) {
	if cfg.Ledger == nil {
		return nil, errors.New("billing: InvoicerConfig needs a Ledger")
	}
	if cfg.Plans == nil {
		cfg.Plans = tenancy.DefaultPlans()
	}
	if err := cfg.Plans.Validate(); err != nil {
		return nil, fmt.Errorf("billing: %w", err)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Invoicer{cfg: cfg}, nil
}

// ErrNotInvoiced is returned by Generate for a tenant on a sandbox plan:
// sandbox usage is metered (for quotas) but never invoiced, so a monthly
// run skips such tenants with errors.Is rather than sending a bill.
var ErrNotInvoiced = errors.New("billing: sandbox plans are not invoiced")

// Generate builds tenant t's invoice for period from its usage events,
// priced at the unit prices they recorded, with the workflow discount
// tiers of t's plan. A tenant on a sandbox plan gets no invoice but an
// error matching ErrNotInvoiced.
func (iv *Invoicer) Generate(ctx context.Context, t tenancy.Tenant, period Period) (Invoice, error) {
	plan, err := iv.cfg.Plans.Lookup(t.Plan)
	if err != nil {
		return Invoice{}, err
	}
	if plan.Sandbox {
		return Invoice{}, fmt.Errorf("tenant %s on plan %s: %w", t.ID, plan.ID, ErrNotInvoiced)
	}
	if _, _, err := period.Bounds(); err != nil {
		return Invoice{}, err
	}
	groups, err := iv.cfg.Ledger.SummarizeUsage(ctx, t.ID, period)
	if err != nil {
		return Invoice{}, fmt.Errorf("billing: summarize usage: %w", err)
	}
	inv := Invoice{TenantID: t.ID, Plan: plan.ID, Period: period, Currency: plan.Currency,
		Lines: []Line{}, GeneratedAt: iv.cfg.Now().UTC()}
	var workflow []UsageGroup
	for _, g := range groups {
		if g.Currency != inv.Currency {
			return Invoice{}, fmt.Errorf("billing: usage in %s cannot go on a %s invoice", g.Currency, inv.Currency)
		}
		if g.Module == tenancy.ModuleWorkflow && len(plan.WorkflowTiers) > 0 {
			workflow = append(workflow, g)
			continue
		}
		inv.Lines = append(inv.Lines, Line{
			Module: g.Module, Description: fmt.Sprintf("%s at %d", g.Module, g.UnitPrice),
			Quantity: g.Units, UnitPrice: g.UnitPrice, Amount: lineAmount(g.Units, g.UnitPrice, 0),
		})
	}
	if len(workflow) > 0 {
		fill := tierFill{module: tenancy.ModuleWorkflow, tiers: plan.WorkflowTiers}
		if len(workflow) == 1 {
			// One price: every order of the units gives the same lines.
			err = fill.add(workflow[0].UnitPrice, workflow[0].Units)
		} else {
			// Several prices: the first units of the month take the first
			// tier, whichever price they had.
			err = iv.cfg.Ledger.EachUsageEvent(ctx, t.ID, tenancy.ModuleWorkflow, period, func(ev UsageEvent) error {
				if ev.Currency != inv.Currency {
					return fmt.Errorf("billing: usage in %s cannot go on a %s invoice", ev.Currency, inv.Currency)
				}
				return fill.add(ev.UnitPrice, ev.Quantity)
			})
		}
		if err != nil {
			return Invoice{}, fmt.Errorf("billing: workflow tiers: %w", err)
		}
		inv.Lines = append(inv.Lines, fill.lines...)
	}
	inv.Lines = mergeLines(inv.Lines)
	for _, l := range inv.Lines {
		inv.Total += l.Amount
	}
	return inv, nil
}

// tierFill places units on graduated tiers in the order they are added,
// with one line per tier and unit price.
type tierFill struct {
	module tenancy.Module
	tiers  []tenancy.DiscountTier
	placed int64 // units placed so far this month
	tier   int   // index of the tier the next unit falls in
	lines  []Line
	index  map[[2]int64]int // (tier, price) -> index in lines
}

func (f *tierFill) add(price, units int64) error {
	for units > 0 {
		for f.tier < len(f.tiers) && f.tiers[f.tier].UpTo != 0 && f.placed >= f.tiers[f.tier].UpTo {
			f.tier++
		}
		if f.tier == len(f.tiers) {
			// Plan.Validate requires an open-ended last tier; never drop units.
			return fmt.Errorf("%d units fall past the last tier", units)
		}
		t := f.tiers[f.tier]
		room := units
		if t.UpTo != 0 {
			room = min(units, t.UpTo-f.placed)
		}
		k := [2]int64{int64(f.tier), price}
		i, ok := f.index[k]
		if !ok {
			if f.index == nil {
				f.index = map[[2]int64]int{}
			}
			i = len(f.lines)
			f.index[k] = i
			f.lines = append(f.lines, Line{
				Module: f.module, Tier: f.tier + 1,
				Description: fmt.Sprintf("%s at %d, tier %d (%s)", f.module, price, f.tier+1, tierRange(f.tiers, f.tier)),
				UnitPrice:   price, DiscountBP: t.DiscountBP,
			})
		}
		f.lines[i].Quantity += room
		units -= room
		f.placed += room
	}
	return nil
}

func tierRange(tiers []tenancy.DiscountTier, i int) string {
	lo := int64(1)
	if i > 0 {
		lo = tiers[i-1].UpTo + 1
	}
	if tiers[i].UpTo == 0 {
		return fmt.Sprintf("%d+", lo)
	}
	return fmt.Sprintf("%d-%d", lo, tiers[i].UpTo)
}

// mergeLines joins lines of the same module, price and tier, and computes
// amounts once per line so rounding happens once.
func mergeLines(ls []Line) []Line {
	var out []Line
	for _, l := range ls {
		i := slices.IndexFunc(out, func(o Line) bool {
			return o.Module == l.Module && o.UnitPrice == l.UnitPrice && o.Tier == l.Tier
		})
		if i < 0 {
			out = append(out, l)
			continue
		}
		out[i].Quantity += l.Quantity
	}
	for i := range out {
		out[i].Amount = lineAmount(out[i].Quantity, out[i].UnitPrice, out[i].DiscountBP)
	}
	slices.SortStableFunc(out, func(a, b Line) int {
		return cmp.Or(cmp.Compare(a.Module, b.Module), cmp.Compare(a.Tier, b.Tier), cmp.Compare(a.UnitPrice, b.UnitPrice))
	})
	return out
}
