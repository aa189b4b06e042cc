package tenancy_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/tenancy"
)

func TestSecretBox(t *testing.T) {
	_, err := tenancy.NewSecretBox(make([]byte, 16), nil)
	require.Error(t, err, "AES-256 needs 32 bytes")

	box, err := tenancy.NewSecretBox(bytes.Repeat([]byte{1}, 32), nil)
	require.NoError(t, err)
	sealed, err := box.Seal("ik_a", []byte("iks_secret"))
	require.NoError(t, err)
	assert.NotContains(t, string(sealed), "iks_secret")
	got, err := box.Open("ik_a", sealed)
	require.NoError(t, err)
	assert.Equal(t, "iks_secret", string(got))

	again, err := box.Seal("ik_a", []byte("iks_secret"))
	require.NoError(t, err)
	assert.NotEqual(t, sealed, again, "fresh nonce every time")

	_, err = box.Open("ik_b", sealed)
	require.ErrorIs(t, err, tenancy.ErrSealed, "bound to its key id")
	other, _ := tenancy.NewSecretBox(bytes.Repeat([]byte{2}, 32), nil)
	_, err = other.Open("ik_a", sealed)
	require.ErrorIs(t, err, tenancy.ErrSealed, "another master key cannot open it")
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x40
		_, err = box.Open("ik_a", bad)
		require.ErrorIs(t, err, tenancy.ErrSealed, "flipped byte %d", i)
	}
	for _, short := range [][]byte{nil, {1}, sealed[:20]} {
		_, err = box.Open("ik_a", short)
		require.ErrorIs(t, err, tenancy.ErrSealed)
	}
}
