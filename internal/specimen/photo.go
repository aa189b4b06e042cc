package specimen

import (
	"image"
	"math"
	"math/rand/v2"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
)

// Degradation describes how a document is photographed. The zero value
// gives a straight, sharp, clean 1600x1200 photo with the document filling
// 80% of its width.
type Degradation struct {
	// Width and Height are the photo's size; zero means 1600x1200.
	Width, Height int
	// Fill is the share of the photo's width (or height, whichever binds)
	// the document spans, 0–1; zero means 0.8.
	Fill float64
	// Rotation is the largest in-plane rotation in degrees: the angle is
	// drawn in [-Rotation, Rotation].
	Rotation float64
	// Perspective is the largest displacement of each corner, as a share
	// of the document's width, that makes the document look shot at an
	// angle: each corner moves by up to this much in a drawn direction.
	Perspective float64
	// Blur is the Gaussian blur's standard deviation in photo pixels
	// (defocus or shake); 0 for none.
	Blur float64
	// Noise is the standard deviation of Gaussian sensor noise on the
	// 0–255 scale.
	Noise float64
	// Glare is the peak strength, 0–1, of a specular glare spot at a drawn
	// position on the document (1 burns it to white).
	Glare float64
	// Shade is the depth, 0–1, of uneven lighting across the photo.
	Shade float64
	// JPEGQuality round-trips the photo through JPEG at this quality
	// (1–100); 0 keeps it lossless.
	JPEGQuality int
}

// Realistic draws the degradation of an ordinary phone photo of a document
// held or laid flat: up to 8° of rotation, mild perspective, blur up to
// σ=1.5 px, noise, a glare spot half of the time, uneven light and JPEG
// quality 60–92. Every value comes from seed.
func Realistic(seed uint64) Degradation {
	rng := rand.New(rand.NewPCG(seed, 0xd0c))
	d := Degradation{
		Width: 1600, Height: 1200,
		Fill:        0.6 + 0.3*rng.Float64(),
		Rotation:    8,
		Perspective: 0.06 * rng.Float64(),
		Blur:        1.5 * rng.Float64(),
		Noise:       2 + 6*rng.Float64(),
		Shade:       0.3 * rng.Float64(),
		JPEGQuality: 60 + rng.IntN(33),
	}
	if rng.IntN(2) == 0 {
		d.Glare = 0.2 + 0.4*rng.Float64()
	}
	return d
}

// Harsh draws the degradation of a poor phone photo, beyond what a
// capture page should accept: up to 15° of rotation, strong perspective,
// blur up to σ=2.5 px, heavy noise, a strong glare spot on most photos,
// deep shade and JPEG quality 35–70. It shows where reading breaks down.
func Harsh(seed uint64) Degradation {
	rng := rand.New(rand.NewPCG(seed, 0x4a5))
	d := Degradation{
		Width: 1600, Height: 1200,
		Fill:        0.5 + 0.4*rng.Float64(),
		Rotation:    15,
		Perspective: 0.12 * rng.Float64(),
		Blur:        2.5 * rng.Float64(),
		Noise:       4 + 10*rng.Float64(),
		Shade:       0.5 * rng.Float64(),
		JPEGQuality: 35 + rng.IntN(36),
	}
	if rng.IntN(4) != 0 {
		d.Glare = 0.4 + 0.5*rng.Float64()
	}
	return d
}

// Photograph renders a photo of doc as d describes; seed draws the angles,
// the corner displacements, the glare position and the noise. The same
// arguments always give the same photo.
func Photograph(doc image.Image, d Degradation, seed uint64) *image.RGBA {
	img, _ := photograph(imageio.ToRGBA(doc), d, seed)
	return img
}

// Corners returns where the document's top-left, top-right, bottom-right
// and bottom-left corners land in Photograph(doc, d, seed), for a document
// of the given size: the truth a document detector is tested against.
func Corners(docSize image.Point, d Degradation, seed uint64) [4][2]float64 {
	return placement(docSize, d.normalized(), newRand(seed))
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

func (d Degradation) normalized() Degradation {
	if d.Width <= 0 || d.Height <= 0 {
		d.Width, d.Height = 1600, 1200
	}
	if d.Fill <= 0 || d.Fill > 1 {
		d.Fill = 0.8
	}
	return d
}

// placement draws the document's corners in the photo. It consumes the
// first random numbers of rng, before anything else, so Corners agrees
// with Photograph.
func placement(docSize image.Point, d Degradation, rng *rand.Rand) [4][2]float64 {
	dw, dh := float64(docSize.X), float64(docSize.Y)
	W, H := float64(d.Width), float64(d.Height)
	theta := (2*rng.Float64() - 1) * d.Rotation * math.Pi / 180
	// Scale so the rotated document spans Fill of the binding dimension.
	bw := dw*math.Abs(math.Cos(theta)) + dh*math.Abs(math.Sin(theta))
	bh := dw*math.Abs(math.Sin(theta)) + dh*math.Abs(math.Cos(theta))
	s := math.Min(d.Fill*W/bw, d.Fill*H/bh)
	// Centre, moved by up to half the free margin.
	cx := W/2 + (2*rng.Float64()-1)*(W-bw*s)/2*0.8
	cy := H/2 + (2*rng.Float64()-1)*(H-bh*s)/2*0.8
	c, sn := math.Cos(theta), math.Sin(theta)
	var q [4][2]float64
	for i, p := range [4][2]float64{{-dw / 2, -dh / 2}, {dw / 2, -dh / 2}, {dw / 2, dh / 2}, {-dw / 2, dh / 2}} {
		x, y := p[0]*s, p[1]*s
		q[i] = [2]float64{cx + c*x - sn*y, cy + sn*x + c*y}
	}
	// Perspective: move each corner within a disc of radius
	// Perspective x document width (after scaling).
	for i := range q {
		r := d.Perspective * dw * s * math.Sqrt(rng.Float64())
		a := 2 * math.Pi * rng.Float64()
		q[i][0] += r * math.Cos(a)
		q[i][1] += r * math.Sin(a)
	}
	return q
}

func photograph(doc *image.RGBA, d Degradation, seed uint64) (*image.RGBA, [4][2]float64) {
	d = d.normalized()
	rng := newRand(seed)
	q := placement(doc.Rect.Size(), d, rng)
	out := image.NewRGBA(image.Rect(0, 0, d.Width, d.Height))
	table(out, rng)
	warpInto(out, doc, q)
	if d.Shade > 0 {
		shade(out, d.Shade, rng)
	}
	if d.Glare > 0 {
		// The spot lands on the document: a point inside the quadrilateral.
		u, v := 0.15+0.7*rng.Float64(), 0.15+0.7*rng.Float64()
		gx := (1-v)*((1-u)*q[0][0]+u*q[1][0]) + v*((1-u)*q[3][0]+u*q[2][0])
		gy := (1-v)*((1-u)*q[0][1]+u*q[1][1]) + v*((1-u)*q[3][1]+u*q[2][1])
		radius := float64(d.Width) * (0.06 + 0.1*rng.Float64())
		glare(out, gx, gy, radius, d.Glare)
	}
	if d.Blur > 0 {
		out = imgproc.GaussianBlur(out, out.Rect, d.Blur)
	}
	if d.Noise > 0 {
		noise(out, d.Noise, rng)
	}
	if d.JPEGQuality > 0 {
		out = jpegRoundTrip(out, min(d.JPEGQuality, 100))
	}
	return out, q
}

// table paints a plain surface with a gentle gradient, the background of a
// document laid on a desk.
func table(img *image.RGBA, rng *rand.Rand) {
	base := [3]float64{60 + 120*rng.Float64(), 50 + 110*rng.Float64(), 40 + 100*rng.Float64()}
	gx, gy := rng.Float64()-0.5, rng.Float64()-0.5
	w, h := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	for y := 0; y < img.Rect.Dy(); y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < img.Rect.Dx(); x++ {
			f := 1 + 0.3*(gx*float64(x)/w+gy*float64(y)/h)
			for c := 0; c < 3; c++ {
				row[4*x+c] = imgproc.ClampByte(base[c] * f)
			}
			row[4*x+3] = 255
		}
	}
}

// warpInto draws src into dst so that src's corners land on q, by the
// inverse homography with bilinear sampling (averaging 2x2 sub-samples
// when the document is shrunk a lot, so the MRZ does not alias).
func warpInto(dst, src *image.RGBA, q [4][2]float64) {
	sw, sh := float64(src.Rect.Dx()), float64(src.Rect.Dy())
	hm, ok := imgproc.QuadToQuad([4][2]float64{{0, 0}, {sw, 0}, {sw, sh}, {0, sh}}, q)
	if !ok {
		return
	}
	inv, ok := hm.Invert()
	if !ok {
		return
	}
	minX, minY, maxX, maxY := q[0][0], q[0][1], q[0][0], q[0][1]
	for _, p := range q[1:] {
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	r := image.Rect(int(minX)-1, int(minY)-1, int(maxX)+2, int(maxY)+2).Intersect(dst.Rect)
	// Shrink factor: source pixels per destination pixel.
	shrink := sw / math.Hypot(q[1][0]-q[0][0], q[1][1]-q[0][1])
	offs := [][2]float64{{0.5, 0.5}}
	if shrink > 1.5 {
		offs = [][2]float64{{0.25, 0.25}, {0.75, 0.25}, {0.25, 0.75}, {0.75, 0.75}}
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := dst.Pix[dst.PixOffset(0, y):]
		for x := r.Min.X; x < r.Max.X; x++ {
			var acc [3]float64
			in := 0
			for _, o := range offs {
				sx, sy := inv.Apply(float64(x)+o[0], float64(y)+o[1])
				if sx < 0 || sy < 0 || sx >= sw || sy >= sh {
					continue
				}
				p := bilinear(src, sx-0.5, sy-0.5)
				for c := range acc {
					acc[c] += p[c]
				}
				in++
			}
			if in == 0 {
				continue
			}
			// Partly covered edge pixels blend with the table.
			a := float64(in) / float64(len(offs))
			for c := 0; c < 3; c++ {
				old := float64(row[4*x+c])
				row[4*x+c] = imgproc.ClampByte(old*(1-a) + acc[c]/float64(in)*a)
			}
		}
	}
}

func bilinear(img *image.RGBA, x, y float64) [3]float64 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	x = math.Max(0, math.Min(x, float64(w-1)))
	y = math.Max(0, math.Min(y, float64(h-1)))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	fx, fy := x-float64(x0), y-float64(y0)
	var out [3]float64
	for c := 0; c < 3; c++ {
		p00 := float64(img.Pix[y0*img.Stride+4*x0+c])
		p10 := float64(img.Pix[y0*img.Stride+4*x1+c])
		p01 := float64(img.Pix[y1*img.Stride+4*x0+c])
		p11 := float64(img.Pix[y1*img.Stride+4*x1+c])
		out[c] = (p00*(1-fx)+p10*fx)*(1-fy) + (p01*(1-fx)+p11*fx)*fy
	}
	return out
}

func shade(img *image.RGBA, depth float64, rng *rand.Rand) {
	a := 2 * math.Pi * rng.Float64()
	dx, dy := math.Cos(a), math.Sin(a)
	w, h := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	for y := 0; y < img.Rect.Dy(); y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < img.Rect.Dx(); x++ {
			t := 0.5 + ((float64(x)/w-0.5)*dx + (float64(y)/h-0.5)*dy)
			f := 1 - depth*math.Max(0, math.Min(1, t))
			for c := 0; c < 3; c++ {
				row[4*x+c] = imgproc.ClampByte(float64(row[4*x+c]) * f)
			}
		}
	}
}

func glare(img *image.RGBA, cx, cy, radius, strength float64) {
	r := image.Rect(int(cx-3*radius), int(cy-3*radius), int(cx+3*radius), int(cy+3*radius)).Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[y*img.Stride:]
		for x := r.Min.X; x < r.Max.X; x++ {
			d2 := ((float64(x)-cx)*(float64(x)-cx) + (float64(y)-cy)*(float64(y)-cy)) / (radius * radius)
			g := strength * math.Exp(-d2)
			for c := 0; c < 3; c++ {
				v := float64(row[4*x+c])
				row[4*x+c] = imgproc.ClampByte(v + (255-v)*g)
			}
		}
	}
}

func noise(img *image.RGBA, sigma float64, rng *rand.Rand) {
	for i := range img.Pix {
		if i%4 == 3 {
			continue
		}
		img.Pix[i] = imgproc.ClampByte(float64(img.Pix[i]) + rng.NormFloat64()*sigma)
	}
}

// jpegRoundTrip re-saves img as JPEG at quality q; a quality outside 1–100
// leaves it as it is.
func jpegRoundTrip(img *image.RGBA, q int) *image.RGBA {
	out, err := imageio.RecompressJPEG(img, q)
	if err != nil {
		return img
	}
	return out
}
