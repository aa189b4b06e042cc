package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKyaCommand(t *testing.T) {
	t.Setenv("IDKIT_GEOIP_DB", "")
	code, stdout, stderr := runCLI(t, "kya", "--no-dns",
		"--email", "anna@example.com", "--phone", "06 12 34 56 78", "--country", "FRA",
		"--ip", "81.2.69.142", "--name", "Anna Maria Eriksson", "--doc-name", "ERIKSSON<<ANNA<MARIA")
	require.Equal(t, 0, code, stderr)
	var r struct {
		Checks []struct {
			Name, Status, Reason string
			Details              map[string]any
		}
		Score    float64
		Measured bool
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &r), stdout)
	status := map[string]string{}
	for _, c := range r.Checks {
		status[c.Name] = c.Status
	}
	assert.Equal(t, map[string]string{
		"email_syntax": "pass",
		"email_mx":     "skip", // --no-dns
		"phone":        "pass",
		"ip_country":   "skip", // no database
		"name":         "pass",
	}, status)
	assert.True(t, r.Measured)
	assert.Equal(t, 1.0, r.Score)
	assert.Equal(t, "+33612345678", r.Checks[2].Details["e164"])
}

func TestKyaCommandErrors(t *testing.T) {
	code, _, _ := runCLI(t, "kya", "extra")
	assert.Equal(t, 2, code)
	code, _, _ = runCLI(t, "kya", "--timeout", "0s")
	assert.Equal(t, 2, code)
	code, _, stderr := runCLI(t, "kya", "--no-dns", "--geoip", filepath.Join(t.TempDir(), "absent.mmdb"))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "GeoIP database")
}
