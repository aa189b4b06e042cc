package ocr

import "github.com/idkit-dev/idkit/internal/imgproc"

// toSource maps a quad found in a rectified document back into the
// photo: rect is the rectified image's size, doc the document's outline in
// the photo.
func toSource(q Quad, w, h int, doc Quad) Quad {
	var to [4][2]float64
	for i, p := range doc {
		to[i] = [2]float64{p.X, p.Y}
	}
	hm, ok := imgproc.QuadToQuad([4][2]float64{{0, 0}, {float64(w), 0}, {float64(w), float64(h)}, {0, float64(h)}}, to)
	if !ok {
		return q
	}
	for i := range q {
		q[i].X, q[i].Y = hm.Apply(q[i].X, q[i].Y)
	}
	return q
}
