package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/tenancy"
)

// testUsageOrder checks EachUsageEvent: one tenant, module and month, in
// time order, ties broken by id compared as bytes.
func testUsageOrder(t *testing.T, s Store) {
	c := ctx(t)
	require.NoError(t, s.CreateTenant(c, tenant("acme")))
	require.NoError(t, s.CreateTenant(c, tenant("other")))
	wf := tenancy.ModuleWorkflow
	for _, e := range []struct {
		tenant, id string
		m          tenancy.Module
		at         time.Time
	}{
		{"acme", "w-3", wf, t0.Add(2 * time.Hour)},
		{"acme", "w-b", wf, t0.Add(time.Hour)},
		{"acme", "w-a", wf, t0.Add(time.Hour)},
		{"acme", "w-B", wf, t0.Add(time.Hour)}, // "B" < "a" in bytes, not in most locales
		{"acme", "w-1", wf, t0},
		{"acme", "ocr", tenancy.ModuleOCR, t0},
		{"acme", "april", wf, time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)},
		{"other", "w-0", wf, t0},
	} {
		_, err := s.RecordUsage(c, event(e.tenant, e.id, e.m, e.at), 0)
		require.NoError(t, err)
	}
	var ids []string
	require.NoError(t, s.EachUsageEvent(c, "acme", wf, billing.PeriodOf(t0), func(ev billing.UsageEvent) error {
		ids = append(ids, ev.ID)
		return nil
	}))
	assert.Equal(t, []string{"w-1", "w-B", "w-a", "w-b", "w-3"}, ids)

	stop := errors.New("stop")
	n := 0
	err := s.EachUsageEvent(c, "acme", wf, billing.PeriodOf(t0), func(billing.UsageEvent) error { n++; return stop })
	require.ErrorIs(t, err, stop)
	assert.Equal(t, 1, n, "the first error stops the walk")
	require.Error(t, s.EachUsageEvent(c, "acme", wf, "March", func(billing.UsageEvent) error { return nil }))
}

// testInvoiceTierOrder checks that workflow tiers fill in the order usage
// happened, not price group by price group: one KYC workflow (21¢) on day 1,
// 9,999 age workflows (2¢) on day 2, 1,000 KYC on day 20, on Pro (tiers
// 1-1,000 at 0%, 1,001-10,000 at 10%, beyond at 20%).
func testInvoiceTierOrder(t *testing.T, s Store) {
	c := ctx(t)
	tn := tenant("acme")
	require.NoError(t, s.CreateTenant(c, tn))
	day := func(d int) time.Time { return time.Date(2025, 3, d, 10, 0, 0, 0, time.UTC) }
	for _, e := range []struct {
		id         string
		at         time.Time
		price, qty int64
	}{
		{"kyc-late", day(20), 21, 1000},
		{"age", day(2), 2, 9999},
		{"kyc-first", day(1), 21, 1},
	} {
		ev := event("acme", e.id, tenancy.ModuleWorkflow, e.at)
		ev.UnitPrice, ev.Quantity = e.price, e.qty
		_, err := s.RecordUsage(c, ev, 0)
		require.NoError(t, err)
	}
	iv, err := billing.NewInvoicer(billing.InvoicerConfig{Ledger: s, Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	inv, err := iv.Generate(c, tn, "2025-03")
	require.NoError(t, err)
	wf := tenancy.ModuleWorkflow
	assert.Equal(t, []billing.Line{
		{Module: wf, Tier: 1, Description: "workflow at 2, tier 1 (1-1000)", Quantity: 999, UnitPrice: 2, Amount: 1998},
		{Module: wf, Tier: 1, Description: "workflow at 21, tier 1 (1-1000)", Quantity: 1, UnitPrice: 21, Amount: 21},
		{Module: wf, Tier: 2, Description: "workflow at 2, tier 2 (1001-10000)", Quantity: 9000, UnitPrice: 2, DiscountBP: 1000, Amount: 16_200},
		{Module: wf, Tier: 3, Description: "workflow at 21, tier 3 (10001+)", Quantity: 1000, UnitPrice: 21, DiscountBP: 2000, Amount: 16_800},
	}, inv.Lines)
	assert.Equal(t, int64(35_019), inv.Total, "filled price group by price group it was 38,817")
}
