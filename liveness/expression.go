package liveness

import (
	"fmt"
	"image"
	"math"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/internal/imgproc"
	"github.com/idkit-dev/idkit/internal/onnx"
)

// happyClass is fr_expression's smile output. The package's JavaScript
// names no classes; measured on 12 faces judged by eye (6 neutral, 6
// smiling), the outputs follow the FER-2013 order (angry, disgust, fear,
// happy, sad, surprise, neutral): class 3 scored 0.97–1.00 on 5 of the 6
// smiles (0.16 on a faint one) and at most 0.40 on the neutral faces, class
// 6 took the plainly neutral ones.
const happyClass = 3

// fr_expression is the costliest model of the active checks, and
// face-api.js's expression net (converted at install, 13x cheaper) was
// measured as a replacement with TestMeasureSmileModels on 68 faces of the
// age development set judged by eye (45 smiling, 23 neutral):
// fr_expression AUC 0.993, 1 smile under SmileOn, 4 neutral faces over
// SmileOff; face-api.js AUC 0.975, 5 smiles scored near 0 (closed-mouth
// smiles), 2 neutral faces over SmileOff. Missing one genuine smile in nine
// would fail honest users' challenges, so fr_expression stays.

// smileProb runs fr_expression on faceplugin's crop (the box's top-left
// corner, 1.2 times its size) and returns the probability of "happy".
// Input is BGR /255: with RGB, as faceplugin's JavaScript feeds it, neutral
// faces scored 0.75–0.97 happy, so the model was evidently trained on
// OpenCV's channel order.
func smileProb(s *onnx.Session, img *image.RGBA, b face.Box) (float64, error) {
	const side = 224
	r := imgproc.Rect{
		X1: b.X1, Y1: b.Y1,
		X2: math.Min(float64(img.Rect.Dx()), b.X1+1.2*b.W()),
		Y2: math.Min(float64(img.Rect.Dy()), b.Y1+1.2*b.H()),
	}
	in := imgproc.Tensor(img, r, side, side, imgproc.Layout{BGR: true, Div: 255})
	out, err := s.Run(onnx.Tensor{Shape: []int64{1, 3, side, side}, Data: in})
	if err != nil {
		return 0, fmt.Errorf("liveness: fr_expression: %w", err)
	}
	if len(out) != 1 || len(out[0].Data) != 7 {
		return 0, fmt.Errorf("liveness: fr_expression: unexpected output")
	}
	v := out[0].Data
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, float64(x))
	}
	var sum, happy float64
	for i, x := range v {
		e := math.Exp(float64(x) - m)
		sum += e
		if i == happyClass {
			happy = e
		}
	}
	return happy / sum, nil
}

// mouthWidth is the mouth corners' distance over the outer eye corners'
// distance: a smile widens the mouth, so frames are ranked by it before the
// expensive expression model confirms the few that matter.
func mouthWidth(l []face.Point) float64 {
	if len(l) != 68 {
		return math.NaN()
	}
	eyes := math.Hypot(l[45].X-l[36].X, l[45].Y-l[36].Y)
	if eyes < 1e-6 {
		return math.NaN()
	}
	return math.Hypot(l[54].X-l[48].X, l[54].Y-l[48].Y) / eyes
}
