package age

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/idkit-dev/idkit/internal/vecmath"
)

var (
	// ErrTooFewFrames means too few usable frames to decide on.
	ErrTooFewFrames = errors.New("age: too few usable frames")
	// ErrDifferentPeople means the frames do not all show the same person.
	ErrDifferentPeople = errors.New("age: frames show different people")
)

// Frame is one frame's estimate in a capture session.
type Frame struct {
	Estimate Estimate
	// Embedding is the face embedding of the frame (any unit-length
	// vector from one model); when set, every frame must show the same
	// person.
	Embedding []float32
	// Usable is false for frames the capture-quality check rejected; they
	// are counted but not used.
	Usable bool
}

// AggregateOptions configures Aggregate.
type AggregateOptions struct {
	// MinFrames is the least number of usable, consistent frames; 0 means 3.
	MinFrames int
	// MinSimilarity is the least cosine similarity between a frame's
	// embedding and the session's reference embedding; 0 means 0.5. With
	// facematch's networks that is a strict bar: different people reach
	// it in about 0.03% of LFW pairs with MobileFaceNet (cosine 0.53 is
	// FAR 0.01%) and fewer with fr_feature, while frames of one capture
	// session sit far above it.
	MinSimilarity float64
	// OutlierMAD rejects frames more than this many median absolute
	// deviations from the median age; 0 means 3.
	OutlierMAD float64
}

// Aggregate combines the estimates of several frames of one person into one:
// unusable frames are dropped, every frame must show the same person,
// outliers (a blurred frame read 15 years off) are rejected by median
// absolute deviation, and the rest are averaged, each weighted by its
// precision. The uncertainty combines the frames' own with their spread.
func Aggregate(frames []Frame, opts AggregateOptions) (Estimate, error) {
	if opts.MinFrames <= 0 {
		opts.MinFrames = 3
	}
	if opts.MinSimilarity == 0 {
		opts.MinSimilarity = 0.5
	}
	if opts.OutlierMAD == 0 {
		opts.OutlierMAD = 3
	}
	var good []Frame
	for _, f := range frames {
		if f.Usable {
			good = append(good, f)
		}
	}
	if len(good) < opts.MinFrames {
		return Estimate{}, fmt.Errorf("%w: %d usable of %d, need %d", ErrTooFewFrames, len(good), len(frames), opts.MinFrames)
	}
	if err := samePerson(good, opts.MinSimilarity); err != nil {
		return Estimate{}, err
	}
	ages := make([]float64, len(good))
	for i, f := range good {
		ages[i] = f.Estimate.Age
	}
	med := median(ages)
	dev := make([]float64, len(ages))
	for i, a := range ages {
		dev[i] = math.Abs(a - med)
	}
	// 1.4826 scales the MAD to a standard deviation for normal data; a
	// floor of one year keeps near-identical frames from rejecting each other.
	mad := math.Max(1.4826*median(dev), 1)
	var kept []Frame
	for _, f := range good {
		if math.Abs(f.Estimate.Age-med) <= opts.OutlierMAD*mad {
			kept = append(kept, f)
		}
	}
	if len(kept) < opts.MinFrames {
		return Estimate{}, fmt.Errorf("%w: %d consistent of %d usable, need %d", ErrTooFewFrames, len(kept), len(good), opts.MinFrames)
	}
	var wsum, mean float64
	var conf float64
	views := 0
	for _, f := range kept {
		s := math.Max(f.Estimate.StdDev, 0.5)
		w := 1 / (s * s)
		wsum += w
		mean += w * f.Estimate.Age
		conf += f.Estimate.Confidence
		views += max(f.Estimate.Views, 1)
	}
	mean /= wsum
	var spread float64
	for _, f := range kept {
		spread += (f.Estimate.Age - mean) * (f.Estimate.Age - mean)
	}
	spread /= float64(len(kept))
	// Frames of one session are strongly correlated (same face, same light),
	// so averaging them does not shrink the model's error like independent
	// samples would: keep the mean per-frame uncertainty, not sd/sqrt(n).
	var meanSD float64
	for _, f := range kept {
		meanSD += f.Estimate.StdDev / float64(len(kept))
	}
	sd := math.Sqrt(meanSD*meanSD + spread)
	e := Estimate{
		Age:        mean,
		StdDev:     sd,
		Confidence: conf / float64(len(kept)),
		Views:      views,
		Model:      kept[0].Estimate.Model,
	}
	e.Low, e.High = Range(e.Age, e.StdDev)
	return e, nil
}

func samePerson(frames []Frame, min float64) error {
	var ref []float32
	for _, f := range frames {
		if len(f.Embedding) > 0 {
			ref = f.Embedding
			break
		}
	}
	if ref == nil {
		return nil
	}
	for i, f := range frames {
		if len(f.Embedding) == 0 {
			continue
		}
		if len(f.Embedding) != len(ref) {
			return fmt.Errorf("age: frame %d embedding has %d values, others %d", i, len(f.Embedding), len(ref))
		}
		if s := vecmath.Cosine(ref, f.Embedding); s < min {
			return fmt.Errorf("%w: frame %d similarity %.2f < %.2f", ErrDifferentPeople, i, s, min)
		}
	}
	return nil
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Range is the age range reported to users for an estimate of age years
// with standard deviation sd: ± 2 standard deviations, the low end clamped
// at 0 (Estimate.Low and Estimate.High).
func Range(age, sd float64) (low, high float64) {
	return math.Max(0, age-2*sd), age + 2*sd
}
