package facematch

import (
	"context"
	"testing"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/internal/benchcpu"
)

// medianMS times each iteration of fn and reports the median in ms: the
// mean that go test prints hides the odd slow run on a busy machine.
// BenchmarkEmbed is one face's embedding (what the 12 ms target is about)
// on one core: ONNX Runtime runs with one intra-op thread.
func BenchmarkEmbed(b *testing.B) {
	m := newMatcher(b, Config{})
	img := fixture(b, obamas[0])
	faces, err := m.det.Detect(context.Background(), img)
	if err != nil || len(faces) == 0 {
		b.Fatal(err)
	}
	aligned, err := face.Align(img, faces[0], face.AlignSize)
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range []struct {
		name string
		net  Network
		flip bool
	}{{"mobilefacenet", MobileFaceNet, false}, {"mobilefacenet-flip", MobileFaceNet, true}, {"fr_feature", FrFeature, false}} {
		e, err := NewONNX(ONNXConfig{Models: newMatcherCache(b), Network: v.net, Flip: v.flip})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(v.name, func(b *testing.B) {
			benchcpu.Loop(b, func() {
				if _, err := e.Embed(context.Background(), aligned); err != nil {
					b.Fatal(err)
				}
			})
		})
		e.Close()
	}
	// With the alignment included, which the fused network does twice (the
	// 112x112 alignment and the face chip).
	f := m.refine(img, faces[0])
	mfn, err := NewONNX(ONNXConfig{Models: newMatcherCache(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer mfn.Close()
	b.Run("mobilefacenet-with-alignment", func(b *testing.B) {
		benchcpu.Loop(b, func() {
			al, err := alignFace(img, f)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := mfn.Embed(context.Background(), al); err != nil {
				b.Fatal(err)
			}
		})
	})
	fused, err := NewFused(newMatcherCache(b))
	if err != nil {
		b.Fatal(err)
	}
	defer fused.Close()
	b.Run("mobilefacenet+faceapi-with-alignment", func(b *testing.B) {
		benchcpu.Loop(b, func() {
			if _, err := fused.EmbedFace(context.Background(), img, f); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkCompare is the full match of two decoded photos: detection,
// landmarks, alignment and embedding of both, and the decision.
func BenchmarkCompare(b *testing.B) {
	m := newMatcher(b, Config{})
	a, c := fixture(b, obamas[0]), fixture(b, obamas[2])
	benchcpu.Loop(b, func() {
		if _, err := m.Compare(context.Background(), Probe{Image: a}, Probe{Image: c}); err != nil {
			b.Fatal(err)
		}
	})
}
