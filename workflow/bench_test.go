package workflow_test

import (
	"context"
	"testing"

	"github.com/idkit-dev/idkit/kya"
	"github.com/idkit-dev/idkit/workflow"
)

// BenchmarkPipelineOverhead times the composer itself with instant fakes:
// scheduling, validation, KYA, rules and scoring, without the models.
func BenchmarkPipelineOverhead(b *testing.B) {
	bk, fronts := stage(b, passport{id: 1})
	cfg := workflow.Config{Rules: []workflow.Rule{{Name: "eu", Expr: `document.country in ["FRA", "DEU"]`}}}
	p := pipeline(b, cfg, bk)
	req := workflow.Request{Selfie: photo(1), DocumentFront: fronts[0],
		Profile: kya.Input{Email: "claire@example.com", Name: "Claire Martin"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Run(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}
