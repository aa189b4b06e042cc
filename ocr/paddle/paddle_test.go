package paddle_test

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/ocr"
	"github.com/idkit-dev/idkit/ocr/paddle"
)

// newEngine loads the engine from the installed models, or skips.
func newEngine(t testing.TB) *paddle.Engine {
	t.Helper()
	mc := modeltest.Cache(t, paddle.DetAsset, paddle.RecAsset, paddle.KeysAsset)
	e, err := paddle.New(paddle.Config{Models: mc})
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	return e
}

// render draws lines of text in Go Regular at sizePx on a white page,
// one under the other.
func render(t testing.TB, sizePx float64, lines ...string) *image.RGBA {
	t.Helper()
	f, err := opentype.Parse(goregular.TTF)
	require.NoError(t, err)
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: sizePx, DPI: 72, Hinting: font.HintingFull})
	require.NoError(t, err)
	defer face.Close()
	lh := int(sizePx * 2)
	w := 0
	for _, l := range lines {
		w = max(w, font.MeasureString(face, l).Ceil())
	}
	img := image.NewRGBA(image.Rect(0, 0, w+4*int(sizePx), lh*(len(lines)+1)))
	draw.Draw(img, img.Rect, image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.RGBA{20, 30, 60, 255}), Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(2*int(sizePx), lh*(i+1))
		d.DrawString(l)
	}
	return img
}

func texts(lines []ocr.Line) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.Text)
	}
	return out
}

func TestReadRenderedLines(t *testing.T) {
	e := newEngine(t)
	want := []string{"Surname / Nom", "ERIKSSON", "Date of birth 12.03.1984", "Passport No. L898902C3"}
	img := render(t, 28, want...)
	lines, err := e.ReadLines(context.Background(), img, ocr.Options{Mode: ocr.ModeText, Layout: ocr.LayoutSparse})
	require.NoError(t, err)
	require.Len(t, lines, len(want), "read %q", texts(lines))
	for i, l := range lines {
		assert.Equal(t, want[i], l.Text)
		assert.Greater(t, l.Confidence, 0.8, l.Text)
		assert.LessOrEqual(t, l.Confidence, 1.0)
		assert.True(t, l.Box.In(img.Rect), "box %v", l.Box)
		assert.Equal(t, len(strings.Fields(l.Text)), len(l.Words), l.Text)
		for _, w := range l.Words {
			assert.True(t, w.Box.In(l.Box), "word %q box %v in %v", w.Text, w.Box, l.Box)
		}
	}
	// Reading order: each line below the previous one.
	for i := 1; i < len(lines); i++ {
		assert.Greater(t, lines[i].Box.Min.Y, lines[i-1].Box.Min.Y)
	}
}

func TestReadSubImageCoordinates(t *testing.T) {
	e := newEngine(t)
	img := render(t, 28, "header", "KOWALSKI")
	sub := img.SubImage(image.Rect(0, img.Rect.Dy()/2, img.Rect.Dx(), img.Rect.Dy()))
	lines, err := e.ReadLines(context.Background(), sub, ocr.Options{Mode: ocr.ModeText})
	require.NoError(t, err)
	require.Equal(t, []string{"KOWALSKI"}, texts(lines))
	assert.True(t, lines[0].Box.In(sub.Bounds()), "box %v in %v", lines[0].Box, sub.Bounds())
}

func TestReadSingleLine(t *testing.T) {
	e := newEngine(t)
	img := render(t, 24, "MINISTRY OF INTERIOR")
	// A line crop is tight around its text.
	img = img.SubImage(image.Rect(0, 24, img.Rect.Dx(), 56)).(*image.RGBA)
	lines, err := e.ReadLines(context.Background(), img, ocr.Options{Mode: ocr.ModeText, Layout: ocr.LayoutLine})
	require.NoError(t, err)
	require.Equal(t, []string{"MINISTRY OF INTERIOR"}, texts(lines))
}

func TestReadSpecimenVisualZone(t *testing.T) {
	if _, err := specimen.FontPath(); err != nil {
		t.Skip(err)
	}
	e := newEngine(t)
	s := specimen.Random(mrz.TD3, 5, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	doc, err := specimen.Render(s)
	require.NoError(t, err)
	lines, err := e.ReadLines(context.Background(), doc.Front, ocr.Options{Mode: ocr.ModeText, Layout: ocr.LayoutSparse})
	require.NoError(t, err)
	all := strings.Join(texts(lines), "\n")
	for _, w := range []string{s.Fields.DocumentNumber, s.PlaceOfBirth, s.Fields.BirthDate.Time().Format("02.01.2006")} {
		assert.Contains(t, all, w)
	}
}

func TestBadInput(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	text := ocr.Options{Mode: ocr.ModeText}
	for name, img := range map[string]image.Image{
		"nil":   nil,
		"empty": image.NewRGBA(image.Rect(0, 0, 0, 0)),
		"tiny":  image.NewGray(image.Rect(0, 0, 5, 40)),
		"huge":  image.NewGray(image.Rect(0, 0, 1<<15+1, 1)),
	} {
		_, err := e.ReadLines(ctx, img, text)
		assert.ErrorIs(t, err, ocr.ErrImage, name)
	}
	_, err := e.ReadLines(ctx, render(t, 20, "P<UTO"), ocr.Options{Mode: ocr.ModeMRZ})
	assert.ErrorIs(t, err, paddle.ErrMode)

	// A blank page and a noise-free flat gray page read as no lines.
	blank := image.NewGray(image.Rect(0, 0, 400, 300))
	draw.Draw(blank, blank.Rect, image.White, image.Point{}, draw.Src)
	lines, err := e.ReadLines(ctx, blank, text)
	require.NoError(t, err)
	assert.Empty(t, lines)

	// A long, thin image is scaled within the detector's limit.
	long := render(t, 12, strings.Repeat("ABC ", 400))
	_, err = e.ReadLines(ctx, long, text)
	require.NoError(t, err)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = e.ReadLines(cancelled, render(t, 20, "x"), text)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestHugeImageCapped(t *testing.T) {
	mc := modeltest.Cache(t, paddle.DetAsset, paddle.RecAsset, paddle.KeysAsset)
	e, err := paddle.New(paddle.Config{Models: mc, MaxPixels: 1000 * 1000})
	require.NoError(t, err)
	defer e.Close()
	_, err = e.ReadLines(context.Background(), image.NewGray(image.Rect(0, 0, 1001, 1000)), ocr.Options{})
	assert.ErrorIs(t, err, ocr.ErrImage)
}

func TestConcurrentAndClose(t *testing.T) {
	e := newEngine(t)
	img := render(t, 28, "CONCURRENT 42")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			lines, err := e.ReadLines(context.Background(), img, ocr.Options{Mode: ocr.ModeText})
			assert.NoError(t, err)
			assert.Equal(t, []string{"CONCURRENT 42"}, texts(lines))
		})
	}
	wg.Wait()
	require.NoError(t, e.Close())
	require.NoError(t, e.Close())
	_, err := e.ReadLines(context.Background(), img, ocr.Options{Mode: ocr.ModeText})
	assert.True(t, errors.Is(err, paddle.ErrClosed), "%v", err)
}
