package facematch

import (
	"runtime"

	"golang.org/x/sys/unix"

	"context"
	"slices"
	"testing"
	"time"

	"github.com/idkit-dev/idkit/face"
)

// medianMS times each iteration of fn and reports the median in ms: the
// mean that go test prints hides the odd slow run on a busy machine.
func medianMS(b *testing.B, fn func()) {
	// ONNX Runtime runs its one intra-op thread on the caller's thread, so
	// the thread's CPU time is the work done, whatever else the machine
	// runs; the wall time is reported beside it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var wall, cpu []time.Duration
	for b.Loop() {
		t0, c0 := time.Now(), threadCPU()
		fn()
		cpu = append(cpu, threadCPU()-c0)
		wall = append(wall, time.Since(t0))
	}
	slices.Sort(wall)
	slices.Sort(cpu)
	b.ReportMetric(float64(wall[len(wall)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(cpu[len(cpu)/2].Microseconds())/1000, "cpu-ms-median")
}

func threadCPU() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkEmbed is one face's embedding (what the 12 ms target is about)
// on one core: ONNX Runtime runs with one intra-op thread.
func BenchmarkEmbed(b *testing.B) {
	m := newMatcher(b, Config{})
	img := fixture(b, obamas[0])
	faces, err := m.det.Detect(context.Background(), img)
	if err != nil || len(faces) == 0 {
		b.Fatal(err)
	}
	aligned, err := face.Align(img, faces[0], face.AlignSize)
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []struct {
		name string
		net  Network
		flip bool
	}{{"mobilefacenet", MobileFaceNet, false}, {"mobilefacenet-flip", MobileFaceNet, true}, {"fr_feature", FrFeature, false}} {
		e, err := NewONNX(ONNXConfig{Models: newMatcherCache(b), Network: v.net, Flip: v.flip})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(v.name, func(b *testing.B) {
			medianMS(b, func() {
				if _, err := e.Embed(context.Background(), aligned); err != nil {
					b.Fatal(err)
				}
			})
		})
		e.Close()
	}
}

// BenchmarkCompare is the full match of two decoded photos: detection,
// landmarks, alignment and embedding of both, and the decision.
func BenchmarkCompare(b *testing.B) {
	m := newMatcher(b, Config{})
	a, c := fixture(b, obamas[0]), fixture(b, obamas[2])
	medianMS(b, func() {
		if _, err := m.Compare(context.Background(), Probe{Image: a}, Probe{Image: c}); err != nil {
			b.Fatal(err)
		}
	})
}
