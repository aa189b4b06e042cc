package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/audit"
	"github.com/idkit-dev/idkit/store/postgres"
	"github.com/idkit-dev/idkit/store/storetest"
	"github.com/idkit-dev/idkit/tenancy"
)

// open gives each caller a fresh schema, dropped afterwards, so parallel
// runs against one database never collide.
func open(t testing.TB) (*postgres.Store, string) {
	dsn := os.Getenv("IDKIT_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("IDKIT_TEST_POSTGRES_DSN is not set")
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "idkit_test_" + hex.EncodeToString(b)
	s, err := postgres.Open(t.Context(), postgres.Config{DSN: dsn, Schema: schema, MaxConns: 8})
	require.NoError(t, err)
	t.Cleanup(func() {
		s.Close()
		ctx := context.Background() // t.Context is already cancelled here
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return s, schema
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t testing.TB) storetest.Store { s, _ := open(t); return s })
}

func TestMigrationsIdempotent(t *testing.T) {
	s, schema := open(t)
	v1, err := s.SchemaVersion(t.Context())
	require.NoError(t, err)
	again, err := postgres.Open(t.Context(), postgres.Config{DSN: os.Getenv("IDKIT_TEST_POSTGRES_DSN"), Schema: schema})
	require.NoError(t, err)
	defer again.Close()
	v2, err := again.SchemaVersion(t.Context())
	require.NoError(t, err)
	assert.Equal(t, v1, v2)
	assert.Positive(t, v2)
}

func TestAuditAppendOnly(t *testing.T) {
	s, _ := open(t)
	lg, err := audit.New(audit.Config{Store: s})
	require.NoError(t, err)
	_, err = lg.Append(t.Context(), audit.Entry{TenantID: "acme", Actor: "system", Action: "one", Outcome: audit.OutcomeSuccess})
	require.NoError(t, err)
	for _, q := range []string{
		`UPDATE audit_log SET outcome = 'denied'`,
		`DELETE FROM audit_log`,
		`TRUNCATE audit_log`,
	} {
		_, err := s.Pool().Exec(t.Context(), q)
		require.ErrorContains(t, err, "append-only", q)
	}
	rep, err := audit.Verify(t.Context(), s, "acme", nil)
	require.NoError(t, err)
	assert.True(t, rep.OK())
	assert.Equal(t, int64(1), rep.Records)
}

func TestTenantRoundTrip(t *testing.T) {
	s, _ := open(t)
	require.NoError(t, s.CreateTenant(t.Context(), tenancy.Tenant{ID: "x", Name: "X", Plan: tenancy.PlanFree}))
	got, err := s.Tenant(t.Context(), "x")
	require.NoError(t, err)
	assert.Nil(t, got.Quotas)
}

func BenchmarkRecordUsage(b *testing.B) { s, _ := open(b); storetest.BenchRecordUsage(b, s) }

func BenchmarkInvoice1M(b *testing.B) { s, _ := open(b); storetest.BenchInvoice(b, s) }
