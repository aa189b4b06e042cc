package locate

import (
	"context"
	"image"
	"image/color"
	"math"
	"sort"

	"gocv.io/x/gocv"

	"github.com/idkit-dev/idkit/ocr"
)

// Zones finds candidate machine readable zones in img, best first (see the
// package documentation for the method). Each zone's Image is cut from the
// full-resolution image, rotated upright.
func (l *Locator) Zones(ctx context.Context, img *image.RGBA) ([]ocr.Zone, error) {
	if err := l.check(img); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	full, err := grayMat(img)
	if err != nil {
		return nil, err
	}
	defer full.Close()
	small, s := shrink(full, l.workWidth)
	defer small.Close()
	rects := candidates(small)
	sort.Slice(rects, func(i, j int) bool { return rects[i].score > rects[j].score })
	if len(rects) > l.maxZones {
		rects = rects[:l.maxZones]
	}
	var zones []ocr.Zone
	for _, r := range rects {
		z, err := cut(full, r, s)
		if err != nil {
			return nil, err
		}
		for i := range z.Quad {
			z.Quad[i].X += float64(img.Rect.Min.X)
			z.Quad[i].Y += float64(img.Rect.Min.Y)
		}
		zones = append(zones, z)
	}
	return zones, nil
}

// rotRect is a candidate in the shrunk image: its centre, the length along
// the text and across it, the text direction in degrees, the number of
// text lines it holds, and a score.
type rotRect struct {
	cx, cy     float64
	long, tall float64
	angle      float64
	lines      int
	score      float64
}

// candidates runs the morphology on the shrunk grey image, finds the long
// uniform text lines a machine readable zone is made of, and groups
// neighbouring parallel lines of similar length into zones.
func candidates(g gocv.Mat) []rotRect {
	W, H := float64(g.Cols()), float64(g.Rows())
	blur := gocv.NewMat()
	defer blur.Close()
	gocv.GaussianBlur(g, &blur, image.Pt(3, 3), 0, 0, gocv.BorderReplicate)

	// Kernels sized for characters about 15 pixels wide.
	rectK := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(13, 5))
	defer rectK.Close()

	bh := gocv.NewMat()
	defer bh.Close()
	gocv.MorphologyEx(blur, &bh, gocv.MorphBlackhat, rectK)

	gx := gocv.NewMat()
	defer gx.Close()
	gocv.Sobel(bh, &gx, gocv.MatTypeCV32F, 1, 0, -1, 1, 0, gocv.BorderDefault)
	abs := gocv.NewMat()
	defer abs.Close()
	gocv.ConvertScaleAbs(gx, &abs, 1, 0)
	norm := gocv.NewMat()
	defer norm.Close()
	gocv.Normalize(abs, &norm, 0, 255, gocv.NormMinMax)

	closed := gocv.NewMat()
	defer closed.Close()
	gocv.MorphologyEx(norm, &closed, gocv.MorphClose, rectK)
	th := gocv.NewMat()
	defer th.Close()
	gocv.Threshold(closed, &th, 0, 255, gocv.ThresholdBinary|gocv.ThresholdOtsu)
	// Open away specks of background pattern, then clear a thin frame so
	// lines do not fuse with the document's edge.
	k3 := gocv.GetStructuringElement(gocv.MorphRect, image.Pt(3, 3))
	defer k3.Close()
	gocv.MorphologyEx(th, &th, gocv.MorphOpen, k3)
	frame(th, int(0.01*W)+1)

	contours := gocv.FindContours(th, gocv.RetrievalExternal, gocv.ChainApproxSimple)
	defer contours.Close()
	var segs []rotRect
	for i := 0; i < contours.Size(); i++ {
		rr := gocv.MinAreaRect(contours.At(i))
		if len(rr.Points) != 4 {
			continue
		}
		r := fromPoints(rr.Points)
		if r.tall >= 3 && r.long >= 0.08*W && r.long >= 3*r.tall {
			segs = append(segs, r)
		}
	}
	lines := mergeCollinear(segs)
	var long []rotRect
	for _, r := range lines {
		if r.long >= 0.3*W && r.long >= 10*r.tall {
			r.lines = 1
			long = append(long, r)
		}
	}
	out := groupLines(long)
	for i := range out {
		r := &out[i]
		// Wide zones of two or three lines near the bottom of the page first.
		r.score = r.long/W + 0.1*r.cy/H
		if r.lines == 2 || r.lines == 3 {
			// A zone that holds another (three lines against two of them)
			// ranks above it.
			r.score += 0.25 + 0.05*float64(r.lines)
		}
	}
	return out
}

// frame sets a border of width b of m to zero.
func frame(m gocv.Mat, b int) {
	w, h := m.Cols(), m.Rows()
	for _, r := range []image.Rectangle{
		image.Rect(0, 0, w, b), image.Rect(0, h-b, w, h),
		image.Rect(0, 0, b, h), image.Rect(w-b, 0, w, h),
	} {
		r = r.Intersect(image.Rect(0, 0, w, h))
		if r.Empty() {
			continue
		}
		roi := m.Region(r)
		roi.SetTo(gocv.NewScalar(0, 0, 0, 0))
		roi.Close()
	}
}

// axes returns the unit vectors along and across a text direction.
func axes(angle float64) (ux, uy, nx, ny float64) {
	rad := angle * math.Pi / 180
	return math.Cos(rad), math.Sin(rad), -math.Sin(rad), math.Cos(rad)
}

// corners returns r's four corners.
func (r rotRect) corners() [4][2]float64 {
	ux, uy, nx, ny := axes(r.angle)
	hl, ht := r.long/2, r.tall/2
	return [4][2]float64{
		{r.cx - ux*hl - nx*ht, r.cy - uy*hl - ny*ht},
		{r.cx + ux*hl - nx*ht, r.cy + uy*hl - ny*ht},
		{r.cx + ux*hl + nx*ht, r.cy + uy*hl + ny*ht},
		{r.cx - ux*hl + nx*ht, r.cy - uy*hl + ny*ht},
	}
}

// span returns the rectangle at angle holding all the given corners.
func span(angle float64, pts [][2]float64) rotRect {
	ux, uy, nx, ny := axes(angle)
	minU, maxU, minN, maxN := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		u, n := p[0]*ux+p[1]*uy, p[0]*nx+p[1]*ny
		minU, maxU = math.Min(minU, u), math.Max(maxU, u)
		minN, maxN = math.Min(minN, n), math.Max(maxN, n)
	}
	cu, cn := (minU+maxU)/2, (minN+maxN)/2
	return rotRect{cx: cu*ux + cn*nx, cy: cu*uy + cn*ny, long: maxU - minU, tall: maxN - minN, angle: angle}
}

func angleDiff(a, b float64) float64 {
	d := math.Mod(math.Abs(a-b), 180)
	return math.Min(d, 180-d)
}

// mergeCollinear joins segments of one text line that glare, a gap or the
// morphology split: parallel, on the same centre line, and at most six line
// heights apart end to end (a glare spot wipes out that much of a zone;
// nothing else is printed on an MRZ line's row).
func mergeCollinear(segs []rotRect) []rotRect {
	sort.Slice(segs, func(i, j int) bool { return segs[i].long > segs[j].long })
	used := make([]bool, len(segs))
	var out []rotRect
	for i := range segs {
		if used[i] {
			continue
		}
		cur := segs[i]
		used[i] = true
		for changed := true; changed; {
			changed = false
			ux, uy, nx, ny := axes(cur.angle)
			for j := range segs {
				if used[j] || angleDiff(segs[j].angle, cur.angle) > 4 && segs[j].long > 3*segs[j].tall {
					continue
				}
				dx, dy := segs[j].cx-cur.cx, segs[j].cy-cur.cy
				across := math.Abs(dx*nx + dy*ny)
				along := math.Abs(dx*ux+dy*uy) - cur.long/2 - segs[j].long/2
				if across > 0.6*math.Max(cur.tall, segs[j].tall) || along > 6*cur.tall {
					continue
				}
				c1, c2 := cur.corners(), segs[j].corners()
				cur = span(cur.angle, append(c1[:], c2[:]...))
				used[j] = true
				changed = true
			}
		}
		out = append(out, cur)
	}
	return out
}

// groupLines gathers consecutive parallel lines of similar length and
// position into zones of up to three lines; every line also stands alone
// as a one-line candidate.
func groupLines(lines []rotRect) []rotRect {
	if len(lines) == 0 {
		return nil
	}
	// Order across the text direction of the longest line.
	ref := lines[0]
	for _, l := range lines {
		if l.long > ref.long {
			ref = l
		}
	}
	_, _, nx, ny := axes(ref.angle)
	sort.Slice(lines, func(i, j int) bool {
		return lines[i].cx*nx+lines[i].cy*ny < lines[j].cx*nx+lines[j].cy*ny
	})
	fits := func(a, b rotRect) bool {
		if angleDiff(a.angle, b.angle) > 3 {
			return false
		}
		ratio := math.Min(a.long, b.long) / math.Max(a.long, b.long)
		if ratio < 0.7 {
			return false
		}
		ux, uy, nx, ny := axes(a.angle)
		gap := math.Abs((b.cx-a.cx)*nx + (b.cy-a.cy)*ny)
		t := (a.tall + b.tall) / 2
		if gap < 1.1*t || gap > 3.2*t {
			return false
		}
		// Every character of an MRZ line is printed, fillers included, so
		// the lines of a zone start and end together; a band of background
		// pattern next to the zone does not.
		along := (b.cx-a.cx)*ux + (b.cy-a.cy)*uy
		return math.Abs(along-(b.long-a.long)/2) <= 1.2*t && math.Abs(along+(b.long-a.long)/2) <= 1.2*t
	}
	var out []rotRect
	for i := range lines {
		out = append(out, lines[i])
		group := []rotRect{lines[i]}
		for j := i + 1; j < len(lines) && len(group) < 3; j++ {
			if !fits(group[len(group)-1], lines[j]) {
				break
			}
			group = append(group, lines[j])
			var pts [][2]float64
			angle := 0.0
			for _, g := range group {
				c := g.corners()
				pts = append(pts, c[:]...)
				angle += g.angle / float64(len(group))
			}
			z := span(angle, pts)
			z.lines = len(group)
			out = append(out, z)
		}
	}
	return out
}

// fromPoints describes the rectangle with corners pts: the longer side is
// the text direction, its angle folded into (-90, 90].
func fromPoints(pts []image.Point) rotRect {
	var r rotRect
	for _, p := range pts {
		r.cx += float64(p.X) / 4
		r.cy += float64(p.Y) / 4
	}
	e1x, e1y := float64(pts[1].X-pts[0].X), float64(pts[1].Y-pts[0].Y)
	e2x, e2y := float64(pts[2].X-pts[1].X), float64(pts[2].Y-pts[1].Y)
	l1, l2 := math.Hypot(e1x, e1y), math.Hypot(e2x, e2y)
	dx, dy := e1x, e1y
	r.long, r.tall = l1, l2
	if l2 > l1 {
		dx, dy = e2x, e2y
		r.long, r.tall = l2, l1
	}
	a := math.Atan2(dy, dx) * 180 / math.Pi
	for a > 90 {
		a -= 180
	}
	for a <= -90 {
		a += 180
	}
	r.angle = a
	return r
}

// cut extracts rectangle r (in the shrunk image, scale s to full) from the
// full-resolution image, padded and rotated upright.
func cut(full gocv.Mat, r rotRect, s float64) (ocr.Zone, error) {
	cx, cy := r.cx*s, r.cy*s
	// Pad along the lines by a character or two and across by most of a
	// line, so no stroke is cut and Tesseract sees a margin.
	perLine := r.tall / float64(max(1, r.lines))
	long := (r.long + 2*perLine) * s
	tall := (r.tall + 2*perLine) * s
	// Keep the text near 30 pixels high, plenty for Tesseract.
	scale := 1.0
	if long > 1100 {
		scale = 1100 / long
	} else if long < 700 {
		scale = math.Min(2, 700/long)
	}
	w, h := int(math.Round(long*scale)), int(math.Round(tall*scale))
	rad := r.angle * math.Pi / 180
	c, sn := math.Cos(rad), math.Sin(rad)
	// Forward map full → crop: rotate by −angle about (cx, cy), scale,
	// centre in the crop.
	m := gocv.NewMatWithSize(2, 3, gocv.MatTypeCV64F)
	defer m.Close()
	m.SetDoubleAt(0, 0, c*scale)
	m.SetDoubleAt(0, 1, sn*scale)
	m.SetDoubleAt(0, 2, float64(w)/2-scale*(c*cx+sn*cy))
	m.SetDoubleAt(1, 0, -sn*scale)
	m.SetDoubleAt(1, 1, c*scale)
	m.SetDoubleAt(1, 2, float64(h)/2-scale*(-sn*cx+c*cy))
	out := gocv.NewMat()
	defer out.Close()
	gocv.WarpAffineWithParams(full, &out, m, image.Pt(w, h), gocv.InterpolationLinear, gocv.BorderReplicate, color.RGBA{})
	g, err := matGray(out)
	if err != nil {
		return ocr.Zone{}, err
	}
	// Corners in full-image coordinates.
	corner := func(u, v float64) ocr.Point {
		// Inverse of the map above: crop (u, v) → full.
		x, y := (u-float64(w)/2)/scale, (v-float64(h)/2)/scale
		return ocr.Point{X: cx + c*x - sn*y, Y: cy + sn*x + c*y}
	}
	q := ocr.Quad{corner(0, 0), corner(float64(w), 0), corner(float64(w), float64(h)), corner(0, float64(h))}
	return ocr.Zone{Image: g, Quad: q, Angle: r.angle, Score: r.score}, nil
}
