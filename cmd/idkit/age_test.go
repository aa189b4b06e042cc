package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A policy age.Decide would refuse on every image is a usage error before
// any model loads: it used to give an all-null report with exit 0, or JSON
// that could not be written (Inf).
func TestAgePolicyFlags(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "a.png")
	writePNG(t, img)
	writeFile(t, filepath.Join(dir, "labels.csv"), "file,age\na.png,30\n")
	t.Setenv("IDKIT_MODELS", filepath.Join(dir, "no-models"))
	for name, tc := range map[string]struct {
		flags []string
		msg   string
	}{
		"threshold above challenge": {[]string{"--threshold", "30"}, "--challenge 25"},
		"NaN min confidence":        {[]string{"--threshold", "18", "--min-confidence", "NaN"}, "--min-confidence"},
		"min confidence above 1":    {[]string{"--min-confidence", "1.5"}, "--min-confidence"},
		"infinite":                  {[]string{"--threshold", "Inf", "--challenge", "Inf"}, "--threshold"},
		"negative threshold":        {[]string{"--threshold", "-5"}, "--threshold"},
		"NaN threshold":             {[]string{"--threshold", "NaN"}, "--threshold"},
		"infinite challenge":        {[]string{"--threshold", "18", "--challenge", "Inf"}, "--challenge"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append([]string{"eval", "age", dir, "--json"}, tc.flags...)...)
			assert.Equal(t, 2, code, stderr)
			assert.Contains(t, stderr, tc.msg)
			code, _, stderr = runCLI(t, append(append([]string{"age"}, tc.flags...), img)...)
			assert.Equal(t, 2, code, stderr)
			assert.Contains(t, stderr, tc.msg)
		})
	}
	// --challenge 0 is "no buffer", as age.Policy reads it: not a usage
	// error (the run then fails for want of models, exit 1).
	code, _, stderr := runCLI(t, "age", "--threshold", "21", "--challenge", "0", img)
	assert.Equal(t, 1, code, stderr)
	assert.NotContains(t, stderr, "--challenge")
}

// Flags after the image names are flags, not files: `idkit age IMG
// --threshold-only` used to read "--threshold-only" as a second image and
// so ignore privacy mode.
func TestFlagsAfterFiles(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "a.png")
	writePNG(t, img)
	t.Setenv("IDKIT_MODELS", filepath.Join(dir, "no-models"))
	for name, tc := range map[string]struct {
		args []string
		msg  string
	}{
		"age":      {[]string{"age", img, "--threshold", "0", "--threshold-only"}, "--threshold-only needs --threshold"},
		"face":     {[]string{"face", img, "--nope"}, "not defined: -nope"},
		"liveness": {[]string{"liveness", img, "--threshold", "2"}, "--threshold must be between 0 and 1"},
		"mrz":      {[]string{"mrz", "parse", icaoTD3a, icaoTD3b, "--at", "someday"}, "want YYYY-MM-DD"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			assert.Equal(t, 2, code, stderr)
			assert.Contains(t, stderr, tc.msg)
		})
	}
	code, stdout, stderr := runCLI(t, "mrz", "parse", icaoTD3a, icaoTD3b, "--at", "2025-01-01")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"expiry_date": "2012-04-15"`)
}
