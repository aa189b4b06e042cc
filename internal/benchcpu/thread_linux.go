package benchcpu

import (
	"time"

	"golang.org/x/sys/unix"
)

// ThreadCPU is the user plus system CPU time the calling OS thread has
// used, or 0 if the kernel will not say.
func ThreadCPU() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
