package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/audit"
	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/tenancy"
)

// testIsolation gives tenant B data of every kind, then tries to reach it
// through every scoped method while acting as tenant A.
func testIsolation(t *testing.T, s Store) {
	c := ctx(t)
	require.NoError(t, s.CreateTenant(c, tenant("a")))
	require.NoError(t, s.CreateTenant(c, tenant("b")))
	require.NoError(t, s.CreateKey(c, key("a", "ik_a", t0)))
	bKey := key("b", "ik_b", t0)
	require.NoError(t, s.CreateKey(c, bKey))
	bEvent := event("b", "req-b", tenancy.ModuleOCR, t0)
	_, err := s.RecordUsage(c, bEvent, 0)
	require.NoError(t, err)
	lg, err := audit.New(audit.Config{Store: s, Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	_, err = lg.Append(c, audit.Entry{TenantID: "b", Actor: "key:ik_b", Action: "secret.thing", Outcome: audit.OutcomeSuccess})
	require.NoError(t, err)

	// Keys.
	_, err = s.Key(c, "a", "ik_b")
	require.ErrorIs(t, err, tenancy.ErrNotFound)
	ks, err := s.ListKeys(c, "a")
	require.NoError(t, err)
	require.Len(t, ks, 1)
	assert.Equal(t, "ik_a", ks[0].ID)
	require.ErrorIs(t, s.RotateKey(c, "a", "ik_b", tenancy.Rotation{Replaces: bKey.SealedSecret, SealedSecret: []byte("stolen")}), tenancy.ErrNotFound)
	require.ErrorIs(t, s.RevokeKey(c, "a", "ik_b", t0), tenancy.ErrNotFound)
	require.ErrorIs(t, s.TouchKey(c, "a", "ik_b", t0.Add(time.Hour)), tenancy.ErrNotFound)
	require.ErrorIs(t, s.CreateKey(c, key("a", "ik_b", t0)), tenancy.ErrConflict, "a key id cannot be taken over")
	got, err := s.Key(c, "b", "ik_b")
	require.NoError(t, err)
	assert.Equal(t, bKey, got, "B's key is untouched")

	// Ledger.
	_, err = s.UsageEvent(c, "a", "req-b")
	require.ErrorIs(t, err, tenancy.ErrNotFound)
	used, err := s.Usage(c, "a", tenancy.ModuleOCR, billing.PeriodOf(t0))
	require.NoError(t, err)
	assert.Zero(t, used)
	groups, err := s.SummarizeUsage(c, "a", billing.PeriodOf(t0))
	require.NoError(t, err)
	assert.Empty(t, groups)
	// The same request id in another tenant is another event.
	aEvent := event("a", "req-b", tenancy.ModuleOCR, t0)
	rec, err := s.RecordUsage(c, aEvent, 0)
	require.NoError(t, err)
	assert.False(t, rec.Duplicate)
	assert.Equal(t, int64(1), rec.Used)
	used, err = s.Usage(c, "b", tenancy.ModuleOCR, billing.PeriodOf(t0))
	require.NoError(t, err)
	assert.Equal(t, int64(1), used, "A's usage does not count for B")

	// Audit.
	recs, err := s.AuditRecords(c, "a", 0, 100)
	require.NoError(t, err)
	assert.Empty(t, recs)
	r, err := lg.Append(c, audit.Entry{TenantID: "a", Actor: "key:ik_a", Action: "x", Outcome: audit.OutcomeSuccess})
	require.NoError(t, err)
	assert.Equal(t, int64(1), r.Seq, "A's chain starts at 1 whatever B has")
	assert.Equal(t, audit.GenesisHash, r.PrevHash)
}
