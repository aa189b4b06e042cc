package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/modeltest"
)

func TestLivenessCommandErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"no image":      {"liveness"},
		"bad threshold": {"liveness", "--threshold", "2", "x.jpg"},
		"bad flag":      {"liveness", "--nope", "x.jpg"},
		"eval no dir":   {"eval", "liveness"},
		"eval bad thr":  {"eval", "liveness", "--threshold", "-1", "."},
		"eval bad jpeg": {"eval", "liveness", "--jpeg", "101", "."},
	} {
		code, _, _ := runCLI(t, args...)
		assert.Equal(t, 2, code, name)
	}
}

func TestLivenessCommand(t *testing.T) {
	modeltest.Cache(t, "fr_detect", "fr_landmark", "fr_pose", "fr_eye", "fr_liveness", "fr_expression", "mobilefacenet_tflite")
	fixture := modeltest.Testdata(t, "faces", "obama_official_portrait_2012.jpg")
	missing := filepath.Join(t.TempDir(), "missing.jpg")
	code, stdout, stderr := runCLI(t, "liveness", "--models", modeltest.Dir(), fixture, missing)
	assert.Equal(t, 1, code, stderr)
	var reports []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &reports))
	require.Len(t, reports, 2)
	res := reports[0]["result"].(map[string]any)
	assert.Equal(t, true, res["is_live"])
	assert.Equal(t, "none", res["spoof_type"])
	for _, k := range []string{"confidence", "hints", "processing_ms", "warnings"} {
		assert.Contains(t, res, k)
	}
	assert.NotEmpty(t, reports[1]["error"], "an unreadable file is reported, not fatal")

	// The same photo three times cannot show a blink.
	code, stdout, stderr = runCLI(t, "liveness", "--models", modeltest.Dir(), "--active", "blink", fixture, fixture, fixture)
	assert.Equal(t, 0, code, stderr)
	var active map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &active))
	assert.Equal(t, false, active["passed"])
	assert.Equal(t, "action_missing", active["reason"])
	assert.NotNil(t, active["same_person"], "facematch checks the identity")

	code, _, _ = runCLI(t, "liveness", "--models", modeltest.Dir(), "--active", "wink", fixture)
	assert.Equal(t, 2, code)
}

func TestEvalLivenessCommand(t *testing.T) {
	modeltest.Cache(t, "fr_detect", "fr_landmark", "fr_pose", "fr_eye", "fr_liveness")
	dir := t.TempDir()
	faces := modeltest.Testdata(t, "faces")
	// The labels are only what the metrics count: one photo is called an
	// attack so that both classes exist.
	writeFile(t, filepath.Join(dir, "labels.csv"), "file,label\n"+
		filepath.Join(faces, "grace_hopper_512x512.jpg")+",live\n"+
		filepath.Join(faces, "obama_official_portrait_2012.jpg")+",live\n"+
		filepath.Join(faces, "eileen_collins_nasa_astronaut.png")+",spoof\n"+
		"blank.png,spoof\n")
	writePNG(t, filepath.Join(dir, "blank.png"))
	scores := filepath.Join(dir, "scores.csv")
	code, stdout, stderr := runCLI(t, "eval", "liveness", dir, "--json", "--models", modeltest.Dir(), "--scores", scores)
	require.Equal(t, 0, code, stderr)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	for _, k := range []string{"n", "apcer", "bpcer", "acer", "threshold", "ms_per_image", "eer"} {
		assert.Contains(t, rep, k)
	}
	assert.EqualValues(t, 4, rep["n"])
	assert.EqualValues(t, 1, rep["no_face"])
	assert.EqualValues(t, 0, rep["bpcer"], "both live fixtures pass")
	assert.EqualValues(t, 1, rep["apcer"], "the live photo labelled spoof is accepted")
	b, err := os.ReadFile(scores)
	require.NoError(t, err)
	// --jpeg re-saves every image first and says so in the report.
	code, stdout, stderr = runCLI(t, "eval", "liveness", dir, "--json", "--models", modeltest.Dir(), "--jpeg", "75")
	require.Equal(t, 0, code, stderr)
	var resaved map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &resaved))
	assert.EqualValues(t, 4, resaved["n"])
	assert.Contains(t, resaved["notes"], "every image was re-saved as JPEG at quality 75 before the check (--jpeg)")
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 5)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		require.Len(t, r, len(rows[0]))
		if !strings.HasSuffix(r[0], "grace_hopper_512x512.jpg") {
			continue
		}
		// Every signal lands in its own column.
		for _, h := range []string{"score", "net_live"} {
			v, err := strconv.ParseFloat(r[col[h]], 64)
			require.NoError(t, err, h)
			assert.True(t, v > 0.5 && v <= 1, "%s %v: a live fixture", h, v)
		}
		side, err := strconv.ParseFloat(r[col["face_side"]], 64)
		require.NoError(t, err)
		assert.Greater(t, side, 64.0)
		_, err = strconv.ParseFloat(r[col["ms"]], 64)
		assert.NoError(t, err)
	}
}

// An unwritable --scores path fails before the models load and the run
// starts: the file used to be created after the run, discarding it.
func TestEvalLivenessScoresPathFirst(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "a.png"))
	writeFile(t, filepath.Join(dir, "labels.csv"), "file,label\na.png,live\n")
	bad := filepath.Join(dir, "no-such-dir", "scores.csv")
	code, stdout, stderr := runCLI(t, "eval", "liveness", dir, "--scores", bad, "--models", filepath.Join(dir, "no-models"))
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, "scores.csv")
	assert.Empty(t, stdout)

	// A run that fails leaves an earlier scores file as it was.
	earlier := filepath.Join(dir, "scores.csv")
	writeFile(t, earlier, "file,label\nold,live\n")
	code, _, stderr = runCLI(t, "eval", "liveness", dir, "--scores", earlier, "--models", filepath.Join(dir, "no-models"))
	assert.Equal(t, 1, code, stderr)
	b, err := os.ReadFile(earlier)
	require.NoError(t, err)
	assert.Equal(t, "file,label\nold,live\n", string(b))
	assert.NoFileExists(t, earlier+".tmp")
}
