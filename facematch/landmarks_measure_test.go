package facematch

import (
	"context"
	"fmt"
	"image"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/eval"
	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/benchcpu"
	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/models/convert"
	"github.com/idkit-dev/idkit/models/convert/faceapi"
)

// TestMeasureLandmarks asks whether other five points than the Matcher's
// (fr_landmark, measured twice, reduced to eye centres, nose tip and mouth
// corners) align faces better for MobileFaceNet on the LFW pairs. Every
// candidate starts from the same detection and the same refined box; only
// the five points handed to alignFace differ:
//
//   - fr_landmark: the Matcher's points (the baseline).
//   - faceapi: face-api.js's landmark68 net on the refined box (face-api.js's
//     crop convention: the crop padded to a square with black, 112x112),
//     reduced to five points the same way.
//   - mean: the average of the two.
//   - fr_flip: fr_landmark run a second time on the mirrored crop, mirrored
//     back and averaged with the first (test-time flip of the landmark net).
//   - eye6: the baseline with each eye centre the mean of all six contour
//     points (corners too) instead of the four lid points.
//   - mean3: the average of fr_landmark, fr_flip's mirrored run and faceapi.
//
// It reports best accuracy, AUC and TAR at FAR 1% on all listed pairs and
// per fold, and the CPU time each extra landmark run costs:
//
//	IDKIT_MEASURE=1 go test ./facematch -run MeasureLandmarks -v -timeout 40m
func TestMeasureLandmarks(t *testing.T) {
	dir, ps := lfw(t)
	m := newMatcher(t, Config{Network: MobileFaceNet})
	an, ok := m.det.(*faceonnx.Analyzer)
	require.True(t, ok, "the default detector is a faceonnx.Analyzer")
	fa, err := onnx.Load(convert.Open(modeltest.Dir(), faceapi.Landmark68()), faceapi.Landmark68Name, onnx.Options{})
	if err != nil {
		t.Skipf("face-api.js landmark68 not installed: %v", err)
	}
	defer fa.Close()

	// The ONNX runtime runs on the calling thread (one intra-op thread), so
	// this thread's CPU time is the cost, whatever else the machine runs.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	names := []string{"fr_landmark", "faceapi", "mean", "fr_flip", "eye6", "mean3"}
	emb := map[string]map[string][]float32{}
	for _, n := range names {
		emb[n] = map[string][]float32{}
	}
	// Thread CPU time comes in scheduler ticks, so its mean (not its
	// median) is the cost; the wall time's median is reported beside it.
	var costFaceAPI, costFlip, wallFaceAPI, wallFlip []time.Duration
	// |faceapi − fr_landmark| and |mirrored fr_landmark − fr_landmark| per
	// point, in eye distances.
	var spread, spreadFlip []float64
	ctx := context.Background()
	var files []string
	for _, fs := range lfwImages(ps) {
		files = append(files, fs...)
	}
	slices.Sort(files)
	for _, file := range files {
		img, _, err := imageio.ReadFile(filepath.Join(dir, file), imageio.Limits{})
		require.NoError(t, err)
		faces, err := m.det.Detect(ctx, img)
		require.NoError(t, err)
		f, _, err := pick(faces, img.Rect.Dx(), img.Rect.Dy(), 0, false)
		require.NoError(t, err, file)
		f = m.refine(img, f)
		require.Len(t, f.Points5, 5, file)

		t0, c0 := time.Now(), benchcpu.ThreadCPU()
		fl, err := faceAPILandmarks(fa, img, f.Box)
		require.NoError(t, err, file)
		pb := fivePointsOf(fl)
		costFaceAPI, wallFaceAPI = append(costFaceAPI, benchcpu.ThreadCPU()-c0), append(wallFaceAPI, time.Since(t0))

		t0, c0 = time.Now(), benchcpu.ThreadCPU()
		mirrored, err := flippedLandmarks(an, img, f.Box)
		require.NoError(t, err, file)
		pf := fivePointsOf(mirrored)
		costFlip, wallFlip = append(costFlip, benchcpu.ThreadCPU()-c0), append(wallFlip, time.Since(t0))

		pa := f.Points5
		eyes := math.Hypot(pa[1].X-pa[0].X, pa[1].Y-pa[0].Y)
		for i := range pa {
			spread = append(spread, math.Hypot(pb[i].X-pa[i].X, pb[i].Y-pa[i].Y)/eyes)
			spreadFlip = append(spreadFlip, math.Hypot(pf[i].X-pa[i].X, pf[i].Y-pa[i].Y)/eyes)
		}
		eye6 := slices.Clone(pa)
		eye6[0] = meanOf(f.Landmarks, 36, 37, 38, 39, 40, 41)
		eye6[1] = meanOf(f.Landmarks, 42, 43, 44, 45, 46, 47)
		points := map[string][]face.Point{
			"fr_landmark": pa,
			"faceapi":     pb,
			"mean":        averagePoints(pa, pb),
			"fr_flip":     averagePoints(pa, pf),
			"eye6":        eye6,
			"mean3":       averagePoints(pa, pf, pb),
		}
		for _, n := range names {
			g := f
			g.Points5 = points[n]
			aligned, err := alignFace(img, g)
			require.NoError(t, err, file)
			e, err := m.emb.Embed(ctx, aligned)
			require.NoError(t, err, file)
			emb[n][file] = e.Vector
		}
	}
	slices.Sort(spread)
	slices.Sort(spreadFlip)
	t.Logf("%d images; distance from fr_landmark's points in eye distances, median and 90th percentile: faceapi %.3f %.3f, mirrored fr_landmark %.3f %.3f",
		len(files), spread[len(spread)/2], spread[len(spread)*9/10], spreadFlip[len(spreadFlip)/2], spreadFlip[len(spreadFlip)*9/10])
	t.Logf("extra cost per face, CPU mean / wall median: faceapi landmark68 (crop and run) %s / %s, fr_landmark flip %s / %s",
		meanMS(costFaceAPI), wallMedianMS(wallFaceAPI), meanMS(costFlip), wallMedianMS(wallFlip))

	// The mirrored run must find the same points (else mirror68 or the
	// mirroring is wrong), and face-api.js's must land near them (else the
	// crop convention is).
	assert.Less(t, spreadFlip[len(spreadFlip)/2], 0.05)
	assert.Less(t, spread[len(spread)/2], 0.1)

	t.Logf("%-12s %-28s %-28s %-28s", "points", "all: best/AUC/TAR@1%", "fold 3", "fold 4")
	for _, n := range names {
		row := fmt.Sprintf("%-12s", n)
		for _, fold := range []int{0, 3, 4} {
			var s []eval.Scored
			for _, p := range ps {
				if fold == 0 || p.fold == fold {
					s = append(s, eval.Scored{Score: Cosine(emb[n][p.a], emb[n][p.b]), Positive: p.same})
				}
			}
			best, _, err := eval.BestAccuracy(s)
			require.NoError(t, err)
			auc, err := eval.AUC(s)
			require.NoError(t, err)
			tar, err := eval.TARAtFAR(s, 0.01)
			require.NoError(t, err)
			if n == "fr_landmark" && fold == 0 {
				assert.GreaterOrEqual(t, best, 0.985, "the baseline is the Matcher's pipeline")
			}
			wrong := int(math.Round((1 - best) * float64(len(s))))
			row += fmt.Sprintf(" %.2f%% (%2d) %.4f %.2f%%", 100*best, wrong, auc, 100*tar.TAR)
		}
		t.Log(row)
	}
}

// faceAPILandmarks runs face-api.js's landmark68 net on the box's crop the
// way face-api.js does (the integer crop padded to a square with black,
// 112x112) and returns the 68 points in image pixels.
func faceAPILandmarks(s *onnx.Session, img *image.RGBA, b face.Box) ([]face.Point, error) {
	r := b.Rectangle().Intersect(img.Rect)
	if r.Empty() {
		return nil, face.ErrNoFace
	}
	const n = faceapi.Landmark68Size
	out, err := s.Run(onnx.Tensor{Shape: []int64{1, n, n, 3}, Data: faceapi.Preprocess(img.SubImage(r), n)})
	if err != nil {
		return nil, err
	}
	v := out[0].Data
	if len(v) != 136 {
		return nil, fmt.Errorf("landmark68: %d values, want 136", len(v))
	}
	w, h := r.Dx(), r.Dy()
	side := max(w, h)
	// Preprocess puts diff − round(diff/2) black rows or columns before
	// the crop.
	diff := side - min(w, h)
	before := float64(diff - int(math.Floor(float64(diff)*0.5+0.5)))
	offX, offY := 0.0, 0.0
	if w < h {
		offX = before
	} else {
		offY = before
	}
	l := make([]face.Point, 68)
	for i := range l {
		l[i] = face.Point{
			X: float64(r.Min.X) + float64(v[2*i])*float64(side) - offX,
			Y: float64(r.Min.Y) + float64(v[2*i+1])*float64(side) - offY,
		}
	}
	return l, nil
}

// flippedLandmarks measures fr_landmark on the mirror image of the box's
// surroundings and returns the 68 points mirrored back into img, each under
// its own index (the mirror of the left eye is found as the right eye).
func flippedLandmarks(an *faceonnx.Analyzer, img *image.RGBA, b face.Box) ([]face.Point, error) {
	r := b.Rectangle().Inset(-2).Intersect(img.Rect)
	w, h := r.Dx(), r.Dy()
	mir := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		src := img.Pix[(r.Min.Y+y-img.Rect.Min.Y)*img.Stride+(r.Min.X-img.Rect.Min.X)*4:]
		dst := mir.Pix[y*mir.Stride:]
		for x := range w {
			copy(dst[4*(w-1-x):4*(w-x)], src[4*x:4*x+4])
		}
	}
	// Pixel edges: x in img is x' = r.Max.X − x in mir.
	mx := float64(r.Max.X)
	g := face.Face{Box: face.Box{X1: mx - b.X2, Y1: b.Y1 - float64(r.Min.Y), X2: mx - b.X1, Y2: b.Y2 - float64(r.Min.Y)}}
	if err := an.Measure(mir, &g); err != nil {
		return nil, err
	}
	out := make([]face.Point, 68)
	for i, p := range g.Landmarks {
		out[mirror68[i]] = face.Point{X: mx - p.X, Y: p.Y + float64(r.Min.Y)}
	}
	return out, nil
}

// mirror68 maps each iBUG-68 point to the point it becomes in the mirror
// image.
var mirror68 = func() [68]int {
	var m [68]int
	for i := range m {
		m[i] = i
	}
	pair := func(a, b int) { m[a], m[b] = b, a }
	for i := 0; i < 8; i++ {
		pair(i, 16-i) // jaw
	}
	for i := 0; i < 5; i++ {
		pair(17+i, 26-i) // brows
	}
	pair(31, 35)
	pair(32, 34)
	for _, p := range [][2]int{{36, 45}, {37, 44}, {38, 43}, {39, 42}, {40, 47}, {41, 46}} {
		pair(p[0], p[1])
	}
	for _, p := range [][2]int{{48, 54}, {49, 53}, {50, 52}, {55, 59}, {56, 58}, {60, 64}, {61, 63}, {65, 67}} {
		pair(p[0], p[1])
	}
	return m
}()

// fivePointsOf is package face's reduction of 68 points to five: the
// centres of the four lid points of each eye, the nose tip and the mouth
// corners (outer and inner lip corner averaged).
func fivePointsOf(l []face.Point) []face.Point {
	return []face.Point{
		meanOf(l, 37, 38, 40, 41),
		meanOf(l, 43, 44, 46, 47),
		l[30],
		meanOf(l, 48, 60),
		meanOf(l, 54, 64),
	}
}

func meanOf(l []face.Point, idx ...int) face.Point {
	var p face.Point
	for _, i := range idx {
		p.X += l[i].X / float64(len(idx))
		p.Y += l[i].Y / float64(len(idx))
	}
	return p
}

func averagePoints(sets ...[]face.Point) []face.Point {
	out := make([]face.Point, len(sets[0]))
	for _, s := range sets {
		for i, p := range s {
			out[i].X += p.X / float64(len(sets))
			out[i].Y += p.Y / float64(len(sets))
		}
	}
	return out
}

func wallMedianMS(d []time.Duration) string {
	s := slices.Clone(d)
	slices.Sort(s)
	return fmt.Sprintf("%.2f ms", float64(s[len(s)/2].Microseconds())/1000)
}

func meanMS(d []time.Duration) string {
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	return fmt.Sprintf("%.2f ms", float64(sum.Microseconds())/1000/float64(len(d)))
}
