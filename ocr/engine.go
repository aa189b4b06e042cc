package ocr

import (
	"context"
	"image"
)

// Mode says what kind of text an Engine is asked to read, which chooses
// its model and alphabet.
type Mode string

// Modes.
const (
	// ModeMRZ reads a machine readable zone: OCR-B, the characters A–Z,
	// 0–9 and <, monospaced lines.
	ModeMRZ Mode = "mrz"
	// ModeText reads the visual zone: printed words and numbers in the
	// configured languages.
	ModeText Mode = "text"
)

// Layout says how the text in the image is arranged.
type Layout string

// Layouts.
const (
	// LayoutBlock is a uniform block of lines (an MRZ, a cropped field
	// group). It is the default.
	LayoutBlock Layout = "block"
	// LayoutLine is a single line.
	LayoutLine Layout = "line"
	// LayoutSparse is text scattered over a page in no particular order
	// (a document's visual zone).
	LayoutSparse Layout = "sparse"
)

// Options tell an Engine how to read one image.
type Options struct {
	Mode   Mode
	Layout Layout
}

// Line is one line of text an Engine read.
type Line struct {
	Text string `json:"text"`
	// Box is where the line is, in the coordinates of the image read.
	Box image.Rectangle `json:"box"`
	// Confidence is the engine's confidence in the whole line, 0–1.
	Confidence float64 `json:"confidence"`
	// Words are the line's words with their own boxes and confidences,
	// when the engine reports them.
	Words []Word `json:"words,omitempty"`
}

// Word is one word of a Line.
type Word struct {
	Text       string          `json:"text"`
	Box        image.Rectangle `json:"box"`
	Confidence float64         `json:"confidence"`
}

// Engine reads the text lines of an image (usually a region cropped from a
// document with SubImage). Implementations are safe for concurrent use.
type Engine interface {
	ReadLines(ctx context.Context, img image.Image, opts Options) ([]Line, error)
}
