// Package converttest holds the checks every install-time model conversion
// shares in its tests: the build is deterministic and pinned, the ONNX
// model has the IR version and opset idkit targets, and its metadata names
// where it came from.
package converttest

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/onnxpb"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
)

// Source is the npm package a converted model must name as its source.
type Source struct {
	Package, Version, License string
}

// Build builds m twice from the installed sources (skipping, or failing
// under IDKIT_REQUIRE_MODELS=1, when they are missing) and checks that both
// builds are byte-identical, match the pinned digest and size, target
// convert.IRVersion and convert.Opset, and that the metadata names src and
// the SHA-256 and path of every source asset. It returns the parsed model
// and its metadata for the caller's own checks.
func Build(t *testing.T, m convert.Model, src Source) (*onnxpb.ModelProto, map[string]string) {
	t.Helper()
	c := modeltest.Cache(t, m.Sources...)
	first, err := m.Build(c)
	require.NoError(t, err)
	second, err := m.Build(models.Open(c.Dir()))
	require.NoError(t, err)
	require.Equal(t, first, second, "two builds differ")
	sum := sha256.Sum256(first)
	assert.Equal(t, m.SHA256, hex.EncodeToString(sum[:]), "update the pin in %s's Model when the builder changes on purpose", m.Name)
	assert.Equal(t, m.Size, int64(len(first)))

	var pb onnxpb.ModelProto
	require.NoError(t, proto.Unmarshal(first, &pb))
	assert.EqualValues(t, convert.IRVersion, pb.GetIrVersion())
	require.Len(t, pb.GetOpsetImport(), 1)
	assert.EqualValues(t, convert.Opset, pb.GetOpsetImport()[0].GetVersion())
	meta := map[string]string{}
	for _, p := range pb.GetMetadataProps() {
		meta[p.GetKey()] = p.GetValue()
	}
	assert.Equal(t, src.Package, meta["source.package"])
	assert.Equal(t, src.Version, meta["source.version"])
	assert.Equal(t, src.License, meta["source.license"])
	for _, s := range m.Sources {
		a, ok := c.Manifest().Asset(s)
		require.True(t, ok, "source %s of %s is not in the manifest", s, m.Name)
		assert.Len(t, a.SHA256, 64)
		assert.Equal(t, a.SHA256, meta["source."+s+".sha256"], "metadata names the input digests")
		assert.Equal(t, a.Path, meta["source."+s+".path"])
	}
	return &pb, meta
}

// Assets checks that ms are distinct assets of the default manifest, built
// from sources it lists, and published by src.
func Assets(t *testing.T, ms []convert.Model, src Source) {
	t.Helper()
	m := convert.Manifest(models.DefaultManifest(), ms...)
	seen := map[string]bool{}
	for _, a := range m.Assets {
		assert.False(t, seen[a.File], "%s is listed twice", a.File)
		seen[a.File] = true
	}
	for _, mod := range ms {
		a, ok := m.Asset(mod.Name)
		require.True(t, ok)
		assert.Equal(t, src.Package, a.NPM)
		assert.Equal(t, src.Version, a.Version)
		assert.Equal(t, src.License, mod.License)
		assert.Len(t, mod.SHA256, 64)
		for _, s := range mod.Sources {
			_, ok := models.DefaultManifest().Asset(s)
			assert.True(t, ok, "source %s of %s is not in models/manifest.json", s, mod.Name)
		}
	}
}
