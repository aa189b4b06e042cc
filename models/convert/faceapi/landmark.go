package faceapi

import (
	"fmt"

	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
)

var landmark68Weights = weights("landmark68", "face_landmark_68_model")

// Landmark68 is face-api.js's FaceLandmark68Net: four dense blocks of
// separable convolutions on a 112x112 face, 7x7 average pooling and a fully
// connected layer giving 68 (x, y) points.
func Landmark68() convert.Model {
	return convert.Model{
		Name:        Landmark68Name,
		File:        "converted/faceapi_landmark68.onnx",
		Sources:     landmark68Weights.Assets(),
		SHA256:      "a46e63b59b54d73b79b68778889f4ca232b3d4dcb627f814c7d34fe6a50834e5",
		Size:        1437035,
		License:     "MIT",
		Description: "face-api.js 68-point landmark net converted to ONNX: input [N,112,112,3] RGB 0..255; output landmarks [N,136] (x,y relative to the input)",
		Build:       buildLandmark68,
	}
}

func buildLandmark68(c *models.Cache) ([]byte, error) {
	n, err := newNet(Landmark68Name, landmark68Weights, c)
	if err != nil {
		return nil, err
	}
	g := n.g
	landmarks := g.Dense(n.featureExtractor(), n.t("fc/weights", 256, 136), n.t("fc/bias", 136))
	g.Output(LandmarksOutput, landmarks)
	return n.finish(c,
		"face-api.js FaceLandmark68Net (faceFeatureExtractor/FaceFeatureExtractor.ts + faceProcessor fc). "+
			"Input "+InputName+" [N,112,112,3] RGB 0..255. Output "+LandmarksOutput+" [N,136]: x0,y0,x1,y1,... relative to the square input.",
		convert.Metadata{Key: "output." + LandmarksOutput, Value: "[N,136] x0,y0,...,x67,y67 relative to the square input (0..1), before face-api.js's unpadding (FaceLandmark68NetBase.postProcess)"},
	)
}

// featureExtractor is faceFeatureExtractor/FaceFeatureExtractor.ts on a
// 112x112 input: four dense blocks, then the 7x7 average pooling of
// faceProcessor, flattened to [N, 256].
func (n *net) featureExtractor() convert.Value {
	out := n.input(FeatureExtractorSize)
	for i := range 4 {
		out = n.denseBlock4(out, fmt.Sprintf("dense%d", i), i == 0)
	}
	return n.g.Flatten(n.g.AvgPool2D(out, 7, 2, convert.Valid))
}

// denseBlock4 is faceFeatureExtractor/denseBlock.ts's denseBlock4 with
// isScaleDown: every block halves the resolution.
func (n *net) denseBlock4(x convert.Value, prefix string, first bool) convert.Value {
	g := n.g
	var out1 convert.Value
	if first {
		out1 = g.Relu(n.conv(x, prefix+"/conv0", 2, convert.Same))
	} else {
		out1 = g.Relu(n.separable(x, prefix+"/conv0", 2))
	}
	out2 := n.separable(out1, prefix+"/conv1", 1)
	in3 := g.Relu(g.Add(out1, out2))
	out3 := n.separable(in3, prefix+"/conv2", 1)
	in4 := g.Relu(g.Add(out1, g.Add(out2, out3)))
	out4 := n.separable(in4, prefix+"/conv3", 1)
	return g.Relu(g.Add(out1, g.Add(out2, g.Add(out3, out4))))
}
