package billing_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/store/memory"
	"github.com/idkit-dev/idkit/tenancy"
)

var june = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

var kyc = []tenancy.Module{tenancy.ModuleLiveness, tenancy.ModuleOCR, tenancy.ModuleValidation, tenancy.ModuleFaceMatch}

type recorder struct{ events []billing.Event }

func (r *recorder) Notify(_ context.Context, e billing.Event) error {
	r.events = append(r.events, e)
	return nil
}

func setup(t *testing.T, hardStop bool) (*memory.Store, *billing.Meter, *recorder, *time.Time) {
	s := memory.New()
	now := june.Add(time.Hour)
	rec := &recorder{}
	m, err := billing.NewMeter(billing.MeterConfig{Ledger: s, Notifier: rec, HardStop: hardStop, Now: func() time.Time { return now }})
	require.NoError(t, err)
	return s, m, rec, &now
}

func TestMeterPricesAndIdempotency(t *testing.T) {
	_, m, _, _ := setup(t, true)
	tn := tenancy.Tenant{ID: "acme", Name: "Acme", Plan: tenancy.PlanPro}
	r, err := m.Record(t.Context(), tn, billing.Usage{RequestID: "r1", Module: tenancy.ModuleOCR, KeyID: "ik_1"})
	require.NoError(t, err)
	assert.Equal(t, int64(12), r.Event.UnitPrice)
	assert.Equal(t, "USD", r.Event.Currency)
	assert.Equal(t, int64(1), r.Event.Quantity)
	assert.Equal(t, billing.EventType, r.Event.Type)
	assert.Equal(t, billing.SpecVersion, r.Event.SpecVersion)

	r, err = m.Record(t.Context(), tn, billing.Usage{RequestID: "r2", Module: tenancy.ModuleWorkflow, Steps: kyc})
	require.NoError(t, err)
	assert.Equal(t, int64(3+12+1+5), r.Event.UnitPrice, "a workflow costs the sum of its steps")

	r, err = m.Record(t.Context(), tn, billing.Usage{RequestID: "r1", Module: tenancy.ModuleOCR})
	require.NoError(t, err)
	assert.True(t, r.Duplicate)

	_, err = m.Record(t.Context(), tn, billing.Usage{RequestID: "r3", Module: tenancy.ModuleOCR, Steps: kyc})
	require.Error(t, err, "steps only make sense for workflows")
	_, err = m.Record(t.Context(), tn, billing.Usage{Module: tenancy.ModuleOCR})
	require.Error(t, err, "a request id is required")
	_, err = m.Record(t.Context(), tenancy.Tenant{ID: "x", Plan: "platinum"}, billing.Usage{RequestID: "r", Module: tenancy.ModuleOCR})
	require.ErrorIs(t, err, tenancy.ErrNotFound)
}

// A request id reused for another call is a conflict, not a duplicate: the
// second call would otherwise go unbilled.
// Events are stamped to the microsecond, as the SQL backends store them,
// so every backend orders two close events alike (tiers fill in order).
func TestMeterStampsMicroseconds(t *testing.T) {
	_, m, _, now := setup(t, true)
	*now = now.Add(500 * time.Nanosecond)
	r, err := m.Record(t.Context(), tenancy.Tenant{ID: "acme", Name: "Acme", Plan: tenancy.PlanPro}, billing.Usage{RequestID: "r1", Module: tenancy.ModuleOCR})
	require.NoError(t, err)
	assert.Equal(t, now.Truncate(time.Microsecond), r.Event.Time)
}

func TestMeterConflictingRequestID(t *testing.T) {
	s, m, _, _ := setup(t, false)
	tn := tenancy.Tenant{ID: "acme", Name: "Acme", Plan: tenancy.PlanPro}
	_, err := m.Record(t.Context(), tn, billing.Usage{RequestID: "r1", Module: tenancy.ModuleOCR})
	require.NoError(t, err)
	_, err = m.Record(t.Context(), tn, billing.Usage{RequestID: "w1", Module: tenancy.ModuleWorkflow, Steps: kyc})
	require.NoError(t, err)
	for name, u := range map[string]billing.Usage{
		"module":   {RequestID: "r1", Module: tenancy.ModuleLiveness},
		"quantity": {RequestID: "r1", Module: tenancy.ModuleOCR, Quantity: 2},
		"price":    {RequestID: "w1", Module: tenancy.ModuleWorkflow, Steps: []tenancy.Module{tenancy.ModuleAge}},
	} {
		_, err := m.Record(t.Context(), tn, u)
		require.ErrorIs(t, err, billing.ErrConflict, name)
		var ce *billing.ConflictError
		require.ErrorAs(t, err, &ce, name)
		assert.Equal(t, u.RequestID, ce.Stored.ID)
	}
	// A true retry stays idempotent.
	r, err := m.Record(t.Context(), tn, billing.Usage{RequestID: "w1", Module: tenancy.ModuleWorkflow, Steps: kyc})
	require.NoError(t, err)
	assert.True(t, r.Duplicate)
	used, err := s.Usage(t.Context(), "acme", tenancy.ModuleOCR, "2025-06")
	require.NoError(t, err)
	assert.Equal(t, int64(1), used)
}

// A workflow is priced as the sum of its steps, so one without steps, or
// with steps that are not modules, would be recorded at 0.
func TestMeterRefusesBadWorkflowSteps(t *testing.T) {
	s, m, _, _ := setup(t, false)
	tn := tenancy.Tenant{ID: "acme", Name: "Acme", Plan: tenancy.PlanPro}
	for i, steps := range [][]tenancy.Module{
		nil,
		{},
		{tenancy.ModuleOCR, "teleport"},
		{tenancy.ModuleOCR, tenancy.ScopeAll},
		{tenancy.ModuleWorkflow},
	} {
		id := fmt.Sprint("bad-", i)
		_, err := m.Record(t.Context(), tn, billing.Usage{RequestID: id, Module: tenancy.ModuleWorkflow, Steps: steps})
		require.Error(t, err, "steps %v", steps)
		_, err = s.UsageEvent(t.Context(), "acme", id)
		require.ErrorIs(t, err, tenancy.ErrNotFound, "nothing recorded for steps %v", steps)
	}
}

func TestMeterSoftLimits(t *testing.T) {
	for _, hard := range []bool{true, false} {
		t.Run(fmt.Sprintf("hardstop=%v", hard), func(t *testing.T) {
			_, m, rec, _ := setup(t, hard)
			tn := tenancy.Tenant{ID: "acme", Name: "Acme", Plan: tenancy.PlanPro, Quotas: map[tenancy.Module]int64{tenancy.ModuleAge: 10}}
			var refused int
			for i := range 13 {
				_, err := m.Record(t.Context(), tn, billing.Usage{RequestID: fmt.Sprint(i), Module: tenancy.ModuleAge})
				if err != nil {
					require.ErrorIs(t, err, billing.ErrQuotaExceeded)
					refused++
				}
			}
			// Retries of counted requests never notify twice.
			_, err := m.Record(t.Context(), tn, billing.Usage{RequestID: "7", Module: tenancy.ModuleAge})
			require.NoError(t, err)
			require.Len(t, rec.events, 2)
			assert.Equal(t, billing.Event{Type: billing.EventQuotaWarning, TenantID: "acme", Module: tenancy.ModuleAge, Period: "2025-06",
				Used: 8, Limit: 10, Percent: 80, Time: june.Add(time.Hour)}, rec.events[0])
			assert.Equal(t, billing.EventQuotaReached, rec.events[1].Type)
			assert.Equal(t, int64(10), rec.events[1].Used)
			if hard {
				assert.Equal(t, 3, refused)
			} else {
				assert.Zero(t, refused, "without hard stop quotas only notify")
			}
			left, limited, err := m.Remaining(t.Context(), tn, tenancy.ModuleAge)
			require.NoError(t, err)
			assert.True(t, limited)
			assert.Zero(t, left)
			_, limited, err = m.Remaining(t.Context(), tn, tenancy.ModuleOCR)
			require.NoError(t, err)
			assert.False(t, limited, "Pro has no OCR quota")
		})
	}
}

// A quantity that jumps over both thresholds sends both events.
func TestMeterBigStep(t *testing.T) {
	_, m, rec, _ := setup(t, false)
	tn := tenancy.Tenant{ID: "acme", Name: "Acme", Plan: tenancy.PlanPro, Quotas: map[tenancy.Module]int64{tenancy.ModuleOCR: 7}}
	_, err := m.Record(t.Context(), tn, billing.Usage{RequestID: "1", Module: tenancy.ModuleOCR, Quantity: 9})
	require.NoError(t, err)
	require.Len(t, rec.events, 2)
	assert.Equal(t, 80, rec.events[0].Percent)
	assert.Equal(t, 100, rec.events[1].Percent)
}

func TestInvoiceTiers(t *testing.T) {
	s, m, _, now := setup(t, false)
	tn := tenancy.Tenant{ID: "acme", Name: "Acme", Plan: tenancy.PlanPro}
	for i := range 12_000 {
		*now = june.Add(time.Duration(i) * time.Second)
		_, err := m.Record(t.Context(), tn, billing.Usage{RequestID: fmt.Sprint("w", i), Module: tenancy.ModuleWorkflow, Steps: kyc})
		require.NoError(t, err)
	}
	for i := range 3 {
		_, err := m.Record(t.Context(), tn, billing.Usage{RequestID: fmt.Sprint("o", i), Module: tenancy.ModuleOCR})
		require.NoError(t, err)
	}
	// July usage stays off the June invoice.
	*now = june.AddDate(0, 1, 0)
	_, err := m.Record(t.Context(), tn, billing.Usage{RequestID: "july", Module: tenancy.ModuleOCR})
	require.NoError(t, err)

	iv, err := billing.NewInvoicer(billing.InvoicerConfig{Ledger: s, Now: func() time.Time { return *now }})
	require.NoError(t, err)
	inv, err := iv.Generate(t.Context(), tn, "2025-06")
	require.NoError(t, err)
	want := []billing.Line{
		{Module: tenancy.ModuleOCR, Description: "ocr at 12", Quantity: 3, UnitPrice: 12, Amount: 36},
		{Module: tenancy.ModuleWorkflow, Tier: 1, Description: "workflow at 21, tier 1 (1-1000)", Quantity: 1000, UnitPrice: 21, Amount: 21_000},
		{Module: tenancy.ModuleWorkflow, Tier: 2, Description: "workflow at 21, tier 2 (1001-10000)", Quantity: 9000, UnitPrice: 21, DiscountBP: 1000, Amount: 170_100},
		{Module: tenancy.ModuleWorkflow, Tier: 3, Description: "workflow at 21, tier 3 (10001+)", Quantity: 2000, UnitPrice: 21, DiscountBP: 2000, Amount: 33_600},
	}
	assert.Equal(t, want, inv.Lines)
	assert.Equal(t, int64(36+21_000+170_100+33_600), inv.Total)
	assert.Equal(t, "USD", inv.Currency)

	_, err = iv.Generate(t.Context(), tn, "June")
	require.Error(t, err)
}

// When the workflow price changes mid-month, tiers fill in time order.
func TestInvoicePriceChangeAndRounding(t *testing.T) {
	s := memory.New()
	add := func(id string, at time.Time, price, qty int64) {
		_, err := s.RecordUsage(t.Context(), billing.UsageEvent{SpecVersion: "1.0", ID: id, Source: "t", Type: billing.EventType,
			Time: at, TenantID: "acme", Module: tenancy.ModuleWorkflow, Quantity: qty, UnitPrice: price, Currency: "USD"}, 0)
		require.NoError(t, err)
	}
	add("late", june.Add(48*time.Hour), 5, 3) // newer price, after the older usage
	add("early", june.Add(time.Hour), 7, 999) // fills tier 1 but one
	add("mid", june.Add(2*time.Hour), 7, 2)   // one in tier 1, one in tier 2
	iv, err := billing.NewInvoicer(billing.InvoicerConfig{Ledger: s})
	require.NoError(t, err)
	inv, err := iv.Generate(t.Context(), tenancy.Tenant{ID: "acme", Plan: tenancy.PlanPro}, "2025-06")
	require.NoError(t, err)
	require.Len(t, inv.Lines, 3)
	assert.Equal(t, billing.Line{Module: tenancy.ModuleWorkflow, Tier: 1, Description: "workflow at 7, tier 1 (1-1000)", Quantity: 1000, UnitPrice: 7, Amount: 7000}, inv.Lines[0])
	assert.Equal(t, billing.Line{Module: tenancy.ModuleWorkflow, Tier: 2, Description: "workflow at 5, tier 2 (1001-10000)", Quantity: 3, UnitPrice: 5, DiscountBP: 1000, Amount: 14}, inv.Lines[1], "13.5 rounds half up")
	assert.Equal(t, billing.Line{Module: tenancy.ModuleWorkflow, Tier: 2, Description: "workflow at 7, tier 2 (1001-10000)", Quantity: 1, UnitPrice: 7, DiscountBP: 1000, Amount: 6}, inv.Lines[2], "6.3 rounds down")
}

// Sandbox plans are never invoiced, even when their prices are not zero.
func TestSandboxNotInvoiced(t *testing.T) {
	plans := tenancy.DefaultPlans()
	sandbox := plans[tenancy.PlanPro]
	sandbox.ID, sandbox.Sandbox = "trial", true
	plans[sandbox.ID] = sandbox
	s := memory.New()
	m, err := billing.NewMeter(billing.MeterConfig{Ledger: s, Plans: plans, Now: func() time.Time { return june }})
	require.NoError(t, err)
	iv, err := billing.NewInvoicer(billing.InvoicerConfig{Ledger: s, Plans: plans})
	require.NoError(t, err)
	for _, plan := range []tenancy.PlanID{tenancy.PlanFree, sandbox.ID} {
		tn := tenancy.Tenant{ID: string(plan), Name: "T", Plan: plan}
		_, err := m.Record(t.Context(), tn, billing.Usage{RequestID: "r1", Module: tenancy.ModuleOCR})
		require.NoError(t, err, "sandbox usage is still metered")
		_, err = iv.Generate(t.Context(), tn, "2025-06")
		require.ErrorIs(t, err, billing.ErrNotInvoiced, plan)
	}
}

// Plans enter through NewMeter and NewInvoicer; a tier list without an
// open-ended last tier would leave units past it unbilled, so it is refused.
func TestPlansValidatedOnEntry(t *testing.T) {
	plans := tenancy.DefaultPlans()
	pro := plans[tenancy.PlanPro]
	pro.WorkflowTiers = []tenancy.DiscountTier{{UpTo: 1_000}, {UpTo: 10_000, DiscountBP: 1_000}}
	plans[tenancy.PlanPro] = pro
	_, err := billing.NewInvoicer(billing.InvoicerConfig{Ledger: memory.New(), Plans: plans})
	require.ErrorContains(t, err, "open-ended")
	_, err = billing.NewMeter(billing.MeterConfig{Ledger: memory.New(), Plans: plans})
	require.ErrorContains(t, err, "open-ended")
}

func TestInvoiceExports(t *testing.T) {
	inv := billing.Invoice{TenantID: "acme", Plan: tenancy.PlanPro, Period: "2025-06", Currency: "USD", GeneratedAt: june,
		Lines: []billing.Line{{Module: tenancy.ModuleOCR, Description: "ocr at 12, \"scan\"", Quantity: 3, UnitPrice: 12, Amount: 36}}, Total: 36}
	var buf bytes.Buffer
	require.NoError(t, inv.WriteCSV(&buf))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		billing.CSVHeader,
		{"acme", "2025-06", "ocr", "", "ocr at 12, \"scan\"", "3", "12", "0", "36", "USD"},
		{"acme", "2025-06", "TOTAL", "", "", "", "", "", "36", "USD"},
	}, rows)

	buf.Reset()
	require.NoError(t, inv.WriteJSON(&buf))
	var back billing.Invoice
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, inv, back)
}

func TestUsageEventJSONIsCloudEventsShaped(t *testing.T) {
	ev := billing.UsageEvent{SpecVersion: "1.0", ID: "req-1", Source: "idkitd/node-1", Type: billing.EventType, Time: june,
		TenantID: "acme", Module: tenancy.ModuleOCR, Quantity: 1, UnitPrice: 12, Currency: "USD"}
	b, err := json.Marshal(ev)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"specversion", "id", "source", "type", "time"} {
		assert.Contains(t, m, k, "CloudEvents required/optional attribute")
	}
}

func TestPeriod(t *testing.T) {
	assert.Equal(t, billing.Period("2025-12"), billing.PeriodOf(time.Date(2026, 1, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600))))
	from, to, err := billing.Period("2025-12").Bounds()
	require.NoError(t, err)
	assert.Equal(t, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), from)
	assert.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), to)
}
