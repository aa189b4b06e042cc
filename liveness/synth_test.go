package liveness

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
	"github.com/idkit-dev/idkit/internal/specimen"
)

// This file makes test material from the public-domain fixture photos:
// camera-like live frames (the framing, softness, noise and JPEG of a
// webcam) and re-captures of them (shown on a screen, printed, glared,
// re-photographed). None of it is real camera data; what each simulation
// can and cannot stand for is said beside it.

// cameraSpec describes one simulated webcam frame.
type cameraSpec struct {
	W, H    int     // frame size
	Face    float64 // face box height / frame height
	Quality int     // JPEG quality
	Noise   float64 // sensor noise, standard deviation in 0..255 units
	Blur    float64 // optics softness: Gaussian sigma in frame pixels
}

// cameraSpecs are the webcam-like variants made of each fixture: VGA and
// 720p, a face at arm's length (0.40 of the height) and further away
// (0.28), JPEG quality 70–90 and mild noise.
var cameraSpecs = []cameraSpec{
	{640, 480, 0.40, 80, 2, 0.6},
	{640, 480, 0.28, 70, 3, 0.8},
	{1280, 720, 0.40, 90, 2, 0.8},
	{1280, 720, 0.28, 75, 4, 1.0},
}

// frameAround crops a w:h window around the face so the face is frac of
// the window height (less when the photo is too small to frame that
// loosely), and resamples it to w x h.
func frameAround(img *image.RGBA, f face.Face, w, h int, frac float64) *image.RGBA {
	iw, ih := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	ch := f.Box.H() / frac
	cw := ch * float64(w) / float64(h)
	if s := math.Min(iw/cw, ih/ch); s < 1 {
		cw, ch = cw*s, ch*s
	}
	c := f.Box.Center()
	x1 := math.Max(0, math.Min(c.X-cw/2, iw-cw))
	y1 := math.Max(0, math.Min(c.Y-ch*0.45, ih-ch))
	r := imgproc.Rect{X1: x1, Y1: y1, X2: x1 + cw, Y2: y1 + ch}
	if cw > 2*float64(w) {
		// Shrink by area, as a camera sensor integrates light.
		s := int(math.Round(cw))
		return imgproc.Resize(imgproc.Crop(img, r, s, int(math.Round(ch))), w, h)
	}
	return imgproc.Crop(img, r, w, h)
}

// addNoise adds Gaussian noise of standard deviation sd to every channel.
func addNoise(img *image.RGBA, sd float64, rng *rand.Rand) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	copy(out.Pix, img.Pix)
	for i := 0; i < len(out.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			out.Pix[i+c] = imgproc.ClampByte(float64(out.Pix[i+c]) + rng.NormFloat64()*sd)
		}
	}
	return out
}

// jpegRoundTrip encodes img as JPEG at quality q and decodes it again.
func jpegRoundTrip(t testing.TB, img image.Image, q int) *image.RGBA {
	t.Helper()
	out, err := imageio.RecompressJPEG(img, q)
	require.NoError(t, err)
	return out
}

// cameraFrame renders the fixture face as a webcam would deliver it.
func cameraFrame(t testing.TB, img *image.RGBA, f face.Face, s cameraSpec, rng *rand.Rand) *image.RGBA {
	fr := frameAround(img, f, s.W, s.H, s.Face)
	fr = imgproc.GaussianBlur(fr, fr.Rect, s.Blur)
	fr = addNoise(fr, s.Noise, rng)
	return jpegRoundTrip(t, fr, s.Quality)
}

// The re-captures below stand for attacks: the camera-like frame of a
// fixture shown to the camera again. They are simulations of the physics
// that the cues look for (a screen's subpixel grid sampled by a sensor, a
// printer's halftone dots, a glossy reflection, the loss of detail and
// colour of re-imaging); they are not real attack captures, and a detector
// tuned only on them would learn the simulation. They serve as tests that a
// known artefact moves the score the right way.

// screenRecapture photographs src shown on an LCD (specimen.PhotographScreen).
// With margin > 0 the screen fills only the middle of the frame and a dark
// bezel and a grey wall surround it.
func screenRecapture(src *image.RGBA, w, h int, pitch, deg, margin float64, rng *rand.Rand) *image.RGBA {
	return specimen.PhotographScreen(src, specimen.Screen{Width: w, Height: h, Pitch: pitch, Angle: deg, Margin: margin}, rng.Uint64())
}

// printRecapture photographs src printed on paper: each CMY ink is screened
// into dots on its own rotated grid of cell pixels (a printer's halftone),
// inks cover paper white, and the sheet is photographed turned by deg at
// pitch print pixels per camera pixel, under light that falls off across
// the sheet. With margin > 0 the sheet fills only the middle of the frame on
// a grey wall. halftone false prints continuous tone (a photo print).
func printRecapture(t testing.TB, src *image.RGBA, w, h int, pitch, deg, margin float64, halftone bool, rng *rand.Rand) *image.RGBA {
	pw := int(float64(w) * pitch * (1 - 2*margin))
	ph := int(float64(h) * pitch * (1 - 2*margin))
	pr := imgproc.Resize(src, pw, ph)
	const cell = 5.0
	angles := [3]float64{15, 75, 0}
	paper := [3]float64{242, 240, 230}
	sheet := image.NewRGBA(pr.Rect)
	for y := 0; y < ph; y++ {
		for x := 0; x < pw; x++ {
			i := y*pr.Stride + x*4
			for c := 0; c < 3; c++ {
				// Inks compress the gamut: 85% of the colour difference survives.
				v := float64(pr.Pix[i+c])
				g := 0.299*float64(pr.Pix[i]) + 0.587*float64(pr.Pix[i+1]) + 0.114*float64(pr.Pix[i+2])
				v = g + 0.85*(v-g)
				ink := 1 - v/255
				cover := ink
				if halftone {
					a := angles[c] * math.Pi / 180
					u := float64(x)*math.Cos(a) + float64(y)*math.Sin(a)
					vv := -float64(x)*math.Sin(a) + float64(y)*math.Cos(a)
					du := u/cell - math.Floor(u/cell) - 0.5
					dv := vv/cell - math.Floor(vv/cell) - 0.5
					// A round dot whose area is the ink coverage.
					if math.Hypot(du, dv) < math.Sqrt(ink/math.Pi) {
						cover = 1
					} else {
						cover = 0
					}
				}
				sheet.Pix[i+c] = imgproc.ClampByte(paper[c] * (1 - 0.92*cover))
			}
			sheet.Pix[i+3] = 255
		}
	}
	inv := imgproc.RotateScaleAbout(pw, ph, w, h, pitch, deg)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			u, v := inv.Apply(float64(x), float64(y))
			o := y*out.Stride + x*4
			light := 0.8 + 0.2*float64(x)/float64(w)
			if u >= 0 && v >= 0 && u < float64(pw) && v < float64(ph) {
				r, g, b := imgproc.Bilinear(sheet, u, v)
				out.Pix[o], out.Pix[o+1], out.Pix[o+2] = imgproc.ClampByte(float64(r)*light), imgproc.ClampByte(float64(g)*light), imgproc.ClampByte(float64(b)*light)
			} else {
				out.Pix[o], out.Pix[o+1], out.Pix[o+2] = imgproc.ClampByte(120*light), imgproc.ClampByte(118*light), imgproc.ClampByte(112*light)
			}
			out.Pix[o+3] = 255
		}
	}
	out = imgproc.GaussianBlur(out, out.Rect, 0.7)
	out = addNoise(out, 3, rng)
	return jpegRoundTrip(t, out, 80)
}

// addGlare adds a soft specular highlight (a Gaussian blob saturating to
// white) centred at (cx, cy) with radius r.
func addGlare(img *image.RGBA, cx, cy, r float64) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	copy(out.Pix, img.Pix)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d2 := ((float64(x)-cx)*(float64(x)-cx) + 2.5*(float64(y)-cy)*(float64(y)-cy)) / (r * r)
			add := 320 * math.Exp(-d2)
			if add < 1 {
				continue
			}
			o := y*out.Stride + x*4
			for c := 0; c < 3; c++ {
				out.Pix[o+c] = imgproc.ClampByte(float64(out.Pix[o+c]) + add)
			}
		}
	}
	return out
}

// rephotograph re-images src without resolving any print structure: a
// softer, lower-contrast, less saturated, twice-compressed copy, slightly
// turned, as a photo of a photo taken at low resolution looks.
func rephotograph(t testing.TB, src *image.RGBA, rng *rand.Rand) *image.RGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	small := imgproc.Resize(src, w/2, h/2)
	small = jpegRoundTrip(t, small, 60)
	inv := imgproc.RotateScaleAbout(w/2, h/2, w, h, 0.5*1.05, 4)
	out := imgproc.Warp(small, inv, w, h)
	for i := 0; i < len(out.Pix); i += 4 {
		g := 0.299*float64(out.Pix[i]) + 0.587*float64(out.Pix[i+1]) + 0.114*float64(out.Pix[i+2])
		for c := 0; c < 3; c++ {
			v := g + 0.7*(float64(out.Pix[i+c])-g)
			out.Pix[i+c] = imgproc.ClampByte(40 + 0.75*v)
		}
	}
	out = imgproc.GaussianBlur(out, out.Rect, 1.0)
	out = addNoise(out, 3, rng)
	return jpegRoundTrip(t, out, 75)
}

// dullWebcam is the camera-like frame as a cheap webcam in indoor light
// renders it: flatter contrast, less saturation, a warm cast. It is live
// material, used to check that colour cues do not reject real people who
// are simply badly lit.
func dullWebcam(img *image.RGBA) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	for i := 0; i < len(img.Pix); i += 4 {
		g := 0.299*float64(img.Pix[i]) + 0.587*float64(img.Pix[i+1]) + 0.114*float64(img.Pix[i+2])
		cast := [3]float64{1.06, 1.0, 0.88}
		for c := 0; c < 3; c++ {
			v := g + 0.6*(float64(img.Pix[i+c])-g)
			out.Pix[i+c] = imgproc.ClampByte((25 + 0.8*v) * cast[c])
		}
		out.Pix[i+3] = 255
	}
	return out
}
