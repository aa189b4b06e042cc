package ocr

import "math"

// homography is a 3x3 projective transform, row-major.
type homography [9]float64

func (h homography) apply(p Point) Point {
	w := h[6]*p.X + h[7]*p.Y + h[8]
	return Point{X: (h[0]*p.X + h[1]*p.Y + h[2]) / w, Y: (h[3]*p.X + h[4]*p.Y + h[5]) / w}
}

// quadToQuad solves for the transform mapping src[k] to dst[k] by Gaussian
// elimination on the 8x8 system; ok is false for degenerate quads.
func quadToQuad(src, dst Quad) (homography, bool) {
	var m [8][9]float64
	for k := 0; k < 4; k++ {
		x, y, u, v := src[k].X, src[k].Y, dst[k].X, dst[k].Y
		m[2*k] = [9]float64{x, y, 1, 0, 0, 0, -u * x, -u * y, u}
		m[2*k+1] = [9]float64{0, 0, 0, x, y, 1, -v * x, -v * y, v}
	}
	for col := 0; col < 8; col++ {
		piv := col
		for r := col + 1; r < 8; r++ {
			if math.Abs(m[r][col]) > math.Abs(m[piv][col]) {
				piv = r
			}
		}
		if math.Abs(m[piv][col]) < 1e-12 {
			return homography{}, false
		}
		m[col], m[piv] = m[piv], m[col]
		for r := 0; r < 8; r++ {
			if r == col {
				continue
			}
			f := m[r][col] / m[col][col]
			for c := col; c < 9; c++ {
				m[r][c] -= f * m[col][c]
			}
		}
	}
	var h homography
	for k := 0; k < 8; k++ {
		h[k] = m[k][8] / m[k][k]
	}
	h[8] = 1
	return h, true
}

// toSource maps a quad found in a rectified document back into the
// photo: rect is the rectified image's size, doc the document's outline in
// the photo.
func toSource(q Quad, w, h int, doc Quad) Quad {
	hm, ok := quadToQuad(Quad{{0, 0}, {float64(w), 0}, {float64(w), float64(h)}, {0, float64(h)}}, doc)
	if !ok {
		return q
	}
	for i := range q {
		q[i] = hm.apply(q[i])
	}
	return q
}
