package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"strings"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/mrz"
)

// zoneRead is one zone's OCR and repair.
type zoneRead struct {
	res      *mrz.Result
	conf     float64 // mean line confidence
	minConf  float64 // lowest line confidence
	quad     Quad
	okChecks int
	badCheck int
}

// minTrustedConf is the lowest line confidence of a reading whose passing
// check digits are believed. Garbage from a crop that cut a line in half
// (Tesseract confidence 0.3–0.5 on such lines) can pass a check digit or two
// by chance once Repair has tried its readings; a clear line reads at
// 0.85–0.95.
const minTrustedConf = 0.6

// trusted reports whether the reading is valid and clearly read.
func (a *zoneRead) trusted() bool { return a.res.Valid && a.minConf >= minTrustedConf }

func (a *zoneRead) better(b *zoneRead) bool {
	if b == nil {
		return true
	}
	if a.trusted() != b.trusted() {
		return a.trusted()
	}
	// A clear reading whose check digits fail (a forged or misprinted
	// zone) beats a murky one that happens to pass.
	if ca, cb := a.minConf >= minTrustedConf, b.minConf >= minTrustedConf; ca != cb {
		return ca
	}
	if a.res.Valid != b.res.Valid {
		return a.res.Valid
	}
	// Between two failing readings the clearer is the better account of
	// the zone: when nothing validates, the zone may well be wrong itself.
	if !a.res.Valid && math.Abs(a.conf-b.conf) > 0.05 {
		return a.conf > b.conf
	}
	if d := (a.okChecks - a.badCheck) - (b.okChecks - b.badCheck); d != 0 {
		return d > 0
	}
	return a.conf > b.conf
}

// MRZRead is the result of ReadMRZ.
type MRZRead struct {
	*MRZ
	// Result is the parsed zone with every field and check.
	Result *mrz.Result
}

// ErrNoMRZ is returned by ReadMRZ when no zone could be read.
var ErrNoMRZ = errors.New("ocr: no machine readable zone found")

// ReadMRZ finds and reads the machine readable zone of one image (the
// fast path when only the MRZ is wanted, as in `idkit eval mrz`). It returns
// ErrNoMRZ when no zone gives MRZ-shaped text; a zone whose check digits
// fail is returned with Valid false.
func (r *Reader) ReadMRZ(ctx context.Context, img image.Image) (*MRZRead, error) {
	if imageio.IsNil(img) {
		return nil, fmt.Errorf("%w: nil image", ErrImage)
	}
	p, err := r.prepare(ctx, 0, img)
	if err != nil {
		return nil, err
	}
	m, res, err := r.readMRZ(ctx, p)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, ErrNoMRZ
	}
	return &MRZRead{MRZ: m, Result: res}, nil
}

// readMRZ searches the rectified document, then the photo as it is, and
// OCRs up to maxZoneReads candidate zones, stopping at the first whose check
// digits all pass. It returns nil when no zone gave MRZ-shaped text.
func (r *Reader) readMRZ(ctx context.Context, p *page) (*MRZ, *mrz.Result, error) {
	imgs := []*image.RGBA{p.doc}
	if p.doc != p.img {
		imgs = append(imgs, p.img)
	}
	opts := mrz.Options{Reference: r.now()}
	var best *zoneRead
	reads := 0
search:
	for k, img := range imgs {
		zones, err := r.locator.Zones(ctx, img)
		if err != nil {
			return nil, nil, fmt.Errorf("ocr: finding the MRZ: %w", err)
		}
		for _, z := range zones {
			if reads >= r.maxZoneReads {
				break search
			}
			reads++
			zr, err := r.readZone(ctx, z, opts)
			if err != nil {
				return nil, nil, err
			}
			if zr == nil {
				continue
			}
			if k == 0 && p.quad != nil {
				zr.quad = toSource(zr.quad, img.Rect.Dx(), img.Rect.Dy(), *p.quad)
			}
			if zr.better(best) {
				best = zr
			}
			if best.trusted() {
				break search
			}
		}
	}
	if best == nil {
		return nil, nil, nil
	}
	m := &MRZ{Format: string(best.res.Format), Lines: best.res.Lines, Valid: best.res.Valid,
		Repairs: len(best.res.Repairs), Side: p.index, Quad: best.quad, OCRConfidence: best.conf}
	for _, c := range best.res.Checks {
		m.Checks = append(m.Checks, Check{Field: c.Field, OK: c.OK})
	}
	return m, best.res, nil
}

// readZone OCRs one zone and repairs the text. When the reading is not
// valid it tries the zone with its background levelled (glare and shade
// leave the print readable but defeat Tesseract's global threshold), and
// when the text fits no MRZ layout it tries the zone upside down, as a
// document photographed the wrong way round gives. nil means no reading was
// MRZ-shaped.
func (r *Reader) readZone(ctx context.Context, z Zone, opts mrz.Options) (*zoneRead, error) {
	var best *zoneRead
	variants := []func() *image.Gray{
		func() *image.Gray { return z.Image },
		func() *image.Gray { return flattenGray(z.Image, 12) },
		func() *image.Gray { return rotate180(z.Image) },
	}
	for i, variant := range variants {
		if i == 2 && best != nil {
			break // MRZ-shaped text came out the right way up
		}
		lines, err := r.engine.ReadLines(ctx, variant(), Options{Mode: ModeMRZ, Layout: LayoutBlock})
		if err != nil {
			return nil, fmt.Errorf("ocr: reading the MRZ: %w", err)
		}
		text, conf, minConf := mrzText(lines)
		if len(text) == 0 {
			continue
		}
		res, err := mrz.Repair(text, opts)
		if err != nil {
			continue // ErrFormat: not MRZ-shaped this way
		}
		zr := &zoneRead{res: res, conf: conf, minConf: minConf, quad: z.Quad}
		for _, c := range res.Checks {
			if c.OK {
				zr.okChecks++
			} else {
				zr.badCheck++
			}
		}
		if zr.better(best) {
			best = zr
		}
		if best.trusted() {
			break
		}
	}
	return best, nil
}

// mrzText keeps the lines that look like MRZ lines (at least 20
// characters once spaces are dropped, four in five from the MRZ alphabet or
// filler look-alikes) with their mean and lowest confidence.
func mrzText(lines []Line) (text []string, mean, lowest float64) {
	var out []string
	var conf float64
	lowest = 1
	for _, l := range lines {
		t := strings.ReplaceAll(l.Text, " ", "")
		// Lines of ICAO layouts start with a letter or a digit, so fillers
		// that make a line too long for its layout are the edge of the
		// crop or of the document read as '<'. (A zone with an empty
		// surname does start a line with "<<", at the right length.)
		if trimmed := strings.TrimLeft(t, "<«‹"); trimmed != t && !layoutLength(len(t)) && layoutLength(len(trimmed)) {
			t = trimmed
		}
		if len(t) < 20 {
			continue
		}
		good := 0
		for _, c := range t {
			// The glyphs OCR gives for the filler count too: Repair turns
			// them back into '<'.
			if c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("<«‹([{", c) {
				good++
			}
		}
		if good*10 < len([]rune(t))*8 {
			continue
		}
		out = append(out, t)
		conf += l.Confidence
		lowest = min(lowest, l.Confidence)
	}
	if len(out) == 0 {
		return nil, 0, 0
	}
	return out, conf / float64(len(out)), lowest
}

func rotate180(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		src := g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y+y):]
		dst := out.Pix[(h-1-y)*out.Stride:]
		for x := 0; x < w; x++ {
			dst[w-1-x] = src[x]
		}
	}
	return out
}

// layoutLength reports whether n is the line length of an ICAO layout.
func layoutLength(n int) bool { return n == 30 || n == 36 || n == 44 }
