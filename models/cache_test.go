package models

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEmbeddedManifestIsValid(t *testing.T) {
	m, err := ParseManifest(manifestJSON)
	require.NoError(t, err)
	for _, name := range []string{"onnxruntime", "fr_detect", "fr_landmark", "fr_liveness", "fr_feature", "fr_pose", "fr_eye", "ocrb_mrz"} {
		_, ok := m.Asset(name)
		assert.True(t, ok, name)
	}
}

func TestParseManifestRejectsBadEntries(t *testing.T) {
	for name, js := range map[string]string{
		"not json":      `{`,
		"missing path":  `{"assets":[{"name":"a","file":"a","npm":"p","version":"1","sha256":"` + string(make64()) + `","size":1}]}`,
		"short sha":     `{"assets":[{"name":"a","file":"a","npm":"p","version":"1","path":"x","sha256":"ab","size":1}]}`,
		"zero size":     `{"assets":[{"name":"a","file":"a","npm":"p","version":"1","path":"x","sha256":"` + string(make64()) + `","size":0}]}`,
		"file outside":  `{"assets":[{"name":"a","file":"../escaped.txt","npm":"p","version":"1","path":"x","sha256":"` + string(make64()) + `","size":1}]}`,
		"file absolute": `{"assets":[{"name":"a","file":"/etc/passwd","npm":"p","version":"1","path":"x","sha256":"` + string(make64()) + `","size":1}]}`,
		"duplicate":     `{"assets":[{"name":"a","file":"a","npm":"p","version":"1","path":"x","sha256":"` + string(make64()) + `","size":1},{"name":"a","file":"b","npm":"p","version":"1","path":"x","sha256":"` + string(make64()) + `","size":1}]}`,
	} {
		_, err := ParseManifest([]byte(js))
		assert.Error(t, err, name)
	}
}

func make64() []byte {
	b := make([]byte, 64)
	for i := range b {
		b[i] = 'a'
	}
	return b
}

func TestCachePathMissingAndCorrupt(t *testing.T) {
	data := []byte("weights")
	m := Manifest{Assets: []Asset{{Name: "w", File: "x/w.onnx", NPM: "p", Version: "1", Path: "package/w", SHA256: sum(data), Size: int64(len(data))}}}
	dir := t.TempDir()
	c := OpenManifest(dir, m)

	_, err := c.Path("w")
	require.ErrorIs(t, err, ErrMissing)
	var ae *AssetError
	require.True(t, errors.As(err, &ae))
	assert.Contains(t, err.Error(), "idkit models install --dir "+dir)
	assert.Contains(t, err.Error(), "w.onnx")

	require.NoError(t, os.MkdirAll(filepath.Join(dir, "x"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x", "w.onnx"), []byte("weightz"), 0o644))
	c = OpenManifest(dir, m)
	_, err = c.Path("w")
	require.ErrorIs(t, err, ErrChecksum)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "x", "w.onnx"), data, 0o644))
	c = OpenManifest(dir, m)
	p, err := c.Path("w")
	require.NoError(t, err)
	assert.True(t, filepath.IsAbs(p))

	st, err := c.Verify()
	require.NoError(t, err)
	require.Len(t, st, 1)
	assert.NoError(t, st[0].Err)

	_, err = c.Path("unknown")
	assert.Error(t, err)
}

func TestDefaultDirOrder(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	local := false
	isDir := func(string) bool { return local }
	user := func() (string, error) { return "/home/u/.cache", nil }

	assert.Equal(t, "/home/u/.cache/idkit/models", defaultDir(getenv, isDir, user))
	local = true
	assert.Equal(t, filepath.Join("models", "cache"), defaultDir(getenv, isDir, user))
	env[EnvDir] = "/opt/m"
	assert.Equal(t, "/opt/m", defaultDir(getenv, isDir, user))
}
