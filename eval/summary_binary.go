package eval

import (
	"errors"
	"fmt"
)

// LivenessPrediction is what the per-item function of `eval liveness`
// returns.
type LivenessPrediction struct {
	Score float64 // confidence that the face is live, 0–1
}

// LivenessReport is the result of `idkit eval liveness`. Live images are
// the bona fide class: APCER is the share of spoofs accepted, BPCER the
// share of live images rejected, at Threshold. Items with an error (no
// face) are left out of the score metrics; BPCERWithFailures counts the
// live ones among them as rejected, as a user would experience it.
type LivenessReport struct {
	N                 int     `json:"n"`
	NoFace            int     `json:"no_face"`
	Scored            int     `json:"scored"`
	Live              int     `json:"live"`  // scored live images
	Spoof             int     `json:"spoof"` // scored spoof images
	APCER             Number  `json:"apcer"`
	BPCER             Number  `json:"bpcer"`
	ACER              Number  `json:"acer"`
	Threshold         float64 `json:"threshold"`
	BPCERWithFailures Number  `json:"bpcer_with_failures"`
	EER               Number  `json:"eer"`
	EERThreshold      Number  `json:"eer_threshold"`
	AUC               Number  `json:"auc"`
	MSPerImage        Number  `json:"ms_per_image"` // median over items run
	MSPerImageMean    Number  `json:"ms_per_image_mean"`
	MSPerImageP95     Number  `json:"ms_per_image_p95"`

	RunInfo
}

// SummarizeLiveness computes the liveness report at the checker's decision
// threshold.
func SummarizeLiveness(set *Set[LivenessItem], outcomes []Outcome[LivenessItem, LivenessPrediction], stats RunStats, threshold float64) *LivenessReport {
	r := &LivenessReport{RunInfo: NewRunInfo(set, outcomes, stats), N: len(outcomes), Threshold: threshold}
	r.NoFace = r.Errors["no_face"]
	var s []Scored
	failedLive := 0
	for _, o := range outcomes {
		if o.Err != nil {
			if o.Item.Live {
				failedLive++
			}
			continue
		}
		s = append(s, Scored{Score: o.Result.Score, Positive: o.Item.Live})
		if o.Item.Live {
			r.Live++
		} else {
			r.Spoof++
		}
	}
	r.Scored = len(s)
	pad, err := PAD(s, threshold)
	switch {
	case err == nil:
		r.APCER, r.BPCER, r.ACER = Num(pad.APCER), Num(pad.BPCER), Num(pad.ACER)
	case errors.Is(err, ErrOneClass):
		// A one-class set still has that class's error rate: only the
		// other rate and ACER are absent.
		c := ConfusionAt(s, threshold)
		if n := c.FP + c.TN; n > 0 {
			r.APCER = Num(float64(c.FP) / float64(n))
		} else {
			r.Note("apcer", err)
		}
		if n := c.FN + c.TP; n > 0 {
			r.BPCER = Num(float64(c.FN) / float64(n))
		} else {
			r.Note("bpcer", err)
		}
		r.Note("acer", err)
	default:
		r.Note("apcer/bpcer", err)
	}
	if live := r.Live + failedLive; live > 0 {
		rejected := ConfusionAt(s, threshold).FN + failedLive
		r.BPCERWithFailures = Num(float64(rejected) / float64(live))
	}
	eer, t, err := EER(s)
	r.Note("eer", err)
	r.EER, r.EERThreshold = NumOf(eer, err), NumOf(t, err)
	r.AUC = NumOf(AUC(s))
	r.MSPerImage, r.MSPerImageMean, r.MSPerImageP95 = timingOf(outcomes, &r.RunInfo)
	return r
}

// Sections lays the report out for people.
func (r *LivenessReport) Sections() []Section {
	main := Section{Title: "liveness", Rows: [][]string{
		{"n", itoa(r.N)},
		{"no_face", itoa(r.NoFace)},
		{"scored", itoa(r.Scored), fmt.Sprintf("%d live, %d spoof", r.Live, r.Spoof)},
		{"threshold", Num(r.Threshold).Format(4)},
		{"apcer", r.APCER.Format(4), "spoofs accepted"},
		{"bpcer", r.BPCER.Format(4), "live rejected"},
		{"acer", r.ACER.Format(4)},
		{"bpcer_with_failures", r.BPCERWithFailures.Format(4), "live rejected or not analysed"},
		{"eer", r.EER.Format(4), "at threshold " + r.EERThreshold.Format(4)},
		{"auc", r.AUC.Format(4)},
		{"ms_per_image", r.MSPerImage.Format(1), "median; mean " + r.MSPerImageMean.Format(1) + ", p95 " + r.MSPerImageP95.Format(1)},
	}}
	return append([]Section{main}, r.RunInfo.Sections()...)
}

// VerifyPrediction is what the per-item function of `eval verify` returns.
type VerifyPrediction struct {
	Similarity float64 // 0–1, higher is more alike
}

// VerifyReport is the result of `idkit eval verify`. Pairs with an error
// (no face in one image) are left out of the score metrics.
type VerifyReport struct {
	N                 int     `json:"n"`
	NoFace            int     `json:"no_face"`
	Scored            int     `json:"scored"`
	Same              int     `json:"same"`      // scored same-person pairs
	Different         int     `json:"different"` // scored different-person pairs
	Accuracy          Number  `json:"accuracy"`  // at Threshold
	Threshold         float64 `json:"threshold"`
	BestAccuracy      Number  `json:"best_accuracy"`
	BestThreshold     Number  `json:"best_threshold"`
	AUC               Number  `json:"auc"`
	EER               Number  `json:"eer"`
	TARAtFAR1e2       Number  `json:"tar_at_far_1e-2"`
	ThresholdAtFAR1e2 Number  `json:"threshold_at_far_1e-2"`
	TARAtFAR1e3       Number  `json:"tar_at_far_1e-3"`
	MSPerPair         Number  `json:"ms_per_pair"` // median over pairs run
	MSPerPairMean     Number  `json:"ms_per_pair_mean"`
	MSPerPairP95      Number  `json:"ms_per_pair_p95"`

	RunInfo
}

// SummarizeVerify computes the verification report at the matcher's
// default threshold.
func SummarizeVerify(set *Set[PairItem], outcomes []Outcome[PairItem, VerifyPrediction], stats RunStats, threshold float64) *VerifyReport {
	r := &VerifyReport{RunInfo: NewRunInfo(set, outcomes, stats), N: len(outcomes), Threshold: threshold}
	r.NoFace = r.Errors["no_face"]
	var s []Scored
	for _, o := range outcomes {
		if o.Err != nil {
			continue
		}
		s = append(s, Scored{Score: o.Result.Similarity, Positive: o.Item.Same})
		if o.Item.Same {
			r.Same++
		} else {
			r.Different++
		}
	}
	r.Scored = len(s)
	acc, err := Accuracy(s, threshold)
	r.Note("accuracy", err)
	r.Accuracy = NumOf(acc, err)
	best, bt, err := BestAccuracy(s)
	r.BestAccuracy, r.BestThreshold = NumOf(best, err), NumOf(bt, err)
	r.AUC = NumOf(AUC(s))
	eer, _, err := EER(s)
	r.Note("auc/eer/tar", err)
	r.EER = NumOf(eer, err)
	if op, err := TARAtFAR(s, 1e-2); err == nil {
		r.TARAtFAR1e2, r.ThresholdAtFAR1e2 = Num(op.TAR), Num(op.Threshold)
	}
	if op, err := TARAtFAR(s, 1e-3); err == nil {
		r.TARAtFAR1e3 = Num(op.TAR)
	}
	r.MSPerPair, r.MSPerPairMean, r.MSPerPairP95 = timingOf(outcomes, &r.RunInfo)
	return r
}

// Sections lays the report out for people.
func (r *VerifyReport) Sections() []Section {
	main := Section{Title: "verify", Rows: [][]string{
		{"n", itoa(r.N)},
		{"no_face", itoa(r.NoFace)},
		{"scored", itoa(r.Scored), fmt.Sprintf("%d same, %d different", r.Same, r.Different)},
		{"threshold", Num(r.Threshold).Format(4)},
		{"accuracy", r.Accuracy.Format(4), "at threshold"},
		{"best_accuracy", r.BestAccuracy.Format(4), "at " + r.BestThreshold.Format(4) + " (fitted to this data)"},
		{"auc", r.AUC.Format(4)},
		{"eer", r.EER.Format(4)},
		{"tar_at_far_1e-2", r.TARAtFAR1e2.Format(4), "at " + r.ThresholdAtFAR1e2.Format(4)},
		{"tar_at_far_1e-3", r.TARAtFAR1e3.Format(4)},
		{"ms_per_pair", r.MSPerPair.Format(1), "median; mean " + r.MSPerPairMean.Format(1) + ", p95 " + r.MSPerPairP95.Format(1)},
	}}
	return append([]Section{main}, r.RunInfo.Sections()...)
}
