package paddle_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/benchcpu"
	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/ocr"
)

// BenchmarkVisualZoneTD3 reads the whole front of a rendered passport data
// page scaled to 1800 pixels wide, the size ocr.Reader gives the visual
// zone. Run it with -cpu 1:
//
//	go test ./ocr/paddle -run '^$' -bench . -cpu 1
func BenchmarkVisualZoneTD3(b *testing.B) {
	if _, err := specimen.FontPath(); err != nil {
		b.Skip(err)
	}
	e := newEngine(b)
	s := specimen.Random(mrz.TD3, 3, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	s.DPI = 1800 / (125 / 25.4)
	doc, err := specimen.Render(s)
	require.NoError(b, err)
	ctx := context.Background()
	opts := ocr.Options{Mode: ocr.ModeText, Layout: ocr.LayoutSparse}
	lines, err := e.ReadLines(ctx, doc.Front, opts)
	require.NoError(b, err)
	b.ReportMetric(float64(len(lines)), "lines")
	benchcpu.Loop(b, func() {
		if _, err := e.ReadLines(ctx, doc.Front, opts); err != nil {
			b.Fatal(err)
		}
	})
}
