package workflow_test

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/docvalidate"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/workflow"
)

// The fakes stand for the perception backends: a "photo" is a tiny image
// whose colour says whose face it shows, so a test can stage any case.

var refDay = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func clock() func() time.Time { return func() time.Time { return refDay } }

// photo returns an image of person id (1–250).
func photo(id uint8) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = id
	}
	return img
}

func personOf(img image.Image) uint8 {
	if img == nil {
		return 0
	}
	r, _, _, _ := img.At(0, 0).RGBA()
	return uint8(r >> 8)
}

// spoofed marks a selfie as a replay on a screen.
func spoofed(id uint8) *image.RGBA {
	img := photo(id)
	img.Set(0, 1, color.RGBA{255, 0, 0, 255})
	return img
}

// noFace marks an image without a face.
const noFaceID = 0

type fakeLiveness struct{}

func (fakeLiveness) CheckLiveness(_ context.Context, img image.Image) (workflow.Liveness, error) {
	if personOf(img) == noFaceID {
		return workflow.Liveness{}, fmt.Errorf("fake: %w", workflow.ErrNoFace)
	}
	if r, _, _, _ := img.At(0, 1).RGBA(); r>>8 == 255 {
		return workflow.Liveness{IsLive: false, SpoofType: "screen", Confidence: 0.96}, nil
	}
	return workflow.Liveness{IsLive: true, SpoofType: "none", Confidence: 0.97}, nil
}

type fakeMatcher struct{}

func (fakeMatcher) MatchFaces(_ context.Context, a, b image.Image) (workflow.FaceMatch, error) {
	if personOf(a) == noFaceID || personOf(b) == noFaceID {
		return workflow.FaceMatch{}, workflow.ErrNoFace
	}
	if personOf(a) == personOf(b) {
		return workflow.FaceMatch{Match: true, Similarity: 0.91, Threshold: 0.75}, nil
	}
	return workflow.FaceMatch{Match: false, Similarity: 0.22, Threshold: 0.75}, nil
}

// fakeAge estimates person id's age as ages[id].
type fakeAge map[uint8]float64

func (f fakeAge) EstimateAge(_ context.Context, img image.Image) (age.Estimate, error) {
	a, ok := f[personOf(img)]
	if !ok {
		return age.Estimate{}, workflow.ErrNoFace
	}
	return age.Estimate{Age: a, StdDev: 2.5, Low: a - 5, High: a + 5, Confidence: 0.8, Views: 1, Model: "fake"}, nil
}

// fakeReader returns the document staged for each front image.
type fakeReader map[*image.RGBA]workflow.Document

func (f fakeReader) ReadDocument(_ context.Context, front, _ image.Image) (workflow.Document, error) {
	rgba, _ := front.(*image.RGBA)
	d, ok := f[rgba]
	if !ok {
		return workflow.Document{}, fmt.Errorf("fake reader: unknown image")
	}
	return d, nil
}

// passport describes a specimen passport of person id.
type passport struct {
	id       uint8
	country  string
	birth    mrz.Date
	expiry   mrz.Date
	badDigit bool // corrupt the birth date's check digit
	noPhoto  bool
}

func (p passport) document(t testing.TB) workflow.Document {
	t.Helper()
	if p.country == "" {
		p.country = "FRA"
	}
	if p.birth.Year == 0 {
		p.birth = mrz.NewDate(1990, 3, 14)
	}
	if p.expiry.Year == 0 {
		p.expiry = mrz.NewDate(2031, 2, 1)
	}
	f := mrz.Fields{Format: mrz.TD3, DocumentCode: "P", IssuingState: p.country, Nationality: p.country,
		Surname: "MARTIN", GivenNames: "CLAIRE", DocumentNumber: "18AB12345", BirthDate: p.birth,
		Sex: mrz.Female, ExpiryDate: p.expiry}
	lines, err := mrz.Generate(f)
	require.NoError(t, err)
	if p.badDigit {
		b := []byte(lines[1])
		b[19] = '0' + (b[19]-'0'+1)%10
		lines[1] = string(b)
	}
	d := workflow.Document{Type: "passport", Country: p.country, Confidence: 0.95,
		Validation: docvalidate.Input{MRZLines: lines, Visual: &docvalidate.Fields{Surname: "Martin", GivenNames: "Claire",
			BirthDate: p.birth.String(), DocumentNumber: "18AB12345"}}}
	if !p.noPhoto {
		d.FaceCrop = photo(p.id)
	}
	return d
}

// stage returns backends with a reader that knows the given documents,
// each photographed as a distinct front image.
func stage(t testing.TB, docs ...passport) (workflow.Backends, []*image.RGBA) {
	reader := fakeReader{}
	var fronts []*image.RGBA
	for i, p := range docs {
		front := photo(uint8(200 + i))
		reader[front] = p.document(t)
		fronts = append(fronts, front)
	}
	return workflow.Backends{
		Liveness: fakeLiveness{},
		Reader:   reader,
		Matcher:  fakeMatcher{},
		Age:      fakeAge{1: 36, 2: 41, 3: 15, 4: 21, 5: 30},
	}, fronts
}
