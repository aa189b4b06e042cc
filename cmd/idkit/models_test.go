package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
)

// TestBuildConverted builds the face-api.js models into a fresh models
// directory holding (links to) the installed sources, then checks that a
// second run skips them.
func TestBuildConverted(t *testing.T) {
	var sources []string
	for _, m := range convertedModels() {
		sources = append(sources, m.Sources...)
	}
	installed := modeltest.Cache(t, sources...)
	dir := t.TempDir()
	for _, name := range sources {
		p, err := installed.Path(name)
		require.NoError(t, err)
		a, _ := installed.Manifest().Asset(name)
		dst := filepath.Join(dir, filepath.FromSlash(a.File))
		require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
		require.NoError(t, os.Symlink(p, dst))
	}
	var stderr bytes.Buffer
	env := &cliEnv{stdout: &bytes.Buffer{}, stderr: &stderr}
	require.NoError(t, buildConverted(context.Background(), env, dir, false), stderr.String())
	assert.Contains(t, stderr.String(), "built    faceapi_age_gender")

	c := convert.Open(dir, convertedModels()...)
	for _, m := range convertedModels() {
		_, err := c.Path(m.Name)
		assert.NoError(t, err, "%s is installed and matches its pin", m.Name)
	}

	stderr.Reset()
	require.NoError(t, buildConverted(context.Background(), env, dir, false))
	assert.Contains(t, stderr.String(), "already built")
	assert.NotContains(t, stderr.String(), "built    ")

	_, err := models.Open(dir).Path("fr_detect")
	assert.ErrorIs(t, err, models.ErrMissing, "only the converted models were written")
}

func TestSourceNames(t *testing.T) {
	assert.Empty(t, sourceNames(nil), "no names still means every asset")
	assert.Equal(t, []string{"fr_detect"}, sourceNames([]string{"fr_detect"}))
	assert.Equal(t,
		[]string{"faceapi_age_gender_manifest", "faceapi_age_gender_weights", "fr_detect"},
		sourceNames([]string{"faceapi_age_gender", "faceapi_age_gender_weights", "fr_detect"}))
}
