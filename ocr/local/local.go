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
	"github.com/idkit-dev/idkit/ocr/tesseract"
)

// Config configures a Reader. The zero value uses the default models
// directory, English for the visual zone and the face detector.
type Config struct {
	// Models is where the model assets are; nil means models.Open("").
	Models *models.Cache
	// Languages are the Tesseract languages of the visual zone; nil means
	// {"eng"}.
	Languages []string
	// PoolSize bounds the Tesseract clients per mode; 0 means GOMAXPROCS.
	PoolSize int
	// VisualEngine reads the visual zone instead of Tesseract when set
	// (ocr/paddle, for one); the caller closes it. The MRZ is always read
	// with Tesseract's OCR-B model.
	VisualEngine ocr.Engine
	// NoFaces skips loading the face detector: no face crop is returned.
	NoFaces bool
	// Now, Logger and MaxPixels are passed to ocr.Config.
	Now       func() time.Time
	Logger    *slog.Logger
	MaxPixels int
}

// Reader is an ocr.Reader with the C resources it holds. Close it.
type Reader struct {
	*ocr.Reader
	engine *tesseract.Engine
	faces  *faceonnx.Analyzer
}

// New builds a Reader.
func New(cfg Config) (*Reader, error) {
	mc := cfg.Models
	if mc == nil {
		mc = models.Open("")
	}
	eng, err := tesseract.New(tesseract.Config{Models: mc, Languages: cfg.Languages, PoolSize: cfg.PoolSize})
	if err != nil {
		return nil, err
	}
	r := &Reader{engine: eng}
	oc := ocr.Config{
		Engine:       eng,
		VisualEngine: cfg.VisualEngine,
		Locator:      locate.New(locate.Config{}),
		Barcodes:     Barcodes{barcode.New(barcode.Config{})},
		Now:          cfg.Now,
		Logger:       cfg.Logger,
		MaxPixels:    cfg.MaxPixels,
	}
	if !cfg.NoFaces {
		fa, err := faceonnx.New(faceonnx.Config{Models: mc})
		if err != nil {
			eng.Close()
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

// Close releases the Tesseract clients and the face models.
func (r *Reader) Close() error {
	err := r.engine.Close()
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
