package liveness

import (
	"context"
	"encoding/json"
	"image"
	"image/draw"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
)

func TestFixturePhotosAreLive(t *testing.T) {
	p := newTestChecker(t)
	for _, name := range fixtures {
		res, err := p.Check(context.Background(), loadFixture(t, name))
		require.NoError(t, err)
		assert.True(t, res.IsLive, "%s: confidence %.3f", name, res.Confidence)
		assert.Equal(t, SpoofNone, res.SpoofType, name)
		assert.Equal(t, StatusLive, res.Status, name)
		assert.Positive(t, res.ProcessingMS, name)
	}
}

// TestRecapturesScoreLower shows each fixture's camera-like frame again as
// a re-capture (synth_test.go) and checks that every re-capture scores
// below the live frame, and that the ones carrying a periodic pattern
// (screens, halftone prints) are rejected.
func TestRecapturesScoreLower(t *testing.T) {
	p := newTestChecker(t)
	rng := rand.New(rand.NewPCG(21, 22))
	type attack struct {
		name     string
		periodic bool // must be caught, by the moiré cue if not the network
		make     func(f *image.RGBA) *image.RGBA
	}
	attacks := []attack{
		{"screen close-up", true, func(f *image.RGBA) *image.RGBA { return screenRecapture(f, 640, 480, 1.3, 3, 0, rng) }},
		{"screen with bezel", true, func(f *image.RGBA) *image.RGBA { return screenRecapture(f, 640, 480, 1.1, 2, 0.12, rng) }},
		{"halftone print", true, func(f *image.RGBA) *image.RGBA { return printRecapture(t, f, 640, 480, 1.6, 3, 0, true, rng) }},
		{"fine halftone print", true, func(f *image.RGBA) *image.RGBA { return printRecapture(t, f, 640, 480, 3, 3, 0.1, true, rng) }},
		{"photo print on a wall", false, func(f *image.RGBA) *image.RGBA { return printRecapture(t, f, 640, 480, 1.2, 5, 0.15, false, rng) }},
		{"glossy print with glare", false, func(f *image.RGBA) *image.RGBA {
			return addGlare(printRecapture(t, f, 640, 480, 1.2, 5, 0.05, false, rng), 300, 200, 70)
		}},
		{"re-photographed", false, func(f *image.RGBA) *image.RGBA { return rephotograph(t, f, rng) }},
	}
	caught := map[string]int{}
	tried := map[string]int{}
	for _, name := range wellFramed {
		img := loadFixture(t, name)
		faces, err := p.cfg.Analyzer.Detect(context.Background(), img)
		require.NoError(t, err)
		frame := cameraFrame(t, img, faces[0], cameraSpecs[0], rng)
		live, err := p.Check(context.Background(), frame)
		require.NoError(t, err)
		require.True(t, live.IsLive, "%s camera frame: %.3f", name, live.Confidence)
		for _, a := range attacks {
			res, err := p.Check(context.Background(), a.make(frame))
			require.NoError(t, err)
			if res.Status == StatusInconclusive {
				t.Logf("%s / %s: no judgeable face (%v)", name, a.name, res.Hints)
				continue
			}
			tried[a.name]++
			assert.Less(t, res.Confidence, live.Confidence, "%s / %s", name, a.name)
			if !res.IsLive {
				caught[a.name]++
				assert.Equal(t, SpoofUnknown, res.SpoofType)
			}
			if a.periodic {
				assert.False(t, res.IsLive, "%s / %s: %.3f", name, a.name, res.Confidence)
				assert.Contains(t, res.Signals.Evidence, "periodic_pattern", "%s / %s", name, a.name)
			}
			t.Logf("%-34s %-24s live %.3f -> %.3f (net %.3f moire %.2f sat %.2f)", name, a.name, live.Confidence, res.Confidence,
				res.Signals.Network[0], res.Signals.Cues.Moire, res.Signals.Cues.Saturation)
		}
	}
	for _, a := range attacks {
		t.Logf("%-24s caught %d of %d", a.name, caught[a.name], tried[a.name])
	}
}

func TestTinyFaceIsInconclusive(t *testing.T) {
	p := newTestChecker(t)
	img := loadFixture(t, "grace_hopper_512x512.jpg")
	// The whole photo shrunk into a corner of a 640x480 frame: a 40 px face.
	small := imgproc.Resize(img, 96, 96)
	frame := image.NewRGBA(image.Rect(0, 0, 640, 480))
	draw.Draw(frame, frame.Rect, image.NewUniform(image.Black), image.Point{}, draw.Src)
	draw.Draw(frame, image.Rect(300, 200, 396, 296), small, image.Point{}, draw.Src)
	res, err := p.Check(context.Background(), frame)
	require.NoError(t, err)
	require.NotNil(t, res.Face, "the face is found")
	assert.Less(t, res.Face.Box.H(), float64(DefaultMinFaceSize))
	assert.False(t, res.IsLive)
	assert.Equal(t, StatusInconclusive, res.Status)
	assert.Equal(t, SpoofUnknown, res.SpoofType)
	assert.Contains(t, res.Hints, face.TooFar)
	assert.Equal(t, RiskFaceTooSmall, res.Warnings[len(res.Warnings)-1].Risk)
	assert.Nil(t, res.Signals)
}

func TestNoFaceAndBadInput(t *testing.T) {
	p := newTestChecker(t)
	for name, img := range map[string]image.Image{
		"blank":  image.NewRGBA(image.Rect(0, 0, 640, 480)),
		"empty":  image.NewRGBA(image.Rect(0, 0, 0, 0)),
		"1 px":   image.NewRGBA(image.Rect(0, 0, 1, 1)),
		"offset": image.NewRGBA(image.Rect(10, 10, 50, 50)),
	} {
		res, err := p.Check(context.Background(), img)
		require.NoError(t, err, name)
		assert.False(t, res.IsLive, name)
		assert.Equal(t, StatusInconclusive, res.Status, name)
		assert.Equal(t, []face.Code{face.NoFace}, res.Hints, name)
		require.Len(t, res.Warnings, 1, name)
		assert.Equal(t, RiskNoFace, res.Warnings[0].Risk, name)
		assert.Equal(t, LogError, res.Warnings[0].LogType, name)
	}
	for name, img := range map[string]image.Image{"nil": nil, "nil *image.RGBA": (*image.RGBA)(nil)} {
		_, err := p.Check(context.Background(), img)
		assert.ErrorIs(t, err, imageio.ErrEmpty, name)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := p.Check(ctx, loadFixture(t, "grace_hopper_512x512.jpg"))
	assert.ErrorIs(t, err, context.Canceled)
}

// Moving only the threshold keeps the fitted weights: a Fusion with no
// weights would score every face 0.5 and switch the moiré veto off.
func TestFusionThresholdAlone(t *testing.T) {
	f, err := withDefaultWeights(Fusion{Threshold: 0.6})
	require.NoError(t, err)
	want := DefaultFusion()
	want.Threshold = 0.6
	assert.Equal(t, want, f)
	f, err = withDefaultWeights(Fusion{})
	require.NoError(t, err)
	assert.Equal(t, DefaultFusion(), f)
	custom := Fusion{Net: 1, Threshold: 0.5}
	f, err = withDefaultWeights(custom)
	require.NoError(t, err)
	assert.Equal(t, custom, f, "a fusion with weights is kept as given")
	for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
		_, err = withDefaultWeights(Fusion{Threshold: bad})
		assert.Error(t, err, "%v", bad)
	}
}

func TestMultipleFacesWarn(t *testing.T) {
	p := newTestChecker(t)
	a := imgproc.Resize(loadFixture(t, "grace_hopper_512x512.jpg"), 320, 320)
	b := imgproc.Resize(loadFixture(t, "eileen_collins_nasa_astronaut.png"), 320, 320)
	frame := image.NewRGBA(image.Rect(0, 0, 640, 320))
	draw.Draw(frame, image.Rect(0, 0, 320, 320), a, image.Point{}, draw.Src)
	draw.Draw(frame, image.Rect(320, 0, 640, 320), b, image.Point{}, draw.Src)
	res, err := p.Check(context.Background(), frame)
	require.NoError(t, err)
	assert.Contains(t, res.Hints, face.MultipleFaces)
	risks := []string{}
	for _, w := range res.Warnings {
		risks = append(risks, w.Risk)
	}
	assert.Contains(t, risks, RiskMultipleFaces)
}

func TestResultJSON(t *testing.T) {
	p := newTestChecker(t)
	res, err := p.Check(context.Background(), loadFixture(t, "grace_hopper_512x512.jpg"))
	require.NoError(t, err)
	b, err := json.Marshal(res)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	for _, k := range []string{"is_live", "spoof_type", "confidence", "hints", "processing_ms", "warnings", "status", "threshold", "signals"} {
		assert.Contains(t, m, k)
	}
	cues := m["signals"].(map[string]any)["cues"].(map[string]any)
	assert.Nil(t, cues["border"], "unmeasured cues are null, not NaN")
	assert.NotNil(t, cues["moire"])
}

func TestFusionScore(t *testing.T) {
	f := DefaultFusion()
	live := [3]float64{0.99, 0.01, 0}
	spoof := [3]float64{0.01, 0.99, 0}
	c := Cues{Moire: 1.2, Saturation: 0.4, Glare: 0}
	assert.Greater(t, f.Score(live, c), f.Threshold)
	assert.Less(t, f.Score(spoof, c), f.Threshold)
	// Moiré below the knee changes nothing; above it, it lowers the score.
	below := c
	below.Moire = f.MoireKnee - 0.5
	assert.Equal(t, f.Score(live, c), f.Score(live, below))
	high := c
	high.Moire = 2.4
	assert.Less(t, f.Score(live, high), f.Score(live, c))
	high.Moire = f.MoireVeto
	certain := [3]float64{1, 0, 0}
	assert.Equal(t, f.VetoScore, f.Score(certain, high), "a strong periodic pattern overrules a certain network")
	// Washed-out colour lowers the score.
	grey := c
	grey.Saturation = 0.05
	assert.Less(t, f.Score(live, grey), f.Score(live, c))
	// Unmeasured cues count for nothing; saturated softmax stays finite.
	nan := Cues{Moire: math.NaN(), Saturation: math.NaN()}
	s := f.Score([3]float64{1, 0, 0}, nan)
	assert.False(t, math.IsNaN(s))
	assert.InDelta(t, 1/(1+math.Exp(-(f.Bias+f.Net*netLogitClamp))), s, 1e-12)
}

// A non-finite face box (a broken detector) is an error, not a NaN score
// that json.Marshal of the result would refuse.
func TestJudgeRefusesNonFiniteBox(t *testing.T) {
	p := newTestChecker(t)
	img := loadFixture(t, "grace_hopper_512x512.jpg")
	for _, b := range []face.Box{{X1: math.NaN(), Y1: 10, X2: 200, Y2: 200}, {X1: 10, Y1: 10, X2: math.Inf(1), Y2: 200}} {
		_, err := p.judge(img, face.Quality{Face: &face.Face{Box: b}})
		assert.Error(t, err, "%+v", b)
	}
}

func TestCheckConcurrently(t *testing.T) {
	p := newTestChecker(t)
	img := loadFixture(t, "grace_hopper_512x512.jpg")
	want, err := p.Check(context.Background(), img)
	require.NoError(t, err)
	errs := make(chan error, 8)
	for range 4 {
		go func() {
			for range 2 {
				got, err := p.Check(context.Background(), img)
				if err == nil && got.Confidence != want.Confidence {
					err = assert.AnError
				}
				errs <- err
			}
		}()
	}
	for range 8 {
		assert.NoError(t, <-errs)
	}
}
