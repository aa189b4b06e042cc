package convert

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/idkit-dev/idkit/models"
)

// Model is a model idkit builds from installed assets instead of
// downloading it.
type Model struct {
	// Name identifies the model the way an asset name does
	// (Open(dir, m).Path(m.Name)).
	Name string
	// File is the built model's path relative to the models directory.
	File string
	// Sources are the names of the installed assets (models/manifest.json)
	// the model is built from. The first one's package and version are the
	// model's source.
	Sources []string
	// SHA256 and Size are what the built file must be. The build is
	// deterministic, so they are pinned: Install refuses a build that
	// differs, and Open's cache verifies the installed file against them.
	SHA256 string
	Size   int64
	// License is the SPDX identifier of the model's licence (its sources').
	License string
	// Description says what the model is.
	Description string
	// Build returns the serialized ONNX model, reading its sources from src.
	Build func(src *models.Cache) ([]byte, error)
}

// ErrDigest is returned when a freshly built model does not have its pinned
// SHA-256: the builder or its sources changed and the pin was not updated.
var ErrDigest = errors.New("convert: built model does not match its pinned digest")

// Asset describes the built file as a models.Asset, with the package and
// version of its first source as found in base.
func (m Model) Asset(base models.Manifest) models.Asset {
	a := models.Asset{
		Name:        m.Name,
		File:        m.File,
		SHA256:      m.SHA256,
		Size:        m.Size,
		License:     m.License,
		Description: m.Description,
	}
	if len(m.Sources) > 0 {
		if src, ok := base.Asset(m.Sources[0]); ok {
			a.NPM, a.Version = src.NPM, src.Version
		}
	}
	return a
}

// Manifest returns base with the built models appended as assets, so one
// models.Cache finds and verifies both.
func Manifest(base models.Manifest, ms ...Model) models.Manifest {
	out := models.Manifest{Assets: append([]models.Asset(nil), base.Assets...)}
	for _, m := range ms {
		out.Assets = append(out.Assets, m.Asset(base))
	}
	return out
}

// Open returns a cache over dir (models.DefaultDir when empty) that knows
// the default manifest's assets and the given built models: its Path
// verifies a built model's SHA-256 like any other asset, and onnx.Load can
// load it by name.
func Open(dir string, ms ...Model) *models.Cache {
	return models.OpenManifest(dir, Manifest(models.DefaultManifest(), ms...))
}

// InstallOptions configures Install.
type InstallOptions struct {
	// Dir is the models directory; empty means models.DefaultDir().
	Dir string
	// Models are the models to build.
	Models []Model
	// Manifest is the manifest of the source assets; nil means
	// models.DefaultManifest().
	Manifest *models.Manifest
	// Force rebuilds models already present and intact.
	Force bool
	// Log receives one line per model; nil discards.
	Log io.Writer
	// Now is the clock used to time builds; nil means time.Now.
	Now func() time.Time
}

// InstallResult says what Install did with one model.
type InstallResult struct {
	Model Model
	Path  string
	// Skipped is set when the model was already installed and intact.
	Skipped bool
	// MissingSources is set when a source asset is not installed, so the
	// model was not built (`idkit models install NAME` installs only some
	// assets); Err stays nil.
	MissingSources bool
	// BuildTime is how long the build took.
	BuildTime time.Duration
	// Err is nil on success.
	Err error
}

// Install builds each model whose file is missing or not intact and moves
// it into place with a rename, so an interrupted install never leaves a
// partial file. One model's failure does not stop the others; the returned
// error joins every failure.
func Install(ctx context.Context, opts InstallOptions) ([]InstallResult, error) {
	dir := opts.Dir
	if dir == "" {
		dir = models.DefaultDir()
	}
	base := models.DefaultManifest()
	if opts.Manifest != nil {
		base = *opts.Manifest
	}
	logw := opts.Log
	if logw == nil {
		logw = io.Discard
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	src := models.OpenManifest(dir, base)
	var results []InstallResult
	var errs []error
	for _, m := range opts.Models {
		if err := ctx.Err(); err != nil {
			return results, errors.Join(append(errs, err)...)
		}
		r := installOne(src, dir, m, opts.Force, now)
		switch {
		case r.Err != nil:
			errs = append(errs, r.Err)
			fmt.Fprintf(logw, "FAILED   %-30s %v\n", m.Name, r.Err)
		case r.Skipped:
			fmt.Fprintf(logw, "ok       %-30s %s (already built)\n", m.Name, r.Path)
		case r.MissingSources:
			fmt.Fprintf(logw, "skipped  %-30s sources not installed\n", m.Name)
		default:
			fmt.Fprintf(logw, "built    %-30s %s (%d bytes, %s)\n", m.Name, r.Path, m.Size, r.BuildTime.Round(time.Millisecond))
		}
		results = append(results, r)
	}
	return results, errors.Join(errs...)
}

func installOne(src *models.Cache, dir string, m Model, force bool, now func() time.Time) InstallResult {
	dst := filepath.Join(dir, filepath.FromSlash(m.File))
	r := InstallResult{Model: m, Path: dst}
	if m.Name == "" || m.File == "" || m.Build == nil || len(m.SHA256) != 64 || m.Size <= 0 {
		r.Err = fmt.Errorf("convert: model %q: name, file, build, sha256 and size are required", m.Name)
		return r
	}
	if !force {
		if sum, n, err := fileDigest(dst); err == nil && sum == m.SHA256 && n == m.Size {
			r.Skipped = true
			return r
		}
	}
	for _, s := range m.Sources {
		if _, err := src.Path(s); err != nil {
			if errors.Is(err, models.ErrMissing) {
				r.MissingSources = true
				return r
			}
			r.Err = fmt.Errorf("convert: %s: source %w", m.Name, err)
			return r
		}
	}
	start := now()
	data, err := m.Build(src)
	r.BuildTime = now().Sub(start)
	if err != nil {
		r.Err = fmt.Errorf("convert: build %s: %w", m.Name, err)
		return r
	}
	if sum := sha256Hex(data); sum != m.SHA256 || int64(len(data)) != m.Size {
		r.Err = fmt.Errorf("%w: %s built %d bytes sha256 %s, pinned %d bytes sha256 %s", ErrDigest, m.Name, len(data), sum, m.Size, m.SHA256)
		return r
	}
	if err := writeFileAtomic(dst, data); err != nil {
		r.Err = fmt.Errorf("convert: write %s: %w", m.Name, err)
	}
	return r
}

// writeFileAtomic writes data to a temporary file beside path, syncs it and
// renames it over path.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name) // no-op after the rename
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err != nil {
		return err
	}
	return os.Rename(name, path)
}

func fileDigest(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
