package tenancy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/tenancy"
)

func TestDefaultPlansValid(t *testing.T) {
	plans := tenancy.DefaultPlans()
	for id, p := range plans {
		require.NoError(t, p.Validate(), id)
		assert.Equal(t, id, p.ID)
	}
	assert.True(t, plans[tenancy.PlanFree].Sandbox)
	pro := plans[tenancy.PlanPro]
	// Spec ranges in USD: liveness 0.01-0.03, OCR 0.05-0.12, validation 0.01, face match 0.02-0.05.
	for _, p := range []tenancy.Plan{pro, plans[tenancy.PlanEnterprise]} {
		assert.True(t, p.Prices[tenancy.ModuleLiveness] >= 1 && p.Prices[tenancy.ModuleLiveness] <= 3)
		assert.True(t, p.Prices[tenancy.ModuleOCR] >= 5 && p.Prices[tenancy.ModuleOCR] <= 12)
		assert.Equal(t, int64(1), p.Prices[tenancy.ModuleValidation])
		assert.True(t, p.Prices[tenancy.ModuleFaceMatch] >= 2 && p.Prices[tenancy.ModuleFaceMatch] <= 5)
	}
	assert.Equal(t, int64(3+12+1+5), pro.WorkflowPrice(tenancy.ModuleLiveness, tenancy.ModuleOCR, tenancy.ModuleValidation, tenancy.ModuleFaceMatch))
	_, err := plans.Lookup("gold")
	require.ErrorIs(t, err, tenancy.ErrNotFound)
}

func TestPlanValidate(t *testing.T) {
	bad := []tenancy.Plan{
		{},
		{ID: "x", Prices: map[tenancy.Module]int64{tenancy.ModuleOCR: -1}},
		{ID: "x", Quotas: map[tenancy.Module]int64{tenancy.ModuleOCR: -1}},
		{ID: "x", WorkflowTiers: []tenancy.DiscountTier{{UpTo: 0}, {UpTo: 10}}},
		{ID: "x", WorkflowTiers: []tenancy.DiscountTier{{UpTo: 10}, {UpTo: 5}}},
		{ID: "x", WorkflowTiers: []tenancy.DiscountTier{{UpTo: 10, DiscountBP: 10_001}}},
		// Units past a closed last tier would never be billed.
		{ID: "x", WorkflowTiers: []tenancy.DiscountTier{{UpTo: 1_000}, {UpTo: 10_000, DiscountBP: 1_000}}},
	}
	for i, p := range bad {
		assert.Error(t, p.Validate(), "plan %d", i)
	}
	require.NoError(t, tenancy.Plan{ID: "x", WorkflowTiers: []tenancy.DiscountTier{{UpTo: 10}, {DiscountBP: 500}}}.Validate())
}

func TestPlansValidate(t *testing.T) {
	require.NoError(t, tenancy.DefaultPlans().Validate())
	closed := tenancy.DefaultPlans()
	pro := closed[tenancy.PlanPro]
	pro.WorkflowTiers = []tenancy.DiscountTier{{UpTo: 1_000}, {UpTo: 10_000, DiscountBP: 1_000}}
	closed[tenancy.PlanPro] = pro
	require.ErrorContains(t, closed.Validate(), "open-ended")
	misfiled := tenancy.Plans{"gold": {ID: "silver"}}
	require.Error(t, misfiled.Validate(), "a plan is filed under its own id")
}

func TestTenantValidateAndQuota(t *testing.T) {
	ok := tenancy.Tenant{ID: "acme", Name: "Acme", Country: "FR", SupportEmail: "ops@acme.example", Plan: tenancy.PlanPro}
	require.NoError(t, ok.Validate())
	for _, mut := range []func(*tenancy.Tenant){
		func(t *tenancy.Tenant) { t.ID = "" },
		func(t *tenancy.Tenant) { t.Name = "" },
		func(t *tenancy.Tenant) { t.Country = "France" },
		func(t *tenancy.Tenant) { t.SupportEmail = "not an address" },
		func(t *tenancy.Tenant) { t.Plan = "" },
		func(t *tenancy.Tenant) { t.Quotas = map[tenancy.Module]int64{tenancy.ModuleOCR: -5} },
	} {
		bad := ok
		mut(&bad)
		assert.Error(t, bad.Validate())
	}
	pro := tenancy.DefaultPlans()[tenancy.PlanPro]
	assert.Equal(t, int64(100_000), ok.Quota(pro, tenancy.ModuleWorkflow), "plan default")
	ok.Quotas = map[tenancy.Module]int64{tenancy.ModuleWorkflow: 0, tenancy.ModuleOCR: 50}
	assert.Zero(t, ok.Quota(pro, tenancy.ModuleWorkflow), "an override of 0 lifts the quota")
	assert.Equal(t, int64(50), ok.Quota(pro, tenancy.ModuleOCR))
	assert.True(t, ok.Active())
}
