package local_test

import (
	"context"
	"image"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/score"
	"github.com/idkit-dev/idkit/workflow"
	"github.com/idkit-dev/idkit/workflow/local"
)

// The end-to-end tests render specimen passports with a fixture face,
// photograph them as a phone would, and run the real models on them.

var refDay = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func now() time.Time { return refDay }

// e2eConfig is the built-in policy: liveness 30, face match 40, document
// 25 (all mandatory), KYA 5 (optional).
func e2eConfig() workflow.Config { return workflow.Config{} }

// replayed is a selfie shown on a phone screen held upright (the selfie's
// own aspect) and photographed: a presentation attack. (A selfie only blurred, noised and JPEG-compressed again is no
// attack the checks can see: a webcam's own frames look like that, and the
// liveness check accepts them; see liveness's doc.)
func replayed(img image.Image) *image.RGBA {
	return specimen.PhotographScreen(img, specimen.Screen{Width: 480, Height: 780, Pitch: 1.3, Angle: 3}, 3)
}

var (
	backendsOnce sync.Once
	backends     *local.Backends
	backendsErr  error
)

// loadBackends loads the models once for all tests (a few seconds).
func loadBackends(t testing.TB) *local.Backends {
	t.Helper()
	modeltest.Cache(t, "fr_detect", "fr_landmark", "mobilefacenet_tflite", "faceapi_recognition_manifest", "faceapi_recognition_weights", "fr_liveness", "fr_pose", "fr_eye", "ocrb_mrz", "paddle_det", "paddle_rec", "paddle_keys")
	if _, err := specimen.FontPath(); err != nil {
		t.Skipf("specimens need the OCR-B font: %v", err)
	}
	backendsOnce.Do(func() {
		backends, backendsErr = local.New(local.Config{ModelsDir: modeltest.Dir(), Now: now, PoolSize: 1})
		if backendsErr == nil {
			backendsErr = backends.Warm(context.Background())
		}
	})
	require.NoError(t, backendsErr)
	return backends
}

func fixtureFace(t testing.TB, name string) *image.RGBA {
	t.Helper()
	img, _, err := imageio.ReadFile(filepath.Join(modeltest.RepoRoot(), "testdata", "faces", name), imageio.Limits{})
	require.NoError(t, err)
	return img
}

type docCase struct {
	birth, expiry mrz.Date
	// corruptBirthCheck changes the birth date's check digit.
	corruptBirthCheck bool
	// mrzSurname, when set, prints an MRZ (valid check digits) for this
	// surname under a data page that shows the holder's: a forged page.
	mrzSurname string
}

// photographedPassport renders a TD3 passport of the holder and
// photographs it: mild slant, a little blur and noise, JPEG.
func photographedPassport(t testing.TB, holder image.Image, c docCase, seed uint64) *image.RGBA {
	t.Helper()
	if c.birth.Year == 0 {
		c.birth = mrz.NewDate(1961, 8, 4)
	}
	if c.expiry.Year == 0 {
		c.expiry = mrz.NewDate(2031, 2, 1)
	}
	f := mrz.Fields{Format: mrz.TD3, DocumentCode: "P", IssuingState: "FRA", Nationality: "FRA",
		Surname: "DUPONT", GivenNames: "JEAN-PIERRE", DocumentNumber: "18AB12345", BirthDate: c.birth,
		Sex: mrz.Male, ExpiryDate: c.expiry}
	spec := specimen.Spec{Fields: f, Face: holder, PlaceOfBirth: "PARIS", Authority: "PREFECTURE",
		IssueDate: mrz.NewDate(c.expiry.Year-10, c.expiry.Month, c.expiry.Day+1), Seed: int64(seed)}
	if c.corruptBirthCheck {
		lines, err := mrz.Generate(f)
		require.NoError(t, err)
		b := []byte(lines[1])
		b[19] = '0' + (b[19]-'0'+5)%10
		lines[1] = string(b)
		spec.MRZ = lines
	}
	if c.mrzSurname != "" {
		forged := f
		forged.Surname = c.mrzSurname
		lines, err := mrz.Generate(forged)
		require.NoError(t, err)
		spec.MRZ = lines
	}
	doc, err := specimen.Render(spec)
	require.NoError(t, err)
	d := specimen.Degradation{Width: 1600, Height: 1200, Fill: 0.8, Rotation: 3, Perspective: 0.02, Blur: 0.6,
		Noise: 3, JPEGQuality: 88}
	return specimen.Photograph(doc.Front, d, seed)
}

func TestEndToEnd(t *testing.T) {
	b := loadBackends(t)
	p, err := workflow.New(e2eConfig(), b.Workflow(), workflow.Options{Now: now})
	require.NoError(t, err)
	obama := fixtureFace(t, "obama_official_portrait_2012.jpg")
	obamaSelfie := fixtureFace(t, "obama_2010_blue_room_crop.jpg")
	biden := fixtureFace(t, "biden_2010_blue_room_crop.jpg")

	for _, tc := range []struct {
		name     string
		selfie   image.Image
		doc      docCase
		decision score.Decision
		reason   string
	}{
		{"same person, valid document", obamaSelfie, docCase{}, score.Accepted, "renormalized without profile checks (KYA)"},
		{"another person's selfie", biden, docCase{}, score.Rejected, "face match: the selfie and the document photo are not the same person"},
		{"expired document", obamaSelfie, docCase{expiry: mrz.NewDate(2026, 3, 1)}, score.Rejected, "document expired on 2026-03-01"},
		{"bad check digit", obamaSelfie, docCase{corruptBirthCheck: true}, score.Rejected, "MRZ checksum fail: date of birth"},
		{"minor", obamaSelfie, docCase{birth: mrz.NewDate(2010, 9, 1)}, score.Rejected, "holder is a minor: 15, under 18, the age of majority in FRA"},
		{"selfie replayed on a screen", replayed(obamaSelfie), docCase{}, score.Rejected, "hard rule, liveness: spoof detected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			front := photographedPassport(t, obama, tc.doc, 7)
			r, err := p.Run(context.Background(), workflow.Request{Selfie: tc.selfie, DocumentFront: front})
			require.NoError(t, err)
			for _, s := range r.Steps {
				t.Logf("%-10s %-7s %6.0f ms %s %s", s.Name, s.Status, s.DurationMS, s.Outcome, s.Error)
			}
			assert.Equal(t, tc.decision, r.Decision, "%q", r.Reasons)
			assert.Contains(t, strings.Join(r.Reasons, "\n"), tc.reason)
		})
	}
}

// TestEndToEndForgedDataPage reads the visual zone of every document, so
// that a data page that disagrees with its own valid MRZ is caught; the
// default mode (VisualAuto) skips that read when the MRZ is valid.
func TestEndToEndForgedDataPage(t *testing.T) {
	loadBackends(t) // checks the models and the font
	bk, err := local.New(local.Config{ModelsDir: modeltest.Dir(), Now: now, PoolSize: 1, Visual: local.VisualAlways})
	require.NoError(t, err)
	defer bk.Close()
	p, err := workflow.New(e2eConfig(), bk.Workflow(), workflow.Options{Now: now})
	require.NoError(t, err)
	obama := fixtureFace(t, "obama_official_portrait_2012.jpg")
	selfie := fixtureFace(t, "obama_2010_blue_room_crop.jpg")
	for _, tc := range []struct {
		name     string
		doc      docCase
		decision score.Decision
		reason   string
	}{
		{"genuine", docCase{}, score.Accepted, "renormalized without profile checks (KYA)"},
		{"MRZ of another name", docCase{mrzSurname: "MARTINEZ"}, score.Rejected, `document validation scored 0.00, below its minimum of 0.50 (document invalid: the mrz and the visual disagree: name "MARTINEZ, JEAN PIERRE" vs "DUPONT, JEAN PIERRE")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := p.Run(context.Background(), workflow.Request{Selfie: selfie, DocumentFront: photographedPassport(t, obama, tc.doc, 7)})
			require.NoError(t, err)
			assert.Equal(t, tc.decision, r.Decision, "%q", r.Reasons)
			assert.Contains(t, strings.Join(r.Reasons, "\n"), tc.reason)
		})
	}
}

// TestEndToEndAgeFlow runs the portal's [face, identity_document] flow on a
// specimen.
func TestEndToEndAgeFlow(t *testing.T) {
	b := loadBackends(t)
	f, err := workflow.NewAgeFlow(workflow.AgeFlowConfig{}, b.Workflow(), workflow.Options{Now: now})
	require.NoError(t, err)
	obama := fixtureFace(t, "obama_official_portrait_2012.jpg")
	s, err := f.Start(workflow.AgeRequest{ID: "e2e", Requirements: []workflow.Requirement{workflow.RequireFace, workflow.RequireDocument}})
	require.NoError(t, err)
	at, err := f.Submit(context.Background(), s, workflow.AgeCapture{
		Selfie: fixtureFace(t, "obama_2010_blue_room_crop.jpg"), DocumentFront: photographedPassport(t, obama, docCase{}, 11)})
	require.NoError(t, err)
	assert.Equal(t, workflow.SessionAgeAbove, at.Status, at.Reason)
	assert.Equal(t, workflow.FlowCompleted, s.FlowStatus)
	require.NotNil(t, s.Result.DocumentAge)
	assert.Equal(t, 64, *s.Result.DocumentAge)
	require.NotNil(t, s.Result.Age)
	assert.Greater(t, *s.Result.Age, 35.0)
}

// BenchmarkPipeline times the full pipeline on a selfie and a document
// front, one verification at a time, with the two modes of OCR of the
// visual zone (auto: only when no valid MRZ or barcode was read, which for these
// passports means never; always: every time). Run pinned to one core (taskset -c 0 ... -cpu 1); the median and
// p95 are reported as metrics.
func BenchmarkPipeline(b *testing.B) {
	modeltest.Cache(b, "fr_detect", "fr_landmark", "mobilefacenet_tflite", "faceapi_recognition_manifest", "faceapi_recognition_weights", "fr_liveness", "fr_pose", "fr_eye", "ocrb_mrz", "paddle_det", "paddle_rec", "paddle_keys")
	obama := fixtureFace(b, "obama_official_portrait_2012.jpg")
	req := workflow.Request{Selfie: fixtureFace(b, "obama_2010_blue_room_crop.jpg"),
		DocumentFront: photographedPassport(b, obama, docCase{}, 7)}
	for _, mode := range []local.VisualMode{local.VisualAuto, local.VisualAlways} {
		name := "visual_" + string(mode)
		if mode == local.VisualAuto {
			name = "visual_auto"
		}
		b.Run(name, func(b *testing.B) {
			bk, err := local.New(local.Config{ModelsDir: modeltest.Dir(), Now: now, PoolSize: 1, Visual: mode})
			require.NoError(b, err)
			defer bk.Close()
			require.NoError(b, bk.Warm(context.Background()))
			p, err := workflow.New(e2eConfig(), bk.Workflow(), workflow.Options{Now: now})
			require.NoError(b, err)
			// Wall time, and the process's CPU time (user + system, every
			// thread): on a shared machine the second is what one idle core
			// would take.
			var wall, cpu []time.Duration
			for b.Loop() {
				t0, c0 := time.Now(), cpuTime()
				r, err := p.Run(context.Background(), req)
				wall, cpu = append(wall, time.Since(t0)), append(cpu, cpuTime()-c0)
				if err != nil || r.Decision != score.Accepted {
					b.Fatalf("decision %s, %v: %q", r.Decision, err, r.Reasons)
				}
			}
			b.ReportMetric(quantileMS(wall, 0.5), "median-ms")
			b.ReportMetric(quantileMS(wall, 0.95), "p95-ms")
			b.ReportMetric(quantileMS(cpu, 0.5), "cpu-median-ms")
			b.ReportMetric(quantileMS(cpu, 0.95), "cpu-p95-ms")
		})
	}
}

// quantileMS is the q-quantile of ds (nearest rank), in milliseconds.
func quantileMS(ds []time.Duration, q float64) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return float64(s[max(i, 0)].Microseconds()) / 1000
}

// cpuTime is the process's user plus system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
