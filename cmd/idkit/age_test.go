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
}
