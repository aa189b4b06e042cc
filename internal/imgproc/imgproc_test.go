package imgproc

import (
	"image"
	"math/rand/v2"
	"testing"
)

func randomRGBA(rng *rand.Rand, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	return img
}

// referenceTensor is TensorPadded written the obvious way, one Bilinear
// call per sample.
func referenceTensor(img *image.RGBA, r Rect, w, h int, l Layout, fill float32) []float32 {
	ch := 3
	if l.Gray {
		ch = 1
	}
	out := make([]float32, ch*w*h)
	div := l.Div
	if div == 0 {
		div = 1
	}
	var scale, mean [3]float32
	for c := range 3 {
		s := l.Std[c]
		if s == 0 {
			s = 1
		}
		scale[c] = 1 / (div * s)
		mean[c] = l.Mean[c] / s
	}
	sx, sy := r.W()/float64(w), r.H()/float64(h)
	for y := range h {
		fy := r.Y1 + (float64(y)+0.5)*sy - 0.5
		for x := range w {
			fx := r.X1 + (float64(x)+0.5)*sx - 0.5
			var rr, gg, bb float32
			if fill >= 0 && (fx < -0.5 || fy < -0.5 || fx > float64(img.Rect.Dx())-0.5 || fy > float64(img.Rect.Dy())-0.5) {
				rr, gg, bb = fill, fill, fill
			} else {
				rr, gg, bb = Bilinear(img, fx, fy)
			}
			// The layout transform written out again, independent of set.
			i := y*w + x
			if l.Gray {
				out[i] = (0.299*rr+0.587*gg+0.114*bb)*scale[0] - mean[0]
				continue
			}
			if l.BGR {
				rr, bb = bb, rr
			}
			out[i] = rr*scale[0] - mean[0]
			out[w*h+i] = gg*scale[1] - mean[1]
			out[2*w*h+i] = bb*scale[2] - mean[2]
		}
	}
	return out
}

// TestTensorPaddedMatchesBilinear checks the separable sampler against
// per-sample Bilinear bit for bit: crops inside, across and outside the
// image, up- and downscaling, every layout, edge repeat and fill.
func TestTensorPaddedMatchesBilinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	layouts := []Layout{{}, ImageNet, {BGR: true, Div: 255}, {Gray: true, Div: 256}, {Mean: [3]float32{127, 127, 127}, Std: [3]float32{128, 128, 128}}}
	for n := range 300 {
		iw, ih := 1+rng.IntN(90), 1+rng.IntN(90)
		img := randomRGBA(rng, iw, ih)
		if n%3 == 2 {
			// A sub-image: rows longer than its width, origin not at 0.
			big := randomRGBA(rng, iw+7, ih+5)
			img = big.SubImage(image.Rect(3, 2, 3+iw, 2+ih)).(*image.RGBA)
		}
		x1 := rng.Float64()*float64(iw)*1.6 - 0.3*float64(iw)
		y1 := rng.Float64()*float64(ih)*1.6 - 0.3*float64(ih)
		r := Rect{X1: x1, Y1: y1, X2: x1 + 0.5 + rng.Float64()*float64(iw), Y2: y1 + 0.5 + rng.Float64()*float64(ih)}
		w, h := 1+rng.IntN(64), 1+rng.IntN(64)
		l := layouts[n%len(layouts)]
		fill := float32(-1)
		if n%2 == 1 {
			fill = float32(rng.IntN(256))
		}
		got := TensorPadded(img, r, w, h, l, fill)
		want := referenceTensor(img, r, w, h, l, fill)
		if len(got) != len(want) {
			t.Fatalf("case %d: %d values, want %d", n, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("case %d (%dx%d image, rect %+v, %dx%d, layout %+v, fill %v): value %d = %v, want %v",
					n, iw, ih, r, w, h, l, fill, i, got[i], want[i])
			}
		}
	}
}

func TestTensorEmptyImage(t *testing.T) {
	img := image.NewRGBA(image.Rectangle{})
	for _, v := range Tensor(img, Rect{X2: 4, Y2: 4}, 2, 2, Layout{}) {
		if v != 0 {
			t.Fatalf("empty image sampled %v, want 0", v)
		}
	}
	for _, v := range TensorPadded(img, Rect{X2: 4, Y2: 4}, 2, 2, Layout{}, 9) {
		if v != 9 {
			t.Fatalf("empty image with fill sampled %v, want 9", v)
		}
	}
}

// BenchmarkTensorDetector is the detector's input: a 640x480 frame to
// 320x240.
func BenchmarkTensorDetector(b *testing.B) {
	img := randomRGBA(rand.New(rand.NewPCG(3, 4)), 640, 480)
	for b.Loop() {
		Tensor(img, Rect{X2: 640, Y2: 480}, 320, 240, Layout{BGR: true, Mean: [3]float32{127, 127, 127}, Std: [3]float32{128, 128, 128}})
	}
}

// BenchmarkTensorReference is the same work one Bilinear call per sample,
// the way TensorPadded used to do it.
func BenchmarkTensorReference(b *testing.B) {
	img := randomRGBA(rand.New(rand.NewPCG(3, 4)), 640, 480)
	for b.Loop() {
		referenceTensor(img, Rect{X2: 640, Y2: 480}, 320, 240, Layout{BGR: true, Mean: [3]float32{127, 127, 127}, Std: [3]float32{128, 128, 128}}, -1)
	}
}
