package specimen

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/mrz"
)

func skipWithoutFont(t testing.TB) {
	t.Helper()
	if _, err := FontPath(); errors.Is(err, ErrNoFont) {
		t.Skip("OCR-B font not installed (Debian: fonts-ocr-b)")
	}
}

var ref = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func TestRenderLayouts(t *testing.T) {
	skipWithoutFont(t)
	cases := []struct {
		format   mrz.Format
		layout   Layout
		size     image.Point
		back     bool
		mrzLines int
	}{
		{mrz.TD1, TD1, image.Pt(1011, 638), true, 3},
		{mrz.TD2, TD2, image.Pt(1240, 874), false, 2},
		{mrz.TD3, TD3, image.Pt(1476, 1039), false, 2},
	}
	for _, c := range cases {
		t.Run(string(c.format), func(t *testing.T) {
			s := Random(c.format, 7, ref)
			doc, err := Render(s)
			require.NoError(t, err)
			assert.Equal(t, c.layout, doc.Layout)
			assert.Equal(t, c.size, doc.Front.Rect.Size())
			assert.Equal(t, c.back, doc.Back != nil)
			require.Len(t, doc.MRZ, c.mrzLines)
			want, err := mrz.Generate(s.Fields)
			require.NoError(t, err)
			assert.Equal(t, want, doc.MRZ)
			res, err := mrz.Parse(doc.MRZ, mrz.Options{Reference: ref})
			require.NoError(t, err)
			assert.True(t, res.Valid)
			side := doc.MRZSide()
			require.NotNil(t, side)
			assert.True(t, doc.MRZBox.In(side.Rect), "zone %v inside %v", doc.MRZBox, side.Rect)
			assert.Greater(t, doc.MRZBox.Dx(), side.Rect.Dx()*3/4, "the zone spans the document")
			assert.False(t, doc.FaceBox.Empty())
			// Print is dark: the zone holds ink.
			assert.Less(t, minLuma(side, doc.MRZBox), uint8(80))
		})
	}
}

func minLuma(img *image.RGBA, r image.Rectangle) uint8 {
	m := uint8(255)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := img.RGBAAt(x, y)
			m = min(m, uint8((int(p.R)+int(p.G)+int(p.B))/3))
		}
	}
	return m
}

func TestRenderDLAndDPI(t *testing.T) {
	skipWithoutFont(t)
	bc := image.NewGray(image.Rect(0, 0, 300, 100))
	s := Random(mrz.TD1, 3, ref)
	s.Layout, s.Barcode, s.Address, s.DPI = DL, bc, "123 MAIN ST, SACRAMENTO CA", 150
	doc, err := Render(s)
	require.NoError(t, err)
	assert.Nil(t, doc.MRZ)
	assert.Nil(t, doc.MRZSide())
	assert.Equal(t, image.Pt(506, 319), doc.Front.Rect.Size())
	assert.False(t, doc.BarcodeBox.Empty())
	assert.Equal(t, uint8(0), doc.Back.RGBAAt(doc.BarcodeBox.Min.X+5, doc.BarcodeBox.Min.Y+5).R, "the barcode is drawn")
}

func TestRenderBadSpec(t *testing.T) {
	skipWithoutFont(t)
	td1 := Random(mrz.TD1, 1, ref)
	cases := map[string]Spec{
		"unknown layout":  {Layout: "TD9", Fields: td1.Fields},
		"wrong lines":     {Fields: td1.Fields, MRZ: []string{"P<UTO"}},
		"lowercase":       {Fields: td1.Fields, MRZ: []string{"i<uto", "x", "y"}},
		"bad fields":      {Fields: mrz.Fields{Format: mrz.TD3, DocumentNumber: "THIS NUMBER IS FAR TOO LONG FOR A PASSPORT"}},
		"dpi":             {Fields: td1.Fields, DPI: 5000},
		"national format": {Fields: mrz.Fields{Format: mrz.SwissDrivingLicence}},
	}
	for name, s := range cases {
		_, err := Render(s)
		assert.ErrorIs(t, err, ErrSpec, name)
	}
}

func TestCorrupt(t *testing.T) {
	lines, err := mrz.Generate(Random(mrz.TD3, 9, ref).Fields)
	require.NoError(t, err)
	bad := Corrupt(lines, 1, 42)
	assert.NotEqual(t, lines, bad)
	res, err := mrz.Parse(bad, mrz.Options{Reference: ref})
	require.NoError(t, err)
	assert.False(t, res.Valid, "a changed digit breaks a check")
	assert.Equal(t, bad, Corrupt(lines, 1, 42), "deterministic")
	assert.Equal(t, lines, Corrupt(lines, 0, 42))
	assert.Equal(t, []string{"ABC"}, Corrupt([]string{"ABC"}, 3, 1), "no digits to change")
}

func TestPhotographDeterministic(t *testing.T) {
	doc := image.NewRGBA(image.Rect(0, 0, 400, 280))
	for i := range doc.Pix {
		doc.Pix[i] = 230
	}
	d := Realistic(5)
	d.Width, d.Height = 640, 480
	a, b := Photograph(doc, d, 5), Photograph(doc, d, 5)
	assert.Equal(t, encode(t, a), encode(t, b))
	assert.NotEqual(t, encode(t, a), encode(t, Photograph(doc, d, 6)))
	assert.Equal(t, image.Pt(640, 480), a.Rect.Size())
}

func TestCornersMatchPhotograph(t *testing.T) {
	// A white document on the table: the drawn corners bound the white.
	doc := image.NewRGBA(image.Rect(0, 0, 500, 320))
	for i := range doc.Pix {
		doc.Pix[i] = 255
	}
	d := Degradation{Width: 800, Height: 600, Rotation: 10, Perspective: 0.05}
	for seed := uint64(1); seed <= 5; seed++ {
		img := Photograph(doc, d, seed)
		q := Corners(doc.Rect.Size(), d, seed)
		cx := (q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4
		cy := (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4
		assert.Equal(t, uint8(255), img.RGBAAt(int(cx), int(cy)).G, "centre is document")
		for _, p := range q {
			// Just outside each corner, away from the centre, is table.
			ox, oy := p[0]+(p[0]-cx)*0.05, p[1]+(p[1]-cy)*0.05
			if image.Pt(int(ox), int(oy)).In(img.Rect) {
				assert.Less(t, img.RGBAAt(int(ox), int(oy)).G, uint8(250), "seed %d", seed)
			}
		}
	}
}

func encode(t *testing.T, img image.Image) []byte {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func TestRandomSpecsRender(t *testing.T) {
	skipWithoutFont(t)
	for i := uint64(0); i < 30; i++ {
		f := []mrz.Format{mrz.TD1, mrz.TD2, mrz.TD3}[i%3]
		s := Random(f, i, ref)
		lines, err := mrz.Generate(s.Fields)
		require.NoError(t, err, s.String())
		res, err := mrz.Parse(lines, mrz.Options{Reference: ref})
		require.NoError(t, err)
		assert.True(t, res.Valid, s.String())
		assert.Equal(t, s.Fields.BirthDate.String(), res.BirthDate.String(), s.String())
	}
}

func ExampleRender() {
	spec := Spec{Fields: mrz.Fields{
		Format: mrz.TD3, DocumentCode: "P", IssuingState: "UTO", Surname: "Eriksson", GivenNames: "Anna Maria",
		DocumentNumber: "L898902C3", Nationality: "UTO", BirthDate: mrz.NewDate(1974, 8, 12), Sex: mrz.Female,
		ExpiryDate: mrz.NewDate(2032, 4, 15),
	}}
	doc, err := Render(spec) // needs Debian's fonts-ocr-b
	if err != nil {
		panic(err)
	}
	fmt.Println(doc.MRZ[0])
	photo := Photograph(doc.Front, Degradation{Rotation: 5, Blur: 1, JPEGQuality: 80}, 1)
	fmt.Println(photo.Rect.Dx(), photo.Rect.Dy())
	fmt.Printf("%dx%d\n", doc.Front.Rect.Dx(), doc.Front.Rect.Dy())
	// Output:
	// P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
	// 1600 1200
	// 1476x1039
}
