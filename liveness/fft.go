package liveness

import (
	"math"
	"math/bits"
	"math/cmplx"
)

// fft2 replaces the n x n row-major grid a (n a power of two) by its 2-D
// discrete Fourier transform.
func fft2(a []complex128, n int) {
	col := make([]complex128, n)
	for y := 0; y < n; y++ {
		fft(a[y*n : (y+1)*n])
	}
	for x := 0; x < n; x++ {
		for y := 0; y < n; y++ {
			col[y] = a[y*n+x]
		}
		fft(col)
		for y := 0; y < n; y++ {
			a[y*n+x] = col[y]
		}
	}
}

// fft is an in-place iterative radix-2 Cooley–Tukey transform; len(a) must
// be a power of two.
func fft(a []complex128) {
	n := len(a)
	if n < 2 {
		return
	}
	shift := 64 - uint(bits.TrailingZeros(uint(n)))
	for i := 0; i < n; i++ {
		j := int(bits.Reverse64(uint64(i)) >> shift)
		if j > i {
			a[i], a[j] = a[j], a[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		step := cmplx.Exp(complex(0, -2*math.Pi/float64(size)))
		half := size / 2
		for start := 0; start < n; start += size {
			w := complex(1, 0)
			for k := 0; k < half; k++ {
				u := a[start+k]
				v := a[start+k+half] * w
				a[start+k] = u + v
				a[start+k+half] = u - v
				w *= step
			}
		}
	}
}
