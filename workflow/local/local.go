// Package local builds workflow backends on the models of this machine:
// the ONNX face detector, age estimator and face matcher, and the
// Tesseract/OpenCV/zxing document reader of ocr/local. It is the one place
// where the workflow meets concrete backends, so that package workflow
// itself imports none; the CLI and the server use it.
//
// Liveness is the passive single-photo checker of package liveness.
package local

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"log/slog"
	"time"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/age/ageonnx"
	"github.com/idkit-dev/idkit/docvalidate"
	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/facematch"
	"github.com/idkit-dev/idkit/liveness"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
	"github.com/idkit-dev/idkit/models/convert/faceapi"
	"github.com/idkit-dev/idkit/ocr"
	ocrlocal "github.com/idkit-dev/idkit/ocr/local"
	"github.com/idkit-dev/idkit/workflow"
)

// Config configures the backends. The zero value loads everything from the
// default models directory.
type Config struct {
	// ModelsDir is the models directory; empty means $IDKIT_MODELS or
	// ./models/cache (models.DefaultDir).
	ModelsDir string
	// VisualOCR is the visual zone's engine: PaddleOCR (the default) or
	// Tesseract (ocr/local.VisualOCR).
	VisualOCR ocrlocal.VisualOCR
	// Languages are the Tesseract languages of the visual zone when
	// VisualOCR is Tesseract; nil means {"eng"}.
	Languages []string
	// Visual says when the document's printed visual zone is read: OCR of
	// it takes one to three seconds a document, several times the rest of
	// the pipeline. The zero value is VisualAuto.
	Visual VisualMode
	// PoolSize bounds the Tesseract clients; 0 means GOMAXPROCS.
	PoolSize int
	// Now is the reader's clock (two-digit MRZ years); nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// VisualMode says when the visual zone is read.
type VisualMode string

// Visual modes.
const (
	// VisualAuto reads the visual zone only when the MRZ and barcode give
	// no valid reading: a passport or ID card with a good MRZ is read in
	// well under a second, a licence photographed without its barcode
	// still yields its printed fields.
	VisualAuto VisualMode = ""
	// VisualAlways always reads it: the issue date and place of birth,
	// which the MRZ lacks, and the printed fields that docvalidate compares
	// with the MRZ and barcode (a data page altered above a genuine MRZ
	// fails coherence_mrz_visual).
	VisualAlways VisualMode = "always"
	// VisualNever never reads it.
	VisualNever VisualMode = "never"
)

// Backends are the loaded models. Close them.
type Backends struct {
	faces    *faceonnx.Analyzer
	liveness *liveness.Passive
	age      *ageonnx.FaceAPI
	matcher  *facematch.Matcher
	reader   *ocrlocal.Reader
	cfg      Config
}

// New loads the models.
func New(cfg Config) (*Backends, error) {
	switch cfg.Visual {
	case VisualAuto, VisualAlways, VisualNever:
	default:
		return nil, fmt.Errorf("workflow/local: visual mode %q is not auto, always or never", cfg.Visual)
	}
	cache := convert.Open(cfg.ModelsDir, faceapi.AgeGender())
	b := &Backends{cfg: cfg}
	var err error
	fail := func(what string, err error) (*Backends, error) {
		b.Close()
		return nil, fmt.Errorf("workflow/local: %s: %w", what, err)
	}
	if b.faces, err = faceonnx.New(faceonnx.Config{Models: cache}); err != nil {
		return fail("face detector", err)
	}
	// The liveness checker keeps its own analyzer: it runs the pose and eye
	// models, which the age and match steps do not need.
	if b.liveness, err = liveness.New(liveness.Config{Models: cache}); err != nil {
		return fail("liveness checker", err)
	}
	if b.age, err = ageonnx.New(ageonnx.Config{Models: cache}); err != nil {
		return fail("age estimator", err)
	}
	if b.matcher, err = facematch.New(facematch.Config{Models: cache, Detector: b.faces}); err != nil {
		return fail("face matcher", err)
	}
	visualOCR := cfg.VisualOCR
	if cfg.Visual == VisualNever {
		visualOCR = ocrlocal.VisualTesseract // nothing to load: the visual zone is never read
	}
	if b.reader, err = ocrlocal.New(ocrlocal.Config{Models: models.Open(cfg.ModelsDir), VisualOCR: visualOCR,
		Languages: cfg.Languages, PoolSize: cfg.PoolSize, Now: cfg.Now, Logger: cfg.Logger}); err != nil {
		return fail("document reader", err)
	}
	return b, nil
}

// Warm loads what is loaded lazily (the Tesseract clients), so that the
// first verification is not slower than the others.
func (b *Backends) Warm(ctx context.Context) error { return b.reader.Warm(ctx) }

// Close releases the models.
func (b *Backends) Close() error {
	var errs []error
	if b.reader != nil {
		errs = append(errs, b.reader.Close())
	}
	if b.matcher != nil {
		errs = append(errs, b.matcher.Close())
	}
	if b.age != nil {
		errs = append(errs, b.age.Close())
	}
	if b.liveness != nil {
		errs = append(errs, b.liveness.Close())
	}
	if b.faces != nil {
		errs = append(errs, b.faces.Close())
	}
	return errors.Join(errs...)
}

// Workflow returns the backends as the workflow package takes them.
// Validator and Profile are left nil: the pipeline builds them from its
// config.
func (b *Backends) Workflow() workflow.Backends {
	return workflow.Backends{
		Liveness: livenessChecker{b.liveness},
		Age:      ageEstimator{b.faces, b.age},
		Matcher:  matcher{b.matcher},
		Reader:   reader{b.reader, b.cfg.Visual},
	}
}

// noFace marks the face errors the workflow treats as capture problems.
func noFace(err error) error {
	if errors.Is(err, face.ErrNoFace) || errors.Is(err, face.ErrMultipleFaces) || errors.Is(err, face.ErrFaceTooSmall) {
		return fmt.Errorf("%w: %w", workflow.ErrNoFace, err)
	}
	return err
}

type livenessChecker struct{ c liveness.Checker }

var _ workflow.LivenessChecker = livenessChecker{}

// CheckLiveness turns the liveness result into the workflow's: an
// inconclusive result (no face, or one too small to judge) is a capture
// problem, and Confidence is the confidence in the verdict, live or not
// (the liveness package gives the probability of live).
func (l livenessChecker) CheckLiveness(ctx context.Context, img image.Image) (workflow.Liveness, error) {
	r, err := l.c.Check(ctx, img)
	if err != nil {
		return workflow.Liveness{}, noFace(err)
	}
	hints := make([]string, len(r.Hints))
	for i, h := range r.Hints {
		hints[i] = string(h)
	}
	if r.Status == liveness.StatusInconclusive {
		why := "no face could be judged"
		if len(r.Warnings) > 0 {
			why = r.Warnings[0].ShortDescription
		}
		return workflow.Liveness{}, fmt.Errorf("%w: liveness inconclusive: %s (hints: %v)", workflow.ErrNoFace, why, hints)
	}
	conf := r.Confidence
	if !r.IsLive {
		conf = 1 - conf
	}
	return workflow.Liveness{IsLive: r.IsLive, SpoofType: string(r.SpoofType), Confidence: conf, Hints: hints}, nil
}

type ageEstimator struct {
	d face.Detector
	e age.Estimator
}

var _ workflow.AgeEstimator = ageEstimator{}

func (a ageEstimator) EstimateAge(ctx context.Context, img image.Image) (age.Estimate, error) {
	r, err := age.EstimateImage(ctx, a.d, a.e, img)
	if err != nil {
		return age.Estimate{}, noFace(err)
	}
	return r.Estimate, nil
}

type matcher struct{ m *facematch.Matcher }

var _ workflow.FaceMatcher = matcher{}

func (m matcher) MatchFaces(ctx context.Context, selfie, reference image.Image) (workflow.FaceMatch, error) {
	r, err := m.m.Compare(ctx, facematch.Probe{Image: selfie}, facematch.Probe{Image: reference, Document: true})
	if err != nil {
		return workflow.FaceMatch{}, noFace(err)
	}
	return workflow.FaceMatch{Match: r.Match, Similarity: r.Similarity, Threshold: r.Threshold}, nil
}

type reader struct {
	r      *ocrlocal.Reader
	visual VisualMode
}

var _ workflow.DocumentReader = reader{}

func (r reader) ReadDocument(ctx context.Context, front, back image.Image) (workflow.Document, error) {
	req := ocr.Request{Front: front, Back: back, SkipVisual: r.visual != VisualAlways}
	doc, err := r.r.Read(ctx, req)
	if err != nil {
		return workflow.Document{}, err
	}
	if r.visual == VisualAuto && !machineRead(doc) {
		req.SkipVisual = false
		if doc, err = r.r.Read(ctx, req); err != nil {
			return workflow.Document{}, err
		}
	}
	return Convert(doc)
}

// machineRead reports whether a valid MRZ or barcode was read: the fields
// are then protected by check digits or structure, and the visual zone
// adds little.
func machineRead(doc *ocr.Document) bool {
	return doc.MRZ != nil && doc.MRZ.Valid || doc.Barcode != nil && doc.Barcode.Valid
}

// Convert turns an ocr.Document into the workflow's: the fields grouped by
// the zone they were read from, the MRZ lines for their check digits, the
// image measures and the decoded holder photo.
func Convert(doc *ocr.Document) (workflow.Document, error) {
	out := workflow.Document{Type: string(doc.Detected.Type), Country: doc.Detected.Country,
		Confidence: doc.Detected.Confidence, Notes: doc.Reasons}
	in := docvalidate.Input{Type: string(doc.Detected.Type), Country: doc.Detected.Country}
	if in.Type == string(ocr.UnknownDocument) {
		in.Type = ""
	}
	if doc.MRZ != nil {
		in.MRZLines = doc.MRZ.Lines
	}
	if doc.Barcode != nil {
		in.BarcodePayload = doc.Barcode.Payload
	}
	// Zones parsed from their raw form (MRZ lines, barcode payload) are
	// re-parsed by docvalidate with its own checks; the other zones are
	// passed as read.
	zones := map[ocr.Source]**docvalidate.Fields{ocr.SourceVisual: &in.Visual}
	if in.MRZLines == nil {
		zones[ocr.SourceMRZ] = &in.MRZ
	}
	if in.BarcodePayload == "" {
		zones[ocr.SourceBarcode] = &in.Barcode
	}
	for src, fields := range zoneFields(doc) {
		dst, ok := zones[src]
		if !ok {
			continue
		}
		for name, f := range fields {
			if *dst == nil {
				*dst = &docvalidate.Fields{Confidence: map[string]float64{}}
			}
			key := name
			switch name {
			case ocr.FieldIssuingState:
				key = "subdivision"
			case ocr.FieldMRZ:
				continue
			}
			if setField(*dst, key, f.Value) {
				(*dst).Confidence[key] = f.Confidence
			}
		}
	}
	in.Confidence = doc.Detected.Confidence
	q := doc.Quality
	img := &docvalidate.Image{Sharpness: &q.Sharpness, Glare: &q.Glare}
	if len(doc.Sides) > 0 {
		img.CornersVisible = cornersVisible(doc.Sides[0])
	}
	in.Image = img
	out.Validation = in
	if doc.Images.FaceCropBase64 != "" {
		raw, err := base64.StdEncoding.DecodeString(doc.Images.FaceCropBase64)
		if err != nil {
			return out, fmt.Errorf("workflow/local: face crop: %w", err)
		}
		crop, err := jpeg.Decode(bytes.NewReader(raw))
		if err != nil {
			return out, fmt.Errorf("workflow/local: face crop: %w", err)
		}
		out.FaceCrop = crop
	}
	return out, nil
}

// zoneFields returns the fields by the zone that read them: every zone's
// own reads when the reader kept them (Document.Zones), so that zones can be
// compared, else the one value per field of Document.Fields.
func zoneFields(doc *ocr.Document) map[ocr.Source]map[string]ocr.Field {
	if len(doc.Zones) > 0 {
		return doc.Zones
	}
	out := map[ocr.Source]map[string]ocr.Field{}
	for name, f := range doc.Fields {
		if out[f.Source] == nil {
			out[f.Source] = map[string]ocr.Field{}
		}
		out[f.Source][name] = f
	}
	return out
}

// setField stores an ocr field under its docvalidate name; false for the
// fields docvalidate does not judge (address, height...).
func setField(f *docvalidate.Fields, name, v string) bool {
	switch name {
	case ocr.FieldDocumentCode:
		f.DocumentCode = v
	case ocr.FieldDocumentNumber:
		f.DocumentNumber = v
	case ocr.FieldSurname:
		f.Surname = v
	case ocr.FieldGivenNames:
		f.GivenNames = v
	case ocr.FieldNationality:
		f.Nationality = v
	case ocr.FieldIssuingCountry:
		f.IssuingCountry = v
	case "subdivision":
		f.Subdivision = v
	case ocr.FieldSex:
		f.Sex = v
	case ocr.FieldBirthDate:
		f.BirthDate = v
	case ocr.FieldIssueDate:
		f.IssueDate = v
	case ocr.FieldExpiryDate:
		f.ExpiryDate = v
	case ocr.FieldPersonalNumber:
		f.PersonalNumber = v
	default:
		return false
	}
	return true
}

// cornersVisible returns 4 when the document's outline was found with
// every corner clear of the frame's edge, nil otherwise: an outline on the
// edge may be a clipped document or a scan cropped to the card, which the
// reader cannot tell apart, so the check is skipped rather than failed.
func cornersVisible(s ocr.Side) *int {
	if s.Document == nil {
		return nil
	}
	mx, my := 0.01*float64(s.Width), 0.01*float64(s.Height)
	for _, p := range s.Document {
		if p.X < mx || p.Y < my || p.X > float64(s.Width)-mx || p.Y > float64(s.Height)-my {
			return nil
		}
	}
	n := 4
	return &n
}
