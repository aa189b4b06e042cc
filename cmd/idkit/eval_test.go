package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLI runs idkit with args and returns the exit code and both streams.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), &cliEnv{stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

// writePNG writes a small gray image.
func writePNG(t *testing.T, path string) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 8, 6))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 5)
	}
	img.Set(0, 0, color.Gray{Y: 255})
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func TestEvalDispatch(t *testing.T) {
	code, _, stderr := runCLI(t, "eval")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "usage: idkit eval SUBCOMMAND DIR")
	assert.Contains(t, stderr, "check")

	code, _, stderr = runCLI(t, "eval", "nope", ".")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unknown eval subcommand "nope"`)

	// Every word helpArg knows asks for help, as for the other groups;
	// -help was an unknown subcommand (exit 2).
	for _, help := range []string{"help", "-h", "-help", "--help"} {
		code, _, stderr = runCLI(t, "eval", help)
		assert.Equal(t, 0, code, help)
		assert.Contains(t, stderr, "subcommands:", help)
	}

	code, _, stderr = runCLI(t, "--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr, "eval")
}

func TestEvalFlagErrors(t *testing.T) {
	dir := t.TempDir()
	for name, args := range map[string][]string{
		"no dir":       {"eval", "check"},
		"two dirs":     {"eval", "check", dir, dir},
		"zero workers": {"eval", "check", dir, "--workers", "0"},
		"bad progress": {"eval", "check", "--progress", "sometimes", dir},
		"bad limit":    {"eval", "check", dir, "--limit=-1"},
		"bad flag":     {"eval", "check", dir, "--nope"},
		"bad format":   {"eval", "check", dir, "--format", "iris"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, _ := runCLI(t, args...)
			assert.Equal(t, 2, code)
		})
	}
	code, _, stderr := runCLI(t, "eval", "check", filepath.Join(dir, "absent"))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "absent")
}

func TestEvalCheckAge(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "img", "a.png"))
	writePNG(t, filepath.Join(dir, "img", "b.png"))
	writeFile(t, filepath.Join(dir, "img", "bad.jpg"), "\xff\xd8\xff\xe0 not really a jpeg")
	writeFile(t, filepath.Join(dir, "labels.csv"), "file,age\nimg/a.png,12\nimg/b.png,40\nimg/bad.jpg,20\nimg/gone.png,30\n")

	// Flags after DIR, progress forced onto a non-terminal.
	code, stdout, stderr := runCLI(t, "eval", "check", dir, "--json", "--progress", "always", "--workers", "2")
	require.Equal(t, 0, code, stderr)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &got), stdout)
	assert.Equal(t, "age", got["format"])
	assert.EqualValues(t, 3, got["n"])
	assert.EqualValues(t, 2, got["ok"])
	assert.EqualValues(t, 2, got["images"])
	assert.EqualValues(t, 1, got["missing_files"])
	assert.EqualValues(t, 4, got["labelled"])
	assert.Equal(t, map[string]any{"corrupt": 1.0}, got["errors"])
	assert.Equal(t, 1.0, got["n_by_band"].(map[string]any)["35-49"])
	assert.Contains(t, stderr, "1 labelled files not found")
	assert.Contains(t, stderr, "img/gone.png")
	assert.Contains(t, stderr, "check [", "forced progress bar")

	// The table, without a progress bar when stderr is not a terminal.
	code, stdout, stderr = runCLI(t, "eval", "check", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "check age")
	assert.Contains(t, stdout, "errors.corrupt")
	assert.NotContains(t, stderr, "check [")

	code, stdout, _ = runCLI(t, "eval", "check", "--limit", "1", "--json", dir)
	require.Equal(t, 0, code)
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	assert.EqualValues(t, 1, got["n"])
}

func TestEvalCheckGuessesFormat(t *testing.T) {
	tests := map[string]struct {
		file, content string
		format        string
		classes       map[string]any
	}{
		"liveness": {"labels.csv", "label,file\nlive,a.png\nspoof,a.png\n", "liveness", map[string]any{"live": 1.0, "spoof": 1.0}},
		"verify":   {"pairs.csv", "a,b,same,fold\na.png,a.png,1,3\n", "verify", map[string]any{"same": 1.0}},
		"mrz":      {"labels.jsonl", `{"file":"a.png","mrz":["P<UTO","L898"]}`, "mrz", map[string]any{"2 lines": 1.0}},
		"aamva":    {"labels.jsonl", `{"file":"p.txt","fields":{"DCS":"SMITH"}}`, "aamva", nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writePNG(t, filepath.Join(dir, "a.png"))
			writeFile(t, filepath.Join(dir, "p.txt"), "@\n\x1e\rANSI 636000080002DL00410278ZV03190008DLDCSSMITH\n")
			writeFile(t, filepath.Join(dir, tc.file), tc.content)
			code, stdout, stderr := runCLI(t, "eval", "check", "--json", dir)
			require.Equal(t, 0, code, stderr)
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(stdout), &got))
			assert.Equal(t, tc.format, got["format"])
			assert.Equal(t, got["n"], got["ok"])
			if tc.classes != nil {
				assert.Equal(t, tc.classes, got["classes"])
			}
		})
	}
}

func TestEvalCheckMalformedLabels(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "labels.csv"), "file,age\na.png,old\n")
	code, _, stderr := runCLI(t, "eval", "check", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "labels.csv:2:")

	dir = t.TempDir()
	code, _, stderr = runCLI(t, "eval", "check", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "has no pairs.csv")
}

func TestParseInterspersed(t *testing.T) {
	ef := newEvalFlags(&cliEnv{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}, "x", "")
	pos, err := parseInterspersed(ef.fs, []string{"a", "--json", "b", "--workers", "3", "--", "--c"})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "--c"}, pos)
	assert.True(t, ef.json)
	assert.Equal(t, 3, ef.workers)
}

func TestEvalCheckInterrupted(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "a.png"))
	writeFile(t, filepath.Join(dir, "labels.csv"), "file,age\na.png,30\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // as after Ctrl-C
	var out, errb bytes.Buffer
	code := run(ctx, &cliEnv{stdout: &out, stderr: &errb}, []string{"eval", "check", "--json", dir})
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), "interrupted: the results above are partial")
	var got map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &got), "partial results are still printed")
	assert.Equal(t, true, got["interrupted"])
	assert.EqualValues(t, 0, got["n"])
}
