package local_test

import (
	"time"

	"bytes"
	"encoding/base64"
	"github.com/idkit-dev/idkit/docvalidate"
	"github.com/idkit-dev/idkit/mrz"
	"image"
	"image/jpeg"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/ocr"
	"github.com/idkit-dev/idkit/workflow/local"
)

func TestConvert(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 40, 50)), nil))
	doc := &ocr.Document{
		Detected: ocr.Detected{Type: ocr.DriverLicense, Country: "USA", Confidence: 0.9, Source: ocr.SourceBarcode},
		Fields: map[string]ocr.Field{
			ocr.FieldSurname:        {Value: "SAMPLE", Confidence: 0.99, Source: ocr.SourceBarcode},
			ocr.FieldBirthDate:      {Value: "1986-06-06", Confidence: 0.99, Source: ocr.SourceBarcode},
			ocr.FieldIssuingState:   {Value: "VA", Confidence: 0.99, Source: ocr.SourceBarcode},
			ocr.FieldIssueDate:      {Value: "2019-06-06", Confidence: 0.6, Source: ocr.SourceVisual},
			ocr.FieldAddressCity:    {Value: "RICHMOND", Confidence: 0.6, Source: ocr.SourceVisual},
			ocr.FieldDocumentCode:   {Value: "DL", Confidence: 0.3, Source: ocr.SourceHint},
			ocr.FieldMRZ:            {Value: "ignored", Source: ocr.SourceVisual},
			ocr.FieldDocumentNumber: {Value: "T64235789", Confidence: 0.99, Source: ocr.SourceBarcode},
		},
		Barcode: &ocr.Barcode{Format: "pdf417", Valid: true},
		Images:  ocr.Images{FaceCropBase64: base64.StdEncoding.EncodeToString(buf.Bytes())},
		Quality: ocr.Quality{Sharpness: 0.8, Glare: 0.01},
		Sides:   []ocr.Side{{Width: 1000, Height: 800, Document: &ocr.Quad{{X: 100, Y: 100}, {X: 900, Y: 100}, {X: 900, Y: 700}, {X: 100, Y: 700}}}},
		Reasons: []string{ocr.ReasonNoMRZ},
	}
	d, err := local.Convert(doc)
	require.NoError(t, err)
	assert.Equal(t, "driver_license", d.Type)
	assert.Equal(t, []string{"no_mrz"}, d.Notes)
	v := d.Validation
	assert.Empty(t, v.MRZLines)
	assert.Nil(t, v.MRZ)
	require.NotNil(t, v.Barcode)
	assert.Equal(t, "SAMPLE", v.Barcode.Surname)
	assert.Equal(t, "VA", v.Barcode.Subdivision)
	assert.Equal(t, "T64235789", v.Barcode.DocumentNumber)
	assert.Equal(t, 0.99, v.Barcode.Confidence["surname"])
	require.NotNil(t, v.Visual)
	assert.Equal(t, "2019-06-06", v.Visual.IssueDate)
	assert.Equal(t, map[string]float64{"issue_date": 0.6}, v.Visual.Confidence, "fields docvalidate does not judge are left out")
	require.NotNil(t, v.Image)
	assert.Equal(t, 0.8, *v.Image.Sharpness)
	require.NotNil(t, v.Image.CornersVisible)
	assert.Equal(t, 4, *v.Image.CornersVisible)
	require.NotNil(t, d.FaceCrop)
	assert.Equal(t, 40, d.FaceCrop.Bounds().Dx())

	// An outline on the frame's edge: corners unknown, not failed.
	doc.Sides[0].Document = &ocr.Quad{{X: 0, Y: 0}, {X: 999, Y: 0}, {X: 999, Y: 799}, {X: 0, Y: 799}}
	doc.Images.FaceCropBase64 = "not base64!"
	d, err = local.Convert(doc)
	assert.Error(t, err)
	assert.Nil(t, d.Validation.Image.CornersVisible)
}

func TestNewRejectsVisualMode(t *testing.T) {
	_, err := local.New(local.Config{Visual: "sometimes"})
	assert.ErrorContains(t, err, "not auto, always or never")
}

// TestConvertComparesZones: the reader keeps every zone's reads, so a data
// page whose printed surname differs from its (valid) MRZ reaches
// docvalidate's coherence check, and a licence's raw barcode payload
// reaches its barcode_format check.
func TestConvertComparesZones(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
	lines, err := mrz.Generate(mrz.Fields{Format: mrz.TD3, DocumentCode: "P", IssuingState: "FRA", Nationality: "FRA",
		Surname: "DUPOND", GivenNames: "JEAN", DocumentNumber: "18AB12345", BirthDate: mrz.NewDate(1961, 8, 4),
		Sex: mrz.Male, ExpiryDate: mrz.NewDate(2031, 2, 1)})
	require.NoError(t, err)
	v, err := docvalidate.New(docvalidate.Config{Now: now})
	require.NoError(t, err)
	coherence := func(doc *ocr.Document, name string) docvalidate.Check {
		t.Helper()
		d, err := local.Convert(doc)
		require.NoError(t, err)
		c, ok := v.Validate(d.Validation).Check(name)
		require.True(t, ok, "no %s check", name)
		return c
	}

	doc := &ocr.Document{
		Detected: ocr.Detected{Type: ocr.Passport, Country: "FRA", Confidence: 0.99, Source: ocr.SourceMRZ},
		MRZ:      &ocr.MRZ{Format: "TD3", Lines: lines, Valid: true},
		Fields:   map[string]ocr.Field{ocr.FieldSurname: {Value: "DUPOND", Confidence: 0.99, Source: ocr.SourceMRZ}},
		Zones: map[ocr.Source]map[string]ocr.Field{
			ocr.SourceMRZ: {ocr.FieldSurname: {Value: "DUPOND", Confidence: 0.99, Source: ocr.SourceMRZ}},
			ocr.SourceVisual: {
				ocr.FieldSurname:    {Value: "MARTIN", Confidence: 0.8, Source: ocr.SourceVisual},
				ocr.FieldGivenNames: {Value: "JEAN", Confidence: 0.8, Source: ocr.SourceVisual},
				ocr.FieldBirthDate:  {Value: "1961-08-04", Confidence: 0.8, Source: ocr.SourceVisual},
			},
		},
	}
	c := coherence(doc, "coherence_mrz_visual")
	assert.Equal(t, docvalidate.Fail, c.Status, c.Reason)
	assert.Contains(t, c.Reason, `name "DUPOND, JEAN" vs "MARTIN, JEAN"`)

	doc.Zones[ocr.SourceVisual][ocr.FieldSurname] = ocr.Field{Value: "DUPOND", Confidence: 0.8, Source: ocr.SourceVisual}
	c = coherence(doc, "coherence_mrz_visual")
	assert.Equal(t, docvalidate.Pass, c.Status, c.Reason)

	// A hand-built document without zones is grouped by Fields' sources,
	// where the visual surname is hidden behind the MRZ's.
	doc.Zones = nil
	c = coherence(doc, "coherence_mrz_visual")
	assert.Equal(t, docvalidate.Skip, c.Status, c.Reason)

	payload := "@\n\x1e\rANSI 636014080102DL00410278ZC03190024DLDAQD1234562\nDCSSAMPLE\nDDEN\nDACJOHN\nDDFN\nDADQ\nDDGN\nDCAC\nDCBNONE\nDCDNONE\nDBD08312023\nDBB01311980\nDBA01312029\nDBC1\nDAU070 IN\nDAYBRO\nDAG123 MAIN STREET\nDAISACRAMENTO\nDAJCA\nDAK958230000  \nDCF00/00/0000NNNAN/ANFD/YY\nDCGUSA\nDCK0000000000000000000\nDDB08292017\r\nZCZCA\nZCB\nZCC\nZCD\r"
	licence := &ocr.Document{
		Detected: ocr.Detected{Type: ocr.DriverLicense, Country: "USA", Confidence: 0.99, Source: ocr.SourceBarcode},
		Barcode:  &ocr.Barcode{Format: "pdf417", Valid: true, Payload: payload},
		Zones: map[ocr.Source]map[string]ocr.Field{
			ocr.SourceBarcode: {ocr.FieldSurname: {Value: "SAMPLE", Confidence: 0.99, Source: ocr.SourceBarcode}},
			ocr.SourceVisual:  {ocr.FieldBirthDate: {Value: "1980-01-31", Confidence: 0.7, Source: ocr.SourceVisual}},
		},
	}
	d, err := local.Convert(licence)
	require.NoError(t, err)
	assert.Equal(t, payload, d.Validation.BarcodePayload)
	assert.Nil(t, d.Validation.Barcode, "the payload is re-parsed, not the reader's fields")
	c, ok := v.Validate(d.Validation).Check("barcode_format")
	require.True(t, ok)
	assert.Equal(t, docvalidate.Pass, c.Status, c.Reason)
	c = coherence(licence, "coherence_visual_barcode")
	assert.Equal(t, docvalidate.Pass, c.Status, c.Reason)

	licence.Barcode.Payload = "@\n\x1e\rANSI 6360140801DL" // cut short
	c, ok = func() (docvalidate.Check, bool) {
		d, err := local.Convert(licence)
		require.NoError(t, err)
		return v.Validate(d.Validation).Check("barcode_format")
	}()
	require.True(t, ok)
	assert.Equal(t, docvalidate.Fail, c.Status, c.Reason)
}
