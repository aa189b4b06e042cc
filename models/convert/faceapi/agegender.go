package faceapi

import (
	"fmt"

	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
)

var ageGenderWeights = weights("age_gender", "age_gender_model")

// AgeGender is face-api.js's AgeGenderNet: a TinyXception feature extractor
// (2 middle blocks) on a 112x112 face, 7x7 average pooling, and two fully
// connected heads, age (years, a plain regression) and gender (softmax,
// index 0 = male).
func AgeGender() convert.Model {
	return convert.Model{
		Name:        AgeGenderName,
		File:        "converted/faceapi_age_gender.onnx",
		Sources:     ageGenderWeights.Assets(),
		SHA256:      "8a698d36291d3bfcff8e132c16892dbd2bfcb4605a88013819ad65cc46b3ce33",
		Size:        1698794,
		License:     "MIT",
		Description: "face-api.js age/gender net (TinyXception) converted to ONNX: input [N,112,112,3] RGB 0..255; outputs age [N] years, gender [N,2] (male, female)",
		Build:       buildAgeGender,
	}
}

func buildAgeGender(c *models.Cache) ([]byte, error) {
	n, err := newNet(AgeGenderName, ageGenderWeights, c)
	if err != nil {
		return nil, err
	}
	g := n.g
	features := n.tinyXception(n.input(AgeGenderSize), 2)
	pooled := g.Flatten(g.AvgPool2D(features, 7, 2, convert.Valid))
	age := g.Reshape(g.Dense(pooled, n.t("fc/age/weights", 512, 1), n.t("fc/age/bias", 1)), convert.Batch)
	gender := g.Softmax(g.Dense(pooled, n.t("fc/gender/weights", 512, 2), n.t("fc/gender/bias", 2)), -1)
	g.Output(AgeOutput, age)
	g.Output(GenderOutput, gender)
	return n.finish(c,
		"face-api.js AgeGenderNet (ageGenderNet/AgeGenderNet.ts: TinyXception(2), avgPool 7x7/2, fc/age, softmax(fc/gender)). "+
			"Input "+InputName+" [N,112,112,3] RGB 0..255. Outputs "+AgeOutput+" [N] (years), "+GenderOutput+" [N,2] (P(male), P(female)).",
		convert.Metadata{Key: "output." + AgeOutput, Value: "[N] estimated age in years (face-api.js AgeAndGenderPrediction.age)"},
		convert.Metadata{Key: "output." + GenderOutput, Value: "[N,2] softmax: index 0 male, 1 female (face-api.js: male when [0] > 0.5)"},
	)
}

// tinyXception is xception/TinyXception.ts's forwardInput after the input
// normalization: [N,3,112,112] → [N,512,7,7].
func (n *net) tinyXception(x convert.Value, mainBlocks int) convert.Value {
	g := n.g
	out := g.Relu(n.conv(x, "entry_flow/conv_in", 2, convert.Same))
	out = n.reductionBlock(out, "entry_flow/reduction_block_0", false)
	out = n.reductionBlock(out, "entry_flow/reduction_block_1", true)
	for i := range mainBlocks {
		out = n.mainBlock(out, fmt.Sprintf("middle_flow/main_block_%d", i))
	}
	out = n.reductionBlock(out, "exit_flow/reduction_block", true)
	return g.Relu(n.separable(out, "exit_flow/separable_conv", 1))
}

func (n *net) reductionBlock(x convert.Value, prefix string, activateInput bool) convert.Value {
	g := n.g
	out := x
	if activateInput {
		out = g.Relu(x)
	}
	out = n.separable(out, prefix+"/separable_conv0", 1)
	out = n.separable(g.Relu(out), prefix+"/separable_conv1", 1)
	out = g.MaxPool2D(out, 3, 2, convert.Same)
	return g.Add(out, n.conv(x, prefix+"/expansion_conv", 2, convert.Same))
}

func (n *net) mainBlock(x convert.Value, prefix string) convert.Value {
	g := n.g
	out := n.separable(g.Relu(x), prefix+"/separable_conv0", 1)
	out = n.separable(g.Relu(out), prefix+"/separable_conv1", 1)
	out = n.separable(g.Relu(out), prefix+"/separable_conv2", 1)
	return g.Add(out, x)
}
