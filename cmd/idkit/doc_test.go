package main

import (
	"encoding/json"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/aamva"
	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/ocr"
)

func TestDocCommandErrors(t *testing.T) {
	code, _, stderr := runCLI(t, "doc")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "usage: idkit doc")

	code, _, _ = runCLI(t, "doc", "a.jpg", "b.jpg", "c.jpg")
	assert.Equal(t, 2, code)

	code, _, stderr = runCLI(t, "doc", "--visual-ocr", "easyocr", "a.jpg")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `--visual-ocr "easyocr": want paddle or tesseract`)

	dir := t.TempDir()
	bad := filepath.Join(dir, "corrupt.jpg")
	writeFile(t, bad, "\xff\xd8\xff\xe0 this is not a JPEG")
	code, _, stderr = runCLI(t, "doc", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "corrupt.jpg")

	code, _, stderr = runCLI(t, "doc", filepath.Join(dir, "missing.jpg"))
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "missing.jpg")
}

func TestDocCommand(t *testing.T) {
	modeltest.Cache(t, "ocrb_mrz", "paddle_det", "paddle_rec", "paddle_keys")
	if _, err := specimen.FontPath(); err != nil {
		t.Skip(err)
	}
	t.Setenv("IDKIT_MODELS", modeltest.Dir())
	s := specimen.Random(mrz.TD3, 77, time.Now())
	doc, err := specimen.Render(s)
	require.NoError(t, err)
	dir := t.TempDir()
	front := filepath.Join(dir, "passport.jpg")
	fh, err := os.Create(front)
	require.NoError(t, err)
	require.NoError(t, jpeg.Encode(fh, specimen.Photograph(doc.Front, specimen.Realistic(77), 77), &jpeg.Options{Quality: 85}))
	require.NoError(t, fh.Close())

	code, _, stderr := runCLI(t, "doc", front, "--hint", "boarding_pass")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "document hint")

	drawn := filepath.Join(dir, "found.png")
	code, stdout, stderr := runCLI(t, "doc", "--no-face", "--no-visual", "--draw", drawn, front)
	require.Equal(t, 0, code, stderr)
	var got ocr.Document
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	assert.Equal(t, ocr.Passport, got.Detected.Type)
	assert.Equal(t, doc.MRZ, got.MRZ.Lines)
	assert.Equal(t, s.Fields.DocumentNumber, got.Fields[ocr.FieldDocumentNumber].Value)
	assert.FileExists(t, drawn)
}

func TestEvalAAMVAPayloads(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ca.txt"), "@\n\x1e\rANSI 636014080102DL00410278ZC03190024DLDAQD1234562\nDCSSAMPLE\nDACJOHN\nDBB01311980\nDBA01312029\nDBC1\nDAU070 IN\nDAK958230000  \nDAJCA\r")
	writeFile(t, filepath.Join(dir, "qr.txt"), "https://example.org")
	// A payload past aamva.MaxPayload is counted as too large, not read.
	writeFile(t, filepath.Join(dir, "big.txt"), "@\n\x1e\rANSI 636014080102DL00410278ZC03190024DLDAQD1234562\nDCS"+strings.Repeat("A", aamva.MaxPayload))
	writeFile(t, filepath.Join(dir, "labels.jsonl"),
		`{"file":"ca.txt","fields":{"DCS":"SAMPLE","DAC":"JOHN","DBB":"1980-01-31","DBC":"M","DAU":"70 in","DAK":"95823","DAQ":"D1234562"}}`+"\n"+
			`{"file":"qr.txt","fields":{"DCS":"X"}}`+"\n"+
			`{"file":"big.txt","fields":{"DCS":"X"}}`+"\n")
	code, stdout, stderr := runCLI(t, "eval", "aamva", dir, "--json")
	require.Equal(t, 0, code, stderr)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.Equal(t, 3.0, rep["n"])
	assert.InDelta(t, 1.0/3, rep["decoded_rate"], 1e-4)
	assert.InDelta(t, 7.0/9, rep["field_accuracy"], 1e-4, "7 right of 9 expected (the oversize payload's field is missed)")
	assert.Equal(t, map[string]any{"not_aamva": 1.0, "too_large": 1.0}, rep["errors"])
}

// TestEvalConvertAAMVA runs the adapter on the development set when it is
// there (../shared/eval-dev, never copied into the repository).
func TestEvalConvertAAMVA(t *testing.T) {
	src := filepath.Join(modeltest.RepoRoot(), "..", "shared", "eval-dev", "aamva")
	if _, err := os.Stat(filepath.Join(src, "idparser_expected.json")); err != nil {
		t.Skip("eval-dev AAMVA set not present")
	}
	out := t.TempDir()
	code, _, stderr := runCLI(t, "eval", "convert", "aamva", src, out)
	require.Equal(t, 0, code, stderr)
	code, stdout, stderr := runCLI(t, "eval", "aamva", out, "--json")
	require.Equal(t, 0, code, stderr)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.Equal(t, 1.0, rep["decoded_rate"])
	assert.Greater(t, rep["field_accuracy"], 0.99)
}

func TestCanonicalPostal(t *testing.T) {
	assert.Equal(t, "02108", canonicalPostal("021080000", "USA"))
	assert.Equal(t, "33333", canonicalPostal("333333333", ""))
	assert.Equal(t, "N1M3J6", canonicalPostal("N1M 3J6", "CAN"))
	assert.Equal(t, "", canonicalPostal("", "USA"))
	assert.Equal(t, "66 in", idparserMeasure("Height.FromImperial(5, 6)", "in", "cm"))
	assert.Equal(t, "170 cm", idparserMeasure("Height.FromMetric(170)", "in", "cm"))
	assert.Equal(t, "", idparserMeasure("Weight.FromRange(WeightRange.Lbs131To160)", "lb", "kg"))
	assert.Equal(t, "@\n\x1e\r", unescapeJS(`@\n\u001e\r`))
}
