package kya_test

import (
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/kya"
)

// writeTestDB writes a small MaxMind-format country database: the layout
// of GeoLite2-Country, with made-up assignments.
func writeTestDB(t *testing.T) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoLite2-Country", RecordSize: 24})
	require.NoError(t, err)
	country := func(code string) mmdbtype.Map {
		return mmdbtype.Map{"iso_code": mmdbtype.String(code)}
	}
	for cidr, rec := range map[string]mmdbtype.Map{
		"2.16.0.0/16":   {"country": country("FR"), "registered_country": country("FR")},
		"81.2.69.0/24":  {"country": country("GB")},
		"2a01:e0a::/32": {"country": country("FR")},
		// Anycast or satellite ranges may have only a registered country.
		"5.10.0.0/16": {"registered_country": country("DE")},
		// A record without any country.
		"6.6.0.0/16": {"continent": mmdbtype.Map{"code": mmdbtype.String("EU")}},
	} {
		_, network, err := net.ParseCIDR(cidr)
		require.NoError(t, err)
		require.NoError(t, tree.Insert(network, rec))
	}
	path := filepath.Join(t.TempDir(), "country.mmdb")
	f, err := os.Create(path)
	require.NoError(t, err)
	_, err = tree.WriteTo(f)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	return path
}

func TestMaxMindDB(t *testing.T) {
	db, err := kya.OpenMaxMind(writeTestDB(t))
	require.NoError(t, err)
	defer db.Close()
	ctx := context.Background()
	for ip, want := range map[string]string{
		"2.16.1.2":        "FR",
		"81.2.69.142":     "GB",
		"2a01:e0a:1::5":   "FR",
		"::ffff:2.16.1.2": "FR",
		"5.10.20.30":      "DE",
	} {
		got, err := db.Country(ctx, netip.MustParseAddr(ip))
		require.NoError(t, err, ip)
		assert.Equal(t, want, got, ip)
	}
	for _, ip := range []string{"9.9.9.9", "6.6.6.6", "2001:4860::1"} {
		_, err := db.Country(ctx, netip.MustParseAddr(ip))
		assert.ErrorIs(t, err, kya.ErrNotFound, ip)
	}

	c, err := kya.New(kya.Config{GeoIP: db})
	require.NoError(t, err)
	r, err := c.Check(ctx, kya.Input{IP: "81.2.69.142", Country: "FRA"})
	require.NoError(t, err)
	ch := find(t, r, kya.CheckIPCountry)
	assert.Equal(t, kya.Fail, ch.Status)
	assert.Equal(t, map[string]any{"ip_country": "GB", "declared_country": "FR"}, ch.Details)
}

func TestOpenMaxMindErrors(t *testing.T) {
	_, err := kya.OpenMaxMind(filepath.Join(t.TempDir(), "absent.mmdb"))
	assert.ErrorIs(t, err, os.ErrNotExist)

	junk := filepath.Join(t.TempDir(), "junk.mmdb")
	require.NoError(t, os.WriteFile(junk, []byte("not a database"), 0o644))
	_, err = kya.OpenMaxMind(junk)
	assert.Error(t, err)
}
