package models

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// EnvDir names the environment variable that overrides the models directory.
const EnvDir = "IDKIT_MODELS"

// InstallCommand is what a user runs to install missing assets.
const InstallCommand = "idkit models install"

// ErrMissing is returned (wrapped in an *AssetError) when an asset's file is
// not installed.
var ErrMissing = errors.New("asset not installed")

// ErrChecksum is returned (wrapped in an *AssetError) when an installed file
// does not match the manifest.
var ErrChecksum = errors.New("asset checksum mismatch")

// AssetError reports a problem with one asset and how to fix it.
type AssetError struct {
	Asset string // asset name
	Dir   string // models directory
	Path  string // file path looked at
	Err   error  // ErrMissing, ErrChecksum or an I/O error
}

func (e *AssetError) Error() string {
	return fmt.Sprintf("models: %s (%s): %v; install with: %s --dir %s", e.Asset, e.Path, e.Err, InstallCommand, e.Dir)
}

func (e *AssetError) Unwrap() error { return e.Err }

// DefaultDir returns the models directory: $IDKIT_MODELS when set, else
// ./models/cache when it exists, else the user cache directory
// (~/.cache/idkit/models on Linux). getenv and stat are the process's own
// unless the caller injects them (tests do).
func DefaultDir() string {
	return defaultDir(os.Getenv, func(p string) bool {
		fi, err := os.Stat(p)
		return err == nil && fi.IsDir()
	}, os.UserCacheDir)
}

func defaultDir(getenv func(string) string, isDir func(string) bool, userCache func() (string, error)) string {
	if d := getenv(EnvDir); d != "" {
		return d
	}
	local := filepath.Join("models", "cache")
	if isDir(local) {
		return local
	}
	if c, err := userCache(); err == nil {
		return filepath.Join(c, "idkit", "models")
	}
	return local
}

// Cache gives the paths of installed assets, verifying each file against the
// manifest the first time it is asked for. It is safe for concurrent use.
type Cache struct {
	dir      string
	manifest Manifest

	mu       sync.Mutex
	verified map[string]error
}

// Open returns a Cache over dir (DefaultDir when empty) with the embedded
// manifest. It does not touch the disk until an asset is asked for.
func Open(dir string) *Cache {
	return OpenManifest(dir, DefaultManifest())
}

// OpenManifest is Open with another manifest.
func OpenManifest(dir string, m Manifest) *Cache {
	if dir == "" {
		dir = DefaultDir()
	}
	return &Cache{dir: dir, manifest: m, verified: map[string]error{}}
}

// Dir returns the models directory.
func (c *Cache) Dir() string { return c.dir }

// Manifest returns the manifest the cache checks against.
func (c *Cache) Manifest() Manifest { return c.manifest }

// Path returns the absolute path of the asset called name after checking
// that it is installed and intact. The check reads the file once per Cache;
// later calls return the remembered outcome.
func (c *Cache) Path(name string) (string, error) {
	a, ok := c.manifest.Asset(name)
	if !ok {
		return "", fmt.Errorf("models: no asset named %q in the manifest", name)
	}
	p, err := filepath.Abs(filepath.Join(c.dir, filepath.FromSlash(a.File)))
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	verr, done := c.verified[name]
	if !done {
		verr = verifyFile(a, c.dir, p)
		c.verified[name] = verr
	}
	if verr != nil {
		return "", verr
	}
	return p, nil
}

// Status is the state of one installed asset.
type Status struct {
	Asset Asset
	Path  string
	Err   error // nil when the file is present and intact
}

// Verify checks every asset of the manifest (or only those named) on disk.
func (c *Cache) Verify(names ...string) ([]Status, error) {
	assets, err := c.manifest.Select(names...)
	if err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(assets))
	for _, a := range assets {
		p := filepath.Join(c.dir, filepath.FromSlash(a.File))
		out = append(out, Status{Asset: a, Path: p, Err: verifyFile(a, c.dir, p)})
	}
	return out, nil
}

func verifyFile(a Asset, dir, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return &AssetError{Asset: a.Name, Dir: dir, Path: path, Err: ErrMissing}
	}
	if err != nil {
		return &AssetError{Asset: a.Name, Dir: dir, Path: path, Err: err}
	}
	defer f.Close()
	sum, n, err := digest(f)
	if err != nil {
		return &AssetError{Asset: a.Name, Dir: dir, Path: path, Err: err}
	}
	if n != a.Size || sum != a.SHA256 {
		return &AssetError{Asset: a.Name, Dir: dir, Path: path, Err: fmt.Errorf("%w: got %d bytes sha256 %s, want %d bytes sha256 %s", ErrChecksum, n, sum, a.Size, a.SHA256)}
	}
	return nil
}

func digest(r io.Reader) (string, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
