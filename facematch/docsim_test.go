package facematch

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
)

// docSim describes a simulated photo of an identity document: the portrait
// of a face, printed, laminated, and photographed with a phone.
type docSim struct {
	FaceSide  int     // face box height on the card, pixels (100–150 on a card photographed whole)
	Quality   int     // JPEG quality of the final photo
	Period    float64 // halftone screen period in portrait pixels (0: continuous tone)
	Glare     float64 // peak strength of the glare spot, 0–1
	Guilloche float64 // opacity of the security line pattern over the portrait, 0–1
	Noise     float64 // sensor noise, standard deviation in 8-bit levels
}

// defaultDocSim is a mid-quality capture: a 120-pixel face, a visible
// print screen, a strong glare spot and JPEG at 70.
var defaultDocSim = docSim{FaceSide: 120, Quality: 70, Period: 1.6, Glare: 0.45, Guilloche: 0.18, Noise: 3}

// hardDocSim is a poor capture: a 100-pixel face, a coarser screen, more
// glare and noise, JPEG at 50.
var hardDocSim = docSim{FaceSide: 100, Quality: 50, Period: 2.2, Glare: 0.6, Guilloche: 0.25, Noise: 5}

// simulateDocument renders src's face (box) as the portrait of an ID card
// and returns the "photo" of the whole card.
func simulateDocument(src *image.RGBA, box face.Box, s docSim, rng *rand.Rand) *image.RGBA {
	// An ID-photo composition: the face box about 55% of the portrait's
	// height, the portrait 35x45.
	ph := box.H() / 0.55
	pw := ph * 35 / 45
	c := box.Center()
	r := imgproc.Rect{X1: c.X - pw/2, Y1: c.Y - 0.5*ph, X2: c.X + pw/2, Y2: c.Y + 0.5*ph}
	outH := int(math.Round(float64(s.FaceSide) / 0.55))
	outW := outH * 35 / 45
	// Shrink by area first when the source is much larger, like a printer
	// driver would.
	scale := float64(outH) / ph
	small := src
	if scale < 0.5 {
		k := math.Floor(0.5 / scale)
		small = imgproc.Resize(src, int(float64(src.Rect.Dx())/k), int(float64(src.Rect.Dy())/k))
		f := float64(small.Rect.Dx()) / float64(src.Rect.Dx())
		r = imgproc.Rect{X1: r.X1 * f, Y1: r.Y1 * f, X2: r.X2 * f, Y2: r.Y2 * f}
	}
	portrait := imgproc.Crop(small, r, outW, outH)
	if s.Period > 0 {
		portrait = halftone(portrait, s.Period)
	}
	if s.Guilloche > 0 {
		guilloche(portrait, s.Guilloche, rng)
	}
	// The card: a pale printed background, the portrait on the left,
	// lines of "text" on the right.
	cw := outW * 3
	ch := cw * 54 / 86
	card := image.NewRGBA(image.Rect(0, 0, cw, ch))
	draw.Draw(card, card.Rect, image.NewUniform(color.RGBA{222, 230, 238, 255}), image.Point{}, draw.Src)
	guilloche(card, 0.12, rng)
	px, py := cw/16, (ch-outH)/2
	draw.Draw(card, portrait.Rect.Add(image.Pt(px, py)), portrait, image.Point{}, draw.Src)
	for i := 0; i < 6; i++ {
		y := py + i*outH/7 + 4
		x := px + outW + cw/20
		w := int(float64(cw-x-cw/16) * (0.4 + 0.5*rng.Float64()))
		draw.Draw(card, image.Rect(x, y, x+w, y+outH/18+2), image.NewUniform(color.RGBA{40, 40, 60, 255}), image.Point{}, draw.Src)
	}
	// Laminate glare: a bright soft spot near the portrait's upper half.
	if s.Glare > 0 {
		gx := float64(px) + float64(outW)*(0.3+0.5*rng.Float64())
		gy := float64(py) + float64(outH)*(0.2+0.4*rng.Float64())
		rad := float64(outH) * 0.45
		for y := 0; y < ch; y++ {
			for x := 0; x < cw; x++ {
				d2 := ((float64(x)-gx)*(float64(x)-gx) + (float64(y)-gy)*(float64(y)-gy)) / (2 * rad * rad)
				g := s.Glare * math.Exp(-d2)
				i := y*card.Stride + x*4
				for k := 0; k < 3; k++ {
					v := float64(card.Pix[i+k])
					card.Pix[i+k] = uint8(v + g*(255-v))
				}
			}
		}
	}
	// The phone: slight defocus, sensor noise, JPEG.
	card = imgproc.GaussianBlur(card, card.Rect, 0.5)
	if s.Noise > 0 {
		for i := range card.Pix {
			if i%4 == 3 {
				continue
			}
			v := float64(card.Pix[i]) + rng.NormFloat64()*s.Noise
			card.Pix[i] = uint8(math.Max(0, math.Min(255, v)))
		}
	}
	out, err := imageio.RecompressJPEG(card, s.Quality)
	if err != nil {
		panic(err) // encoding to memory cannot fail
	}
	return out
}

// halftone prints img through a CMY dot screen of the given period
// (pixels), at 4x resolution, and scans it back at 1x: what is left is the
// moiré and grain a printed portrait shows at this size.
func halftone(img *image.RGBA, period float64) *image.RGBA {
	const up = 4
	w, h := img.Rect.Dx(), img.Rect.Dy()
	big := imgproc.Resize(img, w*up, h*up)
	p := period * up
	angles := [3]float64{15, 75, 0} // C, M, Y screen angles, degrees
	for y := 0; y < h*up; y++ {
		for x := 0; x < w*up; x++ {
			i := y*big.Stride + x*4
			for k := 0; k < 3; k++ {
				a := angles[k] * math.Pi / 180
				u := float64(x)*math.Cos(a) + float64(y)*math.Sin(a)
				v := -float64(x)*math.Sin(a) + float64(y)*math.Cos(a)
				// Spot function: 0 at dot centres, 1 between dots.
				t := 0.5 - 0.25*(math.Cos(2*math.Pi*u/p)+math.Cos(2*math.Pi*v/p))
				ink := 1 - float64(big.Pix[i+k])/255
				if ink > t {
					big.Pix[i+k] = 0
				} else {
					big.Pix[i+k] = 255
				}
			}
		}
	}
	return imgproc.Resize(big, w, h)
}

// guilloche overlays a fine wavy line pattern (the security print under
// and over a laminated portrait) with the given opacity.
func guilloche(img *image.RGBA, alpha float64, rng *rand.Rand) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	lam := 6 + 4*rng.Float64()
	amp := 0.5 + rng.Float64()
	ph := rng.Float64() * 2 * math.Pi
	ink := [3]float64{190, 90, 140}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := math.Sin(2 * math.Pi * (float64(x)/lam + amp*math.Sin(2*math.Pi*float64(y)/(7*lam)+ph)))
			cov := alpha * math.Max(0, s*s*s*s*s*s-0.2) / 0.8
			i := y*img.Stride + x*4
			for k := 0; k < 3; k++ {
				v := float64(img.Pix[i+k])
				img.Pix[i+k] = uint8(v*(1-cov) + ink[k]*cov)
			}
		}
	}
}
