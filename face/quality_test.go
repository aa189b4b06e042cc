package face_test

import (
	"context"
	"image"
	"image/draw"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
)

func assess(t *testing.T, a face.Detector, img *image.RGBA) face.Quality {
	t.Helper()
	faces, err := a.Detect(context.Background(), img)
	require.NoError(t, err)
	return face.Assess(img, faces, face.QualityConfig{})
}

func TestQualityGoodPortraitsPass(t *testing.T) {
	a := newAnalyzer(t)
	for _, name := range []string{"obama_official_portrait_2012.jpg", "grace_hopper_512x512.jpg", "biden_2010_blue_room_crop.jpg", "eileen_collins_nasa_astronaut.png"} {
		q := assess(t, a, load(t, name))
		assert.True(t, q.OK, "%s: %v %+v", name, q.Codes, q.Measures)
		assert.Empty(t, q.Codes)
	}
}

func TestQualityCodesFireOnDegradedCopies(t *testing.T) {
	a := newAnalyzer(t)
	portrait := load(t, "obama_official_portrait_2012.jpg")
	hopper := load(t, "grace_hopper_512x512.jpg")
	faces, err := a.Detect(context.Background(), portrait)
	require.NoError(t, err)
	fb := faces[0].Box

	// Two portraits side by side: two faces of the same size.
	pair := image.NewRGBA(image.Rect(0, 0, 2*hopper.Rect.Dx(), hopper.Rect.Dy()))
	draw.Draw(pair, hopper.Rect, hopper, image.Point{}, draw.Src)
	draw.Draw(pair, hopper.Rect.Add(image.Pt(hopper.Rect.Dx(), 0)), hopper, image.Point{}, draw.Src)

	// A wide canvas with the portrait shrunk into a corner: too far.
	far := image.NewRGBA(image.Rect(0, 0, 2400, 1800))
	draw.Draw(far, far.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(far, hopper.Rect.Add(image.Pt(900, 600)), hopper, image.Point{}, draw.Src)

	cases := []struct {
		name string
		img  *image.RGBA
		want face.Code
	}{
		{"dark", scaleLight(portrait, 0.25), face.TooDim},
		{"overexposed", scaleLight(portrait, 2.2), face.TooBright},
		{"blurred", boxBlur(portrait, int(fb.W()/40)+1), face.TooBlurry},
		{"cut at the left edge", subImage(portrait, image.Rect(int(fb.X1+fb.W()/3), 0, portrait.Rect.Dx(), portrait.Rect.Dy())), face.NearLeftEdge},
		{"cut at the right edge", subImage(portrait, image.Rect(0, 0, int(fb.X2-fb.W()/3), portrait.Rect.Dy())), face.NearRightEdge},
		{"cut at the top", subImage(portrait, image.Rect(0, int(fb.Y1+fb.H()/5), portrait.Rect.Dx(), portrait.Rect.Dy())), face.NearTopEdge},
		{"too close", subImage(portrait, image.Rect(int(fb.X1+10), int(fb.Y1+10), int(fb.X2-10), int(fb.Y2-10))), face.TooClose},
		{"too far", far, face.TooFar},
		{"two faces", pair, face.MultipleFaces},
		{"turned", load(t, "obama_2009_health_care_address.jpg"), face.FaceTurned},
		{"no face", solid(300, 300, colorGray), face.NoFace},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := assess(t, a, c.img)
			assert.Contains(t, q.Codes, c.want, "measures %+v", q.Measures)
			assert.False(t, q.OK)
		})
	}
}

// A tilted head is face_tilted however the pose network reads it (its
// roll broke down at large tilts: 5.7° for a portrait turned 60°), and its
// eyes are not judged (tilted open eyes read closed).
func TestQualityTiltedFaces(t *testing.T) {
	a := newAnalyzer(t)
	for _, name := range []string{"obama_official_portrait_2012.jpg", "grace_hopper_512x512.jpg"} {
		for _, deg := range []float64{45, -45, 60} {
			q := assess(t, a, rotated(load(t, name), deg))
			if slices.Contains(q.Codes, face.NoFace) {
				continue // not found at this angle: nothing to judge
			}
			assert.Contains(t, q.Codes, face.FaceTilted, "%s at %v°: %+v", name, deg, q.Measures)
			assert.NotContains(t, q.Codes, face.EyesClosed, "%s at %v°", name, deg)
		}
		q := assess(t, a, rotated(load(t, name), 3))
		assert.NotContains(t, q.Codes, face.FaceTilted, "%s upright", name)
	}
}

func TestSharpnessIgnoresExposure(t *testing.T) {
	a := newAnalyzer(t)
	img := load(t, "grace_hopper_512x512.jpg")
	faces, err := a.Detect(context.Background(), img)
	require.NoError(t, err)
	s := face.Sharpness(img, faces[0].Box)
	dim := face.Sharpness(scaleLight(img, 0.4), faces[0].Box)
	assert.InDelta(t, s, dim, 0.2*s, "a dim face is dim, not blurry")
	assert.Less(t, face.Sharpness(boxBlur(img, 3), faces[0].Box), s/10)
	assert.Zero(t, face.Sharpness(solid(100, 100, colorGray), face.Box{X2: 50, Y2: 50}))
}
