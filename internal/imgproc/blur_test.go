package imgproc

import (
	"image"
	"math/rand/v2"
	"testing"
)

func TestGaussianBlur(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	img := randomRGBA(rng, 40, 30)

	// sigma ≤ 0 copies the region, at the origin.
	r := image.Rect(5, 4, 25, 14)
	c := GaussianBlur(img, r, 0)
	if c.Rect != image.Rect(0, 0, 20, 10) {
		t.Fatalf("copy has bounds %v", c.Rect)
	}
	for y := range 10 {
		for x := range 20 {
			got, want := c.RGBAAt(x, y), img.RGBAAt(x+5, y+4)
			want.A = 255
			if got != want {
				t.Fatalf("copy differs at %d,%d: %v, want %v", x, y, got, want)
			}
		}
	}

	// A flat image stays flat (the kernel sums to 1, edges repeat).
	flat := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := 0; i < len(flat.Pix); i += 4 {
		flat.Pix[i], flat.Pix[i+1], flat.Pix[i+2], flat.Pix[i+3] = 90, 140, 200, 255
	}
	b := GaussianBlur(flat, flat.Rect, 2.5)
	for i := 0; i < len(b.Pix); i += 4 {
		if b.Pix[i] != 90 || b.Pix[i+1] != 140 || b.Pix[i+2] != 200 || b.Pix[i+3] != 255 {
			t.Fatalf("flat image changed at byte %d: %v", i, b.Pix[i:i+4])
		}
	}

	// A blur smooths: the sum of squared neighbour differences drops.
	rough := func(m *image.RGBA) (s int) {
		for y := range m.Rect.Dy() {
			for x := 1; x < m.Rect.Dx(); x++ {
				d := int(m.RGBAAt(x, y).G) - int(m.RGBAAt(x-1, y).G)
				s += d * d
			}
		}
		return s
	}
	if before, after := rough(img), rough(GaussianBlur(img, img.Rect, 1.5)); after*4 > before {
		t.Errorf("blur left roughness %d of %d", after, before)
	}

	if e := GaussianBlur(img, image.Rectangle{}, 1); !e.Rect.Empty() {
		t.Errorf("empty region gave %v", e.Rect)
	}
}

func TestClampByte(t *testing.T) {
	for v, want := range map[float64]uint8{-3: 0, 0: 0, 0.49: 0, 0.5: 1, 127.6: 128, 254.6: 255, 300: 255} {
		if got := ClampByte(v); got != want {
			t.Errorf("ClampByte(%v) = %d, want %d", v, got, want)
		}
	}
}
