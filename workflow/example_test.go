package workflow_test

import (
	"context"
	"fmt"
	"image"
	"time"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/docvalidate"
	"github.com/idkit-dev/idkit/workflow"
)

func ExamplePipeline_Run() {
	// A tenant's policy: no KYA, a rule on the document's country.
	cfg, err := workflow.ParseConfig([]byte(`
tenant: acme
revision: "3"
steps: [liveness, ocr, validate, face_match, rules, score]
rules:
  - name: eu_documents
    expr: document.country in ["FRA", "DEU", "ESP"]
    reason: only French, German and Spanish documents are accepted
`))
	if err != nil {
		panic(err)
	}
	// Backends: here stand-ins; workflow/local wires the real models.
	b := workflow.Backends{
		Liveness: workflow.LivenessFunc(func(context.Context, image.Image) (workflow.Liveness, error) {
			return workflow.Liveness{IsLive: true, SpoofType: "none", Confidence: 0.96}, nil
		}),
		Matcher: workflow.FaceMatcherFunc(func(context.Context, image.Image, image.Image) (workflow.FaceMatch, error) {
			return workflow.FaceMatch{Match: true, Similarity: 0.88, Threshold: 0.75}, nil
		}),
	}
	p, err := workflow.New(cfg, b, workflow.Options{
		Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	photo := image.NewRGBA(image.Rect(0, 0, 64, 64))
	r, err := p.Run(context.Background(), workflow.Request{
		Selfie: photo, DocumentPhoto: photo,
		// The document's fields, typed in rather than read from a photo.
		Document: &docvalidate.Input{MRZLines: []string{
			"P<FRAMUELLER<<ANNE<MARIE<<<<<<<<<<<<<<<<<<<<",
			"18AB123451FRA9003141F3102019<<<<<<<<<<<<<<<0",
		}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Config, "→", r.Decision, r.Score)
	for _, s := range r.Steps {
		fmt.Printf("%s: %s\n", s.Name, s.Status)
	}
	fmt.Println(r.Rules[0].Name, r.Rules[0].Status)
	// Output:
	// acme v1 rev 3 → accepted 88.6
	// liveness: passed
	// ocr: passed
	// validate: passed
	// face_match: passed
	// rules: passed
	// score: passed
	// eu_documents pass
}

func ExampleAgeFlow() {
	// [face]: an estimate at or over the challenge age (25 for 18) passes
	// without a document.
	estimator := workflow.AgeEstimatorFunc(func(context.Context, image.Image) (age.Estimate, error) {
		return age.Estimate{Age: 31.5, StdDev: 3, Confidence: 0.8}, nil
	})
	f, err := workflow.NewAgeFlow(workflow.AgeFlowConfig{Threshold: 18}, workflow.Backends{Age: estimator}, workflow.Options{
		Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	s, err := f.Start(workflow.AgeRequest{ID: "sess_1", Requirements: []workflow.Requirement{workflow.RequireFace}})
	if err != nil {
		panic(err)
	}
	at, err := f.Submit(context.Background(), s, workflow.AgeCapture{Selfie: image.NewRGBA(image.Rect(0, 0, 64, 64))})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.FlowStatus, s.SessionStatus)
	fmt.Println(at.Reason)
	fmt.Println(*s.Result.Age, s.Result.ConfidenceScore, s.Result.Thresholds.AgeThreshold)
	// Output:
	// COMPLETED AGE_ABOVE_THRESHOLD
	// estimated 31.5 ± 3.0 reaches the challenge age 25
	// 31.5 0.8 18
}
