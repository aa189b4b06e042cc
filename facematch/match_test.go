package facematch

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/models"
)

// The fixtures: three independent photos of one person, and four other
// people. The official portrait's two crops are not independent of it and
// are left out of the same-person pairs.
var (
	obamas = []string{
		"obama_2009_health_care_address.jpg",
		"obama_2010_blue_room_crop.jpg",
		"obama_official_portrait_2012.jpg",
	}
	others = []string{
		"biden_2010_blue_room_crop.jpg",
		"eileen_collins_nasa_astronaut.png",
		"grace_hopper_512x512.jpg",
	}
)

func newMatcherCache(t testing.TB) *models.Cache {
	t.Helper()
	return modeltest.Cache(t, FeatureModel, "mobilefacenet_tflite", "faceapi_recognition_manifest", "faceapi_recognition_weights",
		"fr_detect", "fr_landmark")
}

func newMatcher(t testing.TB, cfg Config) *Matcher {
	t.Helper()
	cfg.Models = newMatcherCache(t)
	m, err := New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { m.Close() })
	return m
}

func fixture(t testing.TB, name string) *image.RGBA {
	t.Helper()
	img, _, err := imageio.ReadFile(modeltest.Testdata(t, "faces", name), imageio.Limits{})
	require.NoError(t, err)
	return img
}

func compare(t testing.TB, m *Matcher, a, b image.Image, opts ...Option) Result {
	t.Helper()
	r, err := m.Compare(context.Background(), Probe{Image: a}, Probe{Image: b}, opts...)
	require.NoError(t, err)
	return r
}

// networks3 are every network a Matcher can run.
var networks3 = []Network{MobileFaceNetFaceAPI, MobileFaceNet, FrFeature}

func TestSamePersonMatches(t *testing.T) {
	for _, n := range networks3 {
		t.Run(string(n), func(t *testing.T) {
			m := newMatcher(t, Config{Network: n})
			for i, a := range obamas {
				for _, b := range obamas[i+1:] {
					t.Run(a+"~"+b, func(t *testing.T) {
						r := compare(t, m, fixture(t, a), fixture(t, b))
						t.Logf("similarity %.3f cosine %.3f", r.Similarity, r.Cosine)
						assert.True(t, r.Match)
						assert.GreaterOrEqual(t, r.Similarity, DefaultThreshold)
						assert.Equal(t, DefaultThreshold, r.Threshold)
					})
				}
			}
		})
	}
}

// TestDifferentPeopleDoNotMatch runs every network: a swapped layout,
// dimension or calibration would let strangers through.
func TestDifferentPeopleDoNotMatch(t *testing.T) {
	for _, n := range networks3 {
		t.Run(string(n), func(t *testing.T) {
			m := newMatcher(t, Config{Network: n})
			people := append([]string{obamas[0], obamas[1], obamas[2]}, others...)
			person := func(name string) string { return name[:4] }
			for i, a := range people {
				for _, b := range people[i+1:] {
					if person(a) == person(b) {
						continue
					}
					t.Run(a+"~"+b, func(t *testing.T) {
						r := compare(t, m, fixture(t, a), fixture(t, b))
						t.Logf("similarity %.3f cosine %.3f", r.Similarity, r.Cosine)
						assert.False(t, r.Match)
						assert.Less(t, r.Similarity, DefaultThreshold)
					})
				}
			}
		})
	}
}

func TestMatchIsSymmetric(t *testing.T) {
	m := newMatcher(t, Config{})
	a, b := fixture(t, obamas[0]), fixture(t, others[2])
	ab, ba := compare(t, m, a, b), compare(t, m, b, a)
	assert.Equal(t, ab.Similarity, ba.Similarity)
	assert.Equal(t, ab.Cosine, ba.Cosine)
	assert.Equal(t, ab.Match, ba.Match)
	assert.Equal(t, ab.A, ba.B)
}

func mirrored(img *image.RGBA) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(img.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			copy(out.Pix[y*out.Stride+x*4:y*out.Stride+x*4+4], img.Pix[y*img.Stride+(w-1-x)*4:])
		}
	}
	return out
}

func TestFlippedAndRescaledCopiesMatch(t *testing.T) {
	m := newMatcher(t, Config{})
	for _, name := range []string{obamas[0], others[2]} {
		img := fixture(t, name)
		w, h := img.Rect.Dx(), img.Rect.Dy()
		for what, copy := range map[string]*image.RGBA{
			"mirrored": mirrored(img),
			"half":     imgproc.Resize(img, w/2, h/2),
			"double":   imgproc.Resize(img, w*2, h*2),
		} {
			t.Run(name+"/"+what, func(t *testing.T) {
				r := compare(t, m, img, copy)
				t.Logf("similarity %.3f cosine %.3f", r.Similarity, r.Cosine)
				assert.True(t, r.Match)
				assert.Greater(t, r.Cosine, 0.8, "a copy of the same photo is far above any threshold")
			})
		}
	}
}

func TestNoFaceIsTypedError(t *testing.T) {
	m := newMatcher(t, Config{})
	blank := image.NewRGBA(image.Rect(0, 0, 320, 240))
	draw.Draw(blank, blank.Rect, image.NewUniform(color.Gray{Y: 128}), image.Point{}, draw.Src)
	_, err := m.Compare(context.Background(), Probe{Image: fixture(t, obamas[0])}, Probe{Image: blank})
	require.ErrorIs(t, err, ErrNoFace)
	var fe *FaceError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "b", fe.Probe)

	_, err = m.Compare(context.Background(), Probe{}, Probe{Image: blank})
	require.ErrorIs(t, err, ErrNoFace, "a nil image has no face")
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "a", fe.Probe)

	_, _, err = m.Enroll(context.Background(), Probe{Image: image.NewRGBA(image.Rectangle{})})
	require.ErrorIs(t, err, ErrNoFace, "an empty image has no face")
	_, _, err = m.Enroll(context.Background(), Probe{Image: (*image.RGBA)(nil)})
	require.ErrorIs(t, err, ErrNoFace, "nor a nil *image.RGBA (no panic)")
}

func TestCorruptImageIsTypedError(t *testing.T) {
	// The Matcher takes decoded images; bytes go through imageio, whose
	// typed errors callers branch on (idkit match tests the whole path).
	data := []byte("\xff\xd8\xff\xe0 not really a jpeg")
	_, _, err := imageio.DecodeBytes(data, imageio.Limits{})
	require.ErrorIs(t, err, imageio.ErrCorrupt)
}

// twoFaces puts a large and a small face side by side.
func twoFaces(t testing.TB) *image.RGBA {
	big := fixture(t, others[2])                             // Hopper, 512x512
	small := imgproc.Resize(fixture(t, others[1]), 256, 256) // Collins
	canvas := image.NewRGBA(image.Rect(0, 0, 900, 540))
	draw.Draw(canvas, canvas.Rect, image.NewUniform(image.White.C), image.Point{}, draw.Src)
	draw.Draw(canvas, big.Rect.Add(image.Pt(10, 10)), big, image.Point{}, draw.Src)
	draw.Draw(canvas, small.Rect.Add(image.Pt(600, 140)), small, image.Point{}, draw.Src)
	return canvas
}

func TestSeveralFacesLargestOrChosen(t *testing.T) {
	m := newMatcher(t, Config{})
	ctx := context.Background()
	group := twoFaces(t)
	hopper, collins := fixture(t, others[2]), fixture(t, others[1])

	r, err := m.Compare(ctx, Probe{Image: group}, Probe{Image: hopper})
	require.NoError(t, err)
	assert.True(t, r.Match, "the largest face is Hopper")
	assert.Equal(t, 0, r.A.Index)
	assert.Equal(t, 2, r.A.Faces)
	assert.Less(t, r.A.Box.X2, 600.0)

	r, err = m.Compare(ctx, Probe{Image: group, Face: 1}, Probe{Image: collins})
	require.NoError(t, err)
	assert.True(t, r.Match, "face 1 is Collins")
	assert.Equal(t, 1, r.A.Index)
	assert.Greater(t, r.A.Box.X1, 550.0)

	_, err = m.Compare(ctx, Probe{Image: group, Face: 2}, Probe{Image: collins})
	require.ErrorIs(t, err, ErrFaceIndex)
	var fe *FaceError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 2, fe.Faces)
	_, err = m.Compare(ctx, Probe{Image: group, Face: -1}, Probe{Image: collins})
	require.ErrorIs(t, err, ErrFaceIndex)
}

func TestThresholds(t *testing.T) {
	ctx := context.Background()
	a, b := fixture(t, obamas[0]), fixture(t, obamas[2])
	m := newMatcher(t, Config{})
	base := compare(t, m, a, b)
	require.True(t, base.Match)

	// Per call.
	strict := compare(t, m, a, b, WithThreshold(base.Similarity+0.001))
	assert.False(t, strict.Match)
	assert.Equal(t, base.Similarity, strict.Similarity)
	assert.Equal(t, base.Similarity+0.001, strict.Threshold)
	_, err := m.Compare(ctx, Probe{Image: a}, Probe{Image: b}, WithThreshold(1.5))
	require.ErrorIs(t, err, ErrThreshold)

	// Per tenant: the Matcher's own threshold.
	tenant := newMatcher(t, Config{Threshold: 0.99})
	r := compare(t, tenant, a, b)
	assert.Equal(t, 0.99, r.Threshold)
	assert.Equal(t, base.Match && base.Similarity >= 0.99, r.Match)
	r = compare(t, tenant, a, b, WithThreshold(0.5))
	assert.True(t, r.Match, "a call may relax the tenant's threshold")

	_, err = New(Config{Threshold: -0.2})
	require.ErrorIs(t, err, ErrThreshold)
}

func TestTemplates(t *testing.T) {
	ctx := context.Background()
	m := newMatcher(t, Config{})
	enrolled, info, err := m.Enroll(ctx, Probe{Image: fixture(t, obamas[2])})
	require.NoError(t, err)
	assert.Equal(t, 1, info.Faces)
	data, err := enrolled.MarshalBinary()
	require.NoError(t, err)

	stored, err := ParseTemplate(data)
	require.NoError(t, err)
	same, err := m.Verify(ctx, Probe{Image: fixture(t, obamas[0])}, stored)
	require.NoError(t, err)
	assert.True(t, same.Match)
	direct := compare(t, m, fixture(t, obamas[0]), fixture(t, obamas[2]))
	assert.InDelta(t, direct.Similarity, same.Similarity, 1e-6, "a stored template scores as the image did")

	other, _, err := m.Enroll(ctx, Probe{Image: fixture(t, others[0])})
	require.NoError(t, err)
	r, err := m.CompareTemplates(stored, other)
	require.NoError(t, err)
	assert.False(t, r.Match)

	// A template from another model is refused, not compared.
	foreign := stored
	foreign.Model.Version = "faceplugin-face-recognition-js@0.0.2+000000000000+p1"
	_, err = m.Verify(ctx, Probe{Image: fixture(t, obamas[0])}, foreign)
	require.ErrorIs(t, err, ErrModelMismatch)
	_, err = m.CompareTemplates(stored, foreign)
	require.ErrorIs(t, err, ErrModelMismatch)
	flip := newMatcher(t, Config{Network: MobileFaceNet, Flip: true})
	_, err = flip.Verify(ctx, Probe{Image: fixture(t, obamas[0])}, stored)
	require.ErrorIs(t, err, ErrModelMismatch, "templates embedded another way are another model")

	// A template of the other network is refused, and the error says how
	// to compare it.
	fr := newMatcher(t, Config{Network: FrFeature})
	old, _, err := fr.Enroll(ctx, Probe{Image: fixture(t, obamas[0])})
	require.NoError(t, err)
	_, err = m.CompareTemplates(stored, old)
	require.ErrorIs(t, err, ErrModelMismatch)
	assert.Contains(t, err.Error(), `use network "fr_feature"`)

	// Fused (the default) and single-network templates are different
	// models too.
	assert.Len(t, stored.Vector, 320)
	mfn := newMatcher(t, Config{Network: MobileFaceNet})
	single, _, err := mfn.Enroll(ctx, Probe{Image: fixture(t, obamas[0])})
	require.NoError(t, err)
	_, err = m.CompareTemplates(stored, single)
	require.ErrorIs(t, err, ErrModelMismatch)
	assert.Contains(t, err.Error(), `use network "mobilefacenet"`)
	_, err = mfn.CompareTemplates(single, stored)
	assert.Contains(t, err.Error(), `use network "mobilefacenet+faceapi"`)
}

// TestDocumentPhotos compares every fixture, as a selfie, with simulated
// document photos made from the others (docsim_test.go) at two capture
// qualities: the same person must match, different people must not.
func TestDocumentPhotos(t *testing.T) {
	m := newMatcher(t, Config{})
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(6, 6))
	people := append(append([]string{}, obamas...), others...)
	person := func(name string) string { return name[:4] }
	selfies := map[string]Embedding{}
	for _, name := range people {
		src := fixture(t, name)
		e, info, err := m.Enroll(ctx, Probe{Image: src})
		require.NoError(t, err)
		selfies[name] = e
		for _, sim := range []docSim{defaultDocSim, hardDocSim} {
			doc := simulateDocument(src, info.Box, sim, rng)
			d, _, err := m.Enroll(ctx, Probe{Image: doc, Document: true})
			require.NoError(t, err, "document made from %s (face %d px)", name, sim.FaceSide)
			for _, other := range people {
				if other == name {
					continue // the document was made from this very photo
				}
				e, ok := selfies[other]
				if !ok {
					e, _, err = m.Enroll(ctx, Probe{Image: fixture(t, other)})
					require.NoError(t, err)
					selfies[other] = e
				}
				r, err := m.CompareTemplates(e, d)
				require.NoError(t, err)
				want := person(other) == person(name)
				t.Logf("doc %-36s (%3d px) selfie %-36s similarity %.3f", name, sim.FaceSide, other, r.Similarity)
				assert.Equal(t, want, r.Match, "doc %s selfie %s similarity %.3f", name, other, r.Similarity)
			}
		}
	}
}

func TestConcurrentComparesAgree(t *testing.T) {
	m := newMatcher(t, Config{})
	a, b := fixture(t, obamas[0]), fixture(t, obamas[1])
	want := compare(t, m, a, b)
	got := make([]Result, 4)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			got[i], errs[i] = m.Compare(context.Background(), Probe{Image: a}, Probe{Image: b})
		})
	}
	wg.Wait()
	for i := range got {
		require.NoError(t, errs[i])
		assert.Equal(t, want.Similarity, got[i].Similarity)
	}
}
