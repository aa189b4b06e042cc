package onnx_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/onnx"
)

func TestSessionRunsDetector(t *testing.T) {
	c := modeltest.Cache(t, "fr_detect")
	s, err := onnx.Load(c, "fr_detect", onnx.Options{})
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, []string{"input"}, s.Inputs())
	assert.Equal(t, []string{"scores", "boxes"}, s.Outputs())

	out, err := s.Run(onnx.NewTensor(1, 3, 240, 320))
	require.NoError(t, err)
	require.Len(t, out, 2)
	assert.Equal(t, []int64{1, 4420, 2}, out[0].Shape)
	assert.Equal(t, []int64{1, 4420, 4}, out[1].Shape)
	assert.Len(t, out[1].Data, 4420*4)
}

func TestSessionRejectsBadInput(t *testing.T) {
	c := modeltest.Cache(t, "fr_detect")
	s, err := onnx.Load(c, "fr_detect", onnx.Options{})
	require.NoError(t, err)
	defer s.Close()

	_, err = s.Run(onnx.Tensor{Shape: []int64{1, 3, 240, 320}, Data: make([]float32, 10)})
	assert.ErrorIs(t, err, onnx.ErrShape)
	_, err = s.Run()
	assert.Error(t, err)
	_, err = s.Run(onnx.NewTensor(1, 3, 10, 10))
	assert.Error(t, err, "the runtime's shape error comes back as an error, not a crash")

	require.NoError(t, s.Close())
	_, err = s.Run(onnx.NewTensor(1, 3, 240, 320))
	assert.ErrorIs(t, err, onnx.ErrClosed, "a Run after Close is an error, not a nil dereference")
	assert.NoError(t, s.Close(), "closing twice is harmless")
}

func TestSessionConcurrentRunsAgree(t *testing.T) {
	c := modeltest.Cache(t, "fr_landmark")
	s, err := onnx.Load(c, "fr_landmark", onnx.Options{})
	require.NoError(t, err)
	defer s.Close()
	in := onnx.NewTensor(1, 1, 64, 64)
	for i := range in.Data {
		in.Data[i] = float32(i%64) / 64
	}
	want, err := s.Run(in)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				got, err := s.Run(in)
				if !assert.NoError(t, err) {
					return
				}
				assert.Equal(t, want[0].Data, got[0].Data)
			}
		}()
	}
	wg.Wait()
}

func TestInitRejectsSecondLibrary(t *testing.T) {
	c := modeltest.Cache(t)
	require.NoError(t, onnx.InitFromCache(c))
	require.NoError(t, onnx.InitFromCache(c), "same library twice is fine")
	assert.Error(t, onnx.Init("/nonexistent/libonnxruntime.so"))
}

func BenchmarkLandmarkRun(b *testing.B) {
	c := modeltest.Cache(b, "fr_landmark")
	s, err := onnx.Load(c, "fr_landmark", onnx.Options{})
	require.NoError(b, err)
	defer s.Close()
	in := onnx.NewTensor(1, 1, 64, 64)
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Run(in); err != nil {
			b.Fatal(err)
		}
	}
}
