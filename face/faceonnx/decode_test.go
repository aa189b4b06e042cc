package faceonnx

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeDetectionsDropsNonFinite: a NaN score or box coordinate passes
// every comparison written as "skip when below", and a NaN box then crashed
// the crops downstream (liveness indexed outside its pixels).
func TestDecodeDetectionsDropsNonFinite(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	scores := []float32{
		0, 0.99, // good
		0, nan, // NaN score
		0, 0.99, // NaN box
		0, 0.99, // infinite box
		0, 0.99, // empty box
		0, 0.5, // under the threshold
		0, inf, // infinite score
	}
	boxes := []float32{
		0.1, 0.1, 0.4, 0.5,
		0.1, 0.1, 0.4, 0.5,
		nan, 0.1, 0.4, 0.5,
		0.1, 0.1, inf, 0.5,
		0.4, 0.1, 0.4, 0.5,
		0.1, 0.1, 0.4, 0.5,
		0.1, 0.1, 0.4, 0.5,
	}
	got := decodeDetections(scores, boxes, 0, 0.65)
	require.Len(t, got, 1)
	assert.InDelta(t, 0.99, got[0].Score, 1e-6)
	assert.InDelta(t, 0.3, got[0].Box.W(), 1e-6)

	// With a border of pad on each side, boxes map back to the image.
	got = decodeDetections([]float32{0, 0.9}, []float32{0.25, 0.25, 0.75, 0.75}, 0.5, 0.65)
	require.Len(t, got, 1)
	assert.InDelta(t, 0, got[0].Box.X1, 1e-6)
	assert.InDelta(t, 1, got[0].Box.X2, 1e-6)

	// Short outputs are read no further than they go.
	assert.Empty(t, decodeDetections([]float32{0, 0.9}, []float32{0.1, 0.1}, 0, 0.65))
}
