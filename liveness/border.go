package liveness

import (
	"image"
	"math"

	"github.com/idkit-dev/idkit/face"
)

// Border detection: a sheet of paper, a phone or a monitor held up to the
// camera leaves straight edges around the face that a head in a room rarely
// has so close on several sides. The face's 2.7x surroundings are resampled
// to borderSide pixels, edge pixels vote in a Hough accumulator restricted
// to their own gradient direction, and a side counts when a long,
// near-axis line lies on it without crossing the face.
type borderParams struct {
	side     int     // pixels of the resampled surroundings
	thetaBin float64 // degrees per accumulator bin
	edgeMin  float64 // Sobel magnitude of an edge pixel, 0..1020 scale
	minLen   float64 // a side's line is at least this many face sides long
	axisTol  float64 // degrees a line may lean from vertical or horizontal
	clear    float64 // the line stays this many face sides from the face centre
}

// defaultBorder are the parameters Diagnostics uses; other settings tried
// (edge threshold 25–60, length 0.6–1.0 face sides, tilt 20–30°) separated
// no better on the development set (ROC AUC 0.57–0.60, attacks higher).
func defaultBorder() borderParams {
	return borderParams{side: 160, thetaBin: 3, edgeMin: 60, minLen: 0.6, axisTol: 30, clear: 0.6}
}

// border returns how many sides of the face have a long straight edge and
// their total length in face sides.
func border(img *image.RGBA, b face.Box, bp borderParams) (sides int, support float64) {
	if b.W() < 24 || b.H() < 24 {
		return 0, math.NaN()
	}
	cb := b.Scale(netCrop, img.Rect.Dx(), img.Rect.Dy())
	s := bp.side
	l := grayArea(img, cb, s)
	sx, sy := float64(s)/cb.W(), float64(s)/cb.H()
	fx, fy := (b.Center().X-cb.X1)*sx, (b.Center().Y-cb.Y1)*sy
	fs := 0.5 * (b.W()*sx + b.H()*sy)

	nTheta := int(180 / bp.thetaBin)
	maxRho := int(math.Ceil(float64(s) * math.Sqrt2))
	nRho := 2*maxRho + 1
	acc := make([]int32, nTheta*nRho)
	cos := make([]float64, nTheta)
	sin := make([]float64, nTheta)
	for t := range cos {
		a := (float64(t) + 0.5) * bp.thetaBin * math.Pi / 180
		cos[t], sin[t] = math.Cos(a), math.Sin(a)
	}
	for y := 1; y < s-1; y++ {
		for x := 1; x < s-1; x++ {
			i := y*s + x
			gx := (l[i-s+1] + 2*l[i+1] + l[i+s+1]) - (l[i-s-1] + 2*l[i-1] + l[i+s-1])
			gy := (l[i+s-1] + 2*l[i+s] + l[i+s+1]) - (l[i-s-1] + 2*l[i-s] + l[i-s+1])
			if math.Hypot(gx, gy) < bp.edgeMin {
				continue
			}
			ang := math.Atan2(gy, gx) * 180 / math.Pi
			if ang < 0 {
				ang += 180
			}
			tc := int(ang / bp.thetaBin)
			for dt := -1; dt <= 1; dt++ {
				t := (tc + dt + nTheta) % nTheta
				rho := int(math.Round(float64(x)*cos[t]+float64(y)*sin[t])) + maxRho
				acc[t*nRho+rho]++
			}
		}
	}
	var best [4]float64 // left, right, top, bottom
	minVotes := int32(bp.minLen * fs)
	for t := 0; t < nTheta; t++ {
		deg := (float64(t) + 0.5) * bp.thetaBin
		vertical := deg < bp.axisTol || deg > 180-bp.axisTol
		horizontal := math.Abs(deg-90) < bp.axisTol
		if !vertical && !horizontal {
			continue
		}
		for ri := 0; ri < nRho; ri++ {
			v := acc[t*nRho+ri]
			if v < minVotes {
				continue
			}
			rho := float64(ri - maxRho)
			d := fx*cos[t] + fy*sin[t] - rho
			if math.Abs(d) < bp.clear*fs {
				continue
			}
			var side int
			if vertical {
				xl := (rho - fy*sin[t]) / cos[t]
				side = 0
				if xl > fx {
					side = 1
				}
			} else {
				yl := (rho - fx*cos[t]) / sin[t]
				side = 2
				if yl > fy {
					side = 3
				}
			}
			best[side] = math.Max(best[side], float64(v)/fs)
		}
	}
	for _, v := range best {
		if v > 0 {
			sides++
			support += v
		}
	}
	return sides, support
}
