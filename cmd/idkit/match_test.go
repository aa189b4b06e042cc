package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/facematch"
	"github.com/idkit-dev/idkit/internal/modeltest"
)

// faceFixtures skips without the face models and returns the fixture
// folder, with IDKIT_MODELS pointing at the models.
func faceFixtures(t *testing.T) string {
	t.Helper()
	modeltest.Cache(t, "fr_detect", "fr_landmark", "mobilefacenet_tflite", "faceapi_recognition_manifest", "faceapi_recognition_weights")
	t.Setenv("IDKIT_MODELS", modeltest.Dir())
	return filepath.Join(modeltest.RepoRoot(), "testdata", "faces")
}

func matchJSON(t *testing.T, args ...string) (int, map[string]any, string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, append([]string{"match"}, args...)...)
	var out map[string]any
	if code == 0 {
		require.NoError(t, json.Unmarshal([]byte(stdout), &out), stdout)
	}
	return code, out, stderr
}

func TestMatchCommand(t *testing.T) {
	faces := faceFixtures(t)
	obama1 := filepath.Join(faces, "obama_2009_health_care_address.jpg")
	obama2 := filepath.Join(faces, "obama_official_portrait_2012.jpg")
	hopper := filepath.Join(faces, "grace_hopper_512x512.jpg")

	code, out, stderr := matchJSON(t, obama1, obama2)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, true, out["match"])
	assert.Equal(t, facematch.DefaultThreshold, out["threshold"])
	sim := out["similarity"].(float64)
	assert.Greater(t, sim, facematch.DefaultThreshold)
	assert.Equal(t, float64(0), out["a"].(map[string]any)["index"])

	code, out, stderr = matchJSON(t, obama1, hopper, "--threshold", "0.5")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, false, out["match"])
	assert.Equal(t, 0.5, out["threshold"])
	// 0 is a threshold (every pair matches), not "the default".
	code, out, stderr = matchJSON(t, obama1, hopper, "--threshold", "0")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, true, out["match"])
	assert.Equal(t, float64(0), out["threshold"])

	// Templates: save one, compare it with an image.
	tmpl := filepath.Join(t.TempDir(), "obama.idkt")
	code, _, stderr = matchJSON(t, obama2, hopper, "--save-a", tmpl)
	require.Equal(t, 0, code, stderr)
	code, out, stderr = matchJSON(t, tmpl, obama1)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, true, out["match"])
	assert.InDelta(t, sim, out["similarity"].(float64), 1e-6)
	assert.Nil(t, out["a"], "a template has no face box")

	// A template embedded another way is refused.
	code, _, stderr = matchJSON(t, tmpl, obama1, "--network", "mobilefacenet")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "cannot be compared")
	assert.Contains(t, stderr, `use network "mobilefacenet+faceapi"`)
	code, _, stderr = matchJSON(t, obama1, obama2, "--flip")
	assert.Equal(t, 2, code, "flip averaging needs a single network")
	assert.Contains(t, stderr, "--flip needs a single network")
}

func TestMatchCommandErrors(t *testing.T) {
	faces := faceFixtures(t)
	obama := filepath.Join(faces, "obama_2009_health_care_address.jpg")
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.jpg")
	require.NoError(t, os.WriteFile(corrupt, []byte("\xff\xd8\xff\xe0 truncated"), 0o644))
	blank := filepath.Join(dir, "blank.png")
	writePNG(t, blank)
	badTemplate := filepath.Join(dir, "bad.idkt")
	require.NoError(t, os.WriteFile(badTemplate, []byte("IDKT\x01garbage"), 0o644))

	for name, tc := range map[string]struct {
		args []string
		code int
		msg  string
	}{
		"one file":      {[]string{obama}, 2, "usage"},
		"bad threshold": {[]string{obama, obama, "--threshold", "2"}, 2, "threshold"},
		"corrupt":       {[]string{obama, corrupt}, 1, "corrupt"},
		"missing":       {[]string{obama, filepath.Join(dir, "nope.jpg")}, 1, "no such file"},
		"no face":       {[]string{obama, blank}, 1, "no face"},
		"bad template":  {[]string{badTemplate, obama}, 1, "invalid template"},
		"face index":    {[]string{obama, obama, "--face-b", "3"}, 1, "no face at the requested index"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runCLI(t, append([]string{"match"}, tc.args...)...)
			assert.Equal(t, tc.code, code, stderr)
			assert.Contains(t, stderr, tc.msg)
		})
	}
}

func TestEvalVerifyCommand(t *testing.T) {
	faces := faceFixtures(t)
	dir := t.TempDir()
	for _, n := range []string{"obama_2009_health_care_address.jpg", "obama_2010_blue_room_crop.jpg",
		"obama_official_portrait_2012.jpg", "biden_2010_blue_room_crop.jpg", "grace_hopper_512x512.jpg"} {
		b, err := os.ReadFile(filepath.Join(faces, n))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), b, 0o644))
	}
	writePNG(t, filepath.Join(dir, "blank.png"))
	writeFile(t, filepath.Join(dir, "pairs.csv"), "a,b,same\n"+
		"obama_2009_health_care_address.jpg,obama_2010_blue_room_crop.jpg,1\n"+
		"obama_2010_blue_room_crop.jpg,obama_official_portrait_2012.jpg,1\n"+
		"obama_2009_health_care_address.jpg,biden_2010_blue_room_crop.jpg,0\n"+
		"grace_hopper_512x512.jpg,obama_official_portrait_2012.jpg,0\n"+
		"blank.png,obama_official_portrait_2012.jpg,0\n")
	code, stdout, stderr := runCLI(t, "eval", "verify", dir, "--json")
	require.Equal(t, 0, code, stderr)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	for _, k := range []string{"n", "accuracy", "best_accuracy", "best_threshold", "auc", "tar_at_far_1e-2", "ms_per_pair"} {
		assert.Contains(t, rep, k)
	}
	assert.Equal(t, float64(5), rep["n"])
	assert.Equal(t, float64(1), rep["no_face"])
	assert.Equal(t, float64(1), rep["accuracy"])
	assert.Equal(t, float64(1), rep["auc"])
	assert.Equal(t, facematch.DefaultThreshold, rep["threshold"])
}
