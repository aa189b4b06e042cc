package liveness

import (
	"math"
	"math/cmplx"
	"testing"

	"github.com/stretchr/testify/assert"
)

// naiveDFT is the O(n²) definition, the reference for fft.
func naiveDFT(a []complex128) []complex128 {
	n := len(a)
	out := make([]complex128, n)
	for k := range out {
		for t, v := range a {
			out[k] += v * cmplx.Exp(complex(0, -2*math.Pi*float64(k*t)/float64(n)))
		}
	}
	return out
}

func TestFFTMatchesDFT(t *testing.T) {
	for _, n := range []int{1, 2, 8, 64} {
		a := make([]complex128, n)
		for i := range a {
			a[i] = complex(math.Sin(float64(i)*0.7)+float64(i%3), float64(i%5)-2)
		}
		want := naiveDFT(a)
		got := append([]complex128(nil), a...)
		fft(got)
		for i := range want {
			assert.InDelta(t, real(want[i]), real(got[i]), 1e-9, "n=%d k=%d", n, i)
			assert.InDelta(t, imag(want[i]), imag(got[i]), 1e-9, "n=%d k=%d", n, i)
		}
	}
}

func TestFFT2FindsAStripe(t *testing.T) {
	const n = 32
	a := make([]complex128, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			a[y*n+x] = complex(math.Cos(2*math.Pi*5*float64(x)/n), 0)
		}
	}
	fft2(a, n)
	// A horizontal cosine of 5 cycles has all its energy at (u=±5, v=0).
	assert.InDelta(t, n*n/2, cmplx.Abs(a[5]), 1e-6)
	assert.InDelta(t, n*n/2, cmplx.Abs(a[n-5]), 1e-6)
	assert.InDelta(t, 0, cmplx.Abs(a[n+5]), 1e-6)
}
