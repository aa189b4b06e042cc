package imgproc

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuadToQuadMapsCornersAndInverts(t *testing.T) {
	src := [4][2]float64{{0, 0}, {100, 0}, {100, 60}, {0, 60}}
	dst := [4][2]float64{{12, 8}, {130, 20}, {118, 95}, {5, 70}}
	h, ok := QuadToQuad(src, dst)
	require.True(t, ok)
	for k := range src {
		x, y := h.Apply(src[k][0], src[k][1])
		assert.InDelta(t, dst[k][0], x, 1e-9)
		assert.InDelta(t, dst[k][1], y, 1e-9)
	}
	inv, ok := h.Invert()
	require.True(t, ok)
	x, y := inv.Apply(h.Apply(37, 21))
	assert.InDelta(t, 37, x, 1e-9)
	assert.InDelta(t, 21, y, 1e-9)

	_, ok = QuadToQuad(src, [4][2]float64{{0, 0}, {1, 1}, {2, 2}, {3, 3}})
	assert.False(t, ok, "collinear corners")
	_, ok = Homography{}.Invert()
	assert.False(t, ok)
}
