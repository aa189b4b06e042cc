package faceapi

import (
	"strings"

	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
)

var expressionWeights = weights("expression", "face_expression_model")

// ExpressionLabels are the classes of the "expressions" output, in order
// (faceExpressionNet/FaceExpressions.ts).
var ExpressionLabels = [7]string{"neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"}

// Expression is face-api.js's FaceExpressionNet: the landmark net's
// feature extractor on a 112x112 face, a fully connected layer and a
// softmax over seven expressions.
func Expression() convert.Model {
	return convert.Model{
		Name:        ExpressionName,
		File:        "converted/faceapi_expression.onnx",
		Sources:     expressionWeights.Assets(),
		SHA256:      "bddaa56cd6d9af7fd66a83823bc4e4bd54948e95e7cb9cc33abe26b08bbd8e52",
		Size:        1304499,
		License:     "MIT",
		Description: "face-api.js facial expression net converted to ONNX: input [N,112,112,3] RGB 0..255; output expressions [N,7] probabilities (" + strings.Join(ExpressionLabels[:], ", ") + ")",
		Build:       buildExpression,
	}
}

func buildExpression(c *models.Cache) ([]byte, error) {
	n, err := newNet(ExpressionName, expressionWeights, c)
	if err != nil {
		return nil, err
	}
	g := n.g
	logits := g.Dense(n.featureExtractor(), n.t("fc/weights", 256, 7), n.t("fc/bias", 7))
	g.Output(ExpressionOutput, g.Softmax(logits, 1))
	return n.finish(c,
		"face-api.js FaceExpressionNet (faceExpressionNet/FaceExpressionNet.ts: FaceFeatureExtractor + faceProcessor fc + softmax). "+
			"Input "+InputName+" [N,112,112,3] RGB 0..255. Output "+ExpressionOutput+" [N,7] probabilities: "+strings.Join(ExpressionLabels[:], ", ")+".",
		convert.Metadata{Key: "output." + ExpressionOutput, Value: "[N,7] softmax probabilities in the order " + strings.Join(ExpressionLabels[:], ", ")},
	)
}
