package paddle

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
	"github.com/idkit-dev/idkit/internal/onnx"
	"github.com/idkit-dev/idkit/models"
	"github.com/idkit-dev/idkit/ocr"
)

// The models assets the Engine loads.
const (
	DetAsset  = "paddle_det"
	RecAsset  = "paddle_rec"
	KeysAsset = "paddle_keys"
)

// Defaults for Config.
const (
	// DefaultDetectSide is the longest side the detector sees, PaddleOCR's
	// limit_side_len: larger images are scaled down to it.
	DefaultDetectSide = 960
	// DefaultMinConfidence is PaddleOCR's drop_score: lines recognised with
	// a lower mean character probability are dropped.
	DefaultMinConfidence = 0.5
	// DefaultMaxPixels refuses larger images before any work, like
	// ocr.Config.MaxPixels.
	DefaultMaxPixels = 40_000_000
	// MinSide is the smallest image side read, in pixels.
	MinSide = 8
	// maxDetectSide caps Config.DetectSide: the detector's memory and time
	// grow with its input area.
	maxDetectSide = 2560
)

// PaddleOCR's DB post-processing and recognition constants.
const (
	detThreshold  = 0.3 // probability that marks a text pixel
	boxThreshold  = 0.6 // mean probability a box must reach
	unclipRatio   = 1.5 // growth of a detected (shrunk) text region
	minBoxSide    = 3   // smallest box side on the probability map
	maxCandidates = 1000
	recHeight     = 48
	recMinWidth   = 320  // PaddleOCR pads recognition inputs to 48x320 at least
	recMaxWidth   = 2400 // longer lines are squeezed to this width
)

var (
	// ErrMode is returned (wrapped) for ocr.ModeMRZ: machine readable zones
	// are read by the OCR-B model of ocr/tesseract.
	ErrMode = errors.New("paddle: mode not supported")
	// ErrClosed is returned by ReadLines after Close.
	ErrClosed = errors.New("paddle: engine closed")
)

// Layouts of the model inputs: PaddleOCR feeds OpenCV's BGR images.
var (
	detLayout = imgproc.Layout{BGR: true, Div: 255, Mean: imgproc.ImageNet.Mean, Std: imgproc.ImageNet.Std}
	recLayout = imgproc.Layout{BGR: true, Div: 255, Mean: [3]float32{0.5, 0.5, 0.5}, Std: [3]float32{0.5, 0.5, 0.5}}
)

// Config configures an Engine. The zero value loads the models from the
// default models directory with PaddleOCR's settings.
type Config struct {
	// Models is where the model assets are; nil means models.Open("").
	Models *models.Cache
	// DetectSide is the longest side of the detector's input; 0 means
	// DefaultDetectSide. It is capped at 2560.
	DetectSide int
	// MinConfidence drops lines recognised with a lower confidence, 0–1;
	// 0 means DefaultMinConfidence, a negative value keeps every line.
	MinConfidence float64
	// MaxPixels refuses larger images with an error wrapping ocr.ErrImage;
	// 0 means DefaultMaxPixels. A side longer than 32,768 pixels is refused
	// the same way, whatever the area.
	MaxPixels int
}

// Engine reads printed text with the PP-OCRv4 detection and recognition
// models. It is safe for concurrent use; Close releases the models.
type Engine struct {
	cfg Config
	// mu is held for reading by every ReadLines and for writing by Close,
	// so the sessions are not destroyed under a running read.
	mu       sync.RWMutex
	det, rec *onnx.Session
	// chars maps the recogniser's classes to text: "" for the CTC blank,
	// the keys file's lines, then a space.
	chars []string
}

var _ ocr.Engine = (*Engine)(nil)

// New loads the models.
func New(cfg Config) (*Engine, error) {
	if cfg.Models == nil {
		cfg.Models = models.Open("")
	}
	if cfg.DetectSide <= 0 {
		cfg.DetectSide = DefaultDetectSide
	}
	cfg.DetectSide = min(cfg.DetectSide, maxDetectSide)
	if cfg.MinConfidence == 0 {
		cfg.MinConfidence = DefaultMinConfidence
	}
	if cfg.MaxPixels <= 0 {
		cfg.MaxPixels = DefaultMaxPixels
	}
	keys, err := cfg.Models.Path(KeysAsset)
	if err != nil {
		return nil, fmt.Errorf("paddle: %w", err)
	}
	chars, err := readKeys(keys)
	if err != nil {
		return nil, err
	}
	e := &Engine{cfg: cfg, chars: chars}
	if e.det, err = onnx.Load(cfg.Models, DetAsset, onnx.Options{}); err != nil {
		return nil, fmt.Errorf("paddle: %w", err)
	}
	if e.rec, err = onnx.Load(cfg.Models, RecAsset, onnx.Options{}); err != nil {
		e.det.Close()
		return nil, fmt.Errorf("paddle: %w", err)
	}
	return e, nil
}

// readKeys reads the recognition alphabet, one character a line.
func readKeys(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("paddle: %w", err)
	}
	defer f.Close()
	chars := []string{""}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		chars = append(chars, strings.TrimRight(sc.Text(), "\r"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("paddle: read %s: %w", path, err)
	}
	return append(chars, " "), nil
}

// Close releases the models. Reads in progress finish first; later reads
// return ErrClosed.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var err error
	for _, s := range []**onnx.Session{&e.det, &e.rec} {
		if *s != nil {
			err = errors.Join(err, (*s).Close())
			*s = nil
		}
	}
	return err
}

// ReadLines implements ocr.Engine for ocr.ModeText (and the empty mode).
// Boxes are in img's coordinates; lines come top to bottom, left to right.
func (e *Engine) ReadLines(ctx context.Context, img image.Image, opts ocr.Options) ([]ocr.Line, error) {
	switch opts.Mode {
	case ocr.ModeText, "":
	default:
		return nil, fmt.Errorf("%w: %q (the PaddleOCR engine reads ocr.ModeText only)", ErrMode, opts.Mode)
	}
	if imageio.IsNil(img) {
		return nil, fmt.Errorf("%w: paddle: no image", ocr.ErrImage)
	}
	b := img.Bounds()
	if b.Dx() < MinSide || b.Dy() < MinSide {
		return nil, fmt.Errorf("%w: paddle: image is %dx%d, under %d pixels a side", ocr.ErrImage, b.Dx(), b.Dy(), MinSide)
	}
	if b.Dx()*b.Dy() > e.cfg.MaxPixels || b.Dx() > 1<<15 || b.Dy() > 1<<15 {
		return nil, fmt.Errorf("%w: paddle: image is %dx%d, over the %d-pixel limit", ocr.ErrImage, b.Dx(), b.Dy(), e.cfg.MaxPixels)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.det == nil {
		return nil, ErrClosed
	}
	rgba := imageio.ToRGBA(img)
	var boxes []imgproc.Rect
	if opts.Layout == ocr.LayoutLine {
		boxes = []imgproc.Rect{{X2: float64(b.Dx()), Y2: float64(b.Dy())}}
	} else {
		var err error
		if boxes, err = e.detect(rgba); err != nil {
			return nil, err
		}
	}
	lines := make([]ocr.Line, 0, len(boxes))
	for _, r := range boxes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		l, err := e.recognize(rgba, r)
		if err != nil {
			return nil, err
		}
		if l.Text == "" || l.Confidence < e.cfg.MinConfidence {
			continue
		}
		l.Box = l.Box.Add(b.Min)
		for i := range l.Words {
			l.Words[i].Box = l.Words[i].Box.Add(b.Min)
		}
		lines = append(lines, l)
	}
	return lines, nil
}

// detect finds the text boxes of img, in its pixel coordinates, in reading
// order.
func (e *Engine) detect(img *image.RGBA) ([]imgproc.Rect, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	s := math.Min(1, float64(e.cfg.DetectSide)/float64(max(w, h)))
	round32 := func(v int) int { return max(32, int(math.Round(float64(v)*s/32))*32) }
	dw, dh := round32(w), round32(h)
	in := imgproc.Tensor(img, imgproc.Rect{X2: float64(w), Y2: float64(h)}, dw, dh, detLayout)
	out, err := e.det.Run(onnx.Tensor{Shape: []int64{1, 3, int64(dh), int64(dw)}, Data: in})
	if err != nil {
		return nil, fmt.Errorf("paddle: detection: %w", err)
	}
	if sh := out[0].Shape; len(sh) != 4 || sh[2] != int64(dh) || sh[3] != int64(dw) {
		return nil, fmt.Errorf("paddle: detection output shape %v, want [1 1 %d %d]", sh, dh, dw)
	}
	sx, sy := float64(w)/float64(dw), float64(h)/float64(dh)
	var boxes []imgproc.Rect
	for _, r := range regions(out[0].Data, dw, dh) {
		r = imgproc.Rect{X1: max(0, r.X1*sx), Y1: max(0, r.Y1*sy), X2: min(float64(w), r.X2*sx), Y2: min(float64(h), r.Y2*sy)}
		if r.W() >= 1 && r.H() >= 1 {
			boxes = append(boxes, r)
		}
	}
	sortReading(boxes)
	return boxes, nil
}

// regions is DBNet's post-processing on the probability map prob (w x h):
// the bounding boxes of the 8-connected regions above detThreshold whose
// mean probability reaches boxThreshold, unclipped, in map coordinates.
func regions(prob []float32, w, h int) []imgproc.Rect {
	label := make([]int32, len(prob))
	var out []imgproc.Rect
	var stack []int
	n := int32(0)
	for start, p := range prob {
		if p <= detThreshold || label[start] != 0 {
			continue
		}
		n++
		x0, y0, x1, y1 := w, h, -1, -1
		stack = append(stack[:0], start)
		label[start] = n
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := i%w, i/w
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					j := ny*w + nx
					if label[j] == 0 && prob[j] > detThreshold {
						label[j] = n
						stack = append(stack, j)
					}
				}
			}
		}
		bw, bh := float64(x1-x0+1), float64(y1-y0+1)
		if min(bw, bh) < minBoxSide {
			continue
		}
		var sum float64
		for y := y0; y <= y1; y++ {
			for _, v := range prob[y*w+x0 : y*w+x1+1] {
				sum += float64(v)
			}
		}
		if sum/(bw*bh) < boxThreshold {
			continue
		}
		d := bw * bh * unclipRatio / (2 * (bw + bh))
		if min(bw, bh)+2*d < minBoxSide+2 {
			continue
		}
		out = append(out, imgproc.Rect{X1: float64(x0) - d, Y1: float64(y0) - d, X2: float64(x1+1) + d, Y2: float64(y1+1) + d})
		if len(out) == maxCandidates {
			break
		}
	}
	return out
}

// sortReading orders boxes top to bottom, and left to right within a row
// (PaddleOCR's sorted_boxes, with the row tolerance half a box's height
// instead of 10 pixels).
func sortReading(bs []imgproc.Rect) {
	sort.SliceStable(bs, func(i, j int) bool {
		if bs[i].Y1 != bs[j].Y1 {
			return bs[i].Y1 < bs[j].Y1
		}
		return bs[i].X1 < bs[j].X1
	})
	for i := 1; i < len(bs); i++ {
		for j := i; j > 0; j-- {
			a, b := bs[j-1], bs[j]
			tol := math.Min(a.H(), b.H()) / 2
			if math.Abs(b.Y1-a.Y1) < tol && b.X1 < a.X1 {
				bs[j-1], bs[j] = b, a
				continue
			}
			break
		}
	}
}

// recognize reads the text in the box r of img.
func (e *Engine) recognize(img *image.RGBA, r imgproc.Rect) (ocr.Line, error) {
	tw := int(math.Ceil(recHeight * r.W() / r.H()))
	tw = min(max(tw, 1), recMaxWidth)
	width := max(tw, recMinWidth)
	crop := imgproc.Tensor(img, r, tw, recHeight, recLayout)
	in := make([]float32, 3*recHeight*width)
	for c := range 3 {
		for y := range recHeight {
			src := crop[(c*recHeight+y)*tw:][:tw]
			copy(in[(c*recHeight+y)*width:], src)
		}
	}
	out, err := e.rec.Run(onnx.Tensor{Shape: []int64{1, 3, recHeight, int64(width)}, Data: in})
	if err != nil {
		return ocr.Line{}, fmt.Errorf("paddle: recognition: %w", err)
	}
	sh := out[0].Shape
	if len(sh) != 3 || sh[0] != 1 || sh[2] != int64(len(e.chars)) {
		return ocr.Line{}, fmt.Errorf("paddle: recognition output shape %v, want [1 T %d] (keys file and model disagree)", sh, len(e.chars))
	}
	steps, classes := int(sh[1]), int(sh[2])
	// A time step covers width/steps input columns; tw input columns span
	// the box.
	colX := func(col float64) float64 { return r.X1 + math.Min(col, float64(tw))*r.W()/float64(tw) }
	stepW := float64(width) / float64(steps)
	type char struct {
		s        string
		t        int
		prob     float64
		inserted bool // a space put in by the gap rule, not read
	}
	var chars []char
	prev := 0
	for t := range steps {
		row := out[0].Data[t*classes : (t+1)*classes]
		best, bp := 0, row[0]
		for k, p := range row {
			if p > bp {
				best, bp = k, p
			}
		}
		if best != 0 && best != prev {
			chars = append(chars, char{e.chars[best], t, float64(bp), false})
		}
		prev = best
	}
	// The recogniser rarely emits spaces between Latin words (it was
	// trained mostly on Chinese): put one where the gap between two
	// characters holds a blank run as wide as a space.
	blank := blankColumns(crop, tw)
	minGap := int(math.Ceil(spaceWidth * recHeight))
	spaced := chars[:0:0]
	for i, c := range chars {
		if i > 0 && c.s != " " && chars[i-1].s != " " {
			lo := int(float64(chars[i-1].t) * stepW)
			hi := int(float64(c.t+1) * stepW)
			if longestRun(blank, lo, hi) >= minGap {
				spaced = append(spaced, char{" ", c.t, c.prob, true})
			}
		}
		spaced = append(spaced, c)
	}
	chars = spaced
	line := ocr.Line{Box: rectangle(r)}
	var text strings.Builder
	var sum float64
	var word []char
	flush := func() {
		if len(word) == 0 {
			return
		}
		var ws strings.Builder
		var wp float64
		for _, c := range word {
			ws.WriteString(c.s)
			wp += c.prob
		}
		x0, x1 := colX(float64(word[0].t)*stepW), colX(float64(word[len(word)-1].t+1)*stepW)
		line.Words = append(line.Words, ocr.Word{
			Text:       ws.String(),
			Box:        rectangle(imgproc.Rect{X1: x0, Y1: r.Y1, X2: x1, Y2: r.Y2}),
			Confidence: wp / float64(len(word)),
		})
		word = word[:0]
	}
	read := 0
	for _, c := range chars {
		text.WriteString(c.s)
		if !c.inserted {
			sum += c.prob
			read++
		}
		if c.s == " " {
			flush()
			continue
		}
		word = append(word, c)
	}
	flush()
	line.Text = strings.TrimSpace(text.String())
	if read > 0 {
		line.Confidence = sum / float64(read)
	}
	return line, nil
}

// rectangle rounds r outwards to whole pixels.
func rectangle(r imgproc.Rect) image.Rectangle {
	return image.Rect(int(math.Floor(r.X1)), int(math.Floor(r.Y1)), int(math.Ceil(r.X2)), int(math.Ceil(r.Y2)))
}

// spaceWidth is the narrowest blank gap, as a fraction of the line's box
// height, read as a space between words. Measured on Go Regular lines
// (box height about 0.8 em): spaces left 17–26 blank columns of a 48-row
// crop, letters and full stops at most 11.
const spaceWidth = 0.29

// blankColumns reports, for each of the tw columns of a recognition crop
// (3 planes of recHeight x tw, normalised to −1..1), whether it holds no
// ink: every pixel of it is nearer the page's brightness than the ink's.
// Page and ink are the 90th and 5th percentiles of the crop's luminance.
func blankColumns(crop []float32, tw int) []bool {
	plane := recHeight * tw
	lum := make([]float32, plane)
	for i := range lum {
		lum[i] = (crop[i] + crop[plane+i] + crop[2*plane+i]) / 3
	}
	sorted := slices.Clone(lum)
	slices.Sort(sorted)
	page, ink := sorted[plane*9/10], sorted[plane/20]
	blank := make([]bool, tw)
	if page-ink < 0.2 {
		return blank // no contrast: no gap can be told apart
	}
	mid := (page + ink) / 2
	for x := range tw {
		blank[x] = true
		for y := range recHeight {
			if lum[y*tw+x] < mid {
				blank[x] = false
				break
			}
		}
	}
	return blank
}

// longestRun returns the longest run of true in blank[lo:hi], the range
// clipped to blank: a character the recogniser places in the padding after
// the crop has no columns there.
func longestRun(blank []bool, lo, hi int) int {
	lo, hi = max(lo, 0), min(hi, len(blank))
	if lo >= hi {
		return 0
	}
	best, run := 0, 0
	for _, b := range blank[lo:hi] {
		if b {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}
