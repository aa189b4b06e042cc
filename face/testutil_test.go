package face_test

import (
	"image"
	"image/color"
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/modeltest"
	"github.com/idkit-dev/idkit/models"
)

// The pure code (alignment, quality) is checked on faces the ONNX analyzer
// finds in the fixture photos: one analyzer with pose and eyes, shared.
var sharedAnalyzer = sync.OnceValues(func() (*faceonnx.Analyzer, error) {
	return faceonnx.New(faceonnx.Config{Models: models.Open(modeltest.Dir()), Pose: true, Eyes: true})
})

func newAnalyzer(t testing.TB) *faceonnx.Analyzer {
	t.Helper()
	modeltest.Cache(t, "fr_detect", "fr_landmark", "fr_pose", "fr_eye") // skips without them
	a, err := sharedAnalyzer()
	require.NoError(t, err)
	return a
}

func load(t testing.TB, name string) *image.RGBA { return modeltest.LoadFace(t, name) }

// scaleLight multiplies every channel by k (a darker or brighter copy).
func scaleLight(img *image.RGBA, k float64) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	for i := range img.Pix {
		if i%4 == 3 {
			out.Pix[i] = 255
			continue
		}
		v := float64(img.Pix[i]) * k
		if v > 255 {
			v = 255
		}
		out.Pix[i] = uint8(v)
	}
	return out
}

// boxBlur blurs with a square kernel of radius r, applied three times
// (close to a Gaussian).
func boxBlur(img *image.RGBA, r int) *image.RGBA {
	cur := img
	for pass := 0; pass < 3; pass++ {
		cur = blur1(blur1(cur, r, true), r, false)
	}
	return cur
}

func blur1(img *image.RGBA, r int, horizontal bool) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(img.Rect)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s [3]int
			n := 0
			for k := -r; k <= r; k++ {
				xx, yy := x, y
				if horizontal {
					xx += k
				} else {
					yy += k
				}
				if xx < 0 || yy < 0 || xx >= w || yy >= h {
					continue
				}
				i := yy*img.Stride + xx*4
				s[0] += int(img.Pix[i])
				s[1] += int(img.Pix[i+1])
				s[2] += int(img.Pix[i+2])
				n++
			}
			o := y*out.Stride + x*4
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = uint8(s[0]/n), uint8(s[1]/n), uint8(s[2]/n), 255
		}
	}
	return out
}

// subImage copies a rectangle into a new image at the origin.
func subImage(img *image.RGBA, r image.Rectangle) *image.RGBA {
	return imageio.ToRGBA(img.SubImage(r))
}

// solid is a uniform image.
var colorGray = color.RGBA{128, 128, 128, 255}

func solid(w, h int, c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 255
	}
	return img
}

// rotated turns img by deg degrees (clockwise in the image) about its
// centre onto a canvas of the same size, gray outside.
func rotated(img *image.RGBA, deg float64) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := solid(w, h, colorGray)
	s, c := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			sx, sy := int(math.Floor(c*dx+s*dy+cx)), int(math.Floor(-s*dx+c*dy+cy))
			if sx >= 0 && sy >= 0 && sx < w && sy < h {
				out.SetRGBA(x, y, img.RGBAAt(img.Rect.Min.X+sx, img.Rect.Min.Y+sy))
			}
		}
	}
	return out
}
