package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	icaoTD3a = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
	icaoTD3b = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
)

// withStdin runs f with text on the process's standard input.
func withStdin(t *testing.T, text string, f func()) {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	_, err = w.WriteString(text)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	old := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = old; r.Close() }()
	f()
}

type mrzJSON struct {
	Format         string
	DocumentNumber string `json:"document_number"`
	Surname        string
	GivenNames     string `json:"given_names"`
	BirthDate      string `json:"birth_date"`
	ExpiryDate     string `json:"expiry_date"`
	Valid          bool
	Specimen       bool
	Lines          []string
	Checks         []struct {
		Field string
		OK    bool
	}
	Repairs []struct {
		Line, Pos        int
		From, To, Reason string
	}
}

func TestMRZParseCommand(t *testing.T) {
	code, stdout, stderr := runCLI(t, "mrz", "parse", "--at", "2025-01-01", icaoTD3a, icaoTD3b)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"P<UTOERIKSSON`, "fillers are not HTML-escaped")
	var r mrzJSON
	require.NoError(t, json.Unmarshal([]byte(stdout), &r), stdout)
	assert.Equal(t, "TD3", r.Format)
	assert.Equal(t, "L898902C3", r.DocumentNumber)
	assert.Equal(t, "ANNA MARIA", r.GivenNames)
	assert.Equal(t, "1974-08-12", r.BirthDate)
	assert.Equal(t, "2012-04-15", r.ExpiryDate)
	assert.True(t, r.Valid)
	assert.True(t, r.Specimen)
	assert.Len(t, r.Checks, 5)
	assert.Empty(t, r.Repairs)

	// A wrong check digit is a result, not a failure.
	code, stdout, stderr = runCLI(t, "mrz", "parse", icaoTD3a, strings.Replace(icaoTD3b, "C36", "C37", 1))
	require.Equal(t, 0, code, stderr)
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	assert.False(t, r.Valid)
}

func TestMRZParseRepairFromStdin(t *testing.T) {
	var code int
	var stdout, stderr string
	withStdin(t, "p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<\nL8989O2C36UTO74O8122F1204159ZE184226B<<<<<10\n", func() {
		code, stdout, stderr = runCLI(t, "mrz", "parse", "--repair", "--at", "2025-01-01")
	})
	require.Equal(t, 0, code, stderr)
	var r mrzJSON
	require.NoError(t, json.Unmarshal([]byte(stdout), &r), stdout)
	assert.True(t, r.Valid)
	assert.Equal(t, []string{icaoTD3a, icaoTD3b}, r.Lines)
	var reasons []string
	for _, c := range r.Repairs {
		reasons = append(reasons, c.Reason)
	}
	assert.Equal(t, []string{"case", "length", "digit", "check_digit"}, reasons)
}

func TestMRZParseErrors(t *testing.T) {
	code, _, stderr := runCLI(t, "mrz", "parse", "NOT AN MRZ")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "unrecognised format")
	code, _, _ = runCLI(t, "mrz", "parse", "--at", "yesterday", icaoTD3a, icaoTD3b)
	assert.Equal(t, 2, code)
	code, _, _ = runCLI(t, "mrz")
	assert.Equal(t, 2, code)
	code, _, _ = runCLI(t, "mrz", "scan")
	assert.Equal(t, 2, code)
}

func TestMRZGenerateCommand(t *testing.T) {
	code, stdout, stderr := runCLI(t, "mrz", "generate", "--type", "TD3", "--country", "UTO",
		"--surname", "Eriksson", "--given", "Anna Maria", "--number", "L898902C3", "--birth", "1974-08-12",
		"--sex", "F", "--expiry", "2012-04-15", "--optional", "ZE184226B")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, icaoTD3a+"\n"+icaoTD3b+"\n", stdout)

	code, stdout, stderr = runCLI(t, "mrz", "generate", "--type", "td1", "--surname", "Eriksson",
		"--given", "Anna Maria", "--number", "D23145890", "--birth", "1974-08-12", "--sex", "F", "--expiry", "2032-04-15")
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 3)
	code, out, stderr := runCLI(t, append([]string{"mrz", "parse", "--at", "2025-01-01"}, lines...)...)
	require.Equal(t, 0, code, stderr)
	var r mrzJSON
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.True(t, r.Valid, "generated lines parse valid")
	assert.Equal(t, "TD1", r.Format)

	code, _, stderr = runCLI(t, "mrz", "generate", "--type", "TD9")
	assert.Equal(t, 2, code, stderr)
	code, _, _ = runCLI(t, "mrz", "generate", "--birth", "12/08/1974")
	assert.Equal(t, 2, code)
	code, _, stderr = runCLI(t, "mrz", "generate", "--number", "1234567890", "--surname", "X")
	assert.Equal(t, 1, code, "a TD3 number longer than 9 cannot be written")
	assert.Contains(t, stderr, "document number")
}

const vaPayload = "@\n\x1e\rANSI 636000100001DL00310211DLDAQT64235789\nDCSSAMPLE\nDACMICHAEL\nDADJOHN\n" +
	"DBD06062019\nDBB06061986\nDBA12102024\nDBC1\nDAU068 in\nDAYBRO\nDAG2300 WEST BROAD STREET\n" +
	"DAIRICHMOND\nDAJVA\nDAK232690000  \nDCF2424244747474786102204\nDCGUSA\nDDAF\nDDEN\nDDFN\nDDGN\r"

type aamvaJSON struct {
	Issuer struct{ Name string }
	Name   struct {
		Family, First, Middle string
	}
	DateOfBirth    string `json:"date_of_birth"`
	DocumentNumber string `json:"document_number"`
	Address        struct {
		PostalCode string `json:"postal_code"`
	}
	Valid bool
}

func TestAAMVAParseCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "va.txt")
	require.NoError(t, os.WriteFile(path, []byte(vaPayload), 0o644))
	code, stdout, stderr := runCLI(t, "aamva", "parse", path)
	require.Equal(t, 0, code, stderr)
	var r aamvaJSON
	require.NoError(t, json.Unmarshal([]byte(stdout), &r), stdout)
	assert.Equal(t, "Virginia", r.Issuer.Name)
	assert.Equal(t, "SAMPLE", r.Name.Family)
	assert.Equal(t, "JOHN", r.Name.Middle)
	assert.Equal(t, "1986-06-06", r.DateOfBirth)
	assert.Equal(t, "T64235789", r.DocumentNumber)
	assert.Equal(t, "23269", r.Address.PostalCode)
	assert.True(t, r.Valid)

	withStdin(t, vaPayload, func() {
		code, stdout, stderr = runCLI(t, "aamva", "parse", "-")
	})
	require.Equal(t, 0, code, stderr)
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	assert.Equal(t, "T64235789", r.DocumentNumber)
}

func TestAAMVAParseErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "qr.txt")
	require.NoError(t, os.WriteFile(path, []byte("https://example.com"), 0o644))
	code, _, stderr := runCLI(t, "aamva", "parse", path)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "not an AAMVA")
	code, _, _ = runCLI(t, "aamva", "parse", filepath.Join(t.TempDir(), "missing"))
	assert.Equal(t, 1, code)
	code, _, _ = runCLI(t, "aamva", "parse")
	assert.Equal(t, 2, code)
	code, _, _ = runCLI(t, "aamva")
	assert.Equal(t, 2, code)
}
