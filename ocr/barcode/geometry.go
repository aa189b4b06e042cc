package barcode

import (
	"image"
	"image/color"
	"math"
)

// grayScaled converts img to 8-bit grey, shrunk by scale (≥ 1) with an
// area average so thin bars do not alias away.
func grayScaled(img image.Image, scale float64) *image.Gray {
	g := toGray(img)
	if scale <= 1 {
		return g
	}
	sw, sh := g.Rect.Dx(), g.Rect.Dy()
	w, h := max(1, int(float64(sw)/scale)), max(1, int(float64(sh)/scale))
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		y0, y1 := int(float64(y)*scale), min(sh, int(float64(y+1)*scale))
		y1 = max(y1, y0+1)
		for x := 0; x < w; x++ {
			x0, x1 := int(float64(x)*scale), min(sw, int(float64(x+1)*scale))
			x1 = max(x1, x0+1)
			sum, n := 0, 0
			for yy := y0; yy < y1; yy++ {
				row := g.Pix[yy*g.Stride:]
				for xx := x0; xx < x1; xx++ {
					sum += int(row[xx])
					n++
				}
			}
			out.Pix[y*out.Stride+x] = uint8(sum / n)
		}
	}
	return out
}

// toGray returns img as a compact *image.Gray at the origin, with fast paths
// for the types imageio and the image decoders return.
func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	switch src := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			copy(out.Pix[y*out.Stride:y*out.Stride+w], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			o := out.Pix[y*out.Stride:]
			for x := 0; x < w; x++ {
				p := row[4*x : 4*x+3 : 4*x+3]
				o[x] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2]) + 500) / 1000)
			}
		}
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			copy(out.Pix[y*out.Stride:y*out.Stride+w], src.Y[src.YOffset(b.Min.X, b.Min.Y+y):])
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.Pix[y*out.Stride+x] = color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
			}
		}
	}
	return out
}

// rotation maps points of a rotated image back to the image it was made
// from.
type rotation struct {
	deg          float64
	cos, sin     float64
	srcCX, srcCY float64
	dstCX, dstCY float64
}

// back maps a point of the rotated image to the source image.
func (r rotation) back(x, y float64) (float64, float64) {
	if r.deg == 0 {
		return x, y
	}
	dx, dy := x-r.dstCX, y-r.dstCY
	return r.srcCX + r.cos*dx - r.sin*dy, r.srcCY + r.sin*dx + r.cos*dy
}

// rotateGray rotates g by deg degrees about its centre onto a canvas large
// enough to hold it all, filling the corners white (a quiet zone, not a
// bar). The returned rotation maps its points back to g's (origin-based)
// coordinates.
func rotateGray(g *image.Gray, deg float64) (*image.Gray, rotation) {
	iw, ih := g.Rect.Dx(), g.Rect.Dy()
	sw, sh := float64(iw), float64(ih)
	rad := deg * math.Pi / 180
	c, s := math.Cos(rad), math.Sin(rad)
	w := int(math.Ceil(math.Abs(sw*c) + math.Abs(sh*s)))
	h := int(math.Ceil(math.Abs(sw*s) + math.Abs(sh*c)))
	rot := rotation{deg: deg, cos: c, sin: s, srcCX: sw / 2, srcCY: sh / 2, dstCX: float64(w) / 2, dstCY: float64(h) / 2}
	out := image.NewGray(image.Rect(0, 0, w, h))
	base := g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y)
	// Fixed point with 8 fractional bits, stepping along each output row.
	const one = 256
	for y := 0; y < h; y++ {
		o := out.Pix[y*out.Stride : y*out.Stride+w]
		sx0, sy0 := rot.back(0.5, float64(y)+0.5)
		fx := int64(math.Round((sx0 - 0.5) * one))
		fy := int64(math.Round((sy0 - 0.5) * one))
		dx, dy := int64(math.Round(c*one)), int64(math.Round(s*one))
		for x := range o {
			x0, y0 := int(fx>>8), int(fy>>8)
			if fx < 0 || fy < 0 || x0+1 >= iw || y0+1 >= ih {
				o[x] = 255
			} else {
				ax, ay := fx&(one-1), fy&(one-1)
				i := base + y0*g.Stride + x0
				p00, p10 := int64(g.Pix[i]), int64(g.Pix[i+1])
				p01, p11 := int64(g.Pix[i+g.Stride]), int64(g.Pix[i+g.Stride+1])
				top := p00*(one-ax) + p10*ax
				bot := p01*(one-ax) + p11*ax
				o[x] = uint8((top*(one-ay) + bot*ay + one*one/2) >> 16)
			}
			fx += dx
			fy += dy
		}
	}
	return out, rot
}

// estimateSkew returns the dominant edge angle of g in degrees, folded into
// [-45, 45): rotating g by the negative of it makes the strongest edges
// (a PDF417's bars and row boundaries) axis-aligned. It works on a
// gradient-orientation histogram weighted by gradient magnitude.
func estimateSkew(g *image.Gray) float64 {
	const binsPerDeg = 4
	const nbins = 90 * binsPerDeg
	var hist [nbins]float64
	w, h := g.Rect.Dx(), g.Rect.Dy()
	// A few hundred thousand samples settle the peak; sample sparser on
	// larger images.
	step := 1
	for w*h/(step*step) > 250_000 {
		step++
	}
	base := g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y)
	px := func(x, y int) int { return int(g.Pix[base+y*g.Stride+x]) }
	for y := 1; y < h-1; y += step {
		for x := 1; x < w-1; x += step {
			gx := px(x+1, y-1) + 2*px(x+1, y) + px(x+1, y+1) - px(x-1, y-1) - 2*px(x-1, y) - px(x-1, y+1)
			gy := px(x-1, y+1) + 2*px(x, y+1) + px(x+1, y+1) - px(x-1, y-1) - 2*px(x, y-1) - px(x+1, y-1)
			if gx*gx+gy*gy < 80*80 { // weak gradients are noise and paper texture
				continue
			}
			a := math.Atan2(float64(gy), float64(gx))*180/math.Pi + 45
			a -= 90 * math.Floor(a/90) // [0, 90) with 45 meaning 0°
			bin := int(a * binsPerDeg)
			if bin >= nbins {
				bin = nbins - 1
			}
			hist[bin] += float64(absInt(gx) + absInt(gy))
		}
	}
	best, bestV := 0, -1.0
	for i := range hist {
		v := 0.0
		for k := -binsPerDeg; k <= binsPerDeg; k++ { // triangular ±1° window, circular
			v += hist[(i+k+nbins)%nbins] * float64(binsPerDeg+1-absInt(k))
		}
		if v > bestV {
			best, bestV = i, v
		}
	}
	if bestV <= 0 {
		return 0
	}
	// The histogram measures the gradient angle, which turns opposite to the
	// rotation in image coordinates (y down).
	return 45 - float64(best)/binsPerDeg
}

// refineSkew estimates the skew of g, deskews it and adds the residual
// angle: gradient angles of thin bars lean towards the axes, so one estimate
// falls short by up to a seventh of the angle.
func refineSkew(g *image.Gray) float64 {
	est := estimateSkew(g)
	if est == 0 {
		return 0
	}
	rg, _ := rotateGray(g, -est)
	return est + estimateSkew(rg)
}

// barRegion returns the part of g with the densest vertical edges, where
// a PDF417 symbol's bars are, with a margin; ok is false when nothing stands
// out.
func barRegion(g *image.Gray) (*image.Gray, bool) {
	const cell = 16
	w, h := g.Rect.Dx(), g.Rect.Dy()
	cw, ch := w/cell, h/cell
	if cw < 2 || ch < 2 {
		return nil, false
	}
	energy := make([]float64, cw*ch)
	maxE := 0.0
	for cy := 0; cy < ch; cy++ {
		for cx := 0; cx < cw; cx++ {
			e := 0.0
			for y := cy * cell; y < (cy+1)*cell; y++ {
				row := g.Pix[y*g.Stride:]
				for x := cx*cell + 1; x < (cx+1)*cell; x++ {
					d := int(row[x]) - int(row[x-1])
					if d < 0 {
						d = -d
					}
					e += float64(d)
				}
			}
			energy[cy*cw+cx] = e
			maxE = max(maxE, e)
		}
	}
	if maxE == 0 {
		return nil, false
	}
	on := make([]bool, len(energy))
	for i, e := range energy {
		on[i] = e >= 0.4*maxE
	}
	// Largest 8-connected group of busy cells.
	seen := make([]bool, len(on))
	var best image.Rectangle
	bestN := 0
	stack := []int{}
	for i := range on {
		if !on[i] || seen[i] {
			continue
		}
		n := 0
		r := image.Rect(i%cw, i/cw, i%cw+1, i/cw+1)
		stack = append(stack[:0], i)
		seen[i] = true
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			x, y := j%cw, j/cw
			r = r.Union(image.Rect(x, y, x+1, y+1))
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= cw || ny >= ch {
						continue
					}
					k := ny*cw + nx
					if on[k] && !seen[k] {
						seen[k] = true
						stack = append(stack, k)
					}
				}
			}
		}
		if n > bestN {
			best, bestN = r, n
		}
	}
	if bestN < 4 {
		return nil, false
	}
	r := image.Rect((best.Min.X-2)*cell, (best.Min.Y-2)*cell, (best.Max.X+2)*cell, (best.Max.Y+2)*cell).Intersect(g.Rect)
	if r.Dx()*r.Dy() > w*h*3/4 {
		return nil, false // the whole image: nothing gained over the full scan
	}
	return g.SubImage(r).(*image.Gray), true
}

// upscale copies g to a new image at the origin, enlarged so its width
// reaches about minWidth (by an integer factor up to 3), and returns the
// factor.
func upscale(g *image.Gray, minWidth int) (*image.Gray, float64) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	f := 1
	for f < 3 && w*f < minWidth {
		f++
	}
	out := image.NewGray(image.Rect(0, 0, w*f, h*f))
	for y := 0; y < h*f; y++ {
		src := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y/f):]
		o := out.Pix[y*out.Stride:]
		for x := 0; x < w*f; x++ {
			o[x] = src[x/f]
		}
	}
	return out, float64(f)
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
