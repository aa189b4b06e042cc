package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/audit"
	"github.com/idkit-dev/idkit/tenancy"

	"github.com/idkit-dev/idkit/store/sqlite"
	"github.com/idkit-dev/idkit/store/storetest"
)

func open(t testing.TB) *sqlite.Store {
	s, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "idkit.db")})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t testing.TB) storetest.Store { return open(t) })
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idkit.db")
	s, err := sqlite.Open(t.Context(), sqlite.Config{Path: path})
	require.NoError(t, err)
	require.NoError(t, s.CreateTenant(t.Context(), tenancy.Tenant{ID: "acme", Name: "Acme", Plan: tenancy.PlanPro}))
	v1, err := s.SchemaVersion(t.Context())
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s, err = sqlite.Open(t.Context(), sqlite.Config{Path: path})
	require.NoError(t, err, "migrations are applied once")
	defer s.Close()
	v2, err := s.SchemaVersion(t.Context())
	require.NoError(t, err)
	assert.Equal(t, v1, v2)
	assert.Positive(t, v2)
	_, err = s.Tenant(t.Context(), "acme")
	require.NoError(t, err)
}

// TestAuditAppendOnly checks the triggers, then removes them as an attacker
// with file access would, and checks that Verify sees the tampering.
func TestAuditAppendOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idkit.db")
	s, err := sqlite.Open(t.Context(), sqlite.Config{Path: path})
	require.NoError(t, err)
	defer s.Close()
	lg, err := audit.New(audit.Config{Store: s})
	require.NoError(t, err)
	for _, a := range []string{"one", "two", "three"} {
		_, err := lg.Append(t.Context(), audit.Entry{TenantID: "acme", Actor: "system", Action: a, Outcome: audit.OutcomeSuccess})
		require.NoError(t, err)
	}

	raw, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	defer raw.Close()
	var mode string
	require.NoError(t, raw.QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	assert.Equal(t, "wal", mode)
	_, err = raw.Exec(`UPDATE audit_log SET outcome = 'denied' WHERE seq = 2`)
	require.ErrorContains(t, err, "append-only")
	_, err = raw.Exec(`DELETE FROM audit_log WHERE seq = 2`)
	require.ErrorContains(t, err, "append-only")

	_, err = raw.Exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
		UPDATE audit_log SET outcome = 'denied' WHERE seq = 2`)
	require.NoError(t, err)
	rep, err := audit.Verify(t.Context(), s, "acme", nil)
	require.NoError(t, err)
	require.False(t, rep.OK())
	assert.Equal(t, audit.Problem{Seq: 2, Kind: audit.ProblemAltered, Detail: "content does not match its hash"}, rep.Problems[0])

	_, err = raw.Exec(`DELETE FROM audit_log WHERE seq = 1`)
	require.NoError(t, err)
	rep, err = audit.Verify(t.Context(), s, "acme", nil)
	require.NoError(t, err)
	kinds := []string{}
	for _, p := range rep.Problems {
		kinds = append(kinds, p.Kind)
	}
	assert.Contains(t, kinds, audit.ProblemMissing)
}

func BenchmarkRecordUsage(b *testing.B) { storetest.BenchRecordUsage(b, open(b)) }

func BenchmarkInvoice1M(b *testing.B) { storetest.BenchInvoice(b, open(b)) }
