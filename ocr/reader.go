package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
)

// ErrImage means an input image is missing or unusable.
var ErrImage = errors.New("ocr: unusable image")

// ErrHint means a document_hint or country_hint is not one of the values
// Request documents.
var ErrHint = errors.New("ocr: bad hint")

// ErrNoBarcode is what a BarcodeReader returns (wrapped) when an image
// holds no barcode.
var ErrNoBarcode = errors.New("ocr: no barcode")

// BarcodeReader decodes the PDF417 symbol of a driving licence. The
// implementation in ocr/barcode uses zxing-cpp.
type BarcodeReader interface {
	// ReadPDF417 returns the raw content of the first PDF417 symbol in
	// img and its corners, or an error wrapping ErrNoBarcode.
	ReadPDF417(ctx context.Context, img image.Image) ([]byte, Quad, error)
}

// FaceFinder finds faces; the reader uses it to cut out the holder's photo.
type FaceFinder interface {
	// FindFaces returns face rectangles with detection scores (0–1).
	FindFaces(ctx context.Context, img image.Image) ([]FaceBox, error)
}

// FaceBox is a face found by a FaceFinder.
type FaceBox struct {
	Box   image.Rectangle
	Score float64
}

// Config configures a Reader. Engine and Locator are required; without a
// BarcodeReader licences are read from their printed text only, and
// without a FaceFinder no face crop is returned.
type Config struct {
	Engine Engine
	// VisualEngine reads the visual zone (ModeText) when set; nil means
	// Engine. Engine always reads the MRZ.
	VisualEngine Engine
	Locator      Locator
	Barcodes     BarcodeReader
	Faces        FaceFinder
	// Now is the clock that decides the century of two-digit MRZ years
	// and whether a document has expired; nil means time.Now.
	Now func() time.Time
	// Logger receives debug events (never field values); nil discards.
	Logger *slog.Logger
	// MaxZoneReads bounds the candidate zones OCR'd per image (each costs
	// a Tesseract pass of about 0.2 s); 0 means 3.
	MaxZoneReads int
	// MaxSide is the longest side a rectified document is given; 0 means
	// 1600 pixels (an MRZ character is then over 30 pixels wide).
	MaxSide int
	// MaxPixels refuses larger input images with ErrImage before any work;
	// 0 means 40 megapixels.
	MaxPixels int
}

// Reader reads identity documents. It is safe for concurrent use.
type Reader struct {
	engine       Engine
	visual       Engine
	locator      Locator
	barcodes     BarcodeReader
	faces        FaceFinder
	now          func() time.Time
	log          *slog.Logger
	maxZoneReads int
	maxSide      int
	maxPixels    int
}

// New returns a Reader.
func New(cfg Config) (*Reader, error) {
	if cfg.Engine == nil {
		return nil, errors.New("ocr: Config.Engine is required")
	}
	if cfg.Locator == nil {
		return nil, errors.New("ocr: Config.Locator is required")
	}
	r := &Reader{engine: cfg.Engine, locator: cfg.Locator, barcodes: cfg.Barcodes, faces: cfg.Faces,
		now: cfg.Now, log: cfg.Logger, maxZoneReads: cfg.MaxZoneReads, maxSide: cfg.MaxSide, maxPixels: cfg.MaxPixels}
	if r.visual = cfg.VisualEngine; r.visual == nil {
		r.visual = cfg.Engine
	}
	if r.now == nil {
		r.now = time.Now
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if r.maxZoneReads <= 0 {
		r.maxZoneReads = 3
	}
	if r.maxSide <= 0 {
		r.maxSide = 1600
	}
	if r.maxPixels <= 0 {
		r.maxPixels = 40_000_000
	}
	return r, nil
}

// Request is one document to read.
type Request struct {
	// Front is the side with the photo (a passport's data page); required.
	Front image.Image
	// Back is the other side of a card, when given: the MRZ of TD1 cards,
	// the barcode of US licences.
	Back image.Image
	// DocumentHint is "", "auto" or a DocumentType the caller expects: it
	// steers the search (a licence's barcode is looked for first) and is
	// reported as the type, with low confidence, when nothing else tells it.
	DocumentHint DocumentType
	// CountryHint is "", "auto" or an ISO 3166-1 alpha-3 code, used the
	// same way.
	CountryHint string
	// SkipVisual skips reading the visual zone (about a second of OCR):
	// the type and fields then come from the MRZ or barcode alone.
	SkipVisual bool
	// SkipFace skips the face crop.
	SkipFace bool
}

// page is one input side prepared for reading.
type page struct {
	index int
	img   *image.RGBA
	// doc is the rectified document when an outline was found, else img.
	doc  *image.RGBA
	quad *Quad
}

// Read reads a document. It returns an error for unusable input (ErrImage)
// or a failing engine; a photo without a readable document gives a
// Document with empty Fields and Reasons saying why.
func (r *Reader) Read(ctx context.Context, req Request) (*Document, error) {
	start := time.Now()
	if imageio.IsNil(req.Front) {
		return nil, fmt.Errorf("%w: no front image", ErrImage)
	}
	hint, country, err := normalizeHints(req.DocumentHint, req.CountryHint)
	if err != nil {
		return nil, err
	}
	doc := &Document{Fields: map[string]Field{}}
	pages := []*page{}
	for i, img := range []image.Image{req.Front, req.Back} {
		if imageio.IsNil(img) {
			continue
		}
		p, err := r.prepare(ctx, i, img)
		if err != nil {
			return nil, err
		}
		pages = append(pages, p)
		s := Side{Width: p.img.Rect.Dx(), Height: p.img.Rect.Dy(), Document: p.quad}
		doc.Sides = append(doc.Sides, s)
	}
	if pages[0].quad == nil {
		doc.reason(ReasonNoDocument)
	}

	licence := hint == DriverLicense || country == "USA" || country == "CAN"
	if licence {
		if err := r.readBarcode(ctx, doc, pages); err != nil {
			return nil, err
		}
	}
	if doc.Barcode == nil || doc.Barcode.Issuer == "" {
		// The MRZ of a TD1 card is on its back: search the back first.
		order := pages
		if len(pages) == 2 {
			order = []*page{pages[1], pages[0]}
		}
		for _, p := range order {
			m, res, err := r.readMRZ(ctx, p)
			if err != nil {
				return nil, err
			}
			if m == nil {
				continue
			}
			if doc.MRZ == nil || m.Valid && !doc.MRZ.Valid {
				doc.MRZ = m
				fieldsFromMRZ(doc, res, m)
			}
			if m.Valid {
				break
			}
		}
		if doc.MRZ == nil {
			doc.reason(ReasonNoMRZ)
		} else if !doc.MRZ.Valid {
			doc.reason(ReasonMRZInvalid)
		}
	}
	if !licence && doc.MRZ == nil && r.barcodes != nil {
		if err := r.readBarcode(ctx, doc, pages); err != nil {
			return nil, err
		}
	}

	var visual []Line
	if !req.SkipVisual {
		lines, err := r.visual.ReadLines(ctx, visualImage(pages[0].doc), Options{Mode: ModeText, Layout: LayoutSparse})
		if err != nil {
			return nil, fmt.Errorf("ocr: visual zone: %w", err)
		}
		visual = lines
		if len(lines) == 0 && doc.MRZ == nil && doc.Barcode == nil {
			doc.reason(ReasonNoText)
		}
		fieldsFromVisual(doc, lines, r.now())
	}
	detect(doc, visual, hint, country)
	finishFields(doc, r.now())

	if !req.SkipFace && r.faces != nil {
		if err := r.faceCrop(ctx, doc, pages[0]); err != nil {
			return nil, err
		}
	}
	doc.Quality = Assess(pages[0].doc)
	doc.Elapsed = time.Since(start)
	r.log.DebugContext(ctx, "document read", "type", doc.Detected.Type, "fields", len(doc.Fields),
		"reasons", strings.Join(doc.Reasons, ","), "elapsed", doc.Elapsed)
	return doc, nil
}

// prepare converts an input image and rectifies the document in it.
func (r *Reader) prepare(ctx context.Context, i int, img image.Image) (*page, error) {
	b := img.Bounds()
	if b.Dx() < 32 || b.Dy() < 32 {
		return nil, fmt.Errorf("%w: image %d is %dx%d, too small to hold a document", ErrImage, i+1, b.Dx(), b.Dy())
	}
	if b.Dx()*b.Dy() > r.maxPixels || b.Dx() > 1<<15 || b.Dy() > 1<<15 {
		return nil, fmt.Errorf("%w: image %d is %dx%d, over the %d-pixel limit", ErrImage, i+1, b.Dx(), b.Dy(), r.maxPixels)
	}
	if max(b.Dx(), b.Dy()) > maxAspect*min(b.Dx(), b.Dy()) {
		return nil, fmt.Errorf("%w: image %d is %dx%d, more than %d times longer than wide: not a photo of a document", ErrImage, i+1, b.Dx(), b.Dy(), maxAspect)
	}
	p := &page{index: i, img: imageio.ToRGBA(img)}
	p.doc = p.img
	q, ok, err := r.locator.Document(ctx, p.img)
	if err != nil {
		return nil, fmt.Errorf("ocr: finding the document: %w", err)
	}
	if !ok {
		return p, nil
	}
	w, h := q.Size()
	if w < 100 || h < 60 {
		return p, nil
	}
	if s := math.Max(w, h) / float64(r.maxSide); s > 1 {
		w, h = w/s, h/s
	}
	rect, err := r.locator.Rectify(p.img, q, int(math.Round(w)), int(math.Round(h)))
	if err != nil {
		return nil, fmt.Errorf("ocr: rectifying the document: %w", err)
	}
	p.doc, p.quad = rect, &q
	return p, nil
}

func normalizeHints(t DocumentType, c string) (DocumentType, string, error) {
	t = DocumentType(strings.ToLower(strings.TrimSpace(string(t))))
	switch t {
	case "", DocumentAuto:
		t = ""
	case Passport, IDCard, DriverLicense, ResidencePermit, Visa:
	default:
		return "", "", fmt.Errorf("%w: document hint %q: want auto, passport, id_card, driver_license, residence_permit or visa", ErrHint, t)
	}
	c = strings.ToUpper(strings.TrimSpace(c))
	switch {
	case c == "" || c == "AUTO":
		c = ""
	case len(c) != 3 || strings.Trim(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "":
		return "", "", fmt.Errorf("%w: country hint %q: want auto or an ISO 3166-1 alpha-3 code", ErrHint, c)
	}
	return t, c, nil
}

// visualWidth is the width the visual zone is OCR'd at: captions of about
// 2 mm then stand about 20 pixels high, what Tesseract reads best.
const visualWidth = 1800

// maxAspect is the most elongated image read: documents are 1.4–1.6 times
// longer than wide and photos of them 1–2 times; scaling a strip to
// visualWidth would cost memory with the square of its elongation.
const maxAspect = 10

// visualImage scales the document to visualWidth (and no taller than
// maxAspect times that, for a rectified outline that came out a strip)
// and levels its background (see flatten).
func visualImage(doc *image.RGBA) *image.Gray {
	w, h := doc.Rect.Dx(), doc.Rect.Dy()
	if w > 0 && h > 0 {
		s := min(float64(visualWidth)/float64(w), float64(maxAspect*visualWidth)/float64(h))
		if tw, th := max(1, int(math.Round(float64(w)*s))), max(1, int(math.Round(float64(h)*s))); tw != w || th != h {
			doc = imgproc.Resize(doc, tw, th)
		}
	}
	return flatten(doc, 25)
}
