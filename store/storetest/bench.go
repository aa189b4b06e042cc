package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/tenancy"
)

// BulkImporter is implemented by stores that can load many usage events at
// once; benchmarks use it to seed large ledgers quickly.
type BulkImporter interface {
	ImportUsage(ctx context.Context, events []billing.UsageEvent) error
}

// BenchRecordUsage measures recording one usage event with a quota check.
func BenchRecordUsage(b *testing.B, s Store) {
	c := b.Context()
	require.NoError(b, s.CreateTenant(c, tenant("bench")))
	i := 0
	for b.Loop() {
		i++
		if _, err := s.RecordUsage(c, event("bench", fmt.Sprintf("r-%d", i), tenancy.ModuleOCR, t0), 1<<40); err != nil {
			b.Fatal(err)
		}
	}
}

// InvoiceEvents is how many usage events BenchInvoice seeds.
const InvoiceEvents = 1_000_000

// SeedInvoiceTenant loads n events for tenant "big" in March 2025: a mix
// of modules, a mid-month price change, and workflows across all tiers.
func SeedInvoiceTenant(ctx context.Context, s Store, n int) error {
	if err := s.CreateTenant(ctx, tenant("big")); err != nil {
		return err
	}
	imp, _ := s.(BulkImporter)
	mods := []tenancy.Module{tenancy.ModuleOCR, tenancy.ModuleLiveness, tenancy.ModuleFaceMatch, tenancy.ModuleValidation, tenancy.ModuleWorkflow}
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	step := 31 * 24 * time.Hour / time.Duration(n)
	const batch = 10_000
	buf := make([]billing.UsageEvent, 0, batch)
	flush := func() error {
		defer func() { buf = buf[:0] }()
		if imp != nil {
			return imp.ImportUsage(ctx, buf)
		}
		for _, ev := range buf {
			if _, err := s.RecordUsage(ctx, ev, 0); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range n {
		m := mods[i%len(mods)]
		ev := event("big", fmt.Sprintf("inv-%07d", i), m, start.Add(time.Duration(i)*step).Truncate(time.Microsecond))
		ev.UnitPrice = 3
		if i > n/2 {
			ev.UnitPrice = 4
		}
		if m == tenancy.ModuleWorkflow {
			ev.UnitPrice = 21
		}
		buf = append(buf, ev)
		if len(buf) == batch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// BenchInvoice measures generating the March invoice of a tenant with
// InvoiceEvents events (seeding is not timed): "rollups" is Invoicer.Generate
// as used in production; "scan-events" recomputes the same summary from the
// raw events, for stores that can (RollupAuditor).
func BenchInvoice(b *testing.B, s Store) {
	c := b.Context()
	seedStart := time.Now()
	require.NoError(b, SeedInvoiceTenant(c, s, InvoiceEvents))
	b.Logf("seeded %d events in %s", InvoiceEvents, time.Since(seedStart).Round(time.Millisecond))
	iv, err := billing.NewInvoicer(billing.InvoicerConfig{Ledger: s, Now: func() time.Time { return t0 }})
	require.NoError(b, err)
	tn := tenant("big")
	b.Run("rollups", func(b *testing.B) {
		var inv billing.Invoice
		for b.Loop() {
			inv, err = iv.Generate(c, tn, "2025-03")
			if err != nil {
				b.Fatal(err)
			}
		}
		var units int64
		for _, l := range inv.Lines {
			units += l.Quantity
		}
		if units != InvoiceEvents {
			b.Fatalf("invoice covers %d units, want %d", units, InvoiceEvents)
		}
		b.ReportMetric(float64(len(inv.Lines)), "lines")
	})
	ra, ok := s.(RollupAuditor)
	if !ok {
		return
	}
	b.Run("scan-events", func(b *testing.B) {
		var groups []billing.UsageGroup
		for b.Loop() {
			groups, err = ra.SummarizeUsageFromEvents(c, "big", "2025-03")
			if err != nil {
				b.Fatal(err)
			}
		}
		var events int64
		for _, g := range groups {
			events += g.Events
		}
		if events != InvoiceEvents {
			b.Fatalf("scan covers %d events, want %d", events, InvoiceEvents)
		}
	})
}
