package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/tenancy"
)

func key(tenantID, id string, created time.Time) tenancy.APIKey {
	return tenancy.APIKey{ID: id, TenantID: tenantID, Name: "backend " + id,
		Scopes: []tenancy.Module{tenancy.ModuleOCR, tenancy.ModuleLiveness}, CreatedAt: created,
		SealedSecret: []byte("sealed-" + id)}
}

func testKeys(t *testing.T, s Store) {
	c := ctx(t)
	require.NoError(t, s.CreateTenant(c, tenant("acme")))
	k1 := key("acme", "ik_one", t0)
	k1.ExpiresAt = t0.Add(90 * 24 * time.Hour)
	require.NoError(t, s.CreateKey(c, k1))
	require.ErrorIs(t, s.CreateKey(c, k1), tenancy.ErrConflict)
	require.Error(t, s.CreateKey(c, key("nobody", "ik_orphan", t0)), "a key needs an existing tenant")

	got, err := s.LookupKey(c, "ik_one")
	require.NoError(t, err)
	assert.Equal(t, k1, got)
	got, err = s.Key(c, "acme", "ik_one")
	require.NoError(t, err)
	assert.Equal(t, k1, got)
	_, err = s.LookupKey(c, "ik_none")
	require.ErrorIs(t, err, tenancy.ErrNotFound)

	k2 := key("acme", "ik_two", t0.Add(time.Second))
	k2.Scopes = []tenancy.Module{tenancy.ScopeAll}
	require.NoError(t, s.CreateKey(c, k2))
	ks, err := s.ListKeys(c, "acme")
	require.NoError(t, err)
	require.Len(t, ks, 2)
	assert.Equal(t, []string{"ik_one", "ik_two"}, []string{ks[0].ID, ks[1].ID})
	assert.True(t, ks[0].ExpiresAt.Equal(k1.ExpiresAt))
	assert.True(t, ks[1].ExpiresAt.IsZero(), "a key without expiry stays without")

	rot := tenancy.Rotation{Replaces: []byte("sealed-ik_one"), SealedSecret: []byte("new"), SealedPreviousSecret: []byte("sealed-ik_one"), PreviousExpiresAt: t0.Add(time.Hour)}
	require.NoError(t, s.RotateKey(c, "acme", "ik_one", rot))
	got, err = s.Key(c, "acme", "ik_one")
	require.NoError(t, err)
	assert.Equal(t, []byte("new"), got.SealedSecret)
	assert.Equal(t, []byte("sealed-ik_one"), got.SealedPreviousSecret)
	assert.True(t, got.PreviousExpiresAt.Equal(t0.Add(time.Hour)))

	// A rotation is a compare-and-swap on the current secret: one that read
	// a secret since replaced changes nothing and is a conflict.
	require.ErrorIs(t, s.RotateKey(c, "acme", "ik_one", rot), tenancy.ErrConflict)
	got, err = s.Key(c, "acme", "ik_one")
	require.NoError(t, err)
	assert.Equal(t, []byte("new"), got.SealedSecret, "a stale rotation writes nothing")
	require.Error(t, s.RotateKey(c, "acme", "ik_one", tenancy.Rotation{SealedSecret: []byte("blind")}), "a rotation must name the secret it replaces")

	// A rotation without overlap clears the previous secret.
	require.NoError(t, s.RotateKey(c, "acme", "ik_one", tenancy.Rotation{Replaces: []byte("new"), SealedSecret: []byte("newer")}))
	got, err = s.Key(c, "acme", "ik_one")
	require.NoError(t, err)
	assert.Empty(t, got.SealedPreviousSecret)
	assert.True(t, got.PreviousExpiresAt.IsZero())

	require.NoError(t, s.TouchKey(c, "acme", "ik_one", t0.Add(2*time.Minute)))
	require.NoError(t, s.TouchKey(c, "acme", "ik_one", t0.Add(time.Minute)), "an older touch is accepted")
	got, err = s.Key(c, "acme", "ik_one")
	require.NoError(t, err)
	assert.True(t, got.LastUsedAt.Equal(t0.Add(2*time.Minute)), "last use never goes back: %v", got.LastUsedAt)

	require.NoError(t, s.RevokeKey(c, "acme", "ik_one", t0.Add(3*time.Minute)))
	require.NoError(t, s.RevokeKey(c, "acme", "ik_one", t0.Add(4*time.Minute)))
	got, err = s.LookupKey(c, "ik_one")
	require.NoError(t, err)
	assert.True(t, got.RevokedAt.Equal(t0.Add(3*time.Minute)), "the first revocation time is kept")
	rot.Replaces = []byte("newer")
	require.ErrorIs(t, s.RotateKey(c, "acme", "ik_one", rot), tenancy.ErrNotFound, "a revoked key cannot be rotated")

	for _, err := range []error{
		s.RotateKey(c, "acme", "ik_none", rot),
		s.RevokeKey(c, "acme", "ik_none", t0),
		s.TouchKey(c, "acme", "ik_none", t0),
	} {
		require.ErrorIs(t, err, tenancy.ErrNotFound)
	}
}

// testRotateRace rotates one key from many goroutines that all read the
// same secret: exactly one rotation wins, the others are conflicts, and the
// key holds the winner's secret, so no caller is handed a secret that never
// works.
func testRotateRace(t *testing.T, s Store) {
	c := ctx(t)
	require.NoError(t, s.CreateTenant(c, tenant("acme")))
	k := key("acme", "ik_race", t0)
	require.NoError(t, s.CreateKey(c, k))
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.RotateKey(c, "acme", k.ID, tenancy.Rotation{Replaces: k.SealedSecret,
				SealedSecret: []byte(fmt.Sprint("secret-", i)), SealedPreviousSecret: k.SealedSecret, PreviousExpiresAt: t0.Add(time.Hour)})
		}()
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		if err == nil {
			require.Equal(t, -1, winner, "two rotations of one secret both succeeded")
			winner = i
			continue
		}
		require.ErrorIs(t, err, tenancy.ErrConflict)
	}
	require.NotEqual(t, -1, winner, "one rotation succeeds")
	got, err := s.Key(c, "acme", k.ID)
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint("secret-", winner), string(got.SealedSecret))
}
