package liveness

import (
	"fmt"
	"math"
	"os"
	"slices"
	"testing"
)

// Face size against the current fusion's reliability: error rates of
// DefaultFusion at its threshold by face-size bucket on both halves of the
// development set and on the camera-like fixture frames, and what a larger
// minimum face size (below it: inconclusive, hint too_far) would do. The
// minimum is chosen on half A alone by a stated rule (sizeRule) and
// reported on half B. Measurement only:
//
//	IDKIT_LIVENESS_REFIT=1 go test -run TestMeasureFaceSize -v ./liveness

// sizeBuckets are the lower edges of the face-size buckets, in pixels.
var sizeBuckets = []float64{0, 64, 96, 128, 192, 256}

// minSizeCandidates are the minimum face sides considered.
var minSizeCandidates = []float64{64, 72, 80, 88, 96, 104, 112, 120, 128, 160}

// sizeOutcome counts the decisions on rows under a minimum face side:
// faces below it are not judged ("unknown").
type sizeOutcome struct {
	live, attacks           int
	rejected, accepted      int // judged live rejected, judged attacks accepted
	liveUnknown, attUnknown int
}

func applyMinSize(rows []padRow, minSide, thr float64) sizeOutcome {
	var o sizeOutcome
	for _, r := range rows {
		if r.live {
			o.live++
		} else {
			o.attacks++
		}
		switch {
		case r.side < minSide && r.live:
			o.liveUnknown++
		case r.side < minSide:
			o.attUnknown++
		case r.live && r.score < thr:
			o.rejected++
		case !r.live && r.score >= thr:
			o.accepted++
		}
	}
	return o
}

// judgedACER is the ACER over the faces judged.
func (o sizeOutcome) judgedACER() float64 {
	return (ratio(o.accepted, o.attacks-o.attUnknown) + ratio(o.rejected, o.live-o.liveUnknown)) / 2
}

// effectiveACER counts a live face sent back as too far as rejected, and an
// attack sent back as not accepted: what a user and an attacker see.
func (o sizeOutcome) effectiveACER() float64 {
	return (ratio(o.accepted, o.attacks) + ratio(o.rejected+o.liveUnknown, o.live)) / 2
}

func (o sizeOutcome) String() string {
	return fmt.Sprintf("live %3d (rejected %2d, unknown %2d = %5.1f%%) attacks %3d (accepted %2d, unknown %2d = %5.1f%%): judged APCER %5.2f%% BPCER %5.2f%% ACER %5.2f%%, effective ACER %5.2f%%",
		o.live, o.rejected, o.liveUnknown, 100*ratio(o.liveUnknown, o.live), o.attacks, o.accepted, o.attUnknown, 100*ratio(o.attUnknown, o.attacks),
		100*ratio(o.accepted, o.attacks-o.attUnknown), 100*ratio(o.rejected, o.live-o.liveUnknown), 100*o.judgedACER(), 100*o.effectiveACER())
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// sizeRule picks the minimum face side on half A: the lowest effective
// ACER (a live face turned away counts as rejected), ties to the smaller
// minimum. Judged-only ACER would reward turning every hard face away.
func sizeRule(a []padRow, thr float64) float64 {
	best, bestACER := minSizeCandidates[0], math.Inf(1)
	for _, m := range minSizeCandidates {
		if e := applyMinSize(a, m, thr).effectiveACER(); e < bestACER-1e-9 {
			best, bestACER = m, e
		}
	}
	return best
}

// TestMeasureFaceSize reports the fusion's errors by face size and the
// minimum face side half A chooses.
func TestMeasureFaceSize(t *testing.T) {
	if os.Getenv("IDKIT_LIVENESS_REFIT") != "1" {
		t.Skip("set IDKIT_LIVENESS_REFIT=1 to measure face size against reliability")
	}
	d := loadPADRows(t)
	thr := DefaultFusion().Threshold
	t.Logf("development-set images without a face: %d", d.undetect)
	halves := []struct {
		name string
		rows []padRow
	}{{"A", d.a}, {"B", d.b}, {"camera-like", d.cam}}
	for _, h := range halves {
		t.Logf("half %s by face side (DefaultFusion, threshold %.2f; faces under 64 px judged here only):", h.name, thr)
		for i, lo := range sizeBuckets {
			hi := math.Inf(1)
			if i+1 < len(sizeBuckets) {
				hi = sizeBuckets[i+1]
			}
			in := slices.DeleteFunc(slices.Clone(h.rows), func(r padRow) bool { return r.side < lo || r.side >= hi })
			o := applyMinSize(in, 0, thr)
			t.Logf("  [%3.0f, %3.0f) live %3d rejected %2d (%5.1f%%)  attacks %3d accepted %2d (%5.1f%%)",
				lo, hi, o.live, o.rejected, 100*ratio(o.rejected, o.live), o.attacks, o.accepted, 100*ratio(o.accepted, o.attacks))
		}
		for _, r := range h.rows {
			wrong := (r.live && r.score < thr) || (!r.live && r.score >= thr)
			if wrong && r.side >= DefaultMinFaceSize {
				t.Logf("    error: %s live %-5v side %4.0f score %.3f net %.3f moire %.2f sat %.3f clean %v", r.file, r.live, r.side, r.score, r.net[0], r.cues.Moire, r.cues.Saturation, r.clean)
			}
		}
	}
	for _, m := range minSizeCandidates {
		for _, h := range halves {
			t.Logf("min side %3.0f half %-11s %s", m, h.name, applyMinSize(h.rows, m, thr))
		}
	}
	// Measured: half A's live errors are 97, 129 and 144 px faces and its
	// accepted attacks 297–354 px; the rule keeps 64 px (effective ACER 5.1%
	// there, rising with every larger minimum). Half B's three rejected live
	// faces are 88–97 px: a 104 px minimum would bring B's judged ACER to
	// 3.7% but send back 21% of B's live faces (25% of A's), which A does
	// not justify. The camera-like frames' rejections are all faces of 286
	// px and more, cut by the frame or too close.
	chosen := sizeRule(d.a, thr)
	t.Logf("chosen on half A (lowest effective ACER, ties to the smaller): %.0f px", chosen)
	for _, h := range halves {
		t.Logf("  at %3.0f half %-11s %s", chosen, h.name, applyMinSize(h.rows, chosen, thr))
	}
}
