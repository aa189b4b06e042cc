package liveness

// DefaultFusion returns the fusion fitted on half A of the development set
// (see doc.go for the split, the fit and the held-out numbers;
// TestRefitFusion reproduces it, TestMeasureFusionInputs the choice of its
// inputs). The veto is set by hand (MoireEvidence).
func DefaultFusion() Fusion {
	return Fusion{
		Bias:       0.157,
		Net:        0.466,
		Native:     0.269,
		Centre:     0.333,
		Moire:      2.961,
		MoireKnee:  1.53,
		Saturation: 7.659,
		MoireVeto:  MoireEvidence,
		VetoScore:  0.01,
		Threshold:  0.456,
	}
}
