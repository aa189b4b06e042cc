// Package modeltest finds the installed model assets for tests.
//
// Tests that need models call Cache(t). When the assets are not installed
// the test is skipped, unless IDKIT_REQUIRE_MODELS=1 (set by `make test` and
// CI), where a missing model fails the test: CI must never pass by skipping.
package modeltest

import (
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/idkit-dev/idkit/imageio"
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

// Faces lists the public-domain fixture photos in testdata/faces, one face
// each (see their NOTICE.md).
var Faces = []string{
	"biden_2010_blue_room_crop.jpg",
	"eileen_collins_nasa_astronaut.png",
	"grace_hopper_512x512.jpg",
	"obama_2009_health_care_address.jpg",
	"obama_2010_blue_room_crop.jpg",
	"obama_official_portrait_2012.jpg",
	"obama_official_portrait_2012_partial_face_crop1.jpg",
	"obama_official_portrait_2012_partial_face_crop2.jpg",
}

// LoadFace decodes a fixture photo from testdata/faces.
func LoadFace(t testing.TB, name string) *image.RGBA {
	t.Helper()
	img, _, err := imageio.ReadFile(Testdata(t, "faces", name), imageio.Limits{})
	if err != nil {
		t.Fatalf("fixture %s: %v", name, err)
	}
	return img
}
