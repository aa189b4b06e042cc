//go:build amd64 || arm64

package onnx

import "runtime"

func getFPControl() uint64
func setFPControl(v uint64)

// withoutDenormals runs fn on a locked OS thread with denormal floats
// flushed to zero, and restores the thread's floating-point state after.
//
// Every Session.Run goes through it. Why: fr_feature has 8,939 denormal weights (values below 1.2e-38) and
// its activations produce more; the CPU takes a microcode slow path for
// each, and one embedding cost 100–130 ms of CPU instead of about 18 ms.
// ONNX Runtime's session.set_denormal_as_zero option only sets the flag on
// its pool threads, and with one intra-op thread (the project's setting)
// the model runs on the calling thread, so the flag is set here, for every
// model (the detector measured no change; no model here relies on denormals). The
// thread is locked so no other goroutine runs with the flag set; Go's own
// float code never depends on denormals between the two calls.
func withoutDenormals(fn func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	old := getFPControl()
	setFPControl(old | flushBits)
	defer setFPControl(old)
	fn()
}
