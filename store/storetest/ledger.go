package storetest

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/tenancy"
)

func testLedger(t *testing.T, s Store) {
	c := ctx(t)
	require.NoError(t, s.CreateTenant(c, tenant("acme")))
	march := billing.PeriodOf(t0)

	e1 := event("acme", "req-1", tenancy.ModuleOCR, t0)
	rec, err := s.RecordUsage(c, e1, 0)
	require.NoError(t, err)
	assert.False(t, rec.Duplicate)
	assert.Equal(t, int64(1), rec.Used)
	assert.Equal(t, e1, rec.Event)

	got, err := s.UsageEvent(c, "acme", "req-1")
	require.NoError(t, err)
	assert.Equal(t, e1, got)
	_, err = s.UsageEvent(c, "acme", "req-none")
	require.ErrorIs(t, err, tenancy.ErrNotFound)

	// Same request id again, even with other content: counted once, the
	// original comes back.
	again := e1
	again.Quantity, again.UnitPrice = 7, 99
	rec, err = s.RecordUsage(c, again, 0)
	require.NoError(t, err)
	assert.True(t, rec.Duplicate)
	assert.Equal(t, e1, rec.Event)
	assert.Equal(t, int64(1), rec.Used)

	e2 := event("acme", "req-2", tenancy.ModuleOCR, t0.Add(time.Minute))
	e2.Quantity = 4
	rec, err = s.RecordUsage(c, e2, 5)
	require.NoError(t, err)
	assert.Equal(t, int64(5), rec.Used)

	// The quota is full: refused, and nothing changes.
	e3 := event("acme", "req-3", tenancy.ModuleOCR, t0.Add(2*time.Minute))
	_, err = s.RecordUsage(c, e3, 5)
	var qe *billing.QuotaError
	require.ErrorAs(t, err, &qe)
	require.ErrorIs(t, err, billing.ErrQuotaExceeded)
	assert.Equal(t, int64(5), qe.Used)
	assert.Equal(t, int64(5), qe.Limit)
	_, err = s.UsageEvent(c, "acme", "req-3")
	require.ErrorIs(t, err, tenancy.ErrNotFound, "a refused event is not stored")

	// A retry of an already counted request succeeds even at the limit.
	rec, err = s.RecordUsage(c, e2, 5)
	require.NoError(t, err)
	assert.True(t, rec.Duplicate)

	// A single event larger than the whole quota is refused too.
	big := event("acme", "req-big", tenancy.ModuleAge, t0)
	big.Quantity = 11
	_, err = s.RecordUsage(c, big, 10)
	require.ErrorIs(t, err, billing.ErrQuotaExceeded)

	used, err := s.Usage(c, "acme", tenancy.ModuleOCR, march)
	require.NoError(t, err)
	assert.Equal(t, int64(5), used)
	used, err = s.Usage(c, "acme", tenancy.ModuleAge, march)
	require.NoError(t, err)
	assert.Zero(t, used)

	// Counters are per calendar month (UTC): the last microsecond of March
	// and the first of April land in different periods.
	endMarch := time.Date(2025, 3, 31, 23, 59, 59, 999999000, time.UTC)
	startApril := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	_, err = s.RecordUsage(c, event("acme", "req-eom", tenancy.ModuleLiveness, endMarch), 1)
	require.NoError(t, err)
	rec, err = s.RecordUsage(c, event("acme", "req-som", tenancy.ModuleLiveness, startApril), 1)
	require.NoError(t, err, "a new month starts a new quota")
	assert.Equal(t, int64(1), rec.Used)

	// A limit of 0 or below means no limit, on every backend.
	for i, limit := range []int64{0, -1, -1, math.MinInt64} {
		rec, err := s.RecordUsage(c, event("acme", fmt.Sprint("req-nolimit-", i), tenancy.ModuleFaceMatch, t0), limit)
		require.NoError(t, err, "limit %d", limit)
		assert.Equal(t, int64(i+1), rec.Used)
	}

	// Limits beyond 32 bits work.
	_, err = s.RecordUsage(c, event("acme", "req-huge-limit", tenancy.ModuleValidation, t0), 1<<40)
	require.NoError(t, err)

	wf := event("acme", "req-wf", tenancy.ModuleWorkflow, t0)
	wf.UnitPrice = 21
	_, err = s.RecordUsage(c, wf, 0)
	require.NoError(t, err)

	_, err = s.RecordUsage(c, billing.UsageEvent{ID: "broken", TenantID: "acme"}, 0)
	require.Error(t, err, "invalid events are refused")

	groups, err := s.SummarizeUsage(c, "acme", march)
	require.NoError(t, err)
	byModule := map[tenancy.Module]billing.UsageGroup{}
	for _, g := range groups {
		_, dup := byModule[g.Module]
		require.False(t, dup, "one group per module at one price")
		byModule[g.Module] = g
	}
	require.Len(t, byModule, 5, "%+v", groups)
	assert.Equal(t, int64(2), byModule[tenancy.ModuleOCR].Events)
	assert.Equal(t, int64(5), byModule[tenancy.ModuleOCR].Units)
	assert.Equal(t, int64(3), byModule[tenancy.ModuleOCR].UnitPrice)
	assert.Equal(t, "USD", byModule[tenancy.ModuleOCR].Currency)
	assert.True(t, byModule[tenancy.ModuleOCR].First.Equal(t0), "first is the earliest event")
	assert.Equal(t, int64(1), byModule[tenancy.ModuleLiveness].Units, "April is outside March")
	assert.Equal(t, int64(21), byModule[tenancy.ModuleWorkflow].UnitPrice)
	checkRollups(t, s, "acme", march)
	checkRollups(t, s, "acme", "2025-04")
}

// testQuantityBounds: a quantity that would overflow the counter past a
// quota is refused as over quota (used+quantity must not wrap around), one
// that would overflow it without a quota is an error, and quantities below
// 1 are refused; in every case nothing is stored or counted.
func testQuantityBounds(t *testing.T, s Store) {
	c := ctx(t)
	require.NoError(t, s.CreateTenant(c, tenant("acme")))
	march := billing.PeriodOf(t0)
	e := event("acme", "req-5", tenancy.ModuleOCR, t0)
	e.Quantity = 5
	_, err := s.RecordUsage(c, e, 10)
	require.NoError(t, err)

	huge := event("acme", "req-huge", tenancy.ModuleOCR, t0)
	huge.Quantity = math.MaxInt64 - 2 // 5 + this wraps to a negative int64
	_, err = s.RecordUsage(c, huge, 10)
	var qe *billing.QuotaError
	require.ErrorAs(t, err, &qe)
	assert.Equal(t, int64(5), qe.Used)
	_, err = s.RecordUsage(c, huge, 0)
	require.Error(t, err, "a counter that would overflow is refused even without a quota")

	for _, q := range []int64{0, -1, math.MinInt64} {
		bad := event("acme", fmt.Sprint("req-q", q), tenancy.ModuleOCR, t0)
		bad.Quantity = q
		_, err := s.RecordUsage(c, bad, 10)
		require.Error(t, err, "quantity %d", q)
		require.NotErrorIs(t, err, billing.ErrQuotaExceeded, "quantity %d is invalid, not over quota", q)
		_, err = s.RecordUsage(c, bad, 0)
		require.Error(t, err, "quantity %d without a quota", q)
		if imp, ok := s.(BulkImporter); ok {
			require.Error(t, imp.ImportUsage(c, []billing.UsageEvent{bad}), "quantity %d imported", q)
		}
	}
	if imp, ok := s.(BulkImporter); ok {
		// Two halves of more than MaxInt64: each fits, their sum does not.
		a, b := event("acme", "req-half-a", tenancy.ModuleOCR, t0), event("acme", "req-half-b", tenancy.ModuleOCR, t0)
		a.Quantity, b.Quantity = math.MaxInt64/2+1, math.MaxInt64/2+1
		require.Error(t, imp.ImportUsage(c, []billing.UsageEvent{a, b}), "an import whose sum overflows")
	}
	for _, id := range []string{"req-huge", "req-q0", "req-q-1", "req-half-a", "req-half-b"} {
		_, err = s.UsageEvent(c, "acme", id)
		require.ErrorIs(t, err, tenancy.ErrNotFound, id)
	}
	used, err := s.Usage(c, "acme", tenancy.ModuleOCR, march)
	require.NoError(t, err)
	assert.Equal(t, int64(5), used)
	groups, err := s.SummarizeUsage(c, "acme", march)
	require.NoError(t, err)
	require.Len(t, groups, 1)
	assert.Equal(t, int64(5), groups[0].Units)
}
