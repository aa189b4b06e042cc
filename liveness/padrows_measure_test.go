package liveness

import (
	"context"
	"image"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/eval"
	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/testenv"
)

// Shared by the measurements of size_measure_test.go and
// texture_measure_test.go: every face of the development set and of the
// camera-like fixture frames, judged by the current fusion at any size, with
// the candidate cues of texture_measure_test.go measured beside it. Loading
// takes about a minute and is done once per test binary.
//
// The development set is ../shared/eval-dev/spoof beside the repository
// (testenv.EvalDev). Nothing read from it is written anywhere.

// padRow is one detected face: the checker's signals (judged at any face
// size), its size, the half it falls in and the candidate cues.
type padRow struct {
	fitRow
	file  string
	group int     // block of 40 file numbers; -1 for camera-like frames
	side  float64 // min(width, height) of the face box, pixels
	clean bool    // no capture hints
	score float64 // DefaultFusion's score
	// x are the fixed candidate cues (candidateCues order), hist the
	// uniform-LBP histograms of the face crop in lbpChannels order.
	x    []float64
	hist [len(lbpChannels)][lbpBins]float64
}

// padData is the loaded development set and camera-like frames.
type padData struct {
	a, b     []padRow // halves A and B, every detected face
	cam      []padRow // camera-like live frames with a face
	fresh    []padRow // the same frames saved at JPEG quality 97, not dulled
	undetect int      // development-set images without a face
}

var (
	padOnce   sync.Once
	padLoaded padData
)

// loadPADRows measures the development set and the camera-like frames once.
func loadPADRows(t *testing.T) padData {
	t.Helper()
	testenv.EvalDev(t, "spoof") // skips here, outside the Once, when the set is absent
	padOnce.Do(func() {
		c := modeltest.Cache(t, "fr_detect", "fr_landmark", "fr_pose", "fr_eye", "fr_liveness")
		// MinFaceSize 1: every face is judged, so the size rules can be
		// applied afterwards; at 64 and above this is the production checker.
		p, err := New(Config{Models: c, MinFaceSize: 1})
		require.NoError(t, err)
		defer p.Close()
		eachDevImage(t, func(it eval.LivenessItem, img *image.RGBA, block int) {
			r, ok := measurePADRow(t, p, img)
			if !ok {
				padLoaded.undetect++
				return
			}
			r.live, r.file, r.group = it.Live, it.File, block
			if block%2 == 0 {
				padLoaded.a = append(padLoaded.a, r)
			} else {
				padLoaded.b = append(padLoaded.b, r)
			}
		})
		hqRng := rand.New(rand.NewPCG(8, 8))
		// The same frames as TestCameraLikeBPCER (same seed).
		eachCameraFrame(t, p, rand.New(rand.NewPCG(7, 7)), func(c cameraShot) {
			if r, ok := measurePADRow(t, p, c.frame); ok {
				r.live, r.group, r.file = true, -1, c.name
				padLoaded.cam = append(padLoaded.cam, r)
			}
			if !c.dull {
				return
			}
			// A phone camera's own JPEG is of high quality: the
			// development set's live photos are web-compressed and its
			// attacks are not, so a compression cue may learn that.
			hq := cameraSpecs[c.spec]
			hq.Quality = 97
			if r, ok := measurePADRow(t, p, cameraFrame(t, c.img, c.face, hq, hqRng)); ok {
				r.live, r.group, r.file = true, -1, c.name
				padLoaded.fresh = append(padLoaded.fresh, r)
			}
		})
	})
	if len(padLoaded.a) == 0 {
		t.Fatal("development set not loaded")
	}
	return padLoaded
}

// measurePADRow judges the largest face of img and measures the candidate
// cues on it; false when no face was found.
func measurePADRow(t testing.TB, p *Passive, img *image.RGBA) (padRow, bool) {
	res, err := p.Check(context.Background(), img)
	require.NoError(t, err)
	if res.Signals == nil {
		return padRow{}, false
	}
	b := res.Face.Box
	r := padRow{
		fitRow: fitRow{net: res.Signals.Network, cues: res.Signals.Cues},
		side:   min(b.W(), b.H()),
		clean:  len(res.Hints) == 0,
		score:  res.Confidence,
	}
	for _, c := range candidateCues {
		r.x = append(r.x, c.f(img, b))
	}
	r.hist = lbpHistograms(img, b)
	return r, true
}
