// Package modeltest finds the installed model assets for tests.
//
// Tests that need models call Cache(t). When the assets are not installed
// the test is skipped, unless IDKIT_REQUIRE_MODELS=1 (set by `make test` and
// CI), where a missing model fails the test: CI must never pass by skipping.
package modeltest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/idkit-dev/idkit/internal/testenv"
	"github.com/idkit-dev/idkit/models"
)

// RepoRoot returns the directory holding go.mod (see testenv.RepoRoot).
func RepoRoot() string { return testenv.RepoRoot() }

// Dir returns the models directory tests use: $IDKIT_MODELS, else
// <repo>/models/cache.
func Dir() string {
	if d := os.Getenv(models.EnvDir); d != "" {
		return d
	}
	if root := RepoRoot(); root != "" {
		return filepath.Join(root, "models", "cache")
	}
	return models.DefaultDir()
}

// Cache returns a cache over Dir() after checking that the named assets are
// installed; it skips (or fails, under IDKIT_REQUIRE_MODELS=1) otherwise.
func Cache(t testing.TB, names ...string) *models.Cache {
	t.Helper()
	c := models.Open(Dir())
	for _, n := range append([]string{"onnxruntime"}, names...) {
		if _, err := c.Path(n); err != nil {
			if os.Getenv("IDKIT_REQUIRE_MODELS") == "1" {
				t.Fatalf("model asset required: %v", err)
			}
			t.Skipf("model asset not installed: %v", err)
		}
	}
	return c
}

// Testdata returns the path of a file under the repository's testdata folder.
func Testdata(t testing.TB, elem ...string) string {
	t.Helper()
	root := RepoRoot()
	if root == "" {
		t.Fatal("modeltest: no go.mod above the working directory")
	}
	return filepath.Join(append([]string{root, "testdata"}, elem...)...)
}
