package barcode

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"time"

	"github.com/idkit-dev/idkit/imageio"
)

// Format names a barcode symbology.
type Format string

// The symbologies this package reads.
const (
	PDF417 Format = "pdf417" // US and Canadian driving licences (AAMVA)
	QR     Format = "qr"     // QR codes on newer ID cards and residence permits
)

var (
	// ErrNoBarcode means no barcode of the wanted format was found.
	ErrNoBarcode = errors.New("barcode: no barcode found")
	// ErrNotAAMVA means a PDF417 barcode was read but its content is not an
	// AAMVA DL/ID payload.
	ErrNotAAMVA = errors.New("barcode: not an AAMVA payload")
	// ErrImage means the image is empty or too large to scan.
	ErrImage = errors.New("barcode: unusable image")
)

// Barcode is one decoded symbol.
type Barcode struct {
	Format Format `json:"format"`
	// Data is the content exactly as encoded, bytes not text: AAMVA payloads
	// hold control characters (LF, RS, CR) that matter to the parser.
	Data []byte `json:"-"`
	// Corners are the symbol's top-left, top-right, bottom-right and
	// bottom-left corners in the coordinates of the image given to Read.
	Corners [4]image.Point `json:"corners"`
	// Angle is the rotation, in degrees counter-clockwise, that was applied
	// to the image before the symbol could be decoded (0 when read as is).
	Angle float64 `json:"angle"`
	// Elapsed is how long the search took.
	Elapsed time.Duration `json:"-"`
}

// Text returns the content as a string.
func (b Barcode) Text() string { return string(b.Data) }

// Config tunes a Reader. The zero value is ready to use.
type Config struct {
	// MaxSide is the longest image side scanned; larger images are shrunk
	// first. 0 means 2000 pixels: a licence barcode filling a third of a
	// 2000-pixel photo still has modules over 2 pixels wide.
	MaxSide int
	// MaxPixels refuses images with more pixels than this (ErrImage) before
	// any work. 0 means 50 megapixels.
	MaxPixels int
	// Angles are the rotations, in degrees, tried when neither the image as
	// is nor its deskewed version decodes. zxing-cpp's PDF417 detector
	// tolerates only about 3° of rotation, so these are spaced 5° apart. nil
	// means DefaultAngles; an empty non-nil slice tries none.
	Angles []float64
}

// DefaultAngles are the fallback rotations for PDF417, in degrees.
var DefaultAngles = []float64{-5, 5, -10, 10, -15, 15}

// Reader finds and decodes barcodes. It holds no C resources and is safe
// for concurrent use.
type Reader struct {
	maxSide   int
	maxPixels int
	angles    []float64
}

// New returns a Reader.
func New(cfg Config) *Reader {
	r := &Reader{maxSide: cfg.MaxSide, maxPixels: cfg.MaxPixels, angles: cfg.Angles}
	if r.maxSide <= 0 {
		r.maxSide = 2000
	}
	if r.maxPixels <= 0 {
		r.maxPixels = 50_000_000
	}
	if r.angles == nil {
		r.angles = DefaultAngles
	}
	return r
}

// Read returns the first barcode of any of the given formats (all formats
// when none is given), PDF417 before QR. It returns ErrNoBarcode when there
// is none.
func (r *Reader) Read(ctx context.Context, img image.Image, formats ...Format) (Barcode, error) {
	if len(formats) == 0 {
		formats = []Format{PDF417, QR}
	}
	for _, f := range formats {
		var b Barcode
		var err error
		switch f {
		case PDF417:
			b, err = r.ReadPDF417(ctx, img)
		case QR:
			b, err = r.ReadQR(ctx, img)
		default:
			return Barcode{}, fmt.Errorf("barcode: unknown format %q", f)
		}
		if !errors.Is(err, ErrNoBarcode) {
			return b, err
		}
	}
	return Barcode{}, ErrNoBarcode
}

// prepare converts img to grey, shrunk to MaxSide, and returns the scale
// from the grey image back to img.
func (r *Reader) prepare(img image.Image) (*image.Gray, float64, error) {
	if imageio.IsNil(img) {
		return nil, 0, fmt.Errorf("%w: nil image", ErrImage)
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return nil, 0, fmt.Errorf("%w: empty image", ErrImage)
	}
	if b.Dx()*b.Dy() > r.maxPixels || b.Dx() > 1<<16 || b.Dy() > 1<<16 {
		return nil, 0, fmt.Errorf("%w: %dx%d is over the pixel limit", ErrImage, b.Dx(), b.Dy())
	}
	scale := 1.0
	if s := max(b.Dx(), b.Dy()); s > r.maxSide {
		scale = float64(s) / float64(r.maxSide)
	}
	return grayScaled(img, scale), scale, nil
}

// ReadPDF417 finds a PDF417 symbol. zxing-cpp's detector fails beyond about
// 3° of rotation and is slow on large busy images, so ReadPDF417 first cuts
// out the region where the bars are densest, measures its skew from the
// orientation of its edges, deskews and enlarges it and decodes that; then
// tries the crop at each fallback angle, and last the whole image as it is
// and deskewed.
func (r *Reader) ReadPDF417(ctx context.Context, img image.Image) (Barcode, error) {
	start := time.Now()
	g, scale, err := r.prepare(img)
	if err != nil {
		return Barcode{}, err
	}
	done := func(raw []byte, c [4]image.Point, toSrc func(x, y float64) (float64, float64), deg float64) Barcode {
		b := Barcode{Format: PDF417, Data: raw, Angle: deg, Elapsed: time.Since(start)}
		for i, p := range c {
			x, y := toSrc(float64(p.X), float64(p.Y))
			b.Corners[i] = image.Pt(int(math.Round(x*scale)), int(math.Round(y*scale))).Add(img.Bounds().Min)
		}
		return b
	}
	identity := func(x, y float64) (float64, float64) { return x, y }

	if crop, ok := barRegion(g); ok {
		est := refineSkew(crop)
		angles := []float64{-est}
		for _, a := range r.angles {
			angles = append(angles, -est+a)
		}
		for _, a := range angles {
			if err := ctx.Err(); err != nil {
				return Barcode{}, err
			}
			rc, rot := crop, rotation{}
			if math.Abs(a) >= 0.5 {
				rc, rot = rotateGray(crop, a)
			} else {
				a = 0
			}
			up, f := upscale(rc, 600)
			raw, c, ok, err := zxRead(up, zxPDF417, true)
			if err != nil {
				return Barcode{}, err
			}
			if ok {
				if degenerate(c, up.Rect) {
					// zxing-cpp 1.4 sometimes reports the right-hand corners
					// of a symbol read from one row indicator as garbage:
					// report the region searched instead.
					b := crop.Rect
					return done(raw, [4]image.Point{b.Min, {b.Max.X, b.Min.Y}, b.Max, {b.Min.X, b.Max.Y}}, identity, a), nil
				}
				origin := crop.Rect.Min
				toSrc := func(x, y float64) (float64, float64) {
					x, y = x/f, y/f
					if rot.deg != 0 {
						x, y = rot.back(x, y)
					}
					// upscale and rotateGray work at the origin.
					return x + float64(origin.X), y + float64(origin.Y)
				}
				return done(raw, c, toSrc, a), nil
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return Barcode{}, err
	}
	raw, c, ok, err := zxRead(g, zxPDF417, true)
	if err != nil || ok {
		return done(raw, c, identity, 0), err
	}
	if skew := estimateSkew(g); math.Abs(skew) >= 1 {
		rg, rot := rotateGray(g, -skew)
		raw, c, ok, err := zxRead(rg, zxPDF417, true)
		if err != nil || ok {
			return done(raw, c, rot.back, -skew), err
		}
	}
	return Barcode{}, ErrNoBarcode
}

// degenerate reports whether a reported quadrilateral covers less than a
// twentieth of the image it was found in, which a real symbol never does
// after barRegion's crop.
func degenerate(c [4]image.Point, in image.Rectangle) bool {
	a := 0
	for i := range c {
		j := (i + 1) % 4
		a += c[i].X*c[j].Y - c[j].X*c[i].Y
	}
	if a < 0 {
		a = -a
	}
	return a/2 < in.Dx()*in.Dy()/20
}
