package facematch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"slices"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/models"
)

// DefaultThreshold is the similarity at or above which two faces match
// unless a tenant or a call says otherwise (the spec's default). What it
// means in error rates is in the package documentation.
const DefaultThreshold = 0.75

// Config configures a Matcher. The zero value is usable: it loads the
// detector, landmark and DefaultNetwork models from the default models
// directory and uses DefaultThreshold and DefaultCalibration.
type Config struct {
	// Models is where the model assets are; nil means models.Open("").
	Models *models.Cache
	// Detector finds faces with their five alignment points, and the 68
	// landmarks the default network's face chip is cut with; nil means a
	// faceonnx.Analyzer on Models, which the Matcher then owns and closes.
	Detector face.Detector
	// Embedder embeds faces; nil means the embedder of Network on Models
	// (NewFused, or NewONNX for a single network), owned and closed by the
	// Matcher.
	Embedder Embedder
	// Network is the default embedder's network; "" means DefaultNetwork.
	// With Embedder set it only picks the calibration, and an Embedder
	// that reports its model (as ONNXEmbedder does) picks it instead: a
	// Network that contradicts it is an error.
	Network Network
	// Flip turns on flip averaging in the default embedder of a single
	// network (ignored when Embedder is set; an error with
	// MobileFaceNetFaceAPI): twice the embedding time, no measured gain on
	// LFW (package documentation). The calibrations were fitted without it.
	Flip bool
	// Threshold is the similarity (0–1) at or above which faces match: the
	// tenant's policy. 0 means DefaultThreshold. WithThreshold overrides it
	// for one call.
	Threshold float64
	// Calibration maps cosines to similarities; nil means the network's
	// (NetworkCalibration). Replace it only with one fitted for Embedder.
	Calibration *Calibration
}

// Matcher compares faces: two images, an image with a stored template, or
// two templates. It is safe for concurrent use; create one and share it.
type Matcher struct {
	det       face.Detector
	emb       Embedder
	cal       Calibration
	threshold float64
	closers   []func() error
}

// New builds a Matcher, loading the models cfg does not supply.
func New(cfg Config) (*Matcher, error) {
	if cfg.Models == nil {
		cfg.Models = models.Open("")
	}
	m := &Matcher{det: cfg.Detector, emb: cfg.Embedder, threshold: cfg.Threshold}
	if m.threshold == 0 {
		m.threshold = DefaultThreshold
	}
	if !(m.threshold > 0 && m.threshold <= 1) {
		return nil, fmt.Errorf("%w: %v", ErrThreshold, cfg.Threshold)
	}
	if cfg.Calibration != nil {
		m.cal = *cfg.Calibration
	} else {
		n, err := calibrationNetwork(cfg)
		if err != nil {
			return nil, err
		}
		cal, err := NetworkCalibration(n)
		if err != nil {
			return nil, err
		}
		m.cal = cal
	}
	if err := m.cal.Validate(); err != nil {
		return nil, err
	}
	if m.det == nil {
		a, err := faceonnx.New(faceonnx.Config{Models: cfg.Models})
		if err != nil {
			return nil, err
		}
		m.det = a
		m.closers = append(m.closers, a.Close)
	}
	if m.emb == nil {
		e, err := newEmbedder(cfg)
		if err != nil {
			m.Close()
			return nil, err
		}
		m.emb = e
		m.closers = append(m.closers, e.Close)
	}
	return m, nil
}

// newEmbedder loads the embedder of cfg.Network.
func newEmbedder(cfg Config) (interface {
	Embedder
	Close() error
}, error) {
	if cfg.Network == "" {
		cfg.Network = DefaultNetwork
	}
	if cfg.Network == MobileFaceNetFaceAPI {
		if cfg.Flip {
			return nil, fmt.Errorf("facematch: flip averaging is not available for %s: choose a single network", MobileFaceNetFaceAPI)
		}
		return NewFused(cfg.Models)
	}
	return NewONNX(ONNXConfig{Models: cfg.Models, Network: cfg.Network, Flip: cfg.Flip})
}

// customNetwork is the calibration network of an Embedder that does not
// report a known model: Config.Network, else MobileFaceNet, whose
// calibration such embedders got before the fused network became the
// default (its cosines are what Score computes for unknown models).
func customNetwork(n Network) Network {
	if n == "" {
		return MobileFaceNet
	}
	return n
}

// knownNetwork reports whether n is a network a Matcher can run.
func knownNetwork(n Network) bool {
	_, single := networks[n]
	return single || n == MobileFaceNetFaceAPI
}

// calibrationNetwork is the network whose calibration a Matcher uses when
// none is given: the network New loads (Config.Network, else
// DefaultNetwork), or the one the Embedder reports, else Config.Network.
func calibrationNetwork(cfg Config) (Network, error) {
	if cfg.Embedder == nil {
		if cfg.Network == "" {
			return DefaultNetwork, nil
		}
		return cfg.Network, nil
	}
	e, ok := cfg.Embedder.(interface{ Model() ModelID })
	if !ok {
		return customNetwork(cfg.Network), nil
	}
	got := Network(e.Model().Name)
	if !knownNetwork(got) {
		return customNetwork(cfg.Network), nil
	}
	if cfg.Network != "" && cfg.Network != got {
		return "", fmt.Errorf("%w: Config.Network is %q but the Embedder runs %q", ErrNetwork, cfg.Network, got)
	}
	return got, nil
}

// Close releases the models the Matcher loaded itself.
func (m *Matcher) Close() error {
	var errs []error
	for _, c := range m.closers {
		errs = append(errs, c())
	}
	m.closers = nil
	return errors.Join(errs...)
}

// Threshold returns the Matcher's default threshold.
func (m *Matcher) Threshold() float64 { return m.threshold }

// Calibration returns the cosine-to-similarity map in use.
func (m *Matcher) Calibration() Calibration { return m.cal }

// Probe is one image to compare.
type Probe struct {
	Image image.Image
	// Face picks the face to use when the image holds several: the index
	// in order of size, largest first, faces cut by the image border after
	// whole ones and, in a photo that is not a document, faces the detector
	// is unsure of after confident ones (see rankFaces). 0 is the subject of a selfie or the
	// portrait of a document.
	Face int
	// Document says the image is a photo or scan of an identity document
	// (or a crop of its portrait): the face is small, printed and behind
	// laminate, so it is cropped, upscaled with a cubic filter, smoothed
	// and aligned again before embedding (see document.go).
	Document bool
}

// FaceInfo says which face of an image was compared.
type FaceInfo struct {
	// Index is the face used in the order Probe.Face counts: largest
	// first, faces cut by the image border and unsure faces last.
	Index int `json:"index"`
	// Faces is how many faces the image holds.
	Faces int `json:"faces"`
	// Box is the face in image pixels, and Score the detector's confidence.
	Box   face.Box `json:"box"`
	Score float64  `json:"score"`
}

// Result is the outcome of a comparison.
type Result struct {
	// Match is Similarity ≥ Threshold.
	Match bool `json:"match"`
	// Similarity is the calibrated score, 0–1.
	Similarity float64 `json:"similarity"`
	// Threshold is the one this decision used.
	Threshold float64 `json:"threshold"`
	// Cosine is the raw score the calibration mapped, −1..1: the cosine of
	// the two embeddings, or the fused network's score (Score).
	Cosine float64 `json:"cosine"`
	// A and B describe the faces compared; nil for a stored template.
	A *FaceInfo `json:"a,omitempty"`
	B *FaceInfo `json:"b,omitempty"`
}

// Option adjusts one call.
type Option func(*callOptions)

type callOptions struct {
	threshold float64
}

// WithThreshold decides this call at threshold t (0–1) instead of the
// Matcher's.
func WithThreshold(t float64) Option { return func(o *callOptions) { o.threshold = t } }

func (m *Matcher) options(opts []Option) (callOptions, error) {
	o := callOptions{threshold: m.threshold}
	for _, f := range opts {
		f(&o)
	}
	if !(o.threshold >= 0 && o.threshold <= 1) {
		return o, fmt.Errorf("%w: %v", ErrThreshold, o.threshold)
	}
	return o, nil
}

// Compare decides whether the chosen faces of two images are the same
// person. A face missing from either image is a *FaceError wrapping
// ErrNoFace (or ErrFaceIndex). The result is symmetric in a and b.
func (m *Matcher) Compare(ctx context.Context, a, b Probe, opts ...Option) (Result, error) {
	o, err := m.options(opts)
	if err != nil {
		return Result{}, err
	}
	ea, ia, err := m.enroll(ctx, a, "a")
	if err != nil {
		return Result{}, err
	}
	eb, ib, err := m.enroll(ctx, b, "b")
	if err != nil {
		return Result{}, err
	}
	r, err := m.decide(ea, eb, o)
	r.A, r.B = &ia, &ib
	return r, err
}

// Verify compares the chosen face of an image with a stored template. A
// template from another model is refused with a *ModelMismatchError.
func (m *Matcher) Verify(ctx context.Context, p Probe, template Embedding, opts ...Option) (Result, error) {
	o, err := m.options(opts)
	if err != nil {
		return Result{}, err
	}
	if err := m.checkTemplate(template); err != nil {
		return Result{}, err
	}
	e, info, err := m.enroll(ctx, p, "probe")
	if err != nil {
		return Result{}, err
	}
	r, err := m.decide(e, template, o)
	r.B = &info
	return r, err
}

// CompareTemplates compares two stored templates; both must come from the
// Matcher's model.
func (m *Matcher) CompareTemplates(a, b Embedding, opts ...Option) (Result, error) {
	o, err := m.options(opts)
	if err != nil {
		return Result{}, err
	}
	for _, t := range []Embedding{a, b} {
		if err := m.checkTemplate(t); err != nil {
			return Result{}, err
		}
	}
	return m.decide(a, b, o)
}

// Enroll returns the embedding of the chosen face, to be stored as a
// template (Embedding.MarshalBinary), and which face it is.
func (m *Matcher) Enroll(ctx context.Context, p Probe) (Embedding, FaceInfo, error) {
	return m.enroll(ctx, p, "probe")
}

// Model returns the identity of the Matcher's embeddings, when its
// Embedder reports one (the ONNX embedder does).
func (m *Matcher) Model() (ModelID, bool) {
	if e, ok := m.emb.(interface{ Model() ModelID }); ok {
		return e.Model(), true
	}
	return ModelID{}, false
}

func (m *Matcher) checkTemplate(t Embedding) error {
	want, ok := m.Model()
	if !ok {
		return nil // an Embedder without identity: decide checks the pair
	}
	if t.Model != want || len(t.Vector) != want.Dim {
		return &ModelMismatchError{Want: want, Got: t.Model}
	}
	return nil
}

func (m *Matcher) decide(a, b Embedding, o callOptions) (Result, error) {
	if err := Compatible(a, b); err != nil {
		return Result{}, err
	}
	for _, e := range []Embedding{a, b} {
		if err := checkVector(e); err != nil {
			return Result{}, err
		}
	}
	cos := Score(a, b)
	if math.IsNaN(cos) {
		return Result{}, errDegenerate
	}
	sim := m.cal.Similarity(cos)
	return Result{Match: sim >= o.threshold, Similarity: sim, Threshold: o.threshold, Cosine: cos}, nil
}

// enroll finds, aligns and embeds the chosen face of p.
func (m *Matcher) enroll(ctx context.Context, p Probe, name string) (Embedding, FaceInfo, error) {
	if imageio.IsNil(p.Image) {
		return Embedding{}, FaceInfo{}, &FaceError{Probe: name, Err: ErrNoFace}
	}
	img := imageio.ToRGBA(p.Image)
	var (
		src  *image.RGBA
		f    face.Face
		info FaceInfo
		err  error
	)
	if p.Document {
		src, f, info, err = m.documentFace(ctx, img, p.Face, defaultDocParams)
	} else {
		src, f, info, err = m.selfieFace(ctx, img, p.Face)
	}
	if err == nil {
		var e Embedding
		if e, err = m.embed(ctx, src, f); err == nil {
			return e, info, nil
		}
	}
	var fe *FaceError
	if errors.As(err, &fe) {
		fe.Probe = name
		fe.Faces = max(fe.Faces, info.Faces)
	}
	return Embedding{}, info, err
}

// embed embeds face f of img: through EmbedFace when the Embedder aligns
// faces itself, else on the 112x112 alignment.
// A face that cannot be aligned is a *FaceError.
func (m *Matcher) embed(ctx context.Context, img *image.RGBA, f face.Face) (Embedding, error) {
	if fe, ok := m.emb.(FaceEmbedder); ok {
		return fe.EmbedFace(ctx, img, f)
	}
	aligned, err := alignFace(img, f)
	if err != nil {
		return Embedding{}, &FaceError{Err: err}
	}
	return m.emb.Embed(ctx, aligned)
}

// pick returns face index i in rankFaces order.
func pick(faces []face.Face, w, h, i int, document bool) (face.Face, FaceInfo, error) {
	rankFaces(faces, w, h, !document)
	info := FaceInfo{Index: i, Faces: len(faces)}
	if len(faces) == 0 {
		return face.Face{}, info, &FaceError{Err: ErrNoFace}
	}
	if i < 0 || i >= len(faces) {
		return face.Face{}, info, &FaceError{Faces: len(faces), Err: fmt.Errorf("%w: face %d of %d", ErrFaceIndex, i, len(faces))}
	}
	f := faces[i]
	info.Box, info.Score = f.Box, f.Score
	return f, info, nil
}

// selfieFace finds and refines the chosen face of a photo.
func (m *Matcher) selfieFace(ctx context.Context, img *image.RGBA, index int) (*image.RGBA, face.Face, FaceInfo, error) {
	faces, err := m.det.Detect(ctx, img)
	if err != nil {
		return nil, face.Face{}, FaceInfo{}, err
	}
	f, info, err := pick(faces, img.Rect.Dx(), img.Rect.Dy(), index, false)
	if err != nil {
		return nil, face.Face{}, info, err
	}
	return img, m.refine(img, f), info, nil
}

// rankFaces orders faces largest first, except that faces cut by the image
// border come after every whole face and, when unsureLast is set (photos,
// not documents), faces the detector is unsure of after the confident ones
// (see confidentFace). A document's portrait is its largest face by
// design, and behind laminate it may score lower than the small, faint
// ghost portrait beside it, so documents rank by size alone. A face the frame cuts is a bystander
// at the edge of a selfie, never the subject, and half a face embeds
// poorly; yet its visible part can be the largest box (on LFW, 7 of 1,491
// photos had a cut-off face at the border larger than the subject). The
// detector's boxes are squared and then clipped, so a cut face is one
// whose box touches the border and is no longer square.
func rankFaces(faces []face.Face, w, h int, unsureLast bool) {
	cut := func(b face.Box) bool {
		touches := b.X1 <= 0.5 || b.Y1 <= 0.5 || b.X2 >= float64(w)-0.5 || b.Y2 >= float64(h)-0.5
		return touches && math.Abs(b.W()-b.H()) > 0.05*math.Max(b.W(), b.H())
	}
	slices.SortStableFunc(faces, func(a, b face.Face) int {
		ca, cb := cut(a.Box), cut(b.Box)
		if ca != cb {
			if ca {
				return 1
			}
			return -1
		}
		ua, ub := unsureLast && a.Score < confidentFace, unsureLast && b.Score < confidentFace
		if ua != ub {
			if ua {
				return 1
			}
			return -1
		}
		return cmp.Compare(b.Box.Area(), a.Box.Area())
	})
}

// confidentFace is the detector score below which a face ranks after the
// confident ones, whatever its size. The detector reports faces from 0.65;
// its unsure boxes are the ones that straddle a face and something else (a
// raised hand, a shoulder). On LFW such a box, larger than the subject's
// and overlapping it (IoU 0.38, just under the detector's NMS), was picked
// over a 1.000 face in 1 of the 1,491 photos, the only photo whose pick
// this rule changes; a subject the detector is unsure of (0.72 under a
// keffiyeh) is still picked when nothing confident competes with it.
const confidentFace = 0.9

// measurer is the part of faceonnx.Analyzer that refine needs.
type measurer interface {
	Measure(img *image.RGBA, f *face.Face) error
}

// refine measures the landmarks again on the detector box moved halfway
// towards the centre of the first landmarks. The landmark net sees the
// box's crop; a box off-centre on the face (common with the RFB detector
// on tilted or partly turned heads) skews the points, and the alignment
// with them. On LFW the second pass raised cross-fold accuracy from
// 98.1% to 98.6% and AUC on all same-fold pairs of fold 4 from 0.9965 to
// 0.9982 (fold 3: 0.9974 to 0.9969), for one more 64x64 landmark run.
// A detector that cannot measure (not a faceonnx.Analyzer) keeps its points.
func (m *Matcher) refine(img *image.RGBA, f face.Face) face.Face {
	ms, ok := m.det.(measurer)
	if !ok || len(f.Landmarks) == 0 {
		return f
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range f.Landmarks {
		minX, minY = math.Min(minX, p.X), math.Min(minY, p.Y)
		maxX, maxY = math.Max(maxX, p.X), math.Max(maxY, p.Y)
	}
	c := f.Box.Center()
	dx, dy := ((minX+maxX)/2-c.X)/2, ((minY+maxY)/2-c.Y)/2
	g := face.Face{Box: face.Box{X1: f.Box.X1 + dx, Y1: f.Box.Y1 + dy, X2: f.Box.X2 + dx, Y2: f.Box.Y2 + dy}, Score: f.Score}
	if err := ms.Measure(img, &g); err != nil || len(g.Points5) != 5 {
		return f
	}
	return g
}
