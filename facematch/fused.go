package facematch

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/models/convert"
	"github.com/idkit-dev/idkit/models/convert/faceapi"
)

// MobileFaceNetFaceAPI fuses two networks trained apart: MobileFaceNet on
// the 112x112 alignment, and face-api.js's 128-d FaceRecognitionNet (dlib's
// ResNet, converted at install time by models/convert/faceapi) on dlib's
// 150x150 face chip. Their errors differ enough that a weighted sum of the
// two scores separates LFW pairs better than either (package
// documentation), for about twice MobileFaceNet's time.
const MobileFaceNetFaceAPI Network = "mobilefacenet+faceapi"

// The fused score of two faces is MobileFaceNet's cosine c and face-api's
// Euclidean distance d, each standardised by the mean and standard
// deviation of its different-person scores, weighted, and put back on
// MobileFaceNet's cosine scale so that one Calibration of the usual kind
// maps it to a similarity:
//
//	score = μc + σc·(w·(c−μc)/σc + (1−w)·(−d−μd)/σd), clamped to [−1, 1]
//
// The four moments are those of the 270,298 different-person pairs among
// the 737 images of fold 3 of ../shared/eval-dev/verify
// (TestMeasureCalibration re-measures them). The weight is the plain mean
// of the two standardised scores, which also gave fold 3's highest AUC
// when it was chosen; every weight from 0.3 to 0.8 is within one pair of
// it on the 1,200 LFW pairs (TestMeasureFusedWeight, package
// documentation).
const (
	fusedWeight  = 0.5
	fusedCosMean = 0.01147
	fusedCosSD   = 0.14260
	fusedDstMean = -0.81617
	fusedDstSD   = 0.08838
)

// fusedDims are the lengths of the two parts of a fused vector: the
// normalised MobileFaceNet embedding, then the raw face-api descriptor
// (dlib's descriptors are compared by Euclidean distance, unnormalised).
const fusedMFNDim, fusedFaceAPIDim = 192, 128

// FusedScore is the score of two MobileFaceNetFaceAPI vectors (see the
// constants above); NaN when they are not of that network's length.
func FusedScore(a, b []float32) float64 {
	const n = fusedMFNDim + fusedFaceAPIDim
	if len(a) != n || len(b) != n {
		return math.NaN()
	}
	c, d := fusedParts(a, b)
	zc := (c - fusedCosMean) / fusedCosSD
	zd := (d - fusedDstMean) / fusedDstSD
	s := fusedCosMean + fusedCosSD*(fusedWeight*zc+(1-fusedWeight)*zd)
	return math.Max(-1, math.Min(1, s))
}

// fusedParts returns the two scores a fused pair is made of: the cosine of
// the MobileFaceNet parts and minus the Euclidean distance of the face-api
// parts (so that both grow with likeness). The vectors must be of the
// fused length.
func fusedParts(a, b []float32) (cos, negDist float64) {
	var ss float64
	for i := fusedMFNDim; i < len(a); i++ {
		d := float64(a[i]) - float64(b[i])
		ss += d * d
	}
	return Cosine(a[:fusedMFNDim], b[:fusedMFNDim]), -math.Sqrt(ss)
}

// FaceEmbedder is an Embedder that aligns the face itself, from the whole
// image and the face's landmarks, because it needs a crop other than the
// 112x112 alignment. The Matcher calls EmbedFace on an Embedder that has
// it.
type FaceEmbedder interface {
	Embedder
	EmbedFace(ctx context.Context, img *image.RGBA, f face.Face) (Embedding, error)
}

// ErrNeedsFace means an embedder was given an aligned face where it needs
// the whole image and the face's 68 landmarks (FaceEmbedder.EmbedFace).
var ErrNeedsFace = errors.New("facematch: this network needs the whole image and the face's landmarks (EmbedFace)")

// FusedEmbedder runs MobileFaceNetFaceAPI. It is safe for concurrent use.
type FusedEmbedder struct {
	mfn *ONNXEmbedder
	fa  *onnx.Session
	id  ModelID
}

var _ FaceEmbedder = (*FusedEmbedder)(nil)

// NewFused loads the two networks of MobileFaceNetFaceAPI from models (nil
// means models.Open("")).
func NewFused(c *models.Cache) (*FusedEmbedder, error) {
	if c == nil {
		c = models.Open("")
	}
	mfn, err := NewONNX(ONNXConfig{Models: c, Network: MobileFaceNet})
	if err != nil {
		return nil, err
	}
	src := c
	if _, ok := c.Manifest().Asset(faceapi.RecognitionName); !ok {
		// Built at install time; its sources stay where the caller's cache
		// has them.
		src = models.OpenManifest(c.Dir(), convert.Manifest(c.Manifest(), faceapi.Recognition()))
	}
	asset, ok := src.Manifest().Asset(faceapi.RecognitionName)
	if !ok {
		mfn.Close()
		return nil, fmt.Errorf("facematch: no %s asset in the models manifest", faceapi.RecognitionName)
	}
	fa, err := onnx.Load(src, faceapi.RecognitionName, onnx.Options{})
	if err != nil {
		mfn.Close()
		return nil, fmt.Errorf("facematch: %w", err)
	}
	sum := asset.SHA256
	if len(sum) > 12 {
		sum = sum[:12]
	}
	m := mfn.Model()
	return &FusedEmbedder{mfn: mfn, fa: fa, id: ModelID{
		Name:    string(MobileFaceNetFaceAPI),
		Version: m.Version + "|" + asset.Source() + "+" + sum + "+" + chipPipeline,
		Dim:     fusedMFNDim + fusedFaceAPIDim,
	}}, nil
}

// chipPipeline is the face chip's revision in ModelID.Version.
const chipPipeline = "c1"

// Model returns the identity every embedding from e carries.
func (e *FusedEmbedder) Model() ModelID { return e.id }

// Close releases both networks.
func (e *FusedEmbedder) Close() error { return errors.Join(e.mfn.Close(), e.fa.Close()) }

// Embed refuses an aligned face with ErrNeedsFace: the face chip cannot be
// cut from the 112x112 alignment, which crops the chin.
func (e *FusedEmbedder) Embed(context.Context, image.Image) (Embedding, error) {
	return Embedding{}, ErrNeedsFace
}

// EmbedFace embeds face f of img: MobileFaceNet on the 112x112 alignment of
// its five points, face-api.js's net on the chip cut with its 68 landmarks.
// A face that cannot be aligned or cut is a *FaceError.
func (e *FusedEmbedder) EmbedFace(ctx context.Context, img *image.RGBA, f face.Face) (Embedding, error) {
	if len(f.Landmarks) != 68 {
		return Embedding{}, &FaceError{Probe: "probe", Faces: 1,
			Err: fmt.Errorf("%w: %s cuts its face chip with the 68 landmarks (%d given)", face.ErrNoLandmarks, MobileFaceNetFaceAPI, len(f.Landmarks))}
	}
	aligned, err := alignFace(img, f)
	if err != nil {
		return Embedding{}, &FaceError{Probe: "probe", Faces: 1, Err: err}
	}
	m, err := e.mfn.Embed(ctx, aligned)
	if err != nil {
		return Embedding{}, err
	}
	chip, err := dlibChip(img, f)
	if err != nil {
		return Embedding{}, &FaceError{Probe: "probe", Faces: 1, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return Embedding{}, err
	}
	const n = faceapi.RecognitionSize
	out, err := e.fa.Run(onnx.Tensor{Shape: []int64{1, n, n, 3}, Data: faceapi.Preprocess(chip, n)})
	if err != nil {
		return Embedding{}, fmt.Errorf("facematch: embed: %w", err)
	}
	d := out[0].Data
	if len(d) != fusedFaceAPIDim {
		return Embedding{}, fmt.Errorf("facematch: embed: %d values, want %d", len(d), fusedFaceAPIDim)
	}
	for _, x := range d {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return Embedding{}, errDegenerate
		}
	}
	v := make([]float32, 0, fusedMFNDim+fusedFaceAPIDim)
	v = append(append(v, m.Vector...), d...)
	return Embedding{Model: e.id, Vector: v}, nil
}

// dlibMeanFace is the five-point mean face of dlib's get_face_chip_details,
// in a unit square, with the iBUG-68 landmarks that stand for its points:
// the outer and inner corner of the eye on the image's right, the same on
// the left, the base of the nose.
var (
	dlibMeanFace = [5]face.Point{
		{X: 0.8595674595992, Y: 0.2134981538014}, {X: 0.6460604764104, Y: 0.2289674387677},
		{X: 0.1205750079727, Y: 0.2137274916672}, {X: 0.3340850613217, Y: 0.2290642403019},
		{X: 0.4901123135628, Y: 0.6277975316805},
	}
	dlibMeanFace68 = [5]int{45, 42, 36, 39, 33}
)

// dlibChip cuts dlib's 150x150 face chip with padding 0.25
// (get_face_chip(img, shape, 150, 0.25)), the crop dlib's recognition
// ResNet was trained on, by a similarity of the five mean-face points. A
// large face is box-averaged first, as for the 112x112 alignment.
func dlibChip(img *image.RGBA, f face.Face) (*image.RGBA, error) {
	const size, padding = faceapi.RecognitionSize, 0.25
	if len(f.Landmarks) != 68 || len(f.Points5) != 5 {
		return nil, face.ErrNoLandmarks
	}
	dst := make([]face.Point, 5)
	for i, p := range dlibMeanFace {
		dst[i] = face.Point{X: (padding + p.X) / (2*padding + 1) * size, Y: (padding + p.Y) / (2*padding + 1) * size}
	}
	// The chip's eye centres are the means of each eye's two corners.
	eyes := math.Hypot((dst[0].X+dst[1].X-dst[2].X-dst[3].X)/2, (dst[0].Y+dst[1].Y-dst[2].Y-dst[3].Y)/2)
	img, f = shrinkFace(img, f, eyes)
	src := make([]face.Point, 5)
	for i := range dlibMeanFace {
		src[i] = f.Landmarks[dlibMeanFace68[i]]
	}
	return face.AlignTo(img, face.Face{Points5: src}, dst, size, size)
}
