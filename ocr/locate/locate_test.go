package locate

import (
	"context"
	"image"
	"image/color"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/internal/specimen"
	"github.com/idkit-dev/idkit/mrz"
	"github.com/idkit-dev/idkit/ocr"
)

var ref = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func render(t *testing.T, format mrz.Format, seed uint64) *specimen.Document {
	t.Helper()
	if _, err := specimen.FontPath(); err != nil {
		t.Skip(err)
	}
	doc, err := specimen.Render(specimen.Random(format, seed, ref))
	require.NoError(t, err)
	return doc
}

func TestDocumentOutline(t *testing.T) {
	l := New(Config{})
	for i, format := range []mrz.Format{mrz.TD1, mrz.TD2, mrz.TD3, mrz.TD3} {
		seed := uint64(10 + i)
		doc := render(t, format, seed)
		side := doc.MRZSide()
		d := specimen.Realistic(seed)
		img := specimen.Photograph(side, d, seed)
		truth := specimen.Corners(side.Rect.Size(), d, seed)
		q, ok, err := l.Document(context.Background(), img)
		require.NoError(t, err)
		require.True(t, ok, "%s seed %d", format, seed)
		w, _ := q.Size()
		for k := range q {
			// Within 2% of the document's width of the true corner.
			dist := math.Hypot(q[k].X-truth[k][0], q[k].Y-truth[k][1])
			assert.Less(t, dist, 0.02*w, "%s seed %d corner %d: %v vs %v", format, seed, k, q[k], truth[k])
		}
	}
}

func TestZones(t *testing.T) {
	l := New(Config{})
	for i, format := range []mrz.Format{mrz.TD1, mrz.TD2, mrz.TD3} {
		doc := render(t, format, uint64(20+i))
		side := doc.MRZSide()
		zones, err := l.Zones(context.Background(), side)
		require.NoError(t, err)
		require.NotEmpty(t, zones, format)
		// The best zone is the MRZ: its outline covers the printed zone.
		b := zones[0].Quad.Bounds()
		inter := b.Intersect(doc.MRZBox)
		assert.Greater(t, inter.Dx()*inter.Dy(), doc.MRZBox.Dx()*doc.MRZBox.Dy()*9/10, "%s: zone %v vs printed %v", format, b, doc.MRZBox)
		assert.Less(t, b.Dy(), doc.MRZBox.Dy()*9/4, "%s: zone %v vs printed %v", format, b, doc.MRZBox)
		assert.InDelta(t, 0, zones[0].Angle, 1)
		assert.Greater(t, zones[0].Image.Rect.Dx(), 600)
	}
}

func TestZonesRotated(t *testing.T) {
	l := New(Config{})
	doc := render(t, mrz.TD3, 30)
	d := specimen.Degradation{Rotation: 12, Fill: 0.85}
	img := specimen.Photograph(doc.Front, d, 4)
	zones, err := l.Zones(context.Background(), img)
	require.NoError(t, err)
	require.NotEmpty(t, zones)
	q := specimen.Corners(doc.Front.Rect.Size(), d, 4)
	want := math.Atan2(q[1][1]-q[0][1], q[1][0]-q[0][0]) * 180 / math.Pi
	assert.InDelta(t, want, zones[0].Angle, 1.5, "the zone is deskewed by the document's angle")
}

func TestNothingToFind(t *testing.T) {
	l := New(Config{MaxPixels: 2_000_000})
	ctx := context.Background()
	blank := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for i := range blank.Pix {
		blank.Pix[i] = 128
	}
	_, ok, err := l.Document(ctx, blank)
	require.NoError(t, err)
	assert.False(t, ok)
	zones, err := l.Zones(ctx, blank)
	require.NoError(t, err)
	assert.Empty(t, zones)

	for _, img := range []*image.RGBA{nil, image.NewRGBA(image.Rect(0, 0, 8, 8)), image.NewRGBA(image.Rect(0, 0, 2000, 1500)),
		image.NewRGBA(image.Rect(0, 0, 32, 21000)), image.NewRGBA(image.Rect(0, 0, 21000, 32))} {
		_, _, err := l.Document(ctx, img)
		assert.ErrorIs(t, err, ErrImage)
		_, err = l.Zones(ctx, img)
		assert.ErrorIs(t, err, ErrImage)
	}
	_, err = l.Rectify(blank, ocr.Quad{}, 0, 10)
	assert.ErrorIs(t, err, ErrImage)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = l.Zones(cancelled, blank)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestRectifySubImage(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for y := 100; y < 200; y++ {
		for x := 100; x < 300; x++ {
			img.SetRGBA(x, y, color.RGBA{255, 0, 0, 255})
		}
	}
	sub := img.SubImage(image.Rect(50, 50, 350, 250)).(*image.RGBA)
	out, err := New(Config{}).Rectify(sub, ocr.Quad{{X: 100, Y: 100}, {X: 300, Y: 100}, {X: 300, Y: 200}, {X: 100, Y: 200}}, 100, 50)
	require.NoError(t, err)
	assert.Equal(t, image.Pt(100, 50), out.Rect.Size())
	assert.Equal(t, color.RGBA{255, 0, 0, 255}, out.RGBAAt(50, 25), "the quad's coordinates are the image's")
}

// Document's outline is in the coordinates of the image it is given, as
// Rectify and Zones take them, also for a sub-image not at the origin.
func TestDocumentSubImage(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 900, 700))
	for i := range img.Pix {
		img.Pix[i] = 30
	}
	for y := 200; y < 500; y++ {
		for x := 250; x < 700; x++ {
			img.SetRGBA(x, y, color.RGBA{230, 230, 230, 255})
		}
	}
	l := New(Config{})
	whole, ok, err := l.Document(context.Background(), img)
	require.NoError(t, err)
	require.True(t, ok)
	sub, ok, err := l.Document(context.Background(), img.SubImage(image.Rect(100, 100, 900, 700)).(*image.RGBA))
	require.NoError(t, err)
	require.True(t, ok)
	for i := range whole {
		assert.InDelta(t, whole[i].X, sub[i].X, 3, "corner %d", i)
		assert.InDelta(t, whole[i].Y, sub[i].Y, 3, "corner %d", i)
	}
	assert.InDelta(t, 250, whole[0].X, 4)
}
