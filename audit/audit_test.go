package audit_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/audit"
	"github.com/idkit-dev/idkit/store/memory"
)

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 123456789, time.UTC)

func chain(t testing.TB, n int) (*memory.Store, []audit.Record) {
	s := memory.New()
	now := t0
	lg, err := audit.New(audit.Config{Store: s, Now: func() time.Time { now = now.Add(time.Second); return now }})
	require.NoError(t, err)
	var recs []audit.Record
	for i := range n {
		r, err := lg.Append(t.Context(), audit.Entry{TenantID: "acme", Actor: "key:ik_1", Action: "verification.create",
			Target: "vrf_" + string(rune('a'+i)), RequestID: "req", Outcome: audit.OutcomeSuccess, Details: map[string]string{"i": string(rune('0' + i))}})
		require.NoError(t, err)
		recs = append(recs, r)
	}
	return s, recs
}

func TestAppendChains(t *testing.T) {
	_, recs := chain(t, 3)
	assert.Equal(t, audit.GenesisHash, recs[0].PrevHash)
	for i, r := range recs {
		assert.Equal(t, int64(i+1), r.Seq)
		assert.Equal(t, audit.HashOf(r), r.Hash)
		assert.Len(t, r.Hash, 64)
		assert.Equal(t, r.Time, r.Time.Truncate(time.Microsecond), "times are kept to the microsecond")
		if i > 0 {
			assert.Equal(t, recs[i-1].Hash, r.PrevHash)
		}
	}
	lg, _ := audit.New(audit.Config{Store: memory.New()})
	_, err := lg.Append(t.Context(), audit.Entry{Actor: "x"})
	require.Error(t, err, "action and outcome are required")
}

func TestCanonical(t *testing.T) {
	r := audit.Record{Entry: audit.Entry{TenantID: "acme", Actor: "key:ik_1", Action: "a\"b", Outcome: "success",
		Details: map[string]string{"z": "1", "a": "é\n"}, Time: time.Date(2025, 6, 1, 12, 0, 0, 1000, time.FixedZone("X", 7200))},
		Seq: 7, PrevHash: audit.GenesisHash}
	assert.Equal(t, `{"v":1,"tenant":"acme","seq":7,"time":"2025-06-01T10:00:00.000001Z","actor":"key:ik_1","action":"a\"b","target":"","request_id":"","outcome":"success","details":{"a":"é\n","z":"1"},"prev":"`+audit.GenesisHash+`"}`,
		string(audit.Canonical(r)))
	// Nil and empty details are the same entry.
	r2 := r
	r2.Details = map[string]string{}
	r.Details = nil
	assert.Equal(t, audit.HashOf(r), audit.HashOf(r2))
	// Field boundaries cannot be shifted to forge the same hash.
	a := audit.Record{Entry: audit.Entry{Actor: "ab", Action: "c"}}
	b := audit.Record{Entry: audit.Entry{Actor: "a", Action: "bc"}}
	assert.NotEqual(t, audit.HashOf(a), audit.HashOf(b))
	// Nor can a detail key swallow the detail after it.
	two := audit.Record{Entry: audit.Entry{Details: map[string]string{"decision": "reject", "reason": "sanctions_hit"}}}
	one := audit.Record{Entry: audit.Entry{Details: map[string]string{`decision":"reject","reason`: "sanctions_hit"}}}
	assert.NotEqual(t, audit.HashOf(two), audit.HashOf(one))
}

// Text the log cannot keep faithfully is refused at Append: invalid UTF-8
// would hash like its replacement characters, and PostgreSQL refuses it
// and NUL outright (the entry would be lost on one backend only).
func TestAppendRefusesUnstorableText(t *testing.T) {
	s := memory.New()
	lg, err := audit.New(audit.Config{Store: s})
	require.NoError(t, err)
	ok := audit.Entry{TenantID: "acme", Actor: "key:ik_1", Action: "a", Outcome: audit.OutcomeSuccess}
	for name, e := range map[string]func(*audit.Entry){
		"invalid target":       func(e *audit.Entry) { e.Target = "vrf_\xff" },
		"NUL request id":       func(e *audit.Entry) { e.RequestID = "req\x00" },
		"invalid detail value": func(e *audit.Entry) { e.Details = map[string]string{"k": "caf\xc3"} },
		"NUL detail key":       func(e *audit.Entry) { e.Details = map[string]string{"k\x00": "v"} },
	} {
		bad := ok
		e(&bad)
		_, err := lg.Append(t.Context(), bad)
		assert.Error(t, err, name)
	}
	rep, err := audit.Verify(t.Context(), s, "acme", nil)
	require.NoError(t, err)
	assert.Zero(t, rep.Records, "nothing refused was written")
	_, err = lg.Append(t.Context(), ok)
	require.NoError(t, err)
}

func kinds(rep audit.Report) map[int64][]string {
	out := map[int64][]string{}
	for _, p := range rep.Problems {
		out[p.Seq] = append(out[p.Seq], p.Kind)
	}
	return out
}

func TestVerifyFindsTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(s *memory.Store, recs []audit.Record)
		anchor int // seq of the anchor to pass, 0 for none
		want   map[int64][]string
	}{
		{"intact", func(*memory.Store, []audit.Record) {}, 5, map[int64][]string{}},
		{"altered outcome", func(s *memory.Store, _ []audit.Record) {
			s.TamperAudit("acme", 3, func(r *audit.Record) bool { r.Outcome = audit.OutcomeDenied; return true })
		}, 0, map[int64][]string{3: {audit.ProblemAltered}}},
		{"altered details", func(s *memory.Store, _ []audit.Record) {
			s.TamperAudit("acme", 2, func(r *audit.Record) bool { r.Details = map[string]string{"i": "9"}; return true })
		}, 0, map[int64][]string{2: {audit.ProblemAltered}}},
		{"altered and rehashed", func(s *memory.Store, _ []audit.Record) {
			s.TamperAudit("acme", 2, func(r *audit.Record) bool { r.Actor = "operator:evil"; r.Hash = audit.HashOf(*r); return true })
		}, 0, map[int64][]string{3: {audit.ProblemBrokenLink}}},
		{"deleted in the middle", func(s *memory.Store, _ []audit.Record) {
			s.TamperAudit("acme", 2, func(*audit.Record) bool { return false })
		}, 0, map[int64][]string{3: {audit.ProblemMissing, audit.ProblemBrokenLink}}},
		{"deleted first", func(s *memory.Store, _ []audit.Record) {
			s.TamperAudit("acme", 1, func(*audit.Record) bool { return false })
		}, 0, map[int64][]string{2: {audit.ProblemMissing, audit.ProblemBrokenLink}}},
		{"tail deleted, no anchor", func(s *memory.Store, _ []audit.Record) {
			s.TamperAudit("acme", 5, func(*audit.Record) bool { return false })
		}, 0, map[int64][]string{}},
		{"tail deleted, anchored", func(s *memory.Store, _ []audit.Record) {
			s.TamperAudit("acme", 5, func(*audit.Record) bool { return false })
		}, 5, map[int64][]string{5: {audit.ProblemTruncated}}},
		{"tail rewritten, anchored", func(s *memory.Store, _ []audit.Record) {
			s.TamperAudit("acme", 5, func(r *audit.Record) bool { r.Outcome = "x"; r.Hash = audit.HashOf(*r); return true })
		}, 5, map[int64][]string{5: {audit.ProblemAnchorMismatch}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, recs := chain(t, 5)
			tc.tamper(s, recs)
			var anchor *audit.Head
			if tc.anchor > 0 {
				anchor = &audit.Head{TenantID: "acme", Seq: int64(tc.anchor), Hash: recs[tc.anchor-1].Hash}
			}
			rep, err := audit.Verify(t.Context(), s, "acme", anchor)
			require.NoError(t, err)
			assert.Equal(t, tc.want, kinds(rep))
			assert.Equal(t, len(tc.want) == 0, rep.OK())
		})
	}
}

func TestExportAndVerifyExport(t *testing.T) {
	s, recs := chain(t, 2500) // more than one page
	var buf bytes.Buffer
	head, err := audit.Export(t.Context(), s, "acme", &buf)
	require.NoError(t, err)
	assert.Equal(t, audit.Head{TenantID: "acme", Seq: 2500, Hash: recs[2499].Hash}, head)
	assert.Equal(t, 2500, strings.Count(buf.String(), "\n"), "one JSON record a line")

	rep, err := audit.VerifyExport(bytes.NewReader(buf.Bytes()), "acme", &head)
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%v", rep.Problems)
	assert.Equal(t, int64(2500), rep.Records)

	forged := strings.Replace(buf.String(), `"outcome":"success"`, `"outcome":"denied"`, 1)
	rep, err = audit.VerifyExport(strings.NewReader(forged), "acme", &head)
	require.NoError(t, err)
	assert.Equal(t, map[int64][]string{1: {audit.ProblemAltered}}, kinds(rep))

	_, err = audit.VerifyExport(strings.NewReader("{not json"), "acme", nil)
	require.Error(t, err)

	// Another tenant's intact export is not this tenant's chain.
	rep, err = audit.VerifyExport(bytes.NewReader(buf.Bytes()), "globex", nil)
	require.NoError(t, err)
	assert.False(t, rep.OK())
	assert.Equal(t, audit.ProblemWrongTenant, rep.Problems[0].Kind)
	rep, err = audit.VerifyExport(bytes.NewReader(buf.Bytes()), "acme", &audit.Head{TenantID: "globex", Seq: head.Seq, Hash: head.Hash})
	require.NoError(t, err)
	assert.Equal(t, map[int64][]string{2500: {audit.ProblemAnchorMismatch}}, kinds(rep), "an anchor of another tenant")

	rep, err = audit.Verify(t.Context(), s, "nobody", nil)
	require.NoError(t, err)
	assert.True(t, rep.OK())
	assert.Zero(t, rep.Records)
}
