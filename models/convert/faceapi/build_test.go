package faceapi

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

// TestBuildIsPinnedAndDeterministic builds every model twice from the
// installed sources: both builds must be byte-identical and match the
// pinned digest that `idkit models install` checks.
func TestBuildIsPinnedAndDeterministic(t *testing.T) {
	for _, m := range Models() {
		t.Run(m.Name, func(t *testing.T) {
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
			assert.EqualValues(t, 17, pb.GetOpsetImport()[0].GetVersion())
			meta := map[string]string{}
			for _, p := range pb.GetMetadataProps() {
				meta[p.GetKey()] = p.GetValue()
			}
			assert.Equal(t, "@vladmandic/face-api", meta["source.package"])
			assert.Equal(t, "1.7.15", meta["source.version"])
			assert.Equal(t, "MIT", meta["source.license"])
			for _, s := range m.Sources {
				a, ok := c.Manifest().Asset(s)
				require.True(t, ok)
				assert.Equal(t, a.SHA256, meta["source."+s+".sha256"], "metadata names the input digests")
			}
			require.Len(t, pb.GetGraph().GetInput(), 1)
			assert.Equal(t, InputName, pb.GetGraph().GetInput()[0].GetName())
		})
	}
}

func TestModelsAreDistinctAssets(t *testing.T) {
	m := convert.Manifest(models.DefaultManifest(), Models()...)
	seen := map[string]bool{}
	for _, a := range m.Assets {
		assert.False(t, seen[a.File], "%s is listed twice", a.File)
		seen[a.File] = true
	}
	for _, mod := range Models() {
		a, ok := m.Asset(mod.Name)
		require.True(t, ok)
		assert.Equal(t, "@vladmandic/face-api", a.NPM)
		assert.Len(t, mod.SHA256, 64)
		for _, s := range mod.Sources {
			_, ok := models.DefaultManifest().Asset(s)
			assert.True(t, ok, "source %s of %s is not in models/manifest.json", s, mod.Name)
		}
	}
}
