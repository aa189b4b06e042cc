package local

import (
	"context"
	"image"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/ocr"
	"github.com/idkit-dev/idkit/ocr/barcode"
)

// ref is the reference date of the specimens and the readers' clock.
var ref = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func newReader(t testing.TB, faces bool) *Reader {
	t.Helper()
	names := []string{"ocrb_mrz", "paddle_det", "paddle_rec", "paddle_keys"}
	if faces {
		names = append(names, "fr_detect", "fr_landmark")
	}
	mc := modeltest.Cache(t, names...)
	if _, err := specimen.FontPath(); err != nil {
		t.Skip(err)
	}
	r, err := New(Config{Models: mc, PoolSize: 1, NoFaces: !faces, Now: func() time.Time { return ref }})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	return r
}

func fixtureFace(t testing.TB) image.Image {
	img, _, err := imageio.ReadFile(modeltest.Testdata(t, "faces", "obama_official_portrait_2012.jpg"), imageio.Limits{})
	require.NoError(t, err)
	return img
}

// photo renders a random specimen and photographs its MRZ side.
func photo(t testing.TB, format mrz.Format, seed uint64, d specimen.Degradation) (*image.RGBA, specimen.Spec, *specimen.Document) {
	t.Helper()
	s := specimen.Random(format, seed, ref)
	doc, err := specimen.Render(s)
	require.NoError(t, err)
	return specimen.Photograph(doc.MRZSide(), d, seed), s, doc
}

func TestReadCleanSpecimens(t *testing.T) {
	r := newReader(t, true)
	face := fixtureFace(t)
	for _, format := range []mrz.Format{mrz.TD1, mrz.TD2, mrz.TD3} {
		t.Run(string(format), func(t *testing.T) {
			s := specimen.Random(format, 21, ref)
			s.Face = face
			doc, err := specimen.Render(s)
			require.NoError(t, err)
			req := ocr.Request{Front: specimen.Photograph(doc.Front, specimen.Degradation{}, 1), SkipVisual: format != mrz.TD3}
			if doc.Back != nil {
				req.Back = specimen.Photograph(doc.Back, specimen.Degradation{}, 2)
			}
			got, err := r.Read(context.Background(), req)
			require.NoError(t, err)
			require.NotNil(t, got.MRZ, "reasons %v", got.Reasons)
			assert.True(t, got.MRZ.Valid)
			assert.Equal(t, doc.MRZ, got.MRZ.Lines)
			wantType := ocr.IDCard
			if format == mrz.TD3 {
				wantType = ocr.Passport
			}
			assert.Equal(t, wantType, got.Detected.Type)
			res, err := mrz.Parse(doc.MRZ, mrz.Options{Reference: ref})
			require.NoError(t, err)
			assert.Equal(t, res.Surname, got.Value(ocr.FieldSurname))
			assert.Equal(t, res.DocumentNumber, got.Value(ocr.FieldDocumentNumber))
			assert.Equal(t, s.Fields.BirthDate.String(), got.Value(ocr.FieldBirthDate))
			assert.Equal(t, s.Fields.ExpiryDate.String(), got.Value(ocr.FieldExpiryDate))
			assert.NotEmpty(t, got.Images.FaceCropBase64, "reasons %v", got.Reasons)
			assert.Greater(t, got.Quality.Sharpness, 0.5)
			assert.Less(t, got.Quality.Glare, 0.01)
			if format == mrz.TD3 {
				// The visual zone adds what the MRZ does not carry.
				assert.Equal(t, s.IssueDate.String(), got.Value(ocr.FieldIssueDate))
				assert.Equal(t, ocr.SourceVisual, got.Fields[ocr.FieldIssueDate].Source)
			}
		})
	}
}

// TestReadDegradedSpecimens reads photos with the realistic degradation of
// `idkit eval specimens` (the full measurement runs there, on 300).
func TestReadDegradedSpecimens(t *testing.T) {
	r := newReader(t, false)
	for i, format := range []mrz.Format{mrz.TD1, mrz.TD2, mrz.TD3, mrz.TD1, mrz.TD2, mrz.TD3} {
		seed := uint64(100 + i)
		img, _, doc := photo(t, format, seed, specimen.Realistic(seed))
		m, err := r.ReadMRZ(context.Background(), img)
		if !assert.NoError(t, err, "%s seed %d", format, seed) {
			continue
		}
		assert.Equal(t, doc.MRZ, m.Lines, "%s seed %d", format, seed)
		assert.True(t, m.Valid)
	}
}

func TestNewRejectsUnknownVisualOCR(t *testing.T) {
	_, err := New(Config{VisualOCR: "easyocr"})
	assert.ErrorContains(t, err, `visual OCR "easyocr" is not paddle`)
}

func TestReadBadInput(t *testing.T) {
	r := newReader(t, false)
	ctx := context.Background()

	t.Run("no document", func(t *testing.T) {
		blank := image.NewRGBA(image.Rect(0, 0, 1200, 900))
		for i := range blank.Pix {
			blank.Pix[i] = 200
		}
		doc, err := r.Read(ctx, ocr.Request{Front: blank})
		require.NoError(t, err)
		assert.Empty(t, doc.Fields)
		assert.Contains(t, doc.Reasons, ocr.ReasonNoDocument)
		assert.Contains(t, doc.Reasons, ocr.ReasonNoMRZ)
		assert.Contains(t, doc.Reasons, ocr.ReasonUnknownType)
		_, err = r.ReadMRZ(ctx, blank)
		assert.ErrorIs(t, err, ocr.ErrNoMRZ)
	})

	t.Run("wrong line count", func(t *testing.T) {
		// A TD1 back whose third line is covered: two lines of 30 fit no
		// layout.
		s := specimen.Random(mrz.TD1, 5, ref)
		doc, err := specimen.Render(s)
		require.NoError(t, err)
		back := doc.Back
		third := image.Rect(0, doc.MRZBox.Max.Y-doc.MRZBox.Dy()/3+4, back.Rect.Dx(), back.Rect.Dy())
		for y := third.Min.Y; y < third.Max.Y; y++ {
			for x := third.Min.X; x < third.Max.X; x++ {
				back.Pix[back.PixOffset(x, y)+0], back.Pix[back.PixOffset(x, y)+1], back.Pix[back.PixOffset(x, y)+2] = 235, 240, 245
			}
		}
		got, err := r.Read(ctx, ocr.Request{Front: specimen.Photograph(back, specimen.Degradation{}, 3), SkipVisual: true})
		require.NoError(t, err)
		assert.Nil(t, got.MRZ)
		assert.Contains(t, got.Reasons, ocr.ReasonNoMRZ)
	})

	t.Run("corrupted zone", func(t *testing.T) {
		s := specimen.Random(mrz.TD3, 6, ref)
		lines, err := mrz.Generate(s.Fields)
		require.NoError(t, err)
		s.MRZ = specimen.Corrupt(lines, 1, 6)
		doc, err := specimen.Render(s)
		require.NoError(t, err)
		got, err := r.Read(ctx, ocr.Request{Front: specimen.Photograph(doc.Front, specimen.Degradation{}, 6), SkipVisual: true})
		require.NoError(t, err)
		require.NotNil(t, got.MRZ)
		assert.False(t, got.MRZ.Valid, "a forged zone is not repaired into a valid one")
		assert.Equal(t, s.MRZ, got.MRZ.Lines)
		assert.Contains(t, got.Reasons, ocr.ReasonMRZInvalid)
	})

	t.Run("too large", func(t *testing.T) {
		mc := modeltest.Cache(t, "ocrb_mrz", "paddle_det", "paddle_rec", "paddle_keys")
		small, err := New(Config{Models: mc, PoolSize: 1, NoFaces: true, MaxPixels: 1_000_000})
		require.NoError(t, err)
		defer small.Close()
		_, err = small.Read(ctx, ocr.Request{Front: image.NewRGBA(image.Rect(0, 0, 1600, 1200))})
		assert.ErrorIs(t, err, ocr.ErrImage)
	})
}

// licencePayload is a made-up California AAMVA version 8 payload.
const licencePayload = "@\n\x1e\rANSI 636014080102DL00410278ZC03190024DLDAQD1234562\nDCSSAMPLE\nDDEN\nDACJOHN\nDDFN\nDADQ\nDDGN\nDCAC\nDCBNONE\nDCDNONE\nDBD08312023\nDBB01311980\nDBA01312029\nDBC1\nDAU070 IN\nDAYBRO\nDAG123 MAIN STREET\nDAISACRAMENTO\nDAJCA\nDAK958230000  \nDCF00/00/0000NNNAN/ANFD/YY\nDCGUSA\nDCK0000000000000000000\nDDB08292017\r\nZCZCA\nZCB\nZCC\nZCD\r"

func licence(t *testing.T, payload string, seed uint64) (front, back *image.RGBA) {
	t.Helper()
	sym, err := barcode.EncodePDF417([]byte(payload), 900)
	require.NoError(t, err)
	s := specimen.Random(mrz.TD1, seed, ref)
	s.Layout, s.Barcode, s.StateName, s.Address = specimen.DL, sym, "CALIFORNIA", "123 MAIN STREET, SACRAMENTO CA 95823"
	doc, err := specimen.Render(s)
	require.NoError(t, err)
	d := specimen.Degradation{Rotation: 6, Blur: 0.6, Noise: 3, JPEGQuality: 85}
	return specimen.Photograph(doc.Front, d, seed), specimen.Photograph(doc.Back, d, seed+1)
}

func TestReadLicence(t *testing.T) {
	r := newReader(t, false)
	front, back := licence(t, licencePayload, 31)
	doc, err := r.Read(context.Background(), ocr.Request{Front: front, Back: back, SkipVisual: true})
	require.NoError(t, err)
	require.NotNil(t, doc.Barcode, "reasons %v", doc.Reasons)
	assert.Equal(t, 1, doc.Barcode.Side)
	assert.Equal(t, ocr.Detected{Type: ocr.DriverLicense, Country: "USA", Confidence: 0.97, Source: ocr.SourceBarcode}, doc.Detected)
	for k, v := range map[string]string{
		ocr.FieldSurname: "SAMPLE", ocr.FieldGivenNames: "JOHN Q", ocr.FieldBirthDate: "1980-01-31",
		ocr.FieldExpiryDate: "2029-01-31", ocr.FieldDocumentNumber: "D1234562", ocr.FieldAddressCity: "SACRAMENTO",
		ocr.FieldAddressPostcode: "95823", ocr.FieldIssuingState: "CA", ocr.FieldSex: "M",
	} {
		assert.Equal(t, v, doc.Value(k), k)
		assert.Equal(t, ocr.SourceBarcode, doc.Fields[k].Source, k)
	}
}

func TestReadLicenceNotAAMVA(t *testing.T) {
	r := newReader(t, false)
	front, back := licence(t, "https://example.org/not-a-licence", 32)
	doc, err := r.Read(context.Background(), ocr.Request{Front: front, Back: back, DocumentHint: ocr.DriverLicense, SkipVisual: true})
	require.NoError(t, err)
	assert.Nil(t, doc.Barcode)
	assert.Contains(t, doc.Reasons, ocr.ReasonNotAAMVA)
	assert.Equal(t, ocr.DriverLicense, doc.Detected.Type)
	assert.Equal(t, ocr.SourceHint, doc.Detected.Source)
}

// TestReadKeepsVisualBesideMRZ reads a passport whose MRZ, valid check
// digits and all, names someone else than its printed data page: the
// forgery docvalidate's coherence check looks for. Both names must come
// out, each in its zone.
func TestReadKeepsVisualBesideMRZ(t *testing.T) {
	r := newReader(t, false)
	s := specimen.Random(mrz.TD3, 21, ref)
	forged := s.Fields
	forged.Surname = "MARTINEZ"
	lines, err := mrz.Generate(forged)
	require.NoError(t, err)
	s.MRZ = lines
	doc, err := specimen.Render(s)
	require.NoError(t, err)
	got, err := r.Read(context.Background(), ocr.Request{Front: specimen.Photograph(doc.Front, specimen.Degradation{}, 1)})
	require.NoError(t, err)
	require.NotNil(t, got.MRZ, "reasons %v", got.Reasons)
	require.True(t, got.MRZ.Valid)
	assert.Equal(t, "MARTINEZ", got.Value(ocr.FieldSurname), "Fields keeps the MRZ's")
	assert.Equal(t, "MARTINEZ", got.Zones[ocr.SourceMRZ][ocr.FieldSurname].Value)
	assert.Equal(t, s.Fields.Surname, got.Zones[ocr.SourceVisual][ocr.FieldSurname].Value, "visual zone %v", got.Zones[ocr.SourceVisual])
}
