package ocr

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/mrz"
)

// fakeLocator finds no outline and returns one zone when zone is set.
type fakeLocator struct{ zone bool }

func (l fakeLocator) Document(context.Context, *image.RGBA) (Quad, bool, error) {
	return Quad{}, false, nil
}

func (l fakeLocator) Rectify(img *image.RGBA, _ Quad, _, _ int) (*image.RGBA, error) { return img, nil }

func (l fakeLocator) Zones(context.Context, *image.RGBA) ([]Zone, error) {
	if !l.zone {
		return nil, nil
	}
	g := image.NewGray(image.Rect(0, 0, 600, 80))
	return []Zone{{Image: g, Quad: Quad{{10, 500}, {610, 500}, {610, 580}, {10, 580}}, Score: 1}}, nil
}

// fakeEngine answers MRZ reads with mrz and text reads with text.
type fakeEngine struct {
	mrz  []string
	text []string
	err  error
}

func (e fakeEngine) ReadLines(_ context.Context, _ image.Image, o Options) ([]Line, error) {
	if e.err != nil {
		return nil, e.err
	}
	src := e.text
	if o.Mode == ModeMRZ {
		src = e.mrz
	}
	var out []Line
	for i, t := range src {
		out = append(out, Line{Text: t, Box: image.Rect(0, 40*i, 400, 40*i+30), Confidence: 0.9})
	}
	return out, nil
}

type fakeBarcodes struct{ data []byte }

func (b fakeBarcodes) ReadPDF417(context.Context, image.Image) ([]byte, Quad, error) {
	if b.data == nil {
		return nil, Quad{}, ErrNoBarcode
	}
	return b.data, Quad{}, nil
}

type fakeFaces struct{}

func (fakeFaces) FindFaces(context.Context, image.Image) ([]FaceBox, error) {
	return []FaceBox{{Box: image.Rect(100, 100, 200, 220), Score: 0.9}}, nil
}

var specimenTD3 = []string{
	"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
	"L898902C36UTO7408122F1204159ZE184226B<<<<<10",
}

func newTestReader(t *testing.T, cfg Config) *Reader {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Date(2010, 6, 1, 0, 0, 0, 0, time.UTC) }
	}
	r, err := New(cfg)
	require.NoError(t, err)
	return r
}

func photo() *image.RGBA { return image.NewRGBA(image.Rect(0, 0, 800, 600)) }

func TestReadMRZDocument(t *testing.T) {
	r := newTestReader(t, Config{
		Engine:  fakeEngine{mrz: []string{"noise", strings.ReplaceAll(specimenTD3[0], "<", "« "), "L898902C36UT07408122F1204159ZE184226B<<<<<10"}},
		Locator: fakeLocator{zone: true},
		Faces:   fakeFaces{},
	})
	doc, err := r.Read(context.Background(), Request{Front: photo(), SkipVisual: true})
	require.NoError(t, err)
	assert.Equal(t, Detected{Type: Passport, Country: "UTO", Confidence: detectMRZValid, Source: SourceMRZ}, doc.Detected)
	require.NotNil(t, doc.MRZ)
	assert.True(t, doc.MRZ.Valid)
	assert.Equal(t, specimenTD3, doc.MRZ.Lines)
	assert.Positive(t, doc.MRZ.Repairs, "the O read for 0 and the « fillers were repaired")
	want := map[string]string{
		FieldSurname: "ERIKSSON", FieldGivenNames: "ANNA MARIA", FieldFullName: "ANNA MARIA ERIKSSON",
		FieldDocumentNumber: "L898902C3", FieldNationality: "UTO", FieldIssuingCountry: "UTO",
		FieldBirthDate: "1974-08-12", FieldSex: "F", FieldExpiryDate: "2012-04-15", FieldPersonalNumber: "ZE184226B",
		FieldDocumentCode: "P", FieldMRZ: strings.Join(specimenTD3, "\n"),
	}
	for k, v := range want {
		assert.Equal(t, v, doc.Value(k), k)
		assert.Equal(t, SourceMRZ, doc.Fields[k].Source, k)
	}
	assert.InDelta(t, confChecked-0.01, doc.Fields[FieldBirthDate].Confidence, 1e-9)
	assert.Equal(t, []string{ReasonNoDocument}, doc.Reasons)
	// The face crop is a JPEG of the detector's box with a margin.
	raw, err := base64.StdEncoding.DecodeString(doc.Images.FaceCropBase64)
	require.NoError(t, err)
	crop, err := jpeg.Decode(bytes.NewReader(raw))
	require.NoError(t, err)
	assert.Equal(t, image.Pt(170, 204), crop.Bounds().Size())
}

func TestReadInvalidAndExpired(t *testing.T) {
	bad := []string{specimenTD3[0], "L898902C36UTO7408122F1204159ZE184226B<<<<<19"} // composite digit wrong
	r := newTestReader(t, Config{
		Engine:  fakeEngine{mrz: bad},
		Locator: fakeLocator{zone: true},
		Now:     func() time.Time { return time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC) },
	})
	doc, err := r.Read(context.Background(), Request{Front: photo(), SkipVisual: true})
	require.NoError(t, err)
	require.NotNil(t, doc.MRZ)
	assert.False(t, doc.MRZ.Valid)
	assert.Contains(t, doc.Reasons, ReasonMRZInvalid)
	assert.Contains(t, doc.Reasons, ReasonExpired)
	assert.Equal(t, detectMRZInvalid, doc.Detected.Confidence)
	assert.Less(t, doc.Fields[FieldSurname].Confidence, confUnchecked)
	assert.Equal(t, confChecked, doc.Fields[FieldDocumentNumber].Confidence, "its own check digit passed")
}

func TestReadNothing(t *testing.T) {
	r := newTestReader(t, Config{Engine: fakeEngine{}, Locator: fakeLocator{}, Faces: fakeFacesNone{}})
	doc, err := r.Read(context.Background(), Request{Front: photo()})
	require.NoError(t, err)
	assert.Empty(t, doc.Fields)
	assert.Equal(t, UnknownDocument, doc.Detected.Type)
	for _, want := range []string{ReasonNoDocument, ReasonNoMRZ, ReasonNoText, ReasonUnknownType, ReasonUnknownCountry, ReasonNoFace} {
		assert.Contains(t, doc.Reasons, want)
	}
	_, err = r.ReadMRZ(context.Background(), photo())
	assert.ErrorIs(t, err, ErrNoMRZ)
}

type fakeFacesNone struct{}

func (fakeFacesNone) FindFaces(context.Context, image.Image) ([]FaceBox, error) { return nil, nil }

func TestReadWrongLineCount(t *testing.T) {
	// Two TD1 lines without the third fit no layout: no MRZ, not a panic.
	r := newTestReader(t, Config{
		Engine:  fakeEngine{mrz: []string{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6"}},
		Locator: fakeLocator{zone: true},
	})
	doc, err := r.Read(context.Background(), Request{Front: photo(), SkipVisual: true})
	require.NoError(t, err)
	assert.Nil(t, doc.MRZ)
	assert.Contains(t, doc.Reasons, ReasonNoMRZ)
}

func TestReadBarcode(t *testing.T) {
	payload := "@\n\x1e\rANSI 636014080102DL00410278ZC03190024DLDAQD1234562\nDCSSAMPLE\nDDEN\nDACJOHN\nDDFN\nDADQ\nDDGN\nDCAC\nDCBNONE\nDCDNONE\nDBD08312023\nDBB01311980\nDBA01312029\nDBC1\nDAU070 IN\nDAYBRO\nDAG123 MAIN STREET\nDAISACRAMENTO\nDAJCA\nDAK958230000  \nDCF00/00/0000NNNAN/ANFD/YY\nDCGUSA\nDCK0000000000000000000\nDDB08292017\r\nZCZCA\nZCB\nZCC\nZCD\r"
	r := newTestReader(t, Config{Engine: fakeEngine{}, Locator: fakeLocator{}, Barcodes: fakeBarcodes{data: []byte(payload)},
		Now: func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }})
	doc, err := r.Read(context.Background(), Request{Front: photo(), Back: photo(), DocumentHint: DriverLicense, SkipVisual: true})
	require.NoError(t, err)
	assert.Equal(t, DriverLicense, doc.Detected.Type)
	assert.Equal(t, "USA", doc.Detected.Country)
	require.NotNil(t, doc.Barcode)
	assert.Equal(t, 1, doc.Barcode.Side, "the back is searched first")
	assert.Equal(t, payload, doc.Barcode.Payload, "kept for validators that re-parse it")
	assert.Equal(t, "SAMPLE", doc.Value(FieldSurname))
	assert.Equal(t, "1980-01-31", doc.Value(FieldBirthDate))
	assert.Equal(t, "CA", doc.Value(FieldAddressState))
	assert.Equal(t, SourceBarcode, doc.Fields[FieldDocumentNumber].Source)

	r = newTestReader(t, Config{Engine: fakeEngine{}, Locator: fakeLocator{}, Barcodes: fakeBarcodes{data: []byte("https://example.org")}})
	doc, err = r.Read(context.Background(), Request{Front: photo(), DocumentHint: DriverLicense, SkipVisual: true})
	require.NoError(t, err)
	assert.Nil(t, doc.Barcode)
	assert.Contains(t, doc.Reasons, ReasonNotAAMVA)
	assert.Equal(t, DriverLicense, doc.Detected.Type, "from the hint")
	assert.Equal(t, SourceHint, doc.Detected.Source)
}

func TestReadErrors(t *testing.T) {
	boom := errors.New("boom")
	r := newTestReader(t, Config{Engine: fakeEngine{err: boom}, Locator: fakeLocator{zone: true}, MaxPixels: 1_000_000})
	ctx := context.Background()
	_, err := r.Read(ctx, Request{})
	assert.ErrorIs(t, err, ErrImage)
	_, err = r.Read(ctx, Request{Front: image.NewRGBA(image.Rect(0, 0, 10, 10))})
	assert.ErrorIs(t, err, ErrImage)
	_, err = r.Read(ctx, Request{Front: image.NewRGBA(image.Rect(0, 0, 2000, 1000))})
	assert.ErrorIs(t, err, ErrImage, "over MaxPixels")
	_, err = r.Read(ctx, Request{Front: photo(), DocumentHint: "ticket"})
	assert.ErrorIs(t, err, ErrHint)
	_, err = r.Read(ctx, Request{Front: photo()})
	assert.ErrorIs(t, err, boom)
	_, err = r.ReadMRZ(ctx, nil)
	assert.ErrorIs(t, err, ErrImage)
	_, err = r.ReadMRZ(ctx, (*image.RGBA)(nil))
	assert.ErrorIs(t, err, ErrImage, "a nil *image.RGBA is no image, not a panic")
	_, err = r.Read(ctx, Request{Front: (*image.RGBA)(nil)})
	assert.ErrorIs(t, err, ErrImage)
	// A strip no document fits: refused before any resizing (a 32x21000
	// PNG of 2 KB used to abort the process inside OpenCV).
	_, err = r.Read(ctx, Request{Front: image.NewRGBA(image.Rect(0, 0, 32, 21000))})
	assert.ErrorIs(t, err, ErrImage)
	_, err = New(Config{Locator: fakeLocator{}})
	assert.Error(t, err)
	_, err = New(Config{Engine: fakeEngine{}})
	assert.Error(t, err)
}

func TestFieldsFromMRZCountries(t *testing.T) {
	res, err := mrz.Parse([]string{"I<D<<T220001293<<<<<<<<<<<<<<<", "6408125<2010315D<<<<<<<<<<<<<4", "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"}, mrz.Options{})
	require.NoError(t, err)
	doc := &Document{Fields: map[string]Field{}}
	fieldsFromMRZ(doc, res, &MRZ{Valid: res.Valid, OCRConfidence: 0.9})
	assert.Equal(t, "DEU", doc.Value(FieldIssuingCountry), "D is Germany")
	assert.Equal(t, "DEU", doc.Value(FieldNationality))
}

func TestNamesLineResized(t *testing.T) {
	// One letter of the names lost: the check digits still pass, the names
	// are not trusted.
	r := newTestReader(t, Config{
		Engine:  fakeEngine{mrz: []string{"P<UTOERIKSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", specimenTD3[1]}},
		Locator: fakeLocator{zone: true},
	})
	doc, err := r.Read(context.Background(), Request{Front: photo(), SkipVisual: true})
	require.NoError(t, err)
	require.NotNil(t, doc.MRZ)
	assert.True(t, doc.MRZ.Valid)
	assert.Equal(t, "ERIKSON", doc.Value(FieldSurname))
	assert.Equal(t, confResizedNames, doc.Fields[FieldSurname].Confidence)
	assert.Equal(t, confChecked-0.01, doc.Fields[FieldDocumentNumber].Confidence)
}

func TestZoneReadOrder(t *testing.T) {
	valid := &mrz.Result{Valid: true}
	invalid := &mrz.Result{}
	clearInvalid := &zoneRead{res: invalid, conf: 0.92, minConf: 0.9, okChecks: 4, badCheck: 1}
	murkyValid := &zoneRead{res: valid, conf: 0.6, minConf: 0.35, okChecks: 5}
	clearValid := &zoneRead{res: valid, conf: 0.9, minConf: 0.88, okChecks: 5}
	assert.True(t, clearInvalid.better(murkyValid), "a clear forged zone is not replaced by lucky garbage")
	assert.True(t, clearValid.better(clearInvalid))
	assert.True(t, murkyValid.better(nil))
	assert.True(t, clearValid.trusted())
	assert.False(t, murkyValid.trusted())
	assert.True(t, (&zoneRead{res: invalid, minConf: 0.9, okChecks: 4, badCheck: 1, conf: 0.9}).better(&zoneRead{res: invalid, minConf: 0.9, okChecks: 2, badCheck: 3, conf: 0.88}))
	assert.True(t, (&zoneRead{res: invalid, minConf: 0.9, okChecks: 3, badCheck: 2, conf: 0.92}).better(&zoneRead{res: invalid, minConf: 0.65, okChecks: 4, badCheck: 1, conf: 0.75}), "the clearer failing reading")
}

func TestVisualEngine(t *testing.T) {
	// The MRZ comes from Engine, the visual zone from VisualEngine: the
	// MRZ engine's text lines are never asked for.
	r := newTestReader(t, Config{
		Engine:       fakeEngine{mrz: specimenTD3, text: []string{"Place of birth", "NOWHERE"}},
		VisualEngine: fakeEngine{mrz: []string{"not read"}, text: []string{"Place of birth", "ZENITH"}},
		Locator:      fakeLocator{zone: true},
	})
	doc, err := r.Read(context.Background(), Request{Front: photo()})
	require.NoError(t, err)
	require.NotNil(t, doc.MRZ)
	assert.True(t, doc.MRZ.Valid)
	assert.Equal(t, "ZENITH", doc.Zones[SourceVisual][FieldPlaceOfBirth].Value)
}
