package liveness

import (
	"fmt"
	"math"
)

// Fusion combines the network's opinion with the cues in one logistic
// model:
//
//	z = Bias + Net·clamp(logit(p_live), ±8) − Moire·max(0, moire − MoireKnee) + Saturation·saturation
//	score = 1 / (1 + e^−z)
//
// Every weight's sign is fixed by the physics of the attack it stands for
// (a periodic pattern and washed-out colour mean re-capture), and the
// magnitudes are fitted (see DefaultFusion for the data and the numbers). A
// cue that could not be measured contributes nothing.
//
// On top of the model, a moiré at or above MoireVeto caps the score at
// VetoScore: a pattern that strong was never seen on a live face, and the
// fitted weight alone cannot overrule a network that is certain (it was
// fitted where the network was unsure), as re-captures of the fixtures on
// a simulated screen or halftone print showed.
type Fusion struct {
	Bias       float64 `json:"bias"`
	Net        float64 `json:"net"`
	Moire      float64 `json:"moire"`
	MoireKnee  float64 `json:"moire_knee"`
	Saturation float64 `json:"saturation"`
	MoireVeto  float64 `json:"moire_veto"`
	VetoScore  float64 `json:"veto_score"`
	// Threshold is the score at and above which a face is live.
	Threshold float64 `json:"threshold"`
}

// withDefaultWeights returns f, or DefaultFusion at f's threshold when f
// sets no weight: a caller who only moves the threshold must not switch
// off the network and the cues (every face would score 0.5).
func withDefaultWeights(f Fusion) (Fusion, error) {
	if t := f.Threshold; f == (Fusion{Threshold: t}) {
		f = DefaultFusion()
		if t != 0 {
			f.Threshold = t
		}
	}
	if !(f.Threshold >= 0 && f.Threshold <= 1) {
		return Fusion{}, fmt.Errorf("liveness: fusion threshold %v outside 0–1", f.Threshold)
	}
	return f, nil
}

// netLogitClamp bounds the network's log-odds: beyond ±8 (p ≈ 0.9997) the
// softmax is saturated and more digits are float noise, not evidence.
const netLogitClamp = 8

// Score returns the fused probability that the face is live.
func (f Fusion) Score(network [3]float64, c Cues) float64 {
	z := f.Bias + f.Net*clampedLogit(network[0])
	if !math.IsNaN(c.Moire) {
		z -= f.Moire * math.Max(0, c.Moire-f.MoireKnee)
	}
	if !math.IsNaN(c.Saturation) {
		z += f.Saturation * c.Saturation
	}
	score := 1 / (1 + math.Exp(-z))
	if f.MoireVeto > 0 && c.Moire >= f.MoireVeto {
		score = math.Min(score, f.VetoScore)
	}
	return score
}

// clampedLogit is the log-odds of the probability p, clamped to
// ±netLogitClamp: the fusion's network input.
func clampedLogit(p float64) float64 {
	p = math.Min(math.Max(p, 1e-12), 1-1e-12)
	return math.Max(-netLogitClamp, math.Min(netLogitClamp, math.Log(p/(1-p))))
}
