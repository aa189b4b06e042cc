package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/audit"
)

func testAudit(t *testing.T, s Store) {
	c := ctx(t)
	clock := t0
	lg, err := audit.New(audit.Config{Store: s, Now: func() time.Time { clock = clock.Add(time.Second + time.Nanosecond); return clock }})
	require.NoError(t, err)

	var recs []audit.Record
	for i, action := range []string{"key.create", "verification.create", "verification.complete"} {
		r, err := lg.Append(c, audit.Entry{TenantID: "acme", Actor: "key:ik_one", Action: action, Target: "vrf_1",
			RequestID: "req-" + action, Outcome: audit.OutcomeSuccess, Details: map[string]string{"step": action, "n": "x"}})
		require.NoError(t, err)
		assert.Equal(t, int64(i+1), r.Seq)
		recs = append(recs, r)
	}
	assert.Equal(t, audit.GenesisHash, recs[0].PrevHash)
	assert.Equal(t, recs[0].Hash, recs[1].PrevHash)

	// The operator's chain (empty tenant) is separate.
	op, err := lg.Append(c, audit.Entry{Actor: "operator:1", Action: "tenant.create", Target: "acme", Outcome: audit.OutcomeSuccess})
	require.NoError(t, err)
	assert.Equal(t, int64(1), op.Seq)
	assert.Nil(t, op.Details)

	got, err := s.AuditRecords(c, "acme", 0, 100)
	require.NoError(t, err)
	assert.Equal(t, recs, got, "records come back exactly as chained")

	// Records handed out are copies: changing their details, or the map
	// an entry was built from, changes nothing stored.
	details := map[string]string{"k": "v"}
	r4, err := lg.Append(c, audit.Entry{TenantID: "copies", Actor: "system", Action: "x", Outcome: audit.OutcomeSuccess, Details: details})
	require.NoError(t, err)
	r4.Details["k"] = "changed by the caller"
	details["k"] = "changed in the entry"
	read, err := s.AuditRecords(c, "copies", 0, 10)
	require.NoError(t, err)
	require.Len(t, read, 1)
	read[0].Details["k"] = "changed after reading"
	read, err = s.AuditRecords(c, "copies", 0, 10)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"k": "v"}, read[0].Details)
	cp, err := audit.Verify(c, s, "copies", nil)
	require.NoError(t, err)
	assert.True(t, cp.OK(), "%+v", cp.Problems)
	got, err = s.AuditRecords(c, "acme", 1, 1)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, int64(2), got[0].Seq)
	// A page limit below 1 is a caller's mistake, refused alike everywhere:
	// an empty page would read as the end of the chain.
	for _, limit := range []int{0, -1} {
		_, err = s.AuditRecords(c, "acme", 0, limit)
		require.Error(t, err, "limit %d", limit)
	}

	rep, err := audit.Verify(c, s, "acme", &audit.Head{TenantID: "acme", Seq: 2, Hash: recs[1].Hash})
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%+v", rep.Problems)
	assert.Equal(t, int64(3), rep.Records)
	assert.Equal(t, recs[2].Hash, rep.Head.Hash)

	rep, err = audit.Verify(c, s, "", nil)
	require.NoError(t, err)
	assert.True(t, rep.OK())
	assert.Equal(t, int64(1), rep.Records)

	// A store must refuse a record that does not follow the head.
	_, err = s.AppendAudit(c, "acme", func(h audit.Head) (audit.Record, error) {
		r := recs[0]
		return r, nil
	})
	require.Error(t, err, "a second record with seq 1 is refused")
}
