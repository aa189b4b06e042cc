package liveness

import (
	"context"
	"image"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/internal/imgproc"
)

// Synthesized frames for active checks, and their limits. Painting skin
// over the eyes stands for a blink (the eye model reads 0.00–0.02 open on
// most fixtures). A cylindrical warp fakes a head turn: on Grace Hopper the
// pose model reads yaw −21° and +34° for warps of +30° and −40°, but it
// does not respond consistently on every fixture, and a mirror image only
// reverses a turn already there (Obama 2010: −18° became +17°; the frontal
// fixtures stayed within ±15°). No warp made the pose model read a
// look up, so look_up is tested only on described frames
// (sequence_test.go). Smiles cannot be painted: smiling and non-smiling
// frames are two real photos of one man (Obama 2009 speaking, 2012
// smiling).

// closeEyes paints each eye of the face in img shut: the eye's ellipse is
// filled with the skin colour just below it and a dark lash line is drawn
// across it.
func closeEyes(t testing.TB, a *faceonnx.Analyzer, img *image.RGBA) *image.RGBA {
	t.Helper()
	faces, err := a.Detect(context.Background(), img)
	require.NoError(t, err)
	require.NotEmpty(t, faces)
	l := faces[0].Landmarks
	out := image.NewRGBA(img.Rect)
	copy(out.Pix, img.Pix)
	for _, eye := range [][2]int{{36, 41}, {42, 47}} {
		var cx, cy, top, bot float64
		top, bot = math.Inf(1), math.Inf(-1)
		for i := eye[0]; i <= eye[1]; i++ {
			cx += l[i].X / 6
			cy += l[i].Y / 6
			top, bot = math.Min(top, l[i].Y), math.Max(bot, l[i].Y)
		}
		ew := math.Abs(l[eye[0]+3].X - l[eye[0]].X)
		rx, ry := 0.75*ew, math.Max(0.45*ew, (bot-top)*1.2)
		// Skin: the mean colour of a patch below the eye.
		var skin [3]float64
		n := 0
		for y := int(cy + 0.9*ew); y < int(cy+1.2*ew); y++ {
			for x := int(cx - 0.3*ew); x < int(cx+0.3*ew); x++ {
				if !(image.Point{x, y}).In(img.Rect) {
					continue
				}
				o := img.PixOffset(x, y)
				for c := 0; c < 3; c++ {
					skin[c] += float64(img.Pix[o+c])
				}
				n++
			}
		}
		if n == 0 {
			continue
		}
		for c := range skin {
			skin[c] /= float64(n)
		}
		for y := int(cy - ry - 2); y <= int(cy+ry+2); y++ {
			for x := int(cx - rx - 2); x <= int(cx+rx+2); x++ {
				if !(image.Point{x, y}).In(img.Rect) {
					continue
				}
				d := math.Hypot((float64(x)-cx)/rx, (float64(y)-cy)/ry)
				wgt := math.Min(1, math.Max(0, (1.15-d)/0.3)) // feathered edge
				lash := math.Abs(float64(y)-(cy+0.15*ry)) < math.Max(1, 0.06*ew) && math.Abs(float64(x)-cx) < 0.9*rx
				o := out.PixOffset(x, y)
				for c := 0; c < 3; c++ {
					v := float64(out.Pix[o+c])*(1-wgt) + skin[c]*wgt
					if lash {
						v = 0.45 * skin[c]
					}
					out.Pix[o+c] = imgproc.ClampByte(v)
				}
			}
		}
	}
	return out
}

// turnHead fakes a head rotation by deg (positive to the image's right)
// around a vertical cylinder through the face, or a tilt up (up true,
// around a horizontal cylinder): each output pixel is taken from where it
// would have been before the rotation.
func turnHead(img *image.RGBA, f face.Face, deg float64, up bool) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	c := f.Box.Center()
	r := 0.65 * f.Box.W()
	th := deg * math.Pi / 180
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sx, sy := float64(x), float64(y)
			u, cu := float64(x)-c.X, c.X
			if up {
				u, cu = float64(y)-c.Y, c.Y
			}
			if math.Abs(u) < r {
				src := cu + r*math.Sin(math.Asin(u/r)-th)
				if up {
					sy = src
				} else {
					sx = src
				}
			}
			rr, gg, bb := imgproc.Bilinear(img, sx, sy)
			o := y*out.Stride + x*4
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = uint8(rr+0.5), uint8(gg+0.5), uint8(bb+0.5), 255
		}
	}
	return out
}
