package eval

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Scored is one scored example of a two-class problem. For liveness the
// positive class is bona fide (live) and the score is the confidence that
// the face is live; for verification positive means same person and the
// score is the similarity. An example is accepted (decided positive) when
// Score ≥ threshold.
type Scored struct {
	Score    float64
	Positive bool
}

// Confusion counts the decisions at one threshold.
type Confusion struct {
	TP, FP, TN, FN int
}

// ConfusionAt decides every example at threshold t.
func ConfusionAt(s []Scored, t float64) Confusion {
	var c Confusion
	for _, x := range s {
		accepted := x.Score >= t
		switch {
		case x.Positive && accepted:
			c.TP++
		case x.Positive:
			c.FN++
		case accepted:
			c.FP++
		default:
			c.TN++
		}
	}
	return c
}

// PADRates are the presentation-attack-detection error rates of ISO/IEC
// 30107-3 at one threshold.
type PADRates struct {
	APCER float64 // attacks (spoofs) accepted as live / attacks
	BPCER float64 // bona fide (live) rejected as attacks / bona fide
	ACER  float64 // (APCER + BPCER) / 2
}

// PAD computes APCER, BPCER and ACER at threshold t, with live examples
// positive.
func PAD(s []Scored, t float64) (PADRates, error) {
	if _, _, err := checkScored(s); err != nil {
		return PADRates{}, err
	}
	c := ConfusionAt(s, t)
	r := PADRates{
		APCER: float64(c.FP) / float64(c.FP+c.TN),
		BPCER: float64(c.FN) / float64(c.FN+c.TP),
	}
	r.ACER = (r.APCER + r.BPCER) / 2
	return r, nil
}

// EER finds the threshold where the false-accept rate (negatives accepted)
// and the false-reject rate (positives rejected) are closest, among the
// thresholds that change a decision (each distinct score, and just above
// the highest), and returns their mean there. Ties keep the lowest
// threshold.
func EER(s []Scored) (eer, threshold float64, err error) {
	sorted, pos, neg, err := sortedScored(s)
	if err != nil {
		return 0, 0, err
	}
	best := math.Inf(1)
	// Sweep thresholds upward; rejected examples are those below t.
	posBelow, negBelow := 0, 0
	consider := func(t float64) {
		far := float64(neg-negBelow) / float64(neg)
		frr := float64(posBelow) / float64(pos)
		if d := math.Abs(far - frr); d < best {
			best, eer, threshold = d, (far+frr)/2, t
		}
	}
	for i := 0; i < len(sorted); {
		v := sorted[i].Score
		consider(v)
		for ; i < len(sorted) && sorted[i].Score == v; i++ {
			if sorted[i].Positive {
				posBelow++
			} else {
				negBelow++
			}
		}
	}
	consider(math.Nextafter(sorted[len(sorted)-1].Score, math.Inf(1)))
	return eer, threshold, nil
}

// AUC is the area under the ROC curve: the probability that a random
// positive scores above a random negative, ties counting one half
// (the Mann–Whitney statistic). O(n log n).
func AUC(s []Scored) (float64, error) {
	sorted, pos, neg, err := sortedScored(s)
	if err != nil {
		return 0, err
	}
	var sum float64 // pairs won by positives, in units of half a pair
	negBelow := 0
	for i := 0; i < len(sorted); {
		v := sorted[i].Score
		gPos, gNeg := 0, 0
		for ; i < len(sorted) && sorted[i].Score == v; i++ {
			if sorted[i].Positive {
				gPos++
			} else {
				gNeg++
			}
		}
		sum += float64(gPos) * (2*float64(negBelow) + float64(gNeg))
		negBelow += gNeg
	}
	return sum / 2 / (float64(pos) * float64(neg)), nil
}

// TAROperatingPoint is the true-accept rate reached at a target
// false-accept rate, and the threshold that reaches it.
type TAROperatingPoint struct {
	TAR       float64 // positives accepted / positives
	FAR       float64 // negatives accepted / negatives, ≤ the target
	Threshold float64 // accept when score ≥ Threshold
}

// TARAtFAR returns the highest true-accept rate whose false-accept rate is
// at most far (for example 1e-2), and the lowest threshold giving it. With
// N negatives, at most floor(far·N) of them may be accepted; tied scores
// are never split, so the achieved FAR may be below the target.
func TARAtFAR(s []Scored, far float64) (TAROperatingPoint, error) {
	if !(far > 0 && far <= 1) {
		return TAROperatingPoint{}, fmt.Errorf("eval: target FAR %v not in (0, 1]", far)
	}
	pos, neg, err := checkScored(s)
	if err != nil {
		return TAROperatingPoint{}, err
	}
	negScores := make([]float64, 0, neg)
	minScore := math.Inf(1)
	for _, x := range s {
		if !x.Positive {
			negScores = append(negScores, x.Score)
		}
		minScore = math.Min(minScore, x.Score)
	}
	slices.SortFunc(negScores, func(a, b float64) int { return cmp.Compare(b, a) })
	// The epsilon keeps 0.01*300 from flooring to 2 through float error.
	k := int(math.Floor(far*float64(neg) + 1e-9))
	t := minScore // every negative may be accepted
	if k < neg {
		t = math.Nextafter(negScores[k], math.Inf(1))
	}
	c := ConfusionAt(s, t)
	return TAROperatingPoint{
		TAR:       float64(c.TP) / float64(pos),
		FAR:       float64(c.FP) / float64(neg),
		Threshold: t,
	}, nil
}

// Accuracy is the share of examples decided right at threshold t. Unlike
// the other binary metrics it accepts a single class.
func Accuracy(s []Scored, t float64) (float64, error) {
	if err := checkFinite(s); err != nil {
		return 0, err
	}
	c := ConfusionAt(s, t)
	return float64(c.TP+c.TN) / float64(len(s)), nil
}

// BestAccuracy sweeps every threshold that changes a decision and returns
// the best accuracy and its threshold: the midpoint between the two scores
// it separates (or just above the highest score, or the lowest score when
// accepting everything wins). Ties keep the lowest threshold. This is an
// optimistic number fitted to the data, to compare with Accuracy at the
// module's own threshold.
func BestAccuracy(s []Scored) (acc, threshold float64, err error) {
	if err := checkFinite(s); err != nil {
		return 0, 0, err
	}
	sorted := slices.Clone(s)
	slices.SortFunc(sorted, func(a, b Scored) int { return cmp.Compare(a.Score, b.Score) })
	pos := 0
	for _, x := range sorted {
		if x.Positive {
			pos++
		}
	}
	// Cut c rejects sorted[:c] and accepts sorted[c:].
	correct := pos // c == 0: all accepted
	bestCorrect, threshold := correct, sorted[0].Score
	for c := 0; c < len(sorted); {
		v := sorted[c].Score
		for ; c < len(sorted) && sorted[c].Score == v; c++ {
			if sorted[c].Positive {
				correct--
			} else {
				correct++
			}
		}
		if correct <= bestCorrect {
			continue
		}
		bestCorrect = correct
		if c == len(sorted) {
			threshold = math.Nextafter(v, math.Inf(1))
			continue
		}
		threshold = v + (sorted[c].Score-v)/2
		if threshold <= v { // adjacent floats: no midpoint exists
			threshold = sorted[c].Score
		}
	}
	return float64(bestCorrect) / float64(len(sorted)), threshold, nil
}

func checkFinite(s []Scored) error {
	if len(s) == 0 {
		return ErrEmpty
	}
	for i, x := range s {
		if !finite(x.Score) {
			return fmt.Errorf("%w: score %d", ErrBadValue, i)
		}
	}
	return nil
}

func checkScored(s []Scored) (pos, neg int, err error) {
	if err := checkFinite(s); err != nil {
		return 0, 0, err
	}
	for _, x := range s {
		if x.Positive {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return pos, neg, fmt.Errorf("%w: %d positive, %d negative", ErrOneClass, pos, neg)
	}
	return pos, neg, nil
}

func sortedScored(s []Scored) (sorted []Scored, pos, neg int, err error) {
	pos, neg, err = checkScored(s)
	if err != nil {
		return nil, 0, 0, err
	}
	sorted = slices.Clone(s)
	slices.SortFunc(sorted, func(a, b Scored) int { return cmp.Compare(a.Score, b.Score) })
	return sorted, pos, neg, nil
}
