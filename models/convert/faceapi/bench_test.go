package faceapi

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/onnx"
)

// BenchmarkInference runs each converted model on one face with one
// intra-op thread (the project's session default) and reports the median
// latency besides Go's mean.
func BenchmarkInference(b *testing.B) {
	for _, m := range Models() {
		size := int64(AgeGenderSize)
		if m.Name == RecognitionName {
			size = RecognitionSize
		}
		b.Run(m.Name, func(b *testing.B) {
			s := session(b, m)
			in := onnx.NewTensor(1, size, size, 3)
			r := rand.New(rand.NewPCG(1, 1))
			for i := range in.Data {
				in.Data[i] = float32(r.IntN(256))
			}
			if _, err := s.Run(in); err != nil { // warm-up
				b.Fatal(err)
			}
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				if _, err := s.Run(in); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		})
	}
}

// BenchmarkBuild measures building each model from the installed sources
// (decode, graph, marshal), which `idkit models install` does once.
func BenchmarkBuild(b *testing.B) {
	for _, m := range Models() {
		b.Run(m.Name, func(b *testing.B) {
			c := modeltest.Cache(b, m.Sources...)
			var size int
			for b.Loop() {
				data, err := m.Build(c)
				if err != nil {
					b.Fatal(err)
				}
				size = len(data)
			}
			b.ReportMetric(float64(size)/1e6, "MB")
		})
	}
}
