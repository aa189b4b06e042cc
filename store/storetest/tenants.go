package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/tenancy"
)

func testTenants(t *testing.T, s Store) {
	c := ctx(t)
	a := tenant("acme")
	require.NoError(t, s.CreateTenant(c, a))
	require.ErrorIs(t, s.CreateTenant(c, a), tenancy.ErrConflict)
	require.Error(t, s.CreateTenant(c, tenancy.Tenant{ID: "bad"}), "invalid tenants are refused")

	got, err := s.Tenant(c, "acme")
	require.NoError(t, err)
	assert.Equal(t, a, got)

	_, err = s.Tenant(c, "nobody")
	require.ErrorIs(t, err, tenancy.ErrNotFound)

	a.Name, a.Plan, a.Status = "Acme Corp", tenancy.PlanEnterprise, tenancy.StatusSuspended
	a.Quotas, a.Settings = nil, nil
	a.CreatedAt = t0.Add(1e9) // must not change
	require.NoError(t, s.UpdateTenant(c, a))
	got, err = s.Tenant(c, "acme")
	require.NoError(t, err)
	a.CreatedAt = t0
	assert.Equal(t, a, got)
	assert.False(t, got.Active())

	require.ErrorIs(t, s.UpdateTenant(c, tenant("ghost")), tenancy.ErrNotFound)

	require.NoError(t, s.CreateTenant(c, tenant("beta")))
	all, err := s.ListTenants(c)
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.Equal(t, "acme", all[0].ID)
	assert.Equal(t, "beta", all[1].ID)
}
