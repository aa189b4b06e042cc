package faceonnx_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/models"
)

var (
	analyzerOnce sync.Once
	analyzer     *faceonnx.Analyzer
	analyzerErr  error
)

// newAnalyzer shares one Analyzer (with pose and eyes) across the tests.
func newAnalyzer(t testing.TB) *faceonnx.Analyzer {
	t.Helper()
	c := modeltest.Cache(t, "fr_detect", "fr_landmark", "fr_pose", "fr_eye")
	analyzerOnce.Do(func() {
		analyzer, analyzerErr = faceonnx.New(faceonnx.Config{Models: c, Pose: true, Eyes: true})
	})
	require.NoError(t, analyzerErr)
	return analyzer
}

// expected holds where each fixture's face is (measured once with the
// default detector and checked by eye with `idkit face --draw`).
var expected = map[string]face.Box{
	"biden_2010_blue_room_crop.jpg":                       {X1: 376, Y1: 193, X2: 749, Y2: 565},
	"eileen_collins_nasa_astronaut.png":                   {X1: 168, Y1: 63, X2: 280, Y2: 174},
	"grace_hopper_512x512.jpg":                            {X1: 159, Y1: 107, X2: 370, Y2: 318},
	"obama_2009_health_care_address.jpg":                  {X1: 131, Y1: 226, X2: 550, Y2: 645},
	"obama_2010_blue_room_crop.jpg":                       {X1: 595, Y1: 245, X2: 961, Y2: 611},
	"obama_official_portrait_2012.jpg":                    {X1: 333, Y1: 83, X2: 651, Y2: 401},
	"obama_official_portrait_2012_partial_face_crop1.jpg": {X1: 0, Y1: 61, X2: 272, Y2: 423},
	"obama_official_portrait_2012_partial_face_crop2.jpg": {X1: 298, Y1: 73, X2: 551, Y2: 421},
}

func TestDetectFindsFixtureFaces(t *testing.T) {
	a := newAnalyzer(t)
	for _, name := range fixtures {
		t.Run(short(name), func(t *testing.T) {
			faces, err := a.Detect(context.Background(), load(t, name))
			require.NoError(t, err)
			require.NotEmpty(t, faces)
			f := faces[0]
			assert.GreaterOrEqual(t, f.Score, 0.9)
			assert.Greater(t, f.Box.IoU(expected[name]), 0.8, "box %+v", f.Box)
			for _, other := range faces[1:] {
				assert.Less(t, other.Box.Area(), 0.25*f.Box.Area(), "no second face of comparable size")
			}
		})
	}
}

func TestDetectNothingOnBlankOrNoise(t *testing.T) {
	a := newAnalyzer(t)
	rng := rand.New(rand.NewPCG(1, 2))
	noise := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rng.IntN(256))
	}
	for name, img := range map[string]*image.RGBA{
		"white": solid(640, 480, color.RGBA{255, 255, 255, 255}),
		"black": solid(640, 480, color.RGBA{0, 0, 0, 255}),
		"gray":  solid(320, 240, color.RGBA{128, 128, 128, 255}),
		"noise": noise,
		"tiny":  solid(4, 4, color.RGBA{90, 60, 40, 255}),
	} {
		faces, err := a.Detect(context.Background(), img)
		require.NoError(t, err, name)
		assert.Empty(t, faces, name)
	}
	for name, img := range map[string]image.Image{"nil": nil, "nil *image.RGBA": (*image.RGBA)(nil)} {
		_, err := a.Detect(context.Background(), img)
		assert.ErrorIs(t, err, imageio.ErrEmpty, name)
	}
}

func TestLandmarksInsideBoxInAnatomicalOrder(t *testing.T) {
	a := newAnalyzer(t)
	for _, name := range fixtures {
		faces, err := a.Detect(context.Background(), load(t, name))
		require.NoError(t, err)
		f := faces[0]
		require.Len(t, f.Landmarks, 68)
		require.Len(t, f.Points5, 5)
		grow := face.Box{X1: f.Box.X1 - 0.1*f.Box.W(), Y1: f.Box.Y1 - 0.1*f.Box.H(), X2: f.Box.X2 + 0.1*f.Box.W(), Y2: f.Box.Y2 + 0.1*f.Box.H()}
		for i, p := range f.Landmarks {
			assert.True(t, p.X >= grow.X1 && p.X <= grow.X2 && p.Y >= grow.Y1 && p.Y <= grow.Y2, "%s point %d %+v outside %+v", name, i, p, f.Box)
		}
		l, e := f.Points5[0], f.Points5[1]
		nose, ml, mr := f.Points5[2], f.Points5[3], f.Points5[4]
		assert.Less(t, l.X, e.X, "%s: eyes left to right", name)
		assert.Less(t, ml.X, mr.X, "%s: mouth corners left to right", name)
		assert.Less(t, (l.Y+e.Y)/2, nose.Y, "%s: eyes above nose", name)
		assert.Less(t, nose.Y, (ml.Y+mr.Y)/2, "%s: nose above mouth", name)
		assert.Less(t, f.Landmarks[0].X, f.Landmarks[16].X, "%s: jaw runs left to right", name)
		assert.Greater(t, f.Landmarks[8].Y, (ml.Y+mr.Y)/2, "%s: chin below mouth", name)
	}
}

// TestEXIFRotatedInputGivesSameFace stores a portrait rotated on its side
// with an EXIF tag saying so, as a phone does: decoding must find the same face.
func TestEXIFRotatedInputGivesSameFace(t *testing.T) {
	a := newAnalyzer(t)
	img := load(t, "grace_hopper_512x512.jpg")
	faces, err := a.Detect(context.Background(), img)
	require.NoError(t, err)

	sideways := imageio.Orient(img, 8) // what the sensor stored
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, sideways, &jpeg.Options{Quality: 95}))
	data := withOrientation(buf.Bytes(), 6) // "rotate 90° clockwise to display"

	upright, info, err := imageio.DecodeBytes(data, imageio.Limits{})
	require.NoError(t, err)
	assert.Equal(t, 6, info.Orientation)
	again, err := a.Detect(context.Background(), upright)
	require.NoError(t, err)
	require.NotEmpty(t, again)
	assert.Greater(t, again[0].Box.IoU(faces[0].Box), 0.9)

	// Without the tag the face is on its side and the detector does not see it upright.
	raw, _, err := imageio.DecodeBytes(buf.Bytes(), imageio.Limits{})
	require.NoError(t, err)
	side, err := a.Detect(context.Background(), raw)
	require.NoError(t, err)
	for _, f := range side {
		assert.Less(t, f.Box.IoU(faces[0].Box), 0.5)
	}
}

func withOrientation(jpg []byte, o uint16) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00")
	binary.BigEndian.PutUint16(tiff[18:], o)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, append(seg, payload...)...)
	return append(out, jpg[2:]...)
}

func TestPoseAndEyes(t *testing.T) {
	a := newAnalyzer(t)
	for _, name := range fixtures {
		faces, err := a.Detect(context.Background(), load(t, name))
		require.NoError(t, err)
		f := faces[0]
		require.NotNil(t, f.Pose)
		require.NotNil(t, f.Eyes)
		assert.Greater(t, max(f.Eyes.LeftOpen, f.Eyes.RightOpen), 0.5, "%s: eyes are open", name)
	}
	// The 2009 photo is turned to the image's left; its mirror image to the right.
	img := load(t, "obama_2009_health_care_address.jpg")
	faces, err := a.Detect(context.Background(), img)
	require.NoError(t, err)
	mirrored, err := a.Detect(context.Background(), imageio.Orient(img, 2))
	require.NoError(t, err)
	assert.Less(t, faces[0].Pose.Yaw, -20.0)
	assert.Greater(t, mirrored[0].Pose.Yaw, 20.0)
	// The official portrait looks at the camera.
	faces, err = a.Detect(context.Background(), load(t, "obama_official_portrait_2012.jpg"))
	require.NoError(t, err)
	assert.InDelta(t, 0, faces[0].Pose.Yaw, 15)
	assert.InDelta(t, 0, faces[0].Pose.Roll, 10)
}

// The separate steps give exactly what Measure gives, and an analyzer
// without the pose or eye model says so instead of guessing.
func TestStepsMatchMeasure(t *testing.T) {
	a := newAnalyzer(t)
	for _, name := range fixtures {
		img := load(t, name)
		faces, err := a.Detect(context.Background(), img)
		require.NoError(t, err)
		want := faces[0]
		got := face.Face{Box: want.Box, Score: want.Score}
		require.NoError(t, a.Landmarks(img, &got))
		assert.Equal(t, want.Landmarks, got.Landmarks, name)
		assert.Equal(t, want.Points5, got.Points5, name)
		assert.Nil(t, got.Pose)
		assert.Nil(t, got.Eyes)
		p, err := a.HeadPose(img, want.Box)
		require.NoError(t, err)
		assert.Equal(t, *want.Pose, p, name)
		e, err := a.EyeState(img, got.Landmarks)
		require.NoError(t, err)
		assert.Equal(t, *want.Eyes, e, name)
	}
	plain, err := faceonnx.New(faceonnx.Config{Models: newAnalyzerCache(t)})
	require.NoError(t, err)
	defer plain.Close()
	img := load(t, fixtures[0])
	_, err = plain.HeadPose(img, face.Box{X2: 100, Y2: 100})
	assert.ErrorIs(t, err, faceonnx.ErrNotConfigured)
	_, err = plain.EyeState(img, make([]face.Point, 68))
	assert.ErrorIs(t, err, faceonnx.ErrNotConfigured)
}

func TestDetectHonoursCancellation(t *testing.T) {
	a := newAnalyzer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := a.Detect(ctx, load(t, "grace_hopper_512x512.jpg"))
	assert.ErrorIs(t, err, context.Canceled)
}

func newAnalyzerCache(t testing.TB) *models.Cache {
	return modeltest.Cache(t, "fr_detect", "fr_landmark")
}

// TestDetectTightCrop: a crop that is nearly all face is found through the
// padded second look.
func TestDetectTightCrop(t *testing.T) {
	a := newAnalyzer(t)
	img := load(t, "grace_hopper_512x512.jpg")
	b := expected["grace_hopper_512x512.jpg"]
	tight := imageio.ToRGBA(img.SubImage(image.Rect(int(b.X1)+15, int(b.Y1)+15, int(b.X2)-15, int(b.Y2)-15)))
	faces, err := a.Detect(context.Background(), tight)
	require.NoError(t, err)
	require.NotEmpty(t, faces)
	assert.Greater(t, faces[0].Box.Area(), 0.5*float64(tight.Rect.Dx()*tight.Rect.Dy()))
	assert.LessOrEqual(t, faces[0].Box.X2, float64(tight.Rect.Dx()))
}
