package tesseract

import (
	"context"
	"image"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/ocr"
)

func newEngine(t *testing.T, pool int) *Engine {
	t.Helper()
	e, err := New(Config{Models: modeltest.Cache(t, MRZAsset), PoolSize: pool})
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	return e
}

// zone renders a TD3 specimen and returns its MRZ crop and lines.
func zone(t *testing.T, seed uint64) (*image.RGBA, []string) {
	t.Helper()
	if _, err := specimen.FontPath(); err != nil {
		t.Skip(err)
	}
	doc, err := specimen.Render(specimen.Random(mrz.TD3, seed, ref))
	require.NoError(t, err)
	return doc.Front.SubImage(doc.MRZBox.Inset(-20)).(*image.RGBA), doc.MRZ
}

func TestReadMRZLines(t *testing.T) {
	e := newEngine(t, 1)
	img, want := zone(t, 1)
	lines, err := e.ReadLines(context.Background(), img, ocr.Options{Mode: ocr.ModeMRZ})
	require.NoError(t, err)
	require.Len(t, lines, 2)
	for i, l := range lines {
		assert.Equal(t, want[i], strings.ReplaceAll(l.Text, " ", ""))
		assert.Greater(t, l.Confidence, 0.5)
		assert.True(t, l.Box.In(img.Rect), "line box %v in the sub-image's coordinates %v", l.Box, img.Rect)
		assert.NotEmpty(t, l.Words)
	}
	assert.Less(t, lines[0].Box.Max.Y, lines[1].Box.Min.Y+5, "top to bottom")
}

func TestReadText(t *testing.T) {
	e := newEngine(t, 1)
	if _, err := specimen.FontPath(); err != nil {
		t.Skip(err)
	}
	doc, err := specimen.Render(specimen.Random(mrz.TD3, 2, ref))
	require.NoError(t, err)
	lines, err := e.ReadLines(context.Background(), doc.Front, ocr.Options{Mode: ocr.ModeText, Layout: ocr.LayoutSparse})
	require.NoError(t, err)
	var all []string
	for _, l := range lines {
		all = append(all, l.Text)
	}
	assert.Contains(t, strings.Join(all, "\n"), "PASSPORT")
}

func TestConcurrentReads(t *testing.T) {
	e := newEngine(t, 2)
	img, want := zone(t, 3)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lines, err := e.ReadLines(context.Background(), img, ocr.Options{Mode: ocr.ModeMRZ})
			if err == nil && (len(lines) != 2 || strings.ReplaceAll(lines[1].Text, " ", "") != want[1]) {
				err = assert.AnError
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}

func TestEngineEdges(t *testing.T) {
	mc := modeltest.Cache(t, MRZAsset)
	_, err := New(Config{Models: mc, Languages: []string{"klingon"}})
	assert.ErrorContains(t, err, "tesseract-ocr-klingon")

	e := newEngine(t, 1)
	ctx := context.Background()
	lines, err := e.ReadLines(ctx, image.NewGray(image.Rect(0, 0, 4, 4)), ocr.Options{Mode: ocr.ModeMRZ})
	assert.NoError(t, err)
	assert.Empty(t, lines, "too small to hold text")
	lines, err = e.ReadLines(ctx, image.NewGray(image.Rect(0, 0, 300, 100)), ocr.Options{Mode: ocr.ModeMRZ})
	assert.NoError(t, err)
	assert.Empty(t, lines, "a blank image has no text")
	_, err = e.ReadLines(ctx, image.NewGray(image.Rect(0, 0, 100, 100)), ocr.Options{Mode: "braille"})
	assert.Error(t, err)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	busy := newEngine(t, 1)
	c, err := busy.pools[ocr.ModeMRZ].get(ctx) // hold the only client
	require.NoError(t, err)
	_, err = busy.ReadLines(cancelled, image.NewGray(image.Rect(0, 0, 100, 100)), ocr.Options{Mode: ocr.ModeMRZ})
	assert.ErrorIs(t, err, context.Canceled)
	busy.pools[ocr.ModeMRZ].put(c)

	require.NoError(t, e.Close())
	_, err = e.ReadLines(ctx, image.NewGray(image.Rect(0, 0, 100, 100)), ocr.Options{Mode: ocr.ModeMRZ})
	assert.ErrorIs(t, err, ErrClosed)
}

func TestEncodePGM(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 3, 2))
	g.Pix = []byte{1, 2, 3, 4, 5, 6}
	assert.Equal(t, "P5\n3 2\n255\n\x01\x02\x03\x04\x05\x06", string(encodePGM(g)))
	sub := g.SubImage(image.Rect(1, 0, 3, 2))
	assert.Equal(t, "P5\n2 2\n255\n\x02\x03\x05\x06", string(encodePGM(sub)))
}

var ref = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
