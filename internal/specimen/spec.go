package specimen

import (
	"errors"
	"fmt"
	"image"
	"strings"

	"github.com/idkit-dev/idkit/mrz"
)

// Layout is the physical document.
type Layout string

// The layouts Render draws, with ICAO 9303 sizes.
const (
	TD1 Layout = "TD1" // ID card, 85.6 x 54 mm; photo and fields in front, 3-line MRZ on the back
	TD2 Layout = "TD2" // ID card or travel document, 105 x 74 mm, 2-line MRZ in front
	TD3 Layout = "TD3" // passport data page, 125 x 88 mm, 2-line MRZ in front
	// DL is a US-style driving licence, 85.6 x 54 mm: photo and fields in
	// front, the caller's barcode (a PDF417) on the back, no MRZ.
	DL Layout = "DL"
)

// ErrSpec means the spec cannot be rendered: unknown layout, fields the MRZ
// cannot hold, lines of the wrong shape.
var ErrSpec = errors.New("specimen: bad spec")

// Spec describes a document to render. Only Fields is required.
type Spec struct {
	// Fields are the holder's data. Fields.Format chooses the layout when
	// Layout is empty (TD1, TD2, TD3; other MRZ formats render as TD3 or
	// TD2 by line length).
	Fields mrz.Fields
	// Layout overrides the layout derived from Fields.Format.
	Layout Layout
	// MRZ is printed instead of the zone generated from Fields: a
	// deliberately wrong or national zone. Use Corrupt to make one.
	MRZ []string
	// Face is the holder's photo, cropped to fill the photo box; nil draws
	// a grey silhouette.
	Face image.Image
	// StateName is the issuing state printed in the header; empty means the
	// country name of Fields.IssuingState.
	StateName string
	// PlaceOfBirth, Authority and IssueDate are visual-zone fields with no
	// MRZ counterpart.
	PlaceOfBirth string
	Authority    string
	IssueDate    mrz.Date
	// Address is printed on driving licences.
	Address string
	// Barcode is drawn on the back of a DL (its PDF417).
	Barcode image.Image
	// DPI is the rendering resolution; 0 means 300 (a TD3 page is then
	// 1476 x 1039 pixels).
	DPI float64
	// Seed varies the background pattern.
	Seed int64
}

// Document is a rendered document.
type Document struct {
	Layout Layout
	// Front is the side with the photo; Back is nil for TD2 and TD3.
	Front *image.RGBA
	Back  *image.RGBA
	// MRZ are the lines printed (nil for a DL).
	MRZ []string
	// FaceBox is the photo's rectangle on Front; MRZBox the zone's
	// rectangle on the side that carries it (MRZSide).
	FaceBox image.Rectangle
	MRZBox  image.Rectangle
	// BarcodeBox is the barcode's rectangle on the back of a DL.
	BarcodeBox image.Rectangle
}

// MRZSide returns the side carrying the MRZ: the back of a TD1 card, the
// front of TD2 and TD3 documents, nil for a DL.
func (d *Document) MRZSide() *image.RGBA {
	switch d.Layout {
	case TD1:
		return d.Back
	case DL:
		return nil
	}
	return d.Front
}

// layoutOf picks the layout for a spec.
func layoutOf(s Spec) (Layout, error) {
	if s.Layout != "" {
		switch s.Layout {
		case TD1, TD2, TD3, DL:
			return s.Layout, nil
		}
		return "", fmt.Errorf("%w: unknown layout %q", ErrSpec, s.Layout)
	}
	switch s.Fields.Format {
	case mrz.TD1:
		return TD1, nil
	case mrz.TD2, mrz.MRVB, mrz.FrenchID:
		return TD2, nil
	case mrz.TD3, mrz.MRVA, "":
		return TD3, nil
	}
	return "", fmt.Errorf("%w: no layout for MRZ format %q", ErrSpec, s.Fields.Format)
}

// zone returns the MRZ lines to print and checks they fit the layout.
func zone(s Spec, l Layout) ([]string, error) {
	if l == DL {
		return nil, nil
	}
	lines := s.MRZ
	if lines == nil {
		f := s.Fields
		if f.Format == "" {
			f.Format = mrz.Format(l)
		}
		var err error
		if lines, err = mrz.Generate(f); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrSpec, err)
		}
	}
	wantLines, wantLen := 2, 44
	switch l {
	case TD1:
		wantLines, wantLen = 3, 30
	case TD2:
		wantLen = 36
	}
	if len(lines) != wantLines {
		return nil, fmt.Errorf("%w: %s needs %d MRZ lines, got %d", ErrSpec, l, wantLines, len(lines))
	}
	for i, ln := range lines {
		if len(ln) != wantLen || strings.Trim(ln, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<") != "" {
			return nil, fmt.Errorf("%w: MRZ line %d %q: want %d characters of A-Z, 0-9, <", ErrSpec, i+1, ln, wantLen)
		}
	}
	return lines, nil
}
