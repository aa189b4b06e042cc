package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/idkit-dev/idkit/aamva"
)

// idkit aamva parse refuses an input longer than aamva.MaxPayload (exit
// 2) instead of parsing its first 64 KiB; one of exactly MaxPayload bytes
// is read whole.
func TestAAMVAParseInputSize(t *testing.T) {
	payload := "@\n\x1e\rANSI 636000100001DL00310050DLDAQT64235789\nDCSSAMPLE\nDBB06061986\r"
	atMax := payload + strings.Repeat(" ", aamva.MaxPayload-len(payload))
	dir := t.TempDir()
	for _, tc := range []struct {
		name, input string
		code        int
	}{
		{"at the cap", atMax, 0},
		{"one byte over", atMax + " ", 2},
		{"past the old 64 KiB cut", atMax + strings.Repeat(" ", 64<<10), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), &cliEnv{stdin: strings.NewReader(tc.input), stdout: &out, stderr: &errb},
				[]string{"aamva", "parse", "-"})
			assert.Equal(t, tc.code, code, errb.String())
			file := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"))
			writeFile(t, file, tc.input)
			fileCode, fileOut, fileErr := runCLI(t, "aamva", "parse", file)
			assert.Equal(t, tc.code, fileCode, fileErr)
			if tc.code == 0 {
				assert.Contains(t, out.String(), `"document_number": "T64235789"`)
				assert.Equal(t, out.String(), fileOut)
				return
			}
			assert.Contains(t, errb.String(), "standard input holds more than 8192 bytes")
			assert.Contains(t, fileErr, file+" holds more than 8192 bytes")
			assert.Empty(t, out.String())
		})
	}
}
