package eval

import (
	"math"
	"slices"
	"time"
)

// Timing summarizes how long items took, in milliseconds.
type Timing struct {
	N        int
	MeanMS   float64
	MedianMS float64
	P95MS    float64 // nearest-rank 95th percentile
	TotalMS  float64
}

// TimingOf summarizes durations. The median is the headline number in
// reports: the first item pays for warm-up and would skew a mean.
func TimingOf(d []time.Duration) (Timing, error) {
	if len(d) == 0 {
		return Timing{}, ErrEmpty
	}
	ms := make([]float64, len(d))
	var total float64
	for i, x := range d {
		ms[i] = float64(x) / float64(time.Millisecond)
		total += ms[i]
	}
	slices.Sort(ms)
	n := len(ms)
	median := ms[n/2]
	if n%2 == 0 {
		median = (ms[n/2-1] + ms[n/2]) / 2
	}
	rank := int(math.Ceil(0.95*float64(n))) - 1
	return Timing{
		N:        n,
		MeanMS:   total / float64(n),
		MedianMS: median,
		P95MS:    ms[max(rank, 0)],
		TotalMS:  total,
	}, nil
}
