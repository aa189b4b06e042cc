package ageonnx_test

import (
	"context"
	"image"
	"math"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/age"
	"github.com/idkit-dev/idkit/age/ageonnx"
	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/models/convert"
	"github.com/idkit-dev/idkit/models/convert/faceapi"
)

var (
	once sync.Once
	fa   *faceonnx.Analyzer
	est  *ageonnx.FaceAPI
	err0 error
)

func models(t testing.TB) (*faceonnx.Analyzer, *ageonnx.FaceAPI) {
	t.Helper()
	modeltest.Cache(t, "fr_detect", "fr_landmark", "faceapi_age_gender_manifest", "faceapi_age_gender_weights")
	once.Do(func() {
		cache := convert.Open(modeltest.Dir(), faceapi.AgeGender())
		if fa, err0 = faceonnx.New(faceonnx.Config{Models: cache}); err0 != nil {
			return
		}
		est, err0 = ageonnx.New(ageonnx.Config{Models: cache})
	})
	require.NoError(t, err0)
	return fa, est
}

func load(t testing.TB, name string) *image.RGBA { return modeltest.LoadFace(t, name) }

// The fixture adults were photographed in their thirties to seventies.
var adults = []string{
	"eileen_collins_nasa_astronaut.png",
	"grace_hopper_512x512.jpg",
	"obama_official_portrait_2012.jpg",
	"obama_2009_health_care_address.jpg",
	"biden_2010_blue_room_crop.jpg",
}

func TestFixtureAdultsAreAbove(t *testing.T) {
	fa, est := models(t)
	for _, name := range adults {
		res, err := age.EstimateImage(context.Background(), fa, est, load(t, name))
		require.NoError(t, err, name)
		d, err := age.Decide(res.Estimate, age.Challenge25)
		require.NoError(t, err)
		assert.Equal(t, age.Above, d.Outcome, "%s: %s", name, d.Reason)
		e := res.Estimate
		assert.Equal(t, 2, e.Views)
		assert.Equal(t, ageonnx.ModelName, e.Model)
		assert.Greater(t, e.StdDev, 0.0)
		assert.Less(t, e.Low, e.Age)
		assert.Greater(t, e.High, e.Age)
		assert.True(t, e.Confidence > 0 && e.Confidence <= 1)
	}
}

// TestStability: a mirrored or rescaled copy moves the estimate little
// (target: median ≤ 2 years).
func TestStability(t *testing.T) {
	fa, est := models(t)
	var flipDiff, scaleDiff []float64
	for _, name := range adults {
		img := load(t, name)
		base, err := age.EstimateImage(context.Background(), fa, est, img)
		require.NoError(t, err)
		flipped, err := age.EstimateImage(context.Background(), fa, est, imageio.Orient(img, 2))
		require.NoError(t, err)
		half := imgproc.Resize(img, img.Rect.Dx()/2, img.Rect.Dy()/2)
		scaled, err := age.EstimateImage(context.Background(), fa, est, half)
		require.NoError(t, err)
		flipDiff = append(flipDiff, math.Abs(flipped.Estimate.Age-base.Estimate.Age))
		scaleDiff = append(scaleDiff, math.Abs(scaled.Estimate.Age-base.Estimate.Age))
	}
	assert.LessOrEqual(t, median(flipDiff), 2.0, "flip %v", flipDiff)
	assert.LessOrEqual(t, median(scaleDiff), 2.0, "half size %v", scaleDiff)
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func TestBadInputGivesTypedResult(t *testing.T) {
	fa, est := models(t)
	ctx := context.Background()

	blank := image.NewRGBA(image.Rect(0, 0, 300, 300))
	_, err := age.EstimateImage(ctx, fa, est, blank)
	assert.ErrorIs(t, err, face.ErrNoFace)

	hopper := load(t, "grace_hopper_512x512.jpg")
	pair := image.NewRGBA(image.Rect(0, 0, 1024, 512))
	for y := 0; y < 512; y++ {
		copy(pair.Pix[y*pair.Stride:], hopper.Pix[y*hopper.Stride:y*hopper.Stride+512*4])
		copy(pair.Pix[y*pair.Stride+512*4:], hopper.Pix[y*hopper.Stride:y*hopper.Stride+512*4])
	}
	_, err = age.EstimateImage(ctx, fa, est, pair)
	assert.ErrorIs(t, err, face.ErrMultipleFaces)

	// A face 30 px wide: found, but too small to estimate.
	tiny := imgproc.Resize(hopper, 72, 72)
	canvas := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for i := range canvas.Pix {
		canvas.Pix[i] = 128
	}
	for y := 0; y < 72; y++ {
		copy(canvas.Pix[(100+y)*canvas.Stride+150*4:], tiny.Pix[y*tiny.Stride:y*tiny.Stride+72*4])
	}
	faces, err := fa.Detect(ctx, canvas)
	require.NoError(t, err)
	if len(faces) > 0 {
		_, err = est.Estimate(ctx, canvas, faces[0])
		assert.ErrorIs(t, err, face.ErrFaceTooSmall)
	}
	_, err = est.Estimate(ctx, canvas, face.Face{Box: face.Box{X2: 100, Y2: 100}})
	assert.ErrorIs(t, err, face.ErrNoLandmarks)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = age.EstimateImage(cctx, fa, est, hopper)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestConcurrentEstimatesAgree(t *testing.T) {
	fa, est := models(t)
	img := load(t, "obama_official_portrait_2012.jpg")
	want, err := age.EstimateImage(context.Background(), fa, est, img)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := age.EstimateImage(context.Background(), fa, est, img)
			if assert.NoError(t, err) {
				assert.InDelta(t, want.Estimate.Age, got.Estimate.Age, 1e-6)
			}
		}()
	}
	wg.Wait()
}

// BenchmarkEstimate is the age estimate of one detected face with its
// augmentation (target ≤ 30 ms on one core).
func BenchmarkEstimate(b *testing.B) {
	fa, est := models(b)
	img := load(b, "obama_official_portrait_2012.jpg")
	faces, err := fa.Detect(context.Background(), img)
	require.NoError(b, err)
	b.ResetTimer()
	for b.Loop() {
		if _, err := est.Estimate(context.Background(), img, faces[0]); err != nil {
			b.Fatal(err)
		}
	}
}
