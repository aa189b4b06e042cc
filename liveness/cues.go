package liveness

import (
	"encoding/json"
	"image"
	"math"
	"sort"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/internal/imgproc"
)

// Cues are the hand-made measurements made beside the network, each aimed at
// one kind of attack. Every value is NaN when it could not be measured (a
// face too small for it).
type Cues struct {
	// Moire is the strength of isolated peaks in the face's spectrum at
	// native resolution: the mean log10 ratio of the three strongest
	// non-axis, non-JPEG-grid frequencies to the median power of their
	// ring. A screen's pixel grid beating with the camera's sensor, or a
	// printer's halftone screen, makes narrow peaks; skin does not.
	Moire float64 `json:"moire"`
	// Glare is the fraction of face pixels that are blown to near-white
	// (every channel ≥ 235): the specular reflection of a glossy print or a
	// screen's glass.
	Glare float64 `json:"glare"`
	// Saturation is the mean HSV saturation of the inner face.
	Saturation float64 `json:"saturation"`
	// Detail and Border are measured only when Config.Diagnostics asks:
	// neither separated live from attack photos on the development set
	// (doc.go), so they are reported for inspection and not scored.
	//
	// Detail is the log10 ratio of the face's high-frequency energy (a
	// quarter to a half of the sampling rate) to its mid-frequency energy,
	// on the face box resampled to 128x128: re-imaged faces lose fine detail.
	Detail float64 `json:"detail"`
	// Border is the number of sides (0–4) of the face with a long straight
	// edge in its 2.7x surroundings that does not cross the face: the edge
	// of a sheet of paper, a phone or a monitor held up to the camera.
	Border float64 `json:"border"`
	// BorderSupport is the total length of those edges in face sides.
	BorderSupport float64 `json:"border_support"`
}

// MarshalJSON writes cues that were not measured (NaN) as null.
func (c Cues) MarshalJSON() ([]byte, error) {
	f := func(v float64) *float64 {
		if math.IsNaN(v) {
			return nil
		}
		return &v
	}
	return json.Marshal(struct {
		Moire         *float64 `json:"moire"`
		Glare         *float64 `json:"glare"`
		Saturation    *float64 `json:"saturation"`
		Detail        *float64 `json:"detail"`
		Border        *float64 `json:"border"`
		BorderSupport *float64 `json:"border_support"`
	}{f(c.Moire), f(c.Glare), f(c.Saturation), f(c.Detail), f(c.Border), f(c.BorderSupport)})
}

// measureCues computes the scored cues for the face box b in img, and the
// diagnostic ones when all is set.
func measureCues(img *image.RGBA, b face.Box, all bool) Cues {
	c := Cues{Detail: math.NaN(), Border: math.NaN(), BorderSupport: math.NaN()}
	c.Moire = moire(img, b)
	c.Glare, c.Saturation = glareAndSaturation(img, b)
	if all {
		c.Detail = detail(img, b)
		sides, support := border(img, b, defaultBorder())
		c.Border, c.BorderSupport = float64(sides), support
	}
	return c
}

// moire measures spectral peaks in a native-resolution window at the face
// centre: 128 pixels square when the face is that large, else 64; NaN for a
// face under 64 pixels.
func moire(img *image.RGBA, b face.Box) float64 {
	side := math.Min(b.W(), b.H())
	n := 128
	switch {
	case side < 64:
		return math.NaN()
	case side < 128:
		n = 64
	}
	cx, cy := b.Center().X, b.Center().Y
	r := image.Rect(int(cx)-n/2, int(cy)-n/2, int(cx)+n/2, int(cy)+n/2)
	if !r.In(img.Rect) {
		r = r.Add(clampShift(r, img.Rect))
		if !r.In(img.Rect) {
			return math.NaN()
		}
	}
	l, _, _ := imgproc.Luma(img, r)
	p := power(l, n, true)
	grid := n / 8 // JPEG's 8x8 blocks put energy on multiples of n/8
	type bin struct {
		r int
		v float64
	}
	rings := make([][]float64, n/2)
	var bins []bin
	for v := 0; v < n/2; v++ { // half plane: the spectrum of a real image is symmetric
		for u := -n/2 + 1; u < n/2; u++ {
			if v == 0 && u <= 0 {
				continue
			}
			rad := int(math.Sqrt(float64(u*u+v*v)) + 0.5)
			if rad < n/16 || rad >= n/2 {
				continue
			}
			if abs(u) <= 1 || v <= 1 { // window leakage along the axes
				continue
			}
			if nearMultiple(u, grid) && nearMultiple(v, grid) {
				continue
			}
			val := p[v*n+(u+n)%n]
			rings[rad] = append(rings[rad], val)
			bins = append(bins, bin{rad, val})
		}
	}
	med := make([]float64, len(rings))
	for i, ring := range rings {
		if len(ring) > 0 {
			med[i] = median(ring)
		}
	}
	// The mean log ratio of the three strongest bins over their rings.
	var top [3]float64
	n3 := 0
	for _, x := range bins {
		if med[x.r] <= 0 {
			continue
		}
		q := x.v / med[x.r]
		n3++
		if q > top[2] {
			top[2] = q
			if top[2] > top[1] {
				top[1], top[2] = top[2], top[1]
			}
			if top[1] > top[0] {
				top[0], top[1] = top[1], top[0]
			}
		}
	}
	if n3 < 3 || top[2] <= 0 {
		return math.NaN()
	}
	return (math.Log10(top[0]) + math.Log10(top[1]) + math.Log10(top[2])) / 3
}

// glareAndSaturation returns the blown-out fraction of the face box and the
// mean saturation of its inner 60%.
func glareAndSaturation(img *image.RGBA, b face.Box) (glare, sat float64) {
	r := b.Rectangle().Intersect(img.Rect)
	inner := face.Box{X1: b.X1 + 0.2*b.W(), Y1: b.Y1 + 0.2*b.H(), X2: b.X2 - 0.2*b.W(), Y2: b.Y2 - 0.2*b.H()}.Rectangle().Intersect(img.Rect)
	if r.Empty() || inner.Empty() {
		return math.NaN(), math.NaN()
	}
	var blown, n int
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := img.PixOffset(x, y)
			if min(img.Pix[i], img.Pix[i+1], img.Pix[i+2]) >= 235 {
				blown++
			}
			n++
		}
	}
	var s float64
	var m int
	for y := inner.Min.Y; y < inner.Max.Y; y++ {
		for x := inner.Min.X; x < inner.Max.X; x++ {
			i := img.PixOffset(x, y)
			hi := float64(max(img.Pix[i], img.Pix[i+1], img.Pix[i+2]))
			lo := float64(min(img.Pix[i], img.Pix[i+1], img.Pix[i+2]))
			if hi > 0 {
				s += (hi - lo) / hi
			}
			m++
		}
	}
	return float64(blown) / float64(n), s / float64(m)
}

// detail is the high- to mid-frequency energy ratio of the face box at a
// fixed 128x128 scale.
func detail(img *image.RGBA, b face.Box) float64 {
	const n = 128
	if b.W() < 32 || b.H() < 32 {
		return math.NaN()
	}
	p := power(grayArea(img, b, n), n, true)
	var hi, mid float64
	for v := -n/2 + 1; v < n/2; v++ {
		for u := -n/2 + 1; u < n/2; u++ {
			rad := math.Hypot(float64(u), float64(v))
			val := p[((v+n)%n)*n+(u+n)%n]
			switch {
			case rad >= n/4 && rad < n/2:
				hi += val
			case rad >= n/16 && rad < n/4:
				mid += val
			}
		}
	}
	if mid <= 0 || hi <= 0 {
		return math.NaN()
	}
	return math.Log10(hi / mid)
}

// power returns the power spectrum of the n x n luma grid l, the mean
// removed and, when window is set, a Hann window applied.
func power(l []float64, n int, window bool) []float64 {
	var mean float64
	for _, v := range l {
		mean += v
	}
	mean /= float64(len(l))
	hann := make([]float64, n)
	for i := range hann {
		hann[i] = 1
		if window {
			hann[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n-1))
		}
	}
	a := make([]complex128, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			a[y*n+x] = complex((l[y*n+x]-mean)*hann[x]*hann[y], 0)
		}
	}
	fft2(a, n)
	p := make([]float64, n*n)
	for i, v := range a {
		p[i] = real(v)*real(v) + imag(v)*imag(v)
	}
	return p
}

func clampShift(r, bounds image.Rectangle) image.Point {
	var d image.Point
	if r.Min.X < bounds.Min.X {
		d.X = bounds.Min.X - r.Min.X
	} else if r.Max.X > bounds.Max.X {
		d.X = bounds.Max.X - r.Max.X
	}
	if r.Min.Y < bounds.Min.Y {
		d.Y = bounds.Min.Y - r.Min.Y
	} else if r.Max.Y > bounds.Max.Y {
		d.Y = bounds.Max.Y - r.Max.Y
	}
	return d
}

func nearMultiple(v, m int) bool {
	v = abs(v) % m
	return v <= 1 || v >= m-1
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
