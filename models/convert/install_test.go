package convert

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/models"
)

// fixture is a models directory with one installed source asset and a model
// built from it.
type fixture struct {
	dir      string
	manifest models.Manifest
	model    Model
	builds   int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	src := []byte("source weights")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "src"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "src", "w.bin"), src, 0o644))
	f := &fixture{dir: dir}
	f.manifest = models.Manifest{Assets: []models.Asset{{
		Name: "w", File: "src/w.bin", NPM: "pkg", Version: "1.0.0", Path: "package/w.bin",
		SHA256: sha256Hex(src), Size: int64(len(src)), License: "MIT",
	}}}
	out := []byte("built from source weights")
	f.model = Model{
		Name: "built", File: "converted/built.onnx", Sources: []string{"w"},
		SHA256: sha256Hex(out), Size: int64(len(out)), License: "MIT",
		Build: func(c *models.Cache) ([]byte, error) {
			f.builds++
			p, err := c.Path("w")
			if err != nil {
				return nil, err
			}
			b, err := os.ReadFile(p)
			return append([]byte("built from "), b...), err
		},
	}
	return f
}

func (f *fixture) install(t *testing.T, force bool, ms ...Model) ([]InstallResult, error) {
	t.Helper()
	if ms == nil {
		ms = []Model{f.model}
	}
	var log bytes.Buffer
	clock := time.Unix(0, 0)
	res, err := Install(context.Background(), InstallOptions{
		Dir: f.dir, Models: ms, Manifest: &f.manifest, Force: force, Log: &log,
		Now: func() time.Time { clock = clock.Add(time.Second); return clock },
	})
	require.Len(t, res, len(ms), log.String())
	return res, err
}

func TestInstallBuildsSkipsAndForces(t *testing.T) {
	f := newFixture(t)
	res, err := f.install(t, false)
	require.NoError(t, err)
	assert.False(t, res[0].Skipped)
	assert.Equal(t, time.Second, res[0].BuildTime, "build time comes from the injected clock")
	data, err := os.ReadFile(filepath.Join(f.dir, "converted", "built.onnx"))
	require.NoError(t, err)
	assert.Equal(t, "built from source weights", string(data))
	assert.Equal(t, 1, f.builds)

	res, err = f.install(t, false)
	require.NoError(t, err)
	assert.True(t, res[0].Skipped, "an intact model is not rebuilt")
	assert.Equal(t, 1, f.builds)

	res, err = f.install(t, true)
	require.NoError(t, err)
	assert.False(t, res[0].Skipped, "force rebuilds")
	assert.Equal(t, 2, f.builds)

	// A damaged file is rebuilt without force.
	p := filepath.Join(f.dir, "converted", "built.onnx")
	require.NoError(t, os.WriteFile(p, []byte("damaged"), 0o644))
	_, err = f.install(t, false)
	require.NoError(t, err)
	assert.Equal(t, 3, f.builds)

	// The built model is an asset like the others.
	c := models.OpenManifest(f.dir, Manifest(f.manifest, f.model))
	got, err := c.Path("built")
	require.NoError(t, err)
	assert.Equal(t, p, got)
	a, _ := c.Manifest().Asset("built")
	assert.Equal(t, "pkg", a.NPM, "a built model's source is its first source asset's package")

	entries, err := os.ReadDir(filepath.Join(f.dir, "converted"))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary files are left behind")
}

func TestInstallRefusesUnpinnedOutput(t *testing.T) {
	f := newFixture(t)
	f.model.SHA256 = sha256Hex([]byte("something else"))
	res, err := f.install(t, false)
	require.ErrorIs(t, err, ErrDigest)
	require.ErrorIs(t, res[0].Err, ErrDigest)
	_, statErr := os.Stat(filepath.Join(f.dir, "converted", "built.onnx"))
	assert.True(t, errors.Is(statErr, os.ErrNotExist), "a build that does not match its pin is not written")
}

func TestInstallSourcesMissingOrBroken(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, os.Remove(filepath.Join(f.dir, "src", "w.bin")))
	res, err := f.install(t, false)
	require.NoError(t, err, "missing sources are not an error: install may have been limited to other assets")
	assert.True(t, res[0].MissingSources)
	assert.Equal(t, 0, f.builds)

	require.NoError(t, os.WriteFile(filepath.Join(f.dir, "src", "w.bin"), []byte("tampered weights"), 0o644))
	_, err = f.install(t, false)
	require.ErrorIs(t, err, models.ErrChecksum, "a corrupt source is an error")
	assert.Equal(t, 0, f.builds)
}

func TestInstallOneFailureDoesNotStopOthers(t *testing.T) {
	f := newFixture(t)
	broken := f.model
	broken.Name, broken.File = "broken", "converted/broken.onnx"
	broken.Build = func(*models.Cache) ([]byte, error) { return nil, errors.New("architecture bug") }
	invalid := Model{Name: "invalid"}
	res, err := f.install(t, false, broken, invalid, f.model)
	require.Error(t, err)
	assert.Error(t, res[0].Err)
	assert.Error(t, res[1].Err)
	assert.NoError(t, res[2].Err)
}

func TestInstallHonoursContext(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Install(ctx, InstallOptions{Dir: f.dir, Models: []Model{f.model}, Manifest: &f.manifest})
	require.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, res)
	assert.Equal(t, 0, f.builds)
}

func TestSourceMetadata(t *testing.T) {
	f := newFixture(t)
	meta, err := SourceMetadata(f.manifest, "w")
	require.NoError(t, err)
	assert.Equal(t, []Metadata{
		{"source.package", "pkg"},
		{"source.version", "1.0.0"},
		{"source.license", "MIT"},
		{"source.w.path", "package/w.bin"},
		{"source.w.sha256", f.manifest.Assets[0].SHA256},
	}, meta)
	_, err = SourceMetadata(f.manifest, "nope")
	assert.Error(t, err)
}

func TestTFJSWeightsLoad(t *testing.T) {
	dir := t.TempDir()
	manifest := []byte(`[{"paths":["m.bin"],"weights":[{"name":"w","shape":[2],"dtype":"float32"}]}]`)
	shard := f32bytes(0.5, -1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "m.json"), manifest, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "m.bin"), shard, 0o644))
	asset := func(name, file string, data []byte) models.Asset {
		return models.Asset{Name: name, File: file, NPM: "p", Version: "1", Path: file, SHA256: sha256Hex(data), Size: int64(len(data))}
	}
	c := models.OpenManifest(dir, models.Manifest{Assets: []models.Asset{asset("m", "m.json", manifest), asset("b", "m.bin", shard)}})

	src := TFJSWeights{Manifest: "m", Shards: map[string]string{"m.bin": "b"}}
	assert.Equal(t, []string{"m", "b"}, src.Assets())
	w, err := src.Load(c)
	require.NoError(t, err)
	got, err := w.Get("w")
	require.NoError(t, err)
	assert.Equal(t, []float32{0.5, -1}, got.Float)

	_, err = TFJSWeights{Manifest: "m", Shards: map[string]string{}}.Load(c)
	assert.ErrorIs(t, err, ErrWeights, "a shard without an asset is refused")
}
