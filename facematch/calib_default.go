package facematch

import "fmt"

// DefaultCalibration is the score-to-similarity map of DefaultNetwork (the
// fused network). An ONNXEmbedder's default network is MobileFaceNet,
// whose map is NetworkCalibration(MobileFaceNet).
func DefaultCalibration() Calibration {
	c, _ := NetworkCalibration(DefaultNetwork)
	return c
}

// NetworkCalibration returns the cosine-to-similarity map fitted for a
// network's default pipeline (no flip, landmark refinement, whole-face
// ranking). A calibration belongs to one network: another network's
// cosines mean other error rates.
func NetworkCalibration(n Network) (Calibration, error) {
	switch n {
	case MobileFaceNet:
		return mobileFaceNetCalibration(), nil
	case FrFeature:
		return frFeatureCalibration(), nil
	case MobileFaceNetFaceAPI, "":
		return fusedCalibration(), nil
	}
	return Calibration{}, fmt.Errorf("%w: %q", ErrNetwork, n)
}

// frFeatureCalibration is the cosine-to-similarity map of FrFeature.
// It reads as a false-accept scale: a similarity threshold of
//
//	0.50 accepts 10%   of different-person pairs  (cosine 0.132)
//	0.70 accepts 1%                               (cosine 0.246)
//	0.75 accepts 0.5%  — DefaultThreshold         (cosine 0.274)
//	0.80 accepts 0.1%                             (cosine 0.334)
//	0.90 accepts 0.01%                            (cosine 0.412)
//
// and the median different-person pair scores 0.25 (cosine 0.006). It was
// fitted with FitCalibration on fold 3 of ../shared/eval-dev/verify (LFW,
// deep-funneled): the 270,298 different-person pairs among the fold's 737
// images, with the anchors above. Fitting on fold 4 instead moves every
// knot by less than 0.009 in cosine. On the held-out fold 4 the default
// threshold accepted 0.49% of its 283,083 different-person pairs and
// rejected 2.3% of its 798 same-person pairs (the package documentation
// has the accuracy figures). Between knots the map is linear in the
// cosine, so FARs between anchors are interpolated, not measured.
func frFeatureCalibration() Calibration {
	return Calibration{Knots: []Knot{
		{-1, 0},
		{0.0060, 0.25},
		{0.1318, 0.50},
		{0.2463, 0.70},
		{0.2744, 0.75},
		{0.3338, 0.80},
		{0.4115, 0.90},
		{1, 1},
	}}
}

// mobileFaceNetCalibration is the cosine-to-similarity map of
// MobileFaceNet, fitted the same way (FitCalibration on fold 3, same
// anchors).
func mobileFaceNetCalibration() Calibration {
	return Calibration{Knots: []Knot{
		{-1, 0},
		{0.0101, 0.25},
		{0.1969, 0.50},
		{0.3427, 0.70},
		{0.3777, 0.75},
		{0.4472, 0.80},
		{0.5278, 0.90},
		{1, 1},
	}}
}

// fusedCalibration is the score-to-similarity map of MobileFaceNetFaceAPI,
// fitted the same way on its fused scores.
func fusedCalibration() Calibration {
	return Calibration{Knots: []Knot{
		{-1, 0},
		{0.0078, 0.25},
		{0.1767, 0.50},
		{0.3155, 0.70},
		{0.3482, 0.75},
		{0.4144, 0.80},
		{0.4912, 0.90},
		{1, 1},
	}}
}
