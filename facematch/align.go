package facematch

import (
	"image"
	"math"

	"github.com/idkit-dev/idkit/face"
)

// alignFace aligns f to the 112x112 template. face.Align samples the source
// bilinearly, which aliases when a large face is shrunk several times (a
// 600-pixel face in a phone selfie becomes 112 pixels): skin texture and
// JPEG noise fold into the eyes and mouth the network looks at. So a face
// whose eyes are at least three times the template's distance apart is
// first box-averaged by an integer factor over a crop around it.
func alignFace(img *image.RGBA, f face.Face) (*image.RGBA, error) {
	if len(f.Points5) != 5 {
		return nil, face.ErrNoLandmarks
	}
	tmpl := face.Template[1].X - face.Template[0].X
	img, f = shrinkFace(img, f, tmpl)
	return face.Align(img, f, face.AlignSize)
}

// shrinkFace box-averages a crop around f by an integer factor when the
// face's eyes are more than three times (1.5 × 2) the distance apart that
// the target crop puts them (targetEyes pixels), and returns the crop with
// f's points in its coordinates; otherwise img and f as they are.
func shrinkFace(img *image.RGBA, f face.Face, targetEyes float64) (*image.RGBA, face.Face) {
	eyes := math.Hypot(f.Points5[1].X-f.Points5[0].X, f.Points5[1].Y-f.Points5[0].Y)
	k := int(eyes / targetEyes / 1.5)
	if k < 2 {
		return img, f
	}
	// Crop generously: the template's corners lie about 1.6 eye distances
	// from the eye centre.
	c := f.Box.Center()
	half := 2.5 * eyes
	r := image.Rect(int(c.X-half), int(c.Y-half), int(c.X+half), int(c.Y+half)).Intersect(img.Rect)
	small := boxShrink(img, r, k)
	moved := func(ps []face.Point) []face.Point {
		out := make([]face.Point, len(ps))
		for i, p := range ps {
			out[i] = face.Point{X: (p.X-float64(r.Min.X)+0.5)/float64(k) - 0.5, Y: (p.Y-float64(r.Min.Y)+0.5)/float64(k) - 0.5}
		}
		return out
	}
	g := f
	g.Points5 = moved(f.Points5)
	g.Landmarks = moved(f.Landmarks)
	return small, g
}

// boxShrink averages k x k blocks of img over r into a new image.
func boxShrink(img *image.RGBA, r image.Rectangle, k int) *image.RGBA {
	w, h := r.Dx()/k, r.Dy()/k
	out := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	n := k * k
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s [3]int
			for dy := 0; dy < k; dy++ {
				row := (r.Min.Y+y*k+dy)*img.Stride + (r.Min.X+x*k)*4
				for dx := 0; dx < k; dx++ {
					i := row + dx*4
					s[0] += int(img.Pix[i])
					s[1] += int(img.Pix[i+1])
					s[2] += int(img.Pix[i+2])
				}
			}
			o := y*out.Stride + x*4
			out.Pix[o] = uint8((s[0] + n/2) / n)
			out.Pix[o+1] = uint8((s[1] + n/2) / n)
			out.Pix[o+2] = uint8((s[2] + n/2) / n)
			out.Pix[o+3] = 255
		}
	}
	return out
}
