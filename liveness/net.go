package liveness

import (
	"fmt"
	"image"
	"math"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/internal/imgproc"
	"github.com/idkit-dev/idkit/internal/onnx"
)

// netCrop is the context factor of the fr_liveness crop: the face box
// scaled 2.7x around its centre (MODELS.md, faceplugin's lib/fr_liveness.js).
const netCrop = 2.7

// netSide is the network's input side.
const netSide = 128

// netScores runs fr_liveness on the 2.7x context crop of box and returns the
// softmax over its three outputs; index 0 is live. The input is RGB with raw
// 0..255 values: with BGR input nearly everything scores live (MODELS.md).
func netScores(s *onnx.Session, img *image.RGBA, box face.Box) ([3]float64, error) {
	c := box.Scale(netCrop, img.Rect.Dx(), img.Rect.Dy())
	return runNet(s, imgproc.Tensor(img, imgproc.Rect{X1: c.X1, Y1: c.Y1, X2: c.X2, Y2: c.Y2}, netSide, netSide, imgproc.Layout{}))
}

// runNet runs fr_liveness on a prepared 128x128 input and returns the
// softmax over its three outputs.
func runNet(s *onnx.Session, in []float32) ([3]float64, error) {
	var p [3]float64
	out, err := s.Run(onnx.Tensor{Shape: []int64{1, 3, netSide, netSide}, Data: in})
	if err != nil {
		return p, fmt.Errorf("liveness: fr_liveness: %w", err)
	}
	if len(out) != 1 || len(out[0].Data) != 3 {
		return p, fmt.Errorf("liveness: fr_liveness: unexpected output")
	}
	v := out[0].Data
	m := math.Max(float64(v[0]), math.Max(float64(v[1]), float64(v[2])))
	var sum float64
	for i := range p {
		p[i] = math.Exp(float64(v[i]) - m)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p, nil
}
