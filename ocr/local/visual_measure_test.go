package local

import (
	"context"
	"fmt"
	"image"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/benchcpu"
	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/ocr"
	"github.com/idkit-dev/idkit/ocr/locate"
	"github.com/idkit-dev/idkit/ocr/paddle"
)

// TestMeasureVisualEngines compares Tesseract (eng) and PaddleOCR v4
// (ocr/paddle) as the visual-zone engine of the Reader: for random TD3, TD1
// and DL specimens, rendered (a clean photo) and photographed
// (specimen.Realistic), the exact-match rate of each field the Reader
// extracts into Document.Zones[ocr.SourceVisual], and the thread CPU time
// of the visual-zone read. It takes minutes, so it runs only with
// IDKIT_MEASURE=1 (IDKIT_MEASURE_N documents, default 60):
//
//	IDKIT_MEASURE=1 go test ./ocr/local -run MeasureVisualEngines -v -timeout 60m
func TestMeasureVisualEngines(t *testing.T) {
	if os.Getenv("IDKIT_MEASURE") != "1" {
		t.Skip("set IDKIT_MEASURE=1 to compare the visual-zone engines")
	}
	n := 60
	if v, err := strconv.Atoi(os.Getenv("IDKIT_MEASURE_N")); err == nil && v > 0 {
		n = v
	}
	mc := modeltest.Cache(t, "ocrb_mrz", paddle.DetAsset, paddle.RecAsset, paddle.KeysAsset)
	if _, err := specimen.FontPath(); err != nil {
		t.Skip(err)
	}
	pe, err := paddle.New(paddle.Config{Models: mc})
	require.NoError(t, err)
	defer pe.Close()
	tess, err := New(Config{Models: mc, PoolSize: 1, NoFaces: true, Now: func() time.Time { return ref }})
	require.NoError(t, err)
	defer tess.Close()
	// The Tesseract reader's visual reads are timed by wrapping its own
	// engine; the Paddle reader gets the wrapped Paddle engine.
	tt, pt := &timedEngine{e: tess.engine}, &timedEngine{e: pe}
	tessTimed, err := ocr.New(ocr.Config{Engine: tess.engine, VisualEngine: tt, Locator: locate.New(locate.Config{}), Now: func() time.Time { return ref }})
	require.NoError(t, err)
	pad, err := ocr.New(ocr.Config{Engine: tess.engine, VisualEngine: pt, Locator: locate.New(locate.Config{}), Now: func() time.Time { return ref }})
	require.NoError(t, err)
	engines := []struct {
		name string
		r    *ocr.Reader
		te   *timedEngine
	}{{"tesseract", tessTimed, tt}, {"paddle", pad, pt}}

	fields := []string{ocr.FieldSurname, ocr.FieldGivenNames, ocr.FieldDocumentNumber, ocr.FieldBirthDate,
		ocr.FieldIssueDate, ocr.FieldExpiryDate, ocr.FieldPlaceOfBirth, ocr.FieldAuthority, ocr.FieldSex, ocr.FieldNationality}
	layouts := []specimen.Layout{specimen.TD3, specimen.TD1, specimen.DL}
	for _, cond := range []string{"rendered", "photographed"} {
		hits := map[string]map[string]int{}
		totals := map[string]int{}
		wall := map[string]time.Duration{}
		misses := map[string][]string{}
		for _, e := range engines {
			hits[e.name] = map[string]int{}
			e.te.reset()
		}
		for i := range n {
			seed := uint64(7000 + i)
			l := layouts[i%len(layouts)]
			format := mrz.TD3
			if l != specimen.TD3 {
				format = mrz.TD1
			}
			s := specimen.Random(format, seed, ref)
			s.Layout = l
			doc, err := specimen.Render(s)
			require.NoError(t, err)
			d := specimen.Degradation{}
			if cond == "photographed" {
				d = specimen.Realistic(seed)
			}
			front := specimen.Photograph(doc.Front, d, seed)
			want := expectedVisual(s, l)
			for f := range want {
				totals[f]++
			}
			for _, e := range engines {
				t0 := time.Now()
				got, err := e.r.Read(context.Background(), ocr.Request{Front: front, SkipFace: true})
				require.NoError(t, err)
				wall[e.name] += time.Since(t0)
				vz := got.Zones[ocr.SourceVisual]
				for f, w := range want {
					if vz[f].Value == w {
						hits[e.name][f]++
					} else if len(misses[e.name+f]) < 3 {
						misses[e.name+f] = append(misses[e.name+f], fmt.Sprintf("%s: %q≠%q", l, vz[f].Value, w))
					}
				}
			}
		}
		t.Logf("%s, %d documents (TD3/TD1/DL in turn), exact match of Zones[visual]:", cond, n)
		t.Logf("%-16s %5s %10s %8s", "field", "n", "tesseract", "paddle")
		var sum [2]int
		var all int
		for _, f := range fields {
			if totals[f] == 0 {
				continue
			}
			tp := 100 * float64(hits["tesseract"][f]) / float64(totals[f])
			pp := 100 * float64(hits["paddle"][f]) / float64(totals[f])
			t.Logf("%-16s %5d %9.1f%% %7.1f%%", f, totals[f], tp, pp)
			sum[0] += hits["tesseract"][f]
			sum[1] += hits["paddle"][f]
			all += totals[f]
		}
		t.Logf("%-16s %5d %9.1f%% %7.1f%%", "all fields", all, 100*float64(sum[0])/float64(all), 100*float64(sum[1])/float64(all))
		for _, e := range engines {
			t.Logf("%s: visual zone %.0f ms thread CPU, %.0f ms wall per document; whole Read %.0f ms wall",
				e.name, e.te.cpuMS()/float64(n), e.te.wallMS()/float64(n), float64(wall[e.name].Milliseconds())/float64(n))
		}
		for _, e := range engines {
			for _, f := range fields {
				if m := misses[e.name+f]; len(m) > 0 {
					t.Logf("  %s %s misses, e.g. %s", e.name, f, strings.Join(m, "; "))
				}
			}
		}
	}
}

// expectedVisual is what the visual zone of a rendered spec should give,
// normalised as the Reader normalises visual values.
func expectedVisual(s specimen.Spec, l specimen.Layout) map[string]string {
	f := s.Fields
	date := func(d mrz.Date) string { return d.Time().Format(time.DateOnly) }
	w := map[string]string{
		ocr.FieldSurname:        ocr.NormalizeVisual(ocr.FieldSurname, f.Surname),
		ocr.FieldGivenNames:     ocr.NormalizeVisual(ocr.FieldGivenNames, f.GivenNames),
		ocr.FieldDocumentNumber: f.DocumentNumber,
		ocr.FieldBirthDate:      date(f.BirthDate),
		ocr.FieldExpiryDate:     date(f.ExpiryDate),
		ocr.FieldIssueDate:      date(s.IssueDate),
		ocr.FieldPlaceOfBirth:   s.PlaceOfBirth,
		ocr.FieldAuthority:      s.Authority,
	}
	switch f.Sex {
	case mrz.Male, mrz.Female:
		w[ocr.FieldSex] = string(f.Sex)
	}
	if l != specimen.DL {
		w[ocr.FieldNationality] = f.Nationality
		if f.Nationality == "D" {
			w[ocr.FieldNationality] = "DEU"
		}
	}
	return w
}

// timedEngine adds up the thread CPU and wall time of the text reads of e.
type timedEngine struct {
	e         ocr.Engine
	mu        sync.Mutex
	cpu, wall time.Duration
}

func (t *timedEngine) ReadLines(ctx context.Context, img image.Image, o ocr.Options) ([]ocr.Line, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0, c0 := time.Now(), benchcpu.ThreadCPU()
	lines, err := t.e.ReadLines(ctx, img, o)
	c, w := benchcpu.ThreadCPU()-c0, time.Since(t0)
	t.mu.Lock()
	t.cpu += c
	t.wall += w
	t.mu.Unlock()
	return lines, err
}

func (t *timedEngine) reset() {
	t.mu.Lock()
	t.cpu, t.wall = 0, 0
	t.mu.Unlock()
}

func (t *timedEngine) cpuMS() float64  { return float64(t.cpu.Microseconds()) / 1000 }
func (t *timedEngine) wallMS() float64 { return float64(t.wall.Microseconds()) / 1000 }
