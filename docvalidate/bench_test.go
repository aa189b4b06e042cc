package docvalidate_test

import (
	"testing"

	"github.com/idkit-dev/idkit/docvalidate"
)

func BenchmarkValidate(b *testing.B) {
	v := validator(b, nil)
	f := holder()
	in := docvalidate.Input{MRZLines: lines(b, f), Visual: visual(f)}
	b.ReportAllocs()
	for b.Loop() {
		_ = v.Validate(in)
	}
}
