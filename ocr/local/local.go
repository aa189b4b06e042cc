package local

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"time"

	"github.com/idkit-dev/idkit/face"
	"github.com/idkit-dev/idkit/face/faceonnx"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/ocr"
	"github.com/idkit-dev/idkit/ocr/barcode"
	"github.com/idkit-dev/idkit/ocr/locate"
	"github.com/idkit-dev/idkit/ocr/paddle"
	"github.com/idkit-dev/idkit/ocr/tesseract"
)

// Config configures a Reader. The zero value uses the default models
// directory, English for the visual zone and the face detector.
type Config struct {
	// Models is where the model assets are; nil means models.Open("").
	Models *models.Cache
	// Languages are the Tesseract languages of the visual zone when
	// VisualOCR is VisualTesseract; nil means {"eng"}. PaddleOCR's alphabet
	// is fixed (Latin letters with common accents, digits, Chinese).
	Languages []string
	// PoolSize bounds the Tesseract clients per mode; 0 means GOMAXPROCS.
	PoolSize int
	// VisualOCR chooses the engine that reads the visual zone:
	// VisualPaddle (the default) or VisualTesseract. On 60 photographed
	// specimens PaddleOCR read 86.7% of the visual fields exactly against
	// Tesseract's 77.9%, for about twice the CPU time (0.56 s against 0.27 s
	// a document; ocr/paddle). The MRZ is always read with Tesseract's OCR-B
	// model.
	VisualOCR VisualOCR
	// VisualEngine, when set, reads the visual zone instead of the engine
	// VisualOCR names; the caller closes it.
	VisualEngine ocr.Engine
	// NoFaces skips loading the face detector: no face crop is returned.
	NoFaces bool
	// Now, Logger and MaxPixels are passed to ocr.Config.
	Now       func() time.Time
	Logger    *slog.Logger
	MaxPixels int
}

// VisualOCR names a visual-zone engine.
type VisualOCR string

// Visual-zone engines.
const (
	VisualPaddle    VisualOCR = ""          // ocr/paddle, PaddleOCR v4 on ONNX Runtime
	VisualTesseract VisualOCR = "tesseract" // ocr/tesseract with Config.Languages
)

// Reader is an ocr.Reader with the C resources it holds. Close it.
type Reader struct {
	*ocr.Reader
	engine *tesseract.Engine
	paddle *paddle.Engine // nil unless the Reader made it
	faces  *faceonnx.Analyzer
}

// New builds a Reader.
func New(cfg Config) (*Reader, error) {
	mc := cfg.Models
	if mc == nil {
		mc = models.Open("")
	}
	if cfg.VisualOCR != VisualPaddle && cfg.VisualOCR != VisualTesseract {
		return nil, fmt.Errorf("ocr/local: visual OCR %q is not paddle (\"\") or tesseract", cfg.VisualOCR)
	}
	eng, err := tesseract.New(tesseract.Config{Models: mc, Languages: cfg.Languages, PoolSize: cfg.PoolSize})
	if err != nil {
		return nil, err
	}
	r := &Reader{engine: eng}
	visual := cfg.VisualEngine
	if visual == nil && cfg.VisualOCR == VisualPaddle {
		if r.paddle, err = paddle.New(paddle.Config{Models: mc}); err != nil {
			eng.Close()
			return nil, fmt.Errorf("ocr/local: visual zone: %w", err)
		}
		visual = r.paddle
	}
	oc := ocr.Config{
		Engine:       eng,
		VisualEngine: visual,
		Locator:      locate.New(locate.Config{}),
		Barcodes:     Barcodes{barcode.New(barcode.Config{})},
		Now:          cfg.Now,
		Logger:       cfg.Logger,
		MaxPixels:    cfg.MaxPixels,
	}
	if !cfg.NoFaces {
		fa, err := faceonnx.New(faceonnx.Config{Models: mc})
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("ocr/local: face detector: %w", err)
		}
		r.faces = fa
		oc.Faces = Faces{fa}
	}
	if r.Reader, err = ocr.New(oc); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// Warm initialises the Tesseract clients so the first read is not slowed by
// loading models.
func (r *Reader) Warm(ctx context.Context) error { return r.engine.Warm(ctx) }

// Close releases the Tesseract clients, the PaddleOCR models and the face
// models.
func (r *Reader) Close() error {
	err := r.engine.Close()
	if r.paddle != nil {
		err = errors.Join(err, r.paddle.Close())
	}
	if r.faces != nil {
		err = errors.Join(err, r.faces.Close())
	}
	return err
}

// Barcodes adapts a barcode.Reader to ocr.BarcodeReader.
type Barcodes struct{ R *barcode.Reader }

var _ ocr.BarcodeReader = Barcodes{}

// ReadPDF417 implements ocr.BarcodeReader.
func (b Barcodes) ReadPDF417(ctx context.Context, img image.Image) ([]byte, ocr.Quad, error) {
	res, err := b.R.ReadPDF417(ctx, img)
	if errors.Is(err, barcode.ErrNoBarcode) {
		return nil, ocr.Quad{}, fmt.Errorf("%w: %w", ocr.ErrNoBarcode, err)
	}
	if err != nil {
		return nil, ocr.Quad{}, err
	}
	var q ocr.Quad
	for i, p := range res.Corners {
		q[i] = ocr.Point{X: float64(p.X), Y: float64(p.Y)}
	}
	return res.Data, q, nil
}

// Faces adapts a face.Detector to ocr.FaceFinder.
type Faces struct{ D face.Detector }

var _ ocr.FaceFinder = Faces{}

// FindFaces implements ocr.FaceFinder.
func (f Faces) FindFaces(ctx context.Context, img image.Image) ([]ocr.FaceBox, error) {
	faces, err := f.D.Detect(ctx, img)
	if errors.Is(err, face.ErrNoFace) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]ocr.FaceBox, 0, len(faces))
	for _, fc := range faces {
		out = append(out, ocr.FaceBox{Box: fc.Box.Rectangle(), Score: fc.Score})
	}
	return out, nil
}
