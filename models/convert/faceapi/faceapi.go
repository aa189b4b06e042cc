package faceapi

import (
	"fmt"
	"strings"

	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
)

// Names, sizes and tensor names of the converted models.
const (
	// InputName is the single input of every model: [N, size, size, 3] RGB
	// 0..255.
	InputName = "input"

	AgeGenderName = "faceapi_age_gender"
	AgeGenderSize = 112
	AgeOutput     = "age"    // [N] years
	GenderOutput  = "gender" // [N, 2] probabilities: male, female

	RecognitionName  = "faceapi_recognition"
	RecognitionSize  = 150
	DescriptorOutput = "descriptor" // [N, 128]

	Landmark68Name  = "faceapi_landmark68"
	Landmark68Size  = FeatureExtractorSize
	LandmarksOutput = "landmarks" // [N, 136] x, y pairs relative to the input

	ExpressionName   = "faceapi_expression"
	ExpressionSize   = FeatureExtractorSize
	ExpressionOutput = "expressions" // [N, 7] probabilities, in ExpressionLabels order

	// FeatureExtractorSize is the input side of the nets built on
	// face-api.js's FaceFeatureExtractor (landmarks, expressions).
	FeatureExtractorSize = 112
)

// meanRGB is what face-api.js subtracts from 0..255 pixels before dividing
// by 255 (ops/normalize.ts, called by every net here).
var meanRGB = [3]float32{122.782, 117.001, 104.298}

// Models returns every converted face-api.js model, in build order.
func Models() []convert.Model {
	return []convert.Model{AgeGender(), Recognition(), Landmark68(), Expression()}
}

// weights returns the installed assets of one face-api.js weight manifest:
// assets are named faceapi_<asset>_manifest and faceapi_<asset>_weights and
// the manifest lists a single shard, <file>.bin.
func weights(asset, file string) convert.TFJSWeights {
	return convert.TFJSWeights{
		Manifest: "faceapi_" + asset + "_manifest",
		Shards:   map[string]string{file + ".bin": "faceapi_" + asset + "_weights"},
	}
}

// net is one architecture being built: a graph, the weights it consumes,
// and what the model will say about itself.
type net struct {
	g   *convert.Graph
	w   *convert.Weights
	src convert.TFJSWeights
}

func newNet(name string, src convert.TFJSWeights, c *models.Cache) (*net, error) {
	w, err := src.Load(c)
	if err != nil {
		return nil, err
	}
	return &net{g: convert.NewGraph(name), w: w, src: src}, nil
}

// t returns a weight, checking its shape when given; a missing or
// mis-shaped weight becomes the graph's error.
func (n *net) t(name string, shape ...int64) *convert.Tensor {
	t, err := n.w.Get(name, shape...)
	n.g.Fail(err)
	return t
}

// input declares the image input and applies face-api.js's normalization,
// (x − meanRGB) / 255, returning the batch in NCHW.
func (n *net) input(size int64) convert.Value {
	g := n.g
	x := g.Input(InputName, convert.Batch, size, size, 3)
	x = g.Sub(x, g.Const("mean_rgb", []int64{1, 1, 1, 3}, meanRGB[:]))
	x = g.Div(x, g.Const("pixel_scale", nil, []float32{255}))
	return g.NHWCToNCHW(x)
}

// conv is face-api.js's conv with bias (common/convLayer.ts and the
// TinyXception/denseBlock inline versions): prefix/filters, prefix/bias.
func (n *net) conv(x convert.Value, prefix string, stride int64, p convert.Padding) convert.Value {
	return n.g.Conv2D(x, n.t(prefix+"/filters"), n.t(prefix+"/bias"), stride, p)
}

// separable is common/depthwiseSeparableConv.ts: tf.separableConv2d with
// "same" padding plus a bias.
func (n *net) separable(x convert.Value, prefix string, stride int64) convert.Value {
	return n.g.SeparableConv2D(x,
		n.t(prefix+"/depthwise_filter"), n.t(prefix+"/pointwise_filter"), n.t(prefix+"/bias"),
		stride, convert.Same)
}

// finish checks that every weight was used, then builds and serializes the
// model with its documentation and provenance.
func (n *net) finish(c *models.Cache, doc string, meta ...convert.Metadata) ([]byte, error) {
	if err := n.g.Err(); err != nil {
		return nil, err
	}
	if unused := n.w.Unused(); len(unused) > 0 {
		return nil, fmt.Errorf("faceapi: architecture leaves weights unused: %s", strings.Join(unused, ", "))
	}
	src, err := convert.SourceMetadata(c.Manifest(), n.src.Assets()...)
	if err != nil {
		return nil, err
	}
	all := append([]convert.Metadata{
		{Key: "builder", Value: "github.com/idkit-dev/idkit/models/convert/faceapi"},
		{Key: "input", Value: InputName + ": float32 [N,size,size,3] RGB 0..255 (NHWC), the face crop padded to a square (black, centred) and resized bilinearly, as face-api.js's NetInput.toBatchTensor; the model subtracts mean RGB (122.782, 117.001, 104.298) and divides by 255"},
	}, meta...)
	m, err := n.g.Model(convert.ModelInfo{
		ProducerName: "idkit",
		Doc:          doc,
		Metadata:     append(all, src...),
	})
	if err != nil {
		return nil, err
	}
	return convert.Marshal(m)
}
