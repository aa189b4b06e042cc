package local

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
)

// cpuTime is the process's user+system CPU time: on a shared machine it
// measures the work of one read better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkReadMRZ reads the MRZ of a 1600x1200 photo of a passport
// (realistic degradation), the path `idkit eval mrz` measures. cpu-ms/op is
// the CPU time of one read: the single-core latency.
func BenchmarkReadMRZ(b *testing.B) {
	r := newReader(b, false)
	img, _, _ := photo(b, mrz.TD3, 11, specimen.Realistic(11))
	ctx := context.Background()
	if _, err := r.ReadMRZ(ctx, img); err != nil { // warm the Tesseract client
		b.Fatal(err)
	}
	c0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		m, err := r.ReadMRZ(ctx, img)
		if err != nil || !m.Valid {
			b.Fatalf("read %v valid %v", err, m != nil && m.Valid)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}
