package local_test

import (
	"bytes"
	"encoding/base64"
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
