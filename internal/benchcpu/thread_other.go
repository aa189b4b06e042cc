//go:build !linux

package benchcpu

import "time"

// ThreadCPU returns 0: only Linux reports a single thread's CPU time, so
// elsewhere "cpu-ms-median" reads 0 and only the wall time means anything.
func ThreadCPU() time.Duration { return 0 }
