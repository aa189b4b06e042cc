package liveness

// DefaultFusion returns the fusion fitted on half A of the development set
// (see doc.go for the split, the fit and the held-out numbers;
// TestRefitFusion reproduces it). The veto is set by hand (MoireEvidence).
func DefaultFusion() Fusion {
	return Fusion{Bias: 0.499, Net: 0.861, Moire: 2.355, MoireKnee: 1.53, Saturation: 3.038, MoireVeto: MoireEvidence, VetoScore: 0.01, Threshold: 0.48}
}
