package barcode

import (
	"context"
	"errors"
	"image"
	"image/draw"
	"math"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// samplePayload is a made-up AAMVA-shaped payload with the control
// characters real ones carry.
const samplePayload = "@\n\x1e\rANSI 636014080102DL00410278ZC03190024DLDAQD1234562\nDCSSAMPLE\nDDEN\nDACJOHN\nDDFN\nDADQ\nDDGN\nDCAC\nDCBNONE\nDCDNONE\nDBD08312023\nDBB01311980\nDBA01312029\nDBC1\nDAU070 IN\nDAYBRO\nDAG123 MAIN STREET\nDAISACRAMENTO\nDAJCA\nDAK958230000  \nDCF00/00/0000NNNAN/ANFD/YY\nDCGUSA\nDCK0000000000000000000\nDDB08292017\r\nZCZCA\nZCB\nZCC\nZCD\r"

// onCanvas pastes g onto a larger grey page at (x, y), like a barcode on
// the back of a card in a photo.
func onCanvas(g *image.Gray, w, h, x, y int, bg uint8) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, w, h))
	for i := range out.Pix {
		out.Pix[i] = bg
	}
	draw.Draw(out, g.Rect.Add(image.Pt(x, y)), g, g.Rect.Min, draw.Src)
	return out
}

func TestPDF417RoundTripRotations(t *testing.T) {
	sym, err := EncodePDF417([]byte(samplePayload), 600)
	require.NoError(t, err)
	page := onCanvas(sym, 1400, 1000, 250, 300, 235)
	r := New(Config{})
	for _, deg := range []float64{0, 2, -4, 7, -12, 18, 90, 180} {
		img, _ := rotateGray(page, deg)
		start := time.Now()
		b, err := r.ReadPDF417(context.Background(), img)
		t.Logf("%v°: %v", deg, time.Since(start))
		if !assert.NoError(t, err, "rotated %v°", deg) {
			continue
		}
		assert.Equal(t, samplePayload, b.Text(), "rotated %v°", deg)
		assert.Equal(t, PDF417, b.Format)
	}
}

func TestEstimateSkew(t *testing.T) {
	sym, err := EncodePDF417([]byte(samplePayload), 600)
	require.NoError(t, err)
	page := onCanvas(sym, 1100, 800, 100, 200, 255)
	for _, deg := range []float64{0, 3, -6, 11, -20, 30} {
		img, _ := rotateGray(page, deg)
		// One estimate may fall short by a seventh; zxing-cpp needs the
		// refined one within about 3°.
		assert.InDelta(t, deg, estimateSkew(img), math.Abs(deg)/7+0.5, "rotated %v°", deg)
		assert.InDelta(t, deg, refineSkew(img), 1.5, "rotated %v°", deg)
	}
}

func TestQRRoundTrip(t *testing.T) {
	const text = "https://example.org/verify?id=UTO-D23145890"
	sym, err := EncodeQR(text, 300)
	require.NoError(t, err)
	page := onCanvas(sym, 800, 600, 200, 120, 240)
	b, err := New(Config{}).Read(context.Background(), page)
	require.NoError(t, err)
	assert.Equal(t, QR, b.Format)
	assert.Equal(t, text, b.Text())
	assert.True(t, image.Rect(190, 110, 510, 430).Overlaps(image.Rectangle{Min: b.Corners[0], Max: b.Corners[2]}))
}

func TestPDF417CornersInSourceCoordinates(t *testing.T) {
	sym, err := EncodePDF417([]byte(samplePayload), 600)
	require.NoError(t, err)
	const px, py = 250, 300
	page := onCanvas(sym, 1400, 1000, px, py, 235)
	for _, deg := range []float64{0, 8} {
		img, _ := rotateGray(page, deg)
		b, err := New(Config{}).ReadPDF417(context.Background(), img)
		require.NoError(t, err)
		// Where the symbol's centre lands in img: rotateGray maps a
		// destination d to the source c + R(deg)(d − c'), so a source point
		// goes the other way.
		rad := deg * math.Pi / 180
		w, h := float64(img.Rect.Dx()), float64(img.Rect.Dy())
		dx, dy := px+float64(sym.Rect.Dx())/2-700, py+float64(sym.Rect.Dy())/2-500
		cx, cy := w/2+math.Cos(rad)*dx+math.Sin(rad)*dy, h/2-math.Sin(rad)*dx+math.Cos(rad)*dy
		var box image.Rectangle
		for i, p := range b.Corners {
			if i == 0 {
				box = image.Rectangle{Min: p, Max: p}
			}
			box = box.Union(image.Rectangle{Min: p, Max: p.Add(image.Pt(1, 1))})
		}
		assert.True(t, image.Pt(int(cx), int(cy)).In(box), "rotated %v°: centre (%.0f,%.0f) in %v", deg, cx, cy, box)
		// The outline is about the symbol's size, not the whole page.
		assert.Less(t, box.Dx(), sym.Rect.Dx()*3/2, "rotated %v°", deg)
		assert.Greater(t, box.Dx(), sym.Rect.Dx()*3/4, "rotated %v°", deg)
	}
	// A sub-image not at the origin: corners stay in its coordinates.
	whole, err := New(Config{}).ReadPDF417(context.Background(), page)
	require.NoError(t, err)
	sub, err := New(Config{}).ReadPDF417(context.Background(), page.SubImage(image.Rect(100, 50, 1400, 1000)))
	require.NoError(t, err)
	for i := range whole.Corners {
		assert.InDelta(t, whole.Corners[i].X, sub.Corners[i].X, 4, "corner %d", i)
		assert.InDelta(t, whole.Corners[i].Y, sub.Corners[i].Y, 4, "corner %d", i)
	}
}

func TestBadInput(t *testing.T) {
	r := New(Config{MaxPixels: 4_000_000})
	ctx := context.Background()
	noise := image.NewGray(image.Rect(0, 0, 640, 480))
	for i := range noise.Pix {
		noise.Pix[i] = uint8((i*7919 + i/640*104729) % 251)
	}
	blank := image.NewGray(image.Rect(0, 0, 640, 480))
	cases := []struct {
		name string
		img  image.Image
		want error
	}{
		{"nil", nil, ErrImage},
		{"empty", image.NewGray(image.Rect(0, 0, 0, 0)), ErrImage},
		{"too many pixels", image.NewGray(image.Rect(0, 0, 3000, 2000)), ErrImage},
		{"blank", blank, ErrNoBarcode},
		{"noise", noise, ErrNoBarcode},
		{"one pixel", image.NewGray(image.Rect(0, 0, 1, 1)), ErrNoBarcode},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Read(ctx, tc.img)
			assert.ErrorIs(t, err, tc.want)
		})
	}
	_, err := r.Read(ctx, blank, Format("aztec"))
	assert.Error(t, err)
	_, err = EncodePDF417(nil, 100)
	assert.Error(t, err)
}

func TestReadCanceled(t *testing.T) {
	sym, err := EncodePDF417([]byte(samplePayload), 600)
	require.NoError(t, err)
	img, _ := rotateGray(onCanvas(sym, 1400, 1000, 250, 300, 235), 9)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = New(Config{}).ReadPDF417(ctx, img)
	assert.ErrorIs(t, err, context.Canceled)
}

// FuzzReadPDF417 feeds arbitrary pixels to zxing-cpp through the shim: it
// must return, never crash.
func FuzzReadPDF417(f *testing.F) {
	f.Add([]byte{0, 255, 0, 255}, uint8(2))
	f.Add(make([]byte, 64*64), uint8(64))
	r := New(Config{Angles: []float64{}})
	f.Fuzz(func(t *testing.T, pix []byte, w uint8) {
		if w == 0 || len(pix) < int(w) {
			return
		}
		h := len(pix) / int(w)
		g := &image.Gray{Pix: pix[:h*int(w)], Stride: int(w), Rect: image.Rect(0, 0, int(w), h)}
		_, err := r.ReadPDF417(context.Background(), g)
		if err != nil && !errors.Is(err, ErrNoBarcode) && !errors.Is(err, ErrImage) {
			t.Fatalf("unexpected error %v", err)
		}
	})
}

func TestReadAAMVANotAAMVA(t *testing.T) {
	sym, err := EncodePDF417([]byte("just some text in a PDF417 symbol"), 600)
	require.NoError(t, err)
	_, b, err := New(Config{}).ReadAAMVA(context.Background(), sym)
	assert.ErrorIs(t, err, ErrNotAAMVA)
	assert.Equal(t, "just some text in a PDF417 symbol", b.Text())
}

// BenchmarkReadAAMVA decodes a licence barcode from a 1600x1200 photo-like
// page (rotated 2°, on a grey background) and parses it: the path of
// `idkit eval aamva` on images.
func BenchmarkReadAAMVA(b *testing.B) {
	sym, err := EncodePDF417([]byte(samplePayload), 900)
	require.NoError(b, err)
	page, _ := rotateGray(onCanvas(sym, 1600, 1200, 300, 400, 225), 2)
	r := New(Config{})
	ctx := context.Background()
	c0 := cpuTime()
	for b.Loop() {
		if _, _, err := r.ReadAAMVA(ctx, page); err != nil {
			b.Fatal(err)
		}
	}
	// CPU time per read: the single-core latency on a shared machine.
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
