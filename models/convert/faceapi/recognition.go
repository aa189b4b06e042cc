package faceapi

import (
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
)

var recognitionWeights = weights("recognition", "face_recognition_model")

// Recognition is face-api.js's FaceRecognitionNet: a ResNet-34-like net on
// a 150x150 face giving a 128-d descriptor.
func Recognition() convert.Model {
	return convert.Model{
		Name:        RecognitionName,
		File:        "converted/faceapi_recognition.onnx",
		Sources:     recognitionWeights.Assets(),
		SHA256:      "dfc145fdbb4be37df4ac47f7cb2fb4cc45c8ce58aa4823681545f6bbd40f77d3",
		Size:        22475998,
		License:     "MIT",
		Description: "face-api.js 128-d face recognition net (ResNet-34-like) converted to ONNX: input [N,150,150,3] RGB 0..255; output descriptor [N,128]",
		Build:       buildRecognition,
	}
}

func buildRecognition(c *models.Cache) ([]byte, error) {
	n, err := newNet(RecognitionName, recognitionWeights, c)
	if err != nil {
		return nil, err
	}
	g := n.g
	out := n.scaledConv(n.input(RecognitionSize), "conv32_down", 2, true, convert.Valid)
	out = g.MaxPool2D(out, 3, 2, convert.Valid)
	out = n.residual(out, "conv32_1")
	out = n.residual(out, "conv32_2")
	out = n.residual(out, "conv32_3")
	out = n.residualDown(out, "conv64_down")
	out = n.residual(out, "conv64_1")
	out = n.residual(out, "conv64_2")
	out = n.residual(out, "conv64_3")
	out = n.residualDown(out, "conv128_down")
	out = n.residual(out, "conv128_1")
	out = n.residual(out, "conv128_2")
	out = n.residualDown(out, "conv256_down")
	out = n.residual(out, "conv256_1")
	out = n.residual(out, "conv256_2")
	out = n.residualDown(out, "conv256_down_out")
	descriptor := g.Dense(g.MeanHW(out), n.t("fc", 256, 128), nil)
	g.Output(DescriptorOutput, descriptor)
	return n.finish(c,
		"face-api.js FaceRecognitionNet (faceRecognitionNet/FaceRecognitionNet.ts). "+
			"Input "+InputName+" [N,150,150,3] RGB 0..255. Output "+DescriptorOutput+" [N,128], compared by Euclidean distance.",
		convert.Metadata{Key: "output." + DescriptorOutput, Value: "[N,128] face descriptor (face-api.js computeFaceDescriptor); same person when the Euclidean distance is below about 0.6"},
	)
}

// scaledConv is faceRecognitionNet/convLayer.ts: conv + bias, then the
// per-channel scale layer (x·weights + biases), then an optional ReLU.
func (n *net) scaledConv(x convert.Value, prefix string, stride int64, relu bool, p convert.Padding) convert.Value {
	g := n.g
	out := n.conv(x, prefix+"/conv", stride, p)
	out = g.AddChannels(g.MulChannels(out, n.t(prefix+"/scale/weights")), n.t(prefix+"/scale/biases"))
	if relu {
		out = g.Relu(out)
	}
	return out
}

// residual is faceRecognitionNet/residualLayer.ts's residual.
func (n *net) residual(x convert.Value, prefix string) convert.Value {
	g := n.g
	out := n.scaledConv(x, prefix+"/conv1", 1, true, convert.Same)
	out = n.scaledConv(out, prefix+"/conv2", 1, false, convert.Same)
	return g.Relu(g.Add(out, x))
}

// residualDown is residualLayer.ts's residualDown: a strided "valid"
// branch, with the shortcut average-pooled and zero-padded in channels (and
// the branch zero-padded by one row and column when the sizes disagree).
func (n *net) residualDown(x convert.Value, prefix string) convert.Value {
	g := n.g
	out := n.scaledConv(x, prefix+"/conv1", 2, true, convert.Valid)
	out = n.scaledConv(out, prefix+"/conv2", 1, false, convert.Same)
	pooled := g.AvgPool2D(x, 2, 2, convert.Valid)
	if g.Err() != nil {
		return convert.Value{}
	}
	ps, bs := pooled.Shape(), out.Shape()
	if ps[2] != bs[2] || ps[3] != bs[3] {
		// face-api.js concatenates one row of zeros at the bottom, then one
		// column at the right.
		out = g.Pad(out, []int64{0, 0, 0, 0}, []int64{0, 0, 1, 1})
	}
	if ps[1] != bs[1] {
		// ... and concatenates zeros of the pooled shape on the channel axis.
		pooled = g.Pad(pooled, []int64{0, 0, 0, 0}, []int64{0, ps[1], 0, 0})
	}
	return g.Relu(g.Add(pooled, out))
}
