package imgproc

import "math"

// Homography is a 3x3 projective transform, row-major, H[8] = 1: it maps
// (x, y) to ((H0 x + H1 y + H2)/w, (H3 x + H4 y + H5)/w) with
// w = H6 x + H7 y + H8.
type Homography [9]float64

// Apply maps a point.
func (h Homography) Apply(x, y float64) (float64, float64) {
	w := h[6]*x + h[7]*y + h[8]
	return (h[0]*x + h[1]*y + h[2]) / w, (h[3]*x + h[4]*y + h[5]) / w
}

// Invert returns the inverse transform; ok is false when h is singular.
func (h Homography) Invert() (Homography, bool) {
	a, b, c, d, e, f, g, hh, i := h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
	A, B, C := e*i-f*hh, -(d*i - f*g), d*hh-e*g
	det := a*A + b*B + c*C
	if math.Abs(det) < 1e-12 {
		return Homography{}, false
	}
	inv := Homography{
		A, -(b*i - c*hh), b*f - c*e,
		B, a*i - c*g, -(a*f - c*d),
		C, -(a*hh - b*g), a*e - b*d,
	}
	for k := range inv {
		inv[k] /= det
	}
	return inv, true
}

// QuadToQuad solves for the homography mapping src[k] to dst[k] (four
// point pairs, no three collinear) by Gaussian elimination on the 8x8
// system; ok is false for degenerate quads.
func QuadToQuad(src, dst [4][2]float64) (Homography, bool) {
	var m [8][9]float64
	for k := 0; k < 4; k++ {
		x, y, u, v := src[k][0], src[k][1], dst[k][0], dst[k][1]
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
			return Homography{}, false
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
	var h Homography
	for k := 0; k < 8; k++ {
		h[k] = m[k][8] / m[k][k]
	}
	h[8] = 1
	return h, true
}
