package specimen

import (
	"image"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
)

// Screen describes a photo of a picture shown on an LCD screen: a replay
// attack on a liveness check.
type Screen struct {
	// Width and Height are the photo's size; zero means 640x480.
	Width, Height int
	// Pitch is the number of screen pixels per camera pixel; zero means
	// 1.3. Near 1 the screen's pixel grid beats against the sensor's and
	// shows as moiré.
	Pitch float64
	// Angle turns the screen in the photo, in degrees.
	Angle float64
	// Margin is the share of the photo's width and height on each side
	// that the screen leaves to a dark bezel and a grey wall; 0 fills the
	// photo with the screen.
	Margin float64
}

// PhotographScreen shows src on an LCD and photographs it: every screen
// pixel is three vertical R, G, B stripes with a dark gap between rows, the
// screen is seen at s.Pitch screen pixels per camera pixel, turned by
// s.Angle, and each camera pixel integrates a 4x4 grid of samples; the
// photo is then slightly blurred, given sensor noise and JPEG compression
// (quality 85). The noise comes from seed.
func PhotographScreen(src image.Image, s Screen, seed uint64) *image.RGBA {
	w, h, pitch := s.Width, s.Height, s.Pitch
	if w <= 0 || h <= 0 {
		w, h = 640, 480
	}
	if pitch <= 0 {
		pitch = 1.3
	}
	// Screen pixels: src resampled to the screen's resolution.
	sw := int(float64(w) * pitch * (1 - 2*s.Margin))
	sh := int(float64(h) * pitch * (1 - 2*s.Margin))
	scr := imgproc.Resize(imageio.ToRGBA(src), sw, sh)
	inv := imgproc.RotateScaleAbout(sw, sh, w, h, pitch, s.Angle)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	const ss = 4
	bezel := 0.04 * float64(sw)
	for y := range h {
		for x := range w {
			var acc [3]float64
			for j := range ss {
				for i := range ss {
					u, v := inv.Apply(float64(x)+(float64(i)+0.5)/ss-0.5, float64(y)+(float64(j)+0.5)/ss-0.5)
					switch {
					case u >= 0 && v >= 0 && u < float64(sw) && v < float64(sh):
						px, py := int(u), int(v)
						fu, fv := u-float64(px), v-float64(py)
						if fv > 0.8 {
							continue // the black matrix between rows
						}
						sub := min(int(fu*3), 2)
						p := scr.Pix[py*scr.Stride+px*4+sub]
						acc[sub] += 2.6 * float64(p) // the camera exposes for the dimmer stripes
					case u >= -bezel && v >= -bezel && u < float64(sw)+bezel && v < float64(sh)+bezel:
						acc[0], acc[1], acc[2] = acc[0]+12, acc[1]+12, acc[2]+14
					default:
						acc[0], acc[1], acc[2] = acc[0]+150, acc[1]+146, acc[2]+138
					}
				}
			}
			o := y*out.Stride + x*4
			for c := range 3 {
				out.Pix[o+c] = imgproc.ClampByte(acc[c] / ss / ss)
			}
			out.Pix[o+3] = 255
		}
	}
	out = imgproc.GaussianBlur(out, out.Rect, 0.5)
	noise(out, 2.5, newRand(seed))
	return jpegRoundTrip(out, 85)
}
