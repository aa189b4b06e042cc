package benchcpu

import (
	"runtime"
	"testing"
	"time"
)

// A busy loop uses CPU on its thread; a sleep does not.
func TestThreadCPUCountsWorkNotSleep(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("thread CPU time is only read on Linux")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	c0 := ThreadCPU()
	deadline := time.Now().Add(30 * time.Millisecond)
	x := 0
	for time.Now().Before(deadline) {
		x++
	}
	busy := ThreadCPU() - c0
	if busy <= 0 {
		t.Fatalf("thread CPU did not advance over a busy loop (%d iterations)", x)
	}
	c1 := ThreadCPU()
	time.Sleep(30 * time.Millisecond)
	if slept := ThreadCPU() - c1; slept >= busy {
		t.Errorf("sleeping used %v of CPU, the busy loop %v", slept, busy)
	}
}

func BenchmarkLoop(b *testing.B) {
	Loop(b, func() { time.Sleep(time.Millisecond) })
}
