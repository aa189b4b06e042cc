// Package vecmath holds the small vector arithmetic that packages comparing
// face embeddings share without importing each other.
package vecmath

import "math"

// Cosine is the cosine similarity of a and b, computed in float64. Vectors
// of different lengths, empty ones and zero vectors have no direction to
// compare, and score 0.
func Cosine(a, b []float32) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
