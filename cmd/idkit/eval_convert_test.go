package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eval convert reads its sources before touching OUT and publishes
// labels.jsonl only when the run completes: a bad source used to truncate
// an existing labels.jsonl, and an interrupted run left a partial one that
// later evals scored as complete.
func TestEvalConvertLabelsAtomic(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	labels := filepath.Join(out, "labels.jsonl")
	writeFile(t, labels, "previous\n")

	// A bad source leaves the old labels alone.
	code, _, stderr := runCLI(t, "eval", "convert", "aamva", src, out)
	assert.Equal(t, 1, code, stderr)
	b, err := os.ReadFile(labels)
	require.NoError(t, err)
	assert.Equal(t, "previous\n", string(b))

	writeFile(t, filepath.Join(src, "p.txt"), "@\n\x1e\rANSI 636000080002DL00410278ZV03190008DLDCSSMITH\n")
	writeFile(t, filepath.Join(src, "idparser_expected.json"),
		`[{"test":"t","payload_file":"p.txt","exists":true,"expected":{"Name":{"Last":"SMITH"}}}]`)
	writeFile(t, filepath.Join(src, "aamvajs_expected.json"), `[]`)

	// An interrupted run leaves no labels behind, and no temporary file.
	fresh := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var o, e bytes.Buffer
	code = run(ctx, &cliEnv{stdout: &o, stderr: &e}, []string{"eval", "convert", "aamva", src, fresh})
	assert.Equal(t, 1, code, e.String())
	assert.NoFileExists(t, filepath.Join(fresh, "labels.jsonl"))
	assert.NoFileExists(t, filepath.Join(fresh, "labels.jsonl.tmp"))

	// A complete run replaces them.
	code, _, stderr = runCLI(t, "eval", "convert", "aamva", src, out)
	require.Equal(t, 0, code, stderr)
	b, err = os.ReadFile(labels)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"DCS":"SMITH"`)
	assert.NoFileExists(t, labels+".tmp")
}

// eval specimens likewise publishes labels.jsonl only when complete.
func TestEvalSpecimensLabelsAtomic(t *testing.T) {
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var o, e bytes.Buffer
	code := run(ctx, &cliEnv{stdout: &o, stderr: &e}, []string{"eval", "specimens", out, "--n", "1", "--degrade", "none"})
	assert.Equal(t, 1, code, e.String())
	assert.NoFileExists(t, filepath.Join(out, "labels.jsonl"))
	assert.NoFileExists(t, filepath.Join(out, "labels.jsonl.tmp"))

	code, _, stderr := runCLI(t, "eval", "specimens", out, "--n", "1", "--degrade", "none")
	require.Equal(t, 0, code, stderr)
	assert.FileExists(t, filepath.Join(out, "labels.jsonl"))
	assert.NoFileExists(t, filepath.Join(out, "labels.jsonl.tmp"))

	// A run stopped over an earlier one removes the earlier labels: its
	// images are overwritten under the same names.
	code = run(ctx, &cliEnv{stdout: &o, stderr: &e}, []string{"eval", "specimens", out, "--n", "1", "--degrade", "none", "--seed", "2"})
	assert.Equal(t, 1, code, e.String())
	assert.NoFileExists(t, filepath.Join(out, "labels.jsonl"))
}
