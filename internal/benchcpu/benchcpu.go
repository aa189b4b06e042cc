// Package benchcpu times benchmark operations by the CPU time of the thread
// that runs them, beside the wall time. On a shared machine the wall time
// of a model run measures whatever else the machine is doing; ONNX Runtime,
// configured by internal/onnx with one intra-op thread, computes on the
// caller's thread, so that thread's CPU time is the work itself. It is only
// meaningful for code that does not hand work to other goroutines.
package benchcpu

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// Loop runs fn once per b.Loop iteration on a locked OS thread and reports
// the median wall time ("ms-median") and the median thread CPU time
// ("cpu-ms-median") of one call.
func Loop(b *testing.B, fn func()) {
	b.Helper()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var wall, cpu []time.Duration
	for b.Loop() {
		t0, c0 := time.Now(), ThreadCPU()
		fn()
		cpu = append(cpu, ThreadCPU()-c0)
		wall = append(wall, time.Since(t0))
	}
	if len(wall) == 0 {
		return
	}
	slices.Sort(wall)
	slices.Sort(cpu)
	b.ReportMetric(float64(wall[len(wall)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(cpu[len(cpu)/2].Microseconds())/1000, "cpu-ms-median")
}
