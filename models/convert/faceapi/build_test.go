package faceapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/models/convert/converttest"
)

var source = converttest.Source{Package: "@vladmandic/face-api", Version: "1.7.15", License: "MIT"}

// TestBuildIsPinnedAndDeterministic builds every model twice from the
// installed sources: both builds must be byte-identical and match the
// pinned digest that `idkit models install` checks.
func TestBuildIsPinnedAndDeterministic(t *testing.T) {
	for _, m := range Models() {
		t.Run(m.Name, func(t *testing.T) {
			pb, _ := converttest.Build(t, m, source)
			require.Len(t, pb.GetGraph().GetInput(), 1)
			assert.Equal(t, InputName, pb.GetGraph().GetInput()[0].GetName())
		})
	}
}

func TestModelsAreDistinctAssets(t *testing.T) {
	converttest.Assets(t, Models(), source)
}
