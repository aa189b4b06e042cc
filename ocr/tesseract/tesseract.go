package tesseract

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/otiai10/gosseract/v2"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/ocr"
)

// MRZAsset is the models asset holding the OCR-B MRZ model.
const MRZAsset = "ocrb_mrz"

// mrzLanguage is the model's name: ocrb_int.traineddata.
const mrzLanguage = "ocrb_int"

// DefaultTessdata is where Debian's tesseract-ocr-* packages put their
// language models.
const DefaultTessdata = "/usr/share/tesseract-ocr/5/tessdata"

// mrzAlphabet is what a machine readable zone may contain.
const mrzAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

// ErrClosed is returned by ReadLines after Close.
var ErrClosed = errors.New("tesseract: engine closed")

// Config configures an Engine. The zero value reads MRZs with the OCR-B
// model from the default models directory and visual text in English from
// Debian's tessdata.
type Config struct {
	// Models finds the OCR-B MRZ model (asset "ocrb_mrz"); nil means
	// models.Open("").
	Models *models.Cache
	// Tessdata is the directory of the visual-zone language models; empty
	// means $TESSDATA_PREFIX, else DefaultTessdata.
	Tessdata string
	// Languages are the Tesseract languages of the visual zone, such as
	// "eng" or "eng+fra"; nil means {"eng"}. Each must be installed
	// (Debian: tesseract-ocr-LANG).
	Languages []string
	// PoolSize is the most Tesseract clients kept per mode, which bounds
	// how many images of one mode are read at once; 0 means GOMAXPROCS.
	PoolSize int
}

// Engine reads text with Tesseract. It is safe for concurrent use; Close
// releases the Tesseract instances.
type Engine struct {
	pools map[ocr.Mode]*pool
	// initMu serialises Tesseract initialisation: gosseract redirects the
	// process's stderr while Init runs, which must not interleave.
	initMu sync.Mutex
}

var _ ocr.Engine = (*Engine)(nil)

// New checks that the models exist and returns an Engine. No Tesseract
// instance is created until the first read (or Warm). New turns off
// Leptonica's messages on stderr, a process-wide setting.
func New(cfg Config) (*Engine, error) {
	mc := cfg.Models
	if mc == nil {
		mc = models.Open("")
	}
	mrzPath, err := mc.Path(MRZAsset)
	if err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	tessdata := cfg.Tessdata
	if tessdata == "" {
		tessdata = os.Getenv("TESSDATA_PREFIX")
	}
	if tessdata == "" {
		tessdata = DefaultTessdata
	}
	langs := cfg.Languages
	if len(langs) == 0 {
		langs = []string{"eng"}
	}
	for _, l := range langs {
		for _, part := range strings.Split(l, "+") {
			if _, err := os.Stat(filepath.Join(tessdata, part+".traineddata")); err != nil {
				return nil, fmt.Errorf("tesseract: language %q not installed in %s (Debian: apt-get install tesseract-ocr-%s): %w", part, tessdata, part, err)
			}
		}
	}
	size := cfg.PoolSize
	if size <= 0 {
		size = runtime.GOMAXPROCS(0)
	}
	quietLeptonica()
	e := &Engine{}
	e.pools = map[ocr.Mode]*pool{
		ocr.ModeMRZ: newPool(size, clientSpec{
			tessdata: filepath.Dir(mrzPath), languages: []string{mrzLanguage},
			vars: map[string]string{"tessedit_char_whitelist": mrzAlphabet},
		}),
		ocr.ModeText: newPool(size, clientSpec{tessdata: tessdata, languages: langs}),
	}
	for _, p := range e.pools {
		p.initMu = &e.initMu
	}
	return e, nil
}

// Warm initialises one client per mode so the first request does not pay
// for loading the models.
func (e *Engine) Warm(ctx context.Context) error {
	for _, m := range []ocr.Mode{ocr.ModeMRZ, ocr.ModeText} {
		c, err := e.pools[m].get(ctx)
		if err != nil {
			return err
		}
		e.pools[m].put(c)
	}
	return nil
}

// psm maps a layout to Tesseract's page segmentation mode.
func psm(l ocr.Layout) string {
	switch l {
	case ocr.LayoutLine:
		return "7"
	case ocr.LayoutSparse:
		return "11"
	}
	return "6"
}

// ReadLines reads img's text lines. Line boxes are in img's coordinates
// and confidences are Tesseract's divided by 100.
func (e *Engine) ReadLines(ctx context.Context, img image.Image, opts ocr.Options) ([]ocr.Line, error) {
	mode := opts.Mode
	if mode == "" {
		mode = ocr.ModeText
	}
	p, ok := e.pools[mode]
	if !ok {
		return nil, fmt.Errorf("tesseract: unknown mode %q", mode)
	}
	if imageio.IsNil(img) {
		return nil, fmt.Errorf("%w: tesseract: no image", ocr.ErrImage)
	}
	b := img.Bounds()
	if b.Dx() < 8 || b.Dy() < 8 {
		return nil, nil // too small to hold text; Tesseract would only complain
	}
	if b.Dx() > 1<<14 || b.Dy() > 1<<14 {
		return nil, fmt.Errorf("tesseract: image %dx%d too large", b.Dx(), b.Dy())
	}
	pgm := encodePGM(img)
	c, err := p.get(ctx)
	if err != nil {
		return nil, err
	}
	lines, err := c.read(pgm, psm(opts.Layout), b.Min)
	if err != nil {
		// A client in an unknown state is not returned to the pool.
		c.close()
		p.discard()
		return nil, err
	}
	p.put(c)
	return lines, nil
}

// Close releases every idle client; clients in use are released when
// their read ends.
func (e *Engine) Close() error {
	for _, p := range e.pools {
		p.close()
	}
	return nil
}

// clientSpec says how to initialise a client.
type clientSpec struct {
	tessdata  string
	languages []string
	vars      map[string]string
}

// client is one initialised Tesseract instance.
type client struct {
	c   *gosseract.Client
	psm string
}

func (s clientSpec) open(initMu *sync.Mutex) (*client, error) {
	c := gosseract.NewClient()
	c.Trim = false
	if err := c.SetTessdataPrefix(s.tessdata); err != nil {
		c.Close()
		return nil, err
	}
	if err := c.SetLanguage(s.languages...); err != nil {
		c.Close()
		return nil, err
	}
	for k, v := range s.vars {
		c.SetVariable(gosseract.SettableVariable(k), v)
	}
	c.SetVariable("debug_file", os.DevNull)
	c.SetVariable("tessedit_pageseg_mode", "6")
	// gosseract initialises lazily on the first recognition, with an image
	// set: initialise now on a blank one, under the lock.
	blank := encodePGM(image.NewGray(image.Rect(0, 0, 16, 16)))
	for i := range blank[len(blank)-256:] {
		blank[len(blank)-256+i] = 255
	}
	if err := c.SetImageFromBytes(blank); err != nil {
		c.Close()
		return nil, err
	}
	initMu.Lock()
	_, err := c.GetBoundingBoxes(gosseract.RIL_TEXTLINE)
	initMu.Unlock()
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("tesseract: init %s: %w", strings.Join(s.languages, "+"), err)
	}
	return &client{c: c, psm: "6"}, nil
}

func (c *client) read(pgm []byte, psm string, origin image.Point) ([]ocr.Line, error) {
	if psm != c.psm {
		if err := c.c.SetVariable("tessedit_pageseg_mode", psm); err != nil {
			return nil, err
		}
		c.psm = psm
	}
	if err := c.c.SetImageFromBytes(pgm); err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	// One recognition gives the words with their block, paragraph and line
	// numbers; asking for lines and words separately would recognise twice.
	words, err := c.c.GetBoundingBoxesVerbose()
	if err != nil {
		return nil, fmt.Errorf("tesseract: %w", err)
	}
	var lines []ocr.Line
	type key struct{ block, par, line int }
	var cur key
	var confSum, weight float64
	flush := func() {
		if n := len(lines); n > 0 && weight > 0 {
			lines[n-1].Confidence = clamp01(confSum / weight / 100)
		}
		confSum, weight = 0, 0
	}
	for _, w := range words {
		text := strings.TrimSpace(w.Word)
		if text == "" {
			continue
		}
		k := key{w.BlockNum, w.ParNum, w.LineNum}
		if len(lines) == 0 || k != cur {
			flush()
			lines = append(lines, ocr.Line{Box: w.Box.Add(origin)})
			cur = k
		}
		l := &lines[len(lines)-1]
		if l.Text != "" {
			l.Text += " "
		}
		l.Text += text
		l.Box = l.Box.Union(w.Box.Add(origin))
		l.Words = append(l.Words, ocr.Word{Text: text, Box: w.Box.Add(origin), Confidence: clamp01(w.Confidence / 100)})
		n := float64(len([]rune(text)))
		confSum += w.Confidence * n
		weight += n
	}
	flush()
	return lines, nil
}

func (c *client) close() { c.c.Close() }

func clamp01(v float64) float64 {
	return max(0, min(1, v))
}

// encodePGM writes img as a binary PGM (P5), the cheapest format
// Leptonica reads from memory.
func encodePGM(img image.Image) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	head := "P5\n" + strconv.Itoa(w) + " " + strconv.Itoa(h) + "\n255\n"
	out := make([]byte, len(head)+w*h)
	copy(out, head)
	pix := out[len(head):]
	switch src := img.(type) {
	case *image.Gray:
		for y := 0; y < h; y++ {
			copy(pix[y*w:(y+1)*w], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.RGBA:
		for y := 0; y < h; y++ {
			row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				pix[y*w+x] = uint8((299*int(row[4*x]) + 587*int(row[4*x+1]) + 114*int(row[4*x+2]) + 500) / 1000)
			}
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				pix[y*w+x] = uint8((299*r + 587*g + 114*bl + 500) / 1000 >> 8)
			}
		}
	}
	return out
}
