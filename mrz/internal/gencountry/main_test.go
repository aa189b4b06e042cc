package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommittedTableIsGenerated: mrz/country_iso.go is what the generator
// writes from the iso-codes installed here, so nobody edited it by hand.
// Without iso-codes, or with another version of it, there is nothing to
// compare with.
func TestCommittedTableIsGenerated(t *testing.T) {
	// Both files: some distributions ship the .pc file in a separate
	// development package.
	for _, f := range []string{defaultJSON, defaultPC} {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("iso-codes not installed (%v): apt-get install -y iso-codes", err)
		}
	}
	want, err := os.ReadFile("../../country_iso.go")
	require.NoError(t, err)
	version, err := isoCodesVersion(defaultPC)
	require.NoError(t, err)
	// Only the version decides: a table generated from another path to the
	// same data is still comparable.
	if !strings.Contains(firstLine(want), "iso-codes "+version+" ") {
		t.Skipf("iso-codes %s is installed; the table was generated from another version: %s", version, firstLine(want))
	}
	got, err := generate(defaultJSON, defaultPC)
	require.NoError(t, err)
	// The header names the data file the table came from; the rest must
	// match line for line.
	got = append([]byte(firstLine(want)), got[len(firstLine(got)):]...)
	gotLines, wantLines := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gotLines), len(wantLines)) {
		g, w := lineAt(gotLines, i), lineAt(wantLines, i)
		if g != w {
			t.Fatalf("country_iso.go line %d is %q, the generator writes %q: run go generate ./mrz", i+1, w, g)
		}
	}
}

func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "(end of file)"
}

func firstLine(b []byte) string {
	line, _, _ := strings.Cut(string(b), "\n")
	return line
}

func TestCheckRefusesBadData(t *testing.T) {
	ok := country{Alpha2: "FR", Alpha3: "FRA", Name: "France"}
	for name, cs := range map[string][]country{
		"empty":          nil,
		"lower case":     {{Alpha2: "fr", Alpha3: "FRA", Name: "France"}},
		"short alpha-3":  {{Alpha2: "FR", Alpha3: "FR", Name: "France"}},
		"no name":        {{Alpha2: "FR", Alpha3: "FRA"}},
		"repeated code":  {ok, ok},
		"alpha-2 reused": {ok, {Alpha2: "FR", Alpha3: "FRX", Name: "Elsewhere"}},
	} {
		assert.Error(t, check(cs), name)
	}
	assert.NoError(t, check([]country{ok}))
}
