package score_test

import (
	"fmt"

	"github.com/idkit-dev/idkit/score"
)

func ExampleScorer_Score() {
	s, err := score.New(score.Config{}) // the default policy
	if err != nil {
		panic(err)
	}
	faceScore, _ := score.ThresholdScore(0.80, 0.75) // similarity, threshold
	r, err := s.Score(map[score.Factor]score.Input{
		score.Liveness:  score.Measured(0.95, "live, confidence 0.95"),
		score.FaceMatch: score.Measured(faceScore, "similarity 0.80 ≥ 0.75 threshold"),
		score.Document:  score.PassFail(true, "all checks passed"),
		score.KYA:       score.Missing("no email or phone given"),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Decision, r.Score)
	for _, reason := range r.Reasons {
		fmt.Println(reason)
	}
	for _, f := range r.Factors {
		fmt.Println("-", f.Explanation)
	}

	// A detected spoof rejects whatever the arithmetic says.
	r, _ = s.Score(map[score.Factor]score.Input{
		score.Liveness:  score.Measured(0.9, "").WithHardFail("spoof_detected", "paper print detected"),
		score.FaceMatch: score.Measured(1, ""),
		score.Document:  score.Measured(1, ""),
	})
	fmt.Println(r.Decision, r.Score)
	fmt.Println(r.Reasons[0])
	// Output:
	// accepted 81.5
	// score 81.5 (renormalized without profile checks (KYA)) ≥ 80: accepted
	// - liveness: 0.95 × 31.58 = 30 points (weight 30 scaled to 31.58 because optional factors were not measured); live, confidence 0.95
	// - face match: 0.60 × 42.11 = 25.26 points (weight 40 scaled to 42.11 because optional factors were not measured); similarity 0.80 ≥ 0.75 threshold
	// - document validation: 1.00 × 26.32 = 26.32 points (weight 25 scaled to 26.32 because optional factors were not measured); all checks passed
	// - profile checks (KYA): not measured (no email or phone given); optional, so its 5 points were shared among the measured factors
	// rejected 96.8
	// hard rule, liveness: paper print detected
}
