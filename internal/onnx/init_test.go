package onnx_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/onnx"
)

// A failed Init loads nothing, so it must not block a later Init with the
// right library (it did: "runtime already loaded from /nonexistent/...").
// This file sorts before the others, so its test runs before any other
// loads the runtime.
func TestInitAfterFailedInit(t *testing.T) {
	c := modeltest.Cache(t)
	assert.Error(t, onnx.Init("/nonexistent/libonnxruntime.so"))
	require.NoError(t, onnx.InitFromCache(c))
}
