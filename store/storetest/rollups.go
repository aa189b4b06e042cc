package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/tenancy"
)

// RollupAuditor is implemented by stores whose SummarizeUsage reads
// maintained rollups: it recomputes the same groups from the events.
type RollupAuditor interface {
	SummarizeUsageFromEvents(ctx context.Context, tenantID string, period billing.Period) ([]billing.UsageGroup, error)
}

// checkRollups asserts that the rollups agree with the events.
func checkRollups(t testing.TB, s Store, tenantID string, period billing.Period) {
	t.Helper()
	ra, ok := s.(RollupAuditor)
	if !ok {
		return
	}
	got, err := s.SummarizeUsage(ctx(t), tenantID, period)
	require.NoError(t, err)
	want, err := ra.SummarizeUsageFromEvents(ctx(t), tenantID, period)
	require.NoError(t, err)
	require.Equal(t, len(want), len(got), "groups: rollups %+v, events %+v", got, want)
	for i := range want {
		assert.True(t, want[i].First.Equal(got[i].First), "first of %s", want[i].Module)
		want[i].First = got[i].First
	}
	assert.Equal(t, want, got, "rollups agree with events")
}

// testImport loads events in bulk, duplicates included, and checks that
// counters and summaries match recording them one by one.
func testImport(t *testing.T, s Store) {
	imp, ok := s.(BulkImporter)
	if !ok {
		t.Skip("store has no bulk import")
	}
	c := ctx(t)
	require.NoError(t, s.CreateTenant(c, tenant("one")))
	require.NoError(t, s.CreateTenant(c, tenant("bulk")))
	var evs []billing.UsageEvent
	for i := range 120 {
		ev := event("bulk", fmt.Sprintf("imp-%d", i%100), []tenancy.Module{tenancy.ModuleOCR, tenancy.ModuleAge}[i%2], t0.Add(time.Duration(i)*6*time.Hour))
		ev.UnitPrice = int64(1 + i%3)
		evs = append(evs, ev)
	}
	_, err := s.RecordUsage(c, evs[0], 0) // already present before the import
	require.NoError(t, err)
	late := evs[5] // the same id again within a batch: the first one wins
	late.UnitPrice, late.Quantity = 99, 9
	require.NoError(t, imp.ImportUsage(c, append(evs[:60:60], late)))
	require.NoError(t, imp.ImportUsage(c, evs[60:]))
	for _, ev := range append(evs, late) {
		ev.TenantID = "one"
		_, err := s.RecordUsage(c, ev, 0)
		require.NoError(t, err)
	}
	for _, p := range []billing.Period{"2025-03", "2025-04"} {
		bulk, err := s.SummarizeUsage(c, "bulk", p)
		require.NoError(t, err)
		one, err := s.SummarizeUsage(c, "one", p)
		require.NoError(t, err)
		assert.Equal(t, one, bulk, "period %s", p)
		for _, m := range []tenancy.Module{tenancy.ModuleOCR, tenancy.ModuleAge} {
			a, err := s.Usage(c, "bulk", m, p)
			require.NoError(t, err)
			b, err := s.Usage(c, "one", m, p)
			require.NoError(t, err)
			assert.Equal(t, b, a)
		}
		checkRollups(t, s, "bulk", p)
	}
}
