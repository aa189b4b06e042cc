package liveness

import (
	"context"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/internal/modeltest"
)

var fixtures = modeltest.Faces

// wellFramed are the fixtures framed well enough for a 640x480 frame with
// the face at 0.4 of its height (the others fill the frame): the live
// frames the simulated re-captures are made from.
var wellFramed = []string{"biden_2010_blue_room_crop.jpg", "eileen_collins_nasa_astronaut.png", "grace_hopper_512x512.jpg",
	"obama_2010_blue_room_crop.jpg", "obama_official_portrait_2012.jpg"}

func loadFixture(t testing.TB, name string) *image.RGBA { return modeltest.LoadFace(t, name) }

// cameraShot is one camera-like live frame made from a fixture.
type cameraShot struct {
	name  string      // the fixture
	img   *image.RGBA // the fixture's photo
	face  face.Face   // its face
	spec  int         // index in cameraSpecs
	dull  bool        // dullWebcam applied
	frame *image.RGBA
}

// eachCameraFrame makes the camera-like live frames (every fixture, every
// cameraSpec, plain and dull) in a fixed order from rng, and calls fn on
// each: the same frames for every measurement that seeds rng alike.
func eachCameraFrame(t testing.TB, p *Passive, rng *rand.Rand, fn func(cameraShot)) {
	for _, name := range fixtures {
		img := loadFixture(t, name)
		faces, err := p.cfg.Analyzer.Detect(context.Background(), img)
		require.NoError(t, err)
		for i, spec := range cameraSpecs {
			for _, dull := range []bool{false, true} {
				fr := cameraFrame(t, img, faces[0], spec, rng)
				if dull {
					fr = dullWebcam(fr)
				}
				fn(cameraShot{name: name, img: img, face: faces[0], spec: i, dull: dull, frame: fr})
			}
		}
	}
}

// TestCameraLikeBPCER measures BPCER on camera-like live frames made from
// the fixtures (cameraSpecs, plain and dull), separately from the web-photo
// development set.
func TestCameraLikeBPCER(t *testing.T) {
	p := newTestChecker(t)
	var n, rejected, inconclusive, clean, cleanRejected int
	eachCameraFrame(t, p, rand.New(rand.NewPCG(7, 7)), func(c cameraShot) {
		res, err := p.Check(context.Background(), c.frame)
		require.NoError(t, err)
		n++
		hints := len(res.Hints) == 0
		switch {
		case res.Status == StatusInconclusive:
			inconclusive++
		case !res.IsLive:
			rejected++
		}
		if hints {
			clean++
			if !res.IsLive {
				cleanRejected++
			}
		}
		t.Logf("%-52s spec %d dull %-5v live %-5v conf %.3f net %.3f hints %v", c.name, c.spec, c.dull, res.IsLive, res.Confidence, netLive(res), res.Hints)
	})
	t.Logf("camera-like live frames: %d, rejected %d, inconclusive %d: BPCER %.3f (%.3f counting inconclusive); frames without capture hints: %d, rejected %d",
		n, rejected, inconclusive, float64(rejected)/float64(n-inconclusive), float64(rejected+inconclusive)/float64(n), clean, cleanRejected)
	// Measured: 9 of 64 rejected (10 for a while),
	// every one a face cut by the frame or too close (the network then lacks
	// its 2.7x context); none of the 36 frames without capture hints.
	assert.Zero(t, cleanRejected, "well-captured live frames rejected")
	assert.LessOrEqual(t, rejected+inconclusive, 12, "camera-like BPCER regressed")
}

// moreCameraSpecs are captures beyond cameraSpecs: a phone's own high-quality
// JPEG (which the development set's web-compressed live photos lack), 1080p
// landscape and portrait, a face very close, and a poor webcam.
var moreCameraSpecs = []cameraSpec{
	{640, 480, 0.40, 97, 2, 0.6},
	{1280, 720, 0.40, 97, 2, 0.8},
	{1920, 1080, 0.40, 95, 3, 1.2},
	{1920, 1080, 0.28, 92, 3, 1.0},
	{1080, 1920, 0.30, 95, 2, 1.0},
	{640, 480, 0.60, 85, 3, 0.5},
	{640, 480, 0.25, 60, 5, 1.5},
}

// TestCameraLikeBPCERMoreCaptures measures BPCER on moreCameraSpecs frames
// of every fixture, plain and dull.
func TestCameraLikeBPCERMoreCaptures(t *testing.T) {
	p := newTestChecker(t)
	rng := rand.New(rand.NewPCG(9, 9))
	var n, rejected, clean, cleanRejected int
	for si, s := range moreCameraSpecs {
		for _, name := range fixtures {
			img := loadFixture(t, name)
			faces, err := p.cfg.Analyzer.Detect(context.Background(), img)
			require.NoError(t, err)
			for _, dull := range []bool{false, true} {
				fr := cameraFrame(t, img, faces[0], s, rng)
				if dull {
					fr = dullWebcam(fr)
				}
				res, err := p.Check(context.Background(), fr)
				require.NoError(t, err)
				n++
				if len(res.Hints) == 0 {
					clean++
				}
				if !res.IsLive {
					rejected++
					if len(res.Hints) == 0 {
						cleanRejected++
					}
					t.Logf("spec %d %s dull %v: %s %.3f net %.3f hints %v", si, name, dull, res.Status, res.Confidence, netLive(res), res.Hints)
				}
			}
		}
	}
	t.Logf("more camera-like live frames: %d, rejected or inconclusive %d; without capture hints %d, rejected %d", n, rejected, clean, cleanRejected)
	// Measured: 22 of 112, 21 of them with the face cut by the frame or too
	// close (too_close, near_*_edge); 1 of the frames without capture
	// hints (Eileen Collins at 0.6 of the frame height).
	assert.LessOrEqual(t, cleanRejected, 2, "well-captured live frames rejected")
	assert.LessOrEqual(t, rejected, 26, "camera-like BPCER regressed")
}

func netLive(r *Result) float64 {
	if r.Signals == nil {
		return 0
	}
	return r.Signals.Network[0]
}

func newTestChecker(t testing.TB) *Passive {
	t.Helper()
	c := modeltest.Cache(t, "fr_detect", "fr_landmark", "fr_pose", "fr_eye", "fr_liveness")
	p, err := New(Config{Models: c})
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	return p
}
