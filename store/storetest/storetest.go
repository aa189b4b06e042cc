package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/idkit-dev/idkit/audit"
	"github.com/idkit-dev/idkit/billing"
	"github.com/idkit-dev/idkit/tenancy"
)

// Store is everything a backend implements.
type Store interface {
	tenancy.TenantStore
	tenancy.KeyStore
	billing.Ledger
	audit.Store
}

// Factory returns a fresh, empty store and arranges for its cleanup.
type Factory func(t testing.TB) Store

// Run runs the whole conformance suite against stores from newStore.
func Run(t *testing.T, newStore Factory) {
	t.Run("Tenants", func(t *testing.T) { testTenants(t, newStore(t)) })
	t.Run("Keys", func(t *testing.T) { testKeys(t, newStore(t)) })
	t.Run("RotateRace", func(t *testing.T) { testRotateRace(t, newStore(t)) })
	t.Run("Ledger", func(t *testing.T) { testLedger(t, newStore(t)) })
	t.Run("QuantityBounds", func(t *testing.T) { testQuantityBounds(t, newStore(t)) })
	t.Run("Import", func(t *testing.T) { testImport(t, newStore(t)) })
	t.Run("UsageOrder", func(t *testing.T) { testUsageOrder(t, newStore(t)) })
	t.Run("InvoiceTierOrder", func(t *testing.T) { testInvoiceTierOrder(t, newStore(t)) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, newStore(t)) })
	t.Run("Isolation", func(t *testing.T) { testIsolation(t, newStore(t)) })
	t.Run("QuotaRace", func(t *testing.T) { testQuotaRace(t, newStore(t)) })
	t.Run("MeterRace", func(t *testing.T) { testMeterRace(t, newStore(t)) })
	t.Run("AuditRace", func(t *testing.T) { testAuditRace(t, newStore(t)) })
}

// t0 is a fixed instant at microsecond precision, which every backend keeps.
var t0 = time.Date(2025, 3, 14, 15, 9, 26, 535897000, time.UTC)

func ctx(t testing.TB) context.Context { return t.Context() }

func tenant(id string) tenancy.Tenant {
	return tenancy.Tenant{ID: id, Name: "Tenant " + id, Country: "FR", SupportEmail: "ops@" + id + ".example",
		Plan: tenancy.PlanPro, Quotas: map[tenancy.Module]int64{tenancy.ModuleOCR: 10},
		Settings: map[string]string{"locale": "fr"}, CreatedAt: t0}
}

func event(tenantID, id string, m tenancy.Module, at time.Time) billing.UsageEvent {
	return billing.UsageEvent{SpecVersion: billing.SpecVersion, ID: id, Source: "storetest", Type: billing.EventType,
		Time: at, TenantID: tenantID, Module: m, KeyID: "ik_test", Quantity: 1, UnitPrice: 3, Currency: "USD"}
}
