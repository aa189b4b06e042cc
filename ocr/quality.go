package ocr

import (
	"image"
	"math"

	"github.com/idkit-dev/idkit/internal/imgproc"
)

// sharpnessK sets the sharpness scale: Quality.Sharpness = v/(v+K) for the
// variance v of the Laplacian of the document scaled to 1000 pixels wide.
// Calibrated on rendered specimens (internal/specimen, TD1–TD3 at 300 dpi
// photographed at 1600x1200): a sharp photo gives v ≈ 900–1500, a Gaussian
// blur of σ = 1.5 px about 120, σ = 3 px about 25; K = 120 puts σ = 1.5 at
// 0.5, where MRZ reading starts to fail.
const sharpnessK = 120

// glareLevel is the value every channel must reach for a pixel to count
// as blown-out highlight.
const glareLevel = 250

// Assess measures the sharpness and glare of a document image (the
// rectified document, so the table around it does not count).
func Assess(img *image.RGBA) Quality {
	if img == nil || img.Rect.Dx() < 8 || img.Rect.Dy() < 8 {
		return Quality{}
	}
	// Sharpness at a fixed scale, so it does not depend on resolution.
	// (No taller than 4000: a strip would otherwise cost memory with the
	// square of its elongation.)
	s := min(1000/float64(img.Rect.Dx()), 4000/float64(img.Rect.Dy()))
	w := max(1, int(math.Round(float64(img.Rect.Dx())*s)))
	h := int(math.Round(float64(img.Rect.Dy()) * s))
	small := img
	if (img.Rect.Dx() != w || img.Rect.Dy() != h) && h > 2 {
		small = imgproc.Resize(img, w, h)
	}
	lum, lw, lh := imgproc.Luma(small, small.Rect)
	var sum, sum2 float64
	n := 0
	for y := 1; y < lh-1; y++ {
		for x := 1; x < lw-1; x++ {
			i := y*lw + x
			v := lum[i-1] + lum[i+1] + lum[i-lw] + lum[i+lw] - 4*lum[i]
			sum += v
			sum2 += v * v
			n++
		}
	}
	q := Quality{}
	if n > 0 {
		mean := sum / float64(n)
		v := sum2/float64(n) - mean*mean
		q.Sharpness = round3(v / (v + sharpnessK))
	}
	blown, total := 0, 0
	b := img.Rect
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		row := img.Pix[img.PixOffset(b.Min.X, y):]
		for x := 0; x < b.Dx(); x += 2 {
			p := row[4*x : 4*x+3 : 4*x+3]
			if p[0] >= glareLevel && p[1] >= glareLevel && p[2] >= glareLevel {
				blown++
			}
			total++
		}
	}
	if total > 0 {
		q.Glare = round3(float64(blown) / float64(total))
	}
	return q
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
