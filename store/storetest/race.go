package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/audit"
	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/tenancy"
)

// Concurrency of the quota race.
const (
	RaceRequests = 1000
	RaceQuota    = 500
)

// QuotaRaceResult is what the quota race observed, for reports.
type QuotaRaceResult struct {
	Admitted, Refused, Failed int64
	Used                      int64
	Elapsed                   time.Duration
}

// QuotaRace fires RaceRequests concurrent usage events for one tenant and
// module against a quota of RaceQuota.
func QuotaRace(ctx context.Context, s Store, tenantID string) (QuotaRaceResult, error) {
	var res QuotaRaceResult
	var wg sync.WaitGroup
	var firstErr atomic.Value
	start := make(chan struct{})
	for i := range RaceRequests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := s.RecordUsage(ctx, event(tenantID, fmt.Sprintf("race-%04d", i), tenancy.ModuleFaceMatch, t0), RaceQuota)
			switch {
			case err == nil:
				atomic.AddInt64(&res.Admitted, 1)
			case errors.Is(err, billing.ErrQuotaExceeded):
				atomic.AddInt64(&res.Refused, 1)
			default:
				atomic.AddInt64(&res.Failed, 1)
				firstErr.CompareAndSwap(nil, err)
			}
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	res.Elapsed = time.Since(began)
	used, err := s.Usage(ctx, tenantID, tenancy.ModuleFaceMatch, billing.PeriodOf(t0))
	if err != nil {
		return res, err
	}
	res.Used = used
	if e, ok := firstErr.Load().(error); ok {
		return res, e
	}
	return res, nil
}

func testQuotaRace(t *testing.T, s Store) {
	c := ctx(t)
	require.NoError(t, s.CreateTenant(c, tenant("racer")))
	res, err := QuotaRace(c, s, "racer")
	require.NoError(t, err)
	t.Logf("quota race: %d admitted, %d refused, %d failed, counter %d, in %s", res.Admitted, res.Refused, res.Failed, res.Used, res.Elapsed)
	assert.Equal(t, int64(RaceQuota), res.Admitted)
	assert.Equal(t, int64(RaceRequests-RaceQuota), res.Refused)
	assert.Equal(t, int64(RaceQuota), res.Used)
	groups, err := s.SummarizeUsage(c, "racer", billing.PeriodOf(t0))
	require.NoError(t, err)
	require.Len(t, groups, 1)
	assert.Equal(t, int64(RaceQuota), groups[0].Events, "exactly the admitted events are stored")
	checkRollups(t, s, "racer", billing.PeriodOf(t0))
}

// testMeterRace checks that under the same race each soft-limit threshold
// fires exactly once.
func testMeterRace(t *testing.T, s Store) {
	c := ctx(t)
	tn := tenant("metered")
	tn.Quotas = map[tenancy.Module]int64{tenancy.ModuleLiveness: 50}
	require.NoError(t, s.CreateTenant(c, tn))
	var mu sync.Mutex
	var seen []billing.Event
	m, err := billing.NewMeter(billing.MeterConfig{Ledger: s, HardStop: true, Now: func() time.Time { return t0 },
		Notifier: billing.NotifierFunc(func(_ context.Context, e billing.Event) error {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, e)
			return nil
		})})
	require.NoError(t, err)
	var wg sync.WaitGroup
	var admitted atomic.Int64
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := m.Record(c, tn, billing.Usage{RequestID: fmt.Sprintf("m-%d", i), Module: tenancy.ModuleLiveness})
			if err == nil {
				admitted.Add(1)
			} else if !errors.Is(err, billing.ErrQuotaExceeded) {
				t.Errorf("record: %v", err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(50), admitted.Load())
	require.Len(t, seen, 2, "%+v", seen)
	types := map[string]billing.Event{}
	for _, e := range seen {
		types[e.Type] = e
	}
	assert.Equal(t, int64(40), types[billing.EventQuotaWarning].Used)
	assert.Equal(t, int64(50), types[billing.EventQuotaReached].Used)
}

// testAuditRace appends concurrently: the chain must stay one line.
func testAuditRace(t *testing.T, s Store) {
	c := ctx(t)
	lg, err := audit.New(audit.Config{Store: s, Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := lg.Append(c, audit.Entry{TenantID: "busy", Actor: "system", Action: "tick", RequestID: fmt.Sprint(i), Outcome: audit.OutcomeSuccess})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	rep, err := audit.Verify(c, s, "busy", nil)
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%+v", rep.Problems)
	assert.Equal(t, int64(40), rep.Records)
}
